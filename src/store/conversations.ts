import type { ConversationStates } from '../conversation/bot.js';
import { EMPTY_STATE, type ConversationState } from '../conversation/respond.js';
import type { ChannelName, Reply } from '../conversation/types.js';
import {
  DELIVERY_FAILURE_LIMIT,
  TRANSCRIPT_LIMIT,
  TRANSCRIPT_TEXT_LIMIT,
  type ConversationRecord,
  type DeliveryFailure,
  type Schema,
  type TranscriptItem,
} from './schema.js';
import type { Store } from './store.js';

function key(channel: ChannelName, userId: string): string {
  return `${channel}:${userId}`;
}

function ensure(data: Schema, channel: ChannelName, userId: string): ConversationRecord {
  const k = key(channel, userId);
  let record = data.conversations[k];
  if (!record) {
    record = { channel, userId, displayName: null, state: EMPTY_STATE, lastUserMessageAt: 0, transcript: [], pausedUntil: 0 };
    data.conversations[k] = record;
  }
  return record;
}

function append(record: ConversationRecord, item: TranscriptItem): void {
  const limit = TRANSCRIPT_TEXT_LIMIT[item.from];
  record.transcript.push(item.text.length > limit ? { ...item, text: `${item.text.slice(0, limit - 1)}…` } : item);
  if (record.transcript.length > TRANSCRIPT_LIMIT) record.transcript.splice(0, record.transcript.length - TRANSCRIPT_LIMIT);
}

/** How a reply reads in a transcript. */
export function replyText(reply: Reply): string {
  switch (reply.kind) {
    case 'text':
      return reply.text;
    case 'choices':
      return reply.text;
    case 'handoff':
      return `(chuyển cán bộ) ${reply.question}`;
  }
}

/** Conversations kept in the store: the bot's pending choices, the transcript, the user's last message time. */
export class Conversations implements ConversationStates {
  constructor(private readonly store: Store) {}

  get(k: string): ConversationState | undefined {
    return this.store.data.conversations[k]?.state;
  }

  set(k: string, state: ConversationState): void {
    const record = this.store.data.conversations[k];
    if (record) this.store.updateLazily(() => (record.state = state));
  }

  record(channel: ChannelName, userId: string): ConversationRecord | undefined {
    return this.store.data.conversations[key(channel, userId)];
  }

  /** Records the user's message and the time it was sent: messaging windows are measured from it. */
  userSaid(channel: ChannelName, userId: string, text: string, at: number, displayName?: string): void {
    this.store.updateLazily((data) => {
      const record = ensure(data, channel, userId);
      record.lastUserMessageAt = Math.max(record.lastUserMessageAt, at);
      if (displayName) record.displayName = displayName;
      append(record, { at, from: 'user', text });
    });
  }

  said(channel: ChannelName, userId: string, from: 'bot' | 'officer', text: string, at: number): void {
    this.store.updateLazily((data) => append(ensure(data, channel, userId), { at, from, text }));
  }

  /** The user reacted or followed: the messaging window counts from now. */
  touched(channel: ChannelName, userId: string, at: number): void {
    this.store.updateLazily((data) => {
      const record = ensure(data, channel, userId);
      record.lastUserMessageAt = Math.max(record.lastUserMessageAt, at);
    });
  }

  setDisplayName(channel: ChannelName, userId: string, name: string): void {
    this.store.updateLazily((data) => (ensure(data, channel, userId).displayName = name));
  }

  /** A person took over: the bot stays silent for this user until `until` (or until handed back). */
  pause(channel: ChannelName, userId: string, until: number): void {
    this.store.updateLazily((data) => {
      const record = ensure(data, channel, userId);
      record.pausedUntil = Math.max(record.pausedUntil, until);
    });
  }

  resume(channel: ChannelName, userId: string): void {
    this.store.updateLazily((data) => (ensure(data, channel, userId).pausedUntil = 0));
  }

  isPaused(channel: ChannelName, userId: string, now: number): boolean {
    return (this.record(channel, userId)?.pausedUntil ?? 0) > now;
  }

  async deliveryFailed(failure: DeliveryFailure): Promise<void> {
    await this.store.update((data) => {
      data.deliveryFailures.push(failure);
      if (data.deliveryFailures.length > DELIVERY_FAILURE_LIMIT) data.deliveryFailures.splice(0, data.deliveryFailures.length - DELIVERY_FAILURE_LIMIT);
    });
  }
}
