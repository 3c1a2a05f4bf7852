import type { ConversationStates } from '../conversation/bot.js';
import { EMPTY_STATE, type ConversationState } from '../conversation/respond.js';
import type { ChannelName, Reply } from '../conversation/types.js';
import { TRANSCRIPT_LIMIT, TRANSCRIPT_TEXT_LIMIT, type ConversationRecord, type DeliveryFailure, type TranscriptItem } from './schema.js';
import type { DataStore } from './types.js';

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

type Who = { readonly channel: ChannelName; readonly userId: string };

/**
 * Conversations kept in the store: the bot's pending choices, the transcript, the user's last message time, a
 * takeover pause. Most changes are `lazy`: the embedded store batches them into one write per half second (a crash
 * loses at most that much context); PostgreSQL writes every change at once, so the next message of the user finds
 * it on any instance.
 */
export class Conversations implements ConversationStates {
  constructor(private readonly store: DataStore) {}

  async get(who: Who): Promise<ConversationState | undefined> {
    return (await this.store.conversation(who.channel, who.userId))?.state;
  }

  async set(who: Who, state: ConversationState): Promise<void> {
    await this.store.updateConversation(who.channel, who.userId, (r) => (r.state = state), { lazy: true });
  }

  record(channel: ChannelName, userId: string): Promise<ConversationRecord | null> {
    return this.store.conversation(channel, userId);
  }

  /** Records the user's message and the time it was sent (messaging windows count from it); the record as it is now. */
  userSaid(channel: ChannelName, userId: string, text: string, at: number, displayName?: string): Promise<ConversationRecord> {
    return this.store.updateConversation(
      channel,
      userId,
      (record) => {
        record.lastUserMessageAt = Math.max(record.lastUserMessageAt, at);
        if (displayName) record.displayName = displayName;
        append(record, { at, from: 'user', text });
      },
      { lazy: true },
    );
  }

  /** What the bot or an officer said: one transcript line per message. */
  async said(channel: ChannelName, userId: string, from: 'bot' | 'officer', texts: string | readonly string[], at: number): Promise<void> {
    const lines = typeof texts === 'string' ? [texts] : texts;
    if (lines.length === 0) return;
    await this.store.updateConversation(channel, userId, (record) => lines.forEach((text) => append(record, { at, from, text })), { lazy: true });
  }

  /** The user reacted or followed: the messaging window counts from now. */
  async touched(channel: ChannelName, userId: string, at: number): Promise<void> {
    await this.store.updateConversation(channel, userId, (record) => (record.lastUserMessageAt = Math.max(record.lastUserMessageAt, at)), { lazy: true });
  }

  async setDisplayName(channel: ChannelName, userId: string, name: string): Promise<void> {
    await this.store.updateConversation(channel, userId, (record) => (record.displayName = name), { lazy: true });
  }

  /** A person took over: the bot stays silent for this user until `until` (or until handed back). */
  async pause(channel: ChannelName, userId: string, until: number): Promise<void> {
    await this.store.updateConversation(channel, userId, (record) => (record.pausedUntil = Math.max(record.pausedUntil, until)));
  }

  async resume(channel: ChannelName, userId: string): Promise<void> {
    await this.store.updateConversation(channel, userId, (record) => (record.pausedUntil = 0));
  }

  async isPaused(channel: ChannelName, userId: string, now: number): Promise<boolean> {
    return ((await this.record(channel, userId))?.pausedUntil ?? 0) > now;
  }

  /** Makes the user's changes durable: before another instance may take the user's next message. */
  flush(channel: ChannelName, userId: string): Promise<void> {
    return this.store.flush({ channel, userId });
  }

  /** This instance processes the user's messages now (see DataStore.hold). */
  hold(channel: ChannelName, userId: string): void {
    this.store.hold({ channel, userId });
  }

  /** Before another instance may take the user's next message. */
  letGo(channel: ChannelName, userId: string): Promise<void> {
    return this.store.letGo({ channel, userId });
  }

  deliveryFailed(failure: DeliveryFailure): Promise<void> {
    return this.store.addDeliveryFailure(failure);
  }
}
