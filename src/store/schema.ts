import type { ConversationState } from '../conversation/respond.js';
import type { ChannelName } from '../conversation/types.js';

/** Bumped with each change of shape; migrations.ts brings older files up to date on start. */
export const SCHEMA_VERSION = 1;

/** One line of a conversation as officers see it in a ticket. */
export interface TranscriptItem {
  readonly at: number;
  readonly from: 'user' | 'bot' | 'officer';
  readonly text: string;
}

export interface ConversationRecord {
  readonly channel: ChannelName;
  readonly userId: string;
  displayName: string | null;
  state: ConversationState;
  /** Epoch ms of the user's last message: messaging windows are counted from it. */
  lastUserMessageAt: number;
  /** The most recent exchanges, oldest first, capped (see TRANSCRIPT_LIMIT). */
  transcript: TranscriptItem[];
  /** Epoch ms until which the bot stays silent because a person took the conversation over (0: not paused). */
  pausedUntil: number;
}

/** A reply that could not be delivered after retries: shown to officers. */
export interface DeliveryFailure {
  readonly at: number;
  readonly channel: ChannelName;
  readonly userId: string;
  readonly text: string;
  readonly kind: string;
  readonly platformMessage: string;
  readonly code: string | null;
}

export const DELIVERY_FAILURE_LIMIT = 500;

/**
 * The conversation keeps only recent context (what a ticket copies when it is opened), with long bot answers cut:
 * the whole file is rewritten on every save, so it must stay small (see README "Benchmarks").
 */
export const TRANSCRIPT_LIMIT = 12;
export const TRANSCRIPT_TEXT_LIMIT = { user: 1000, bot: 280, officer: 2000 } as const;

export interface Schema {
  version: number;
  /** Keyed by "channel:userId". */
  conversations: Record<string, ConversationRecord>;
  /** Most recent first is not guaranteed; capped at DELIVERY_FAILURE_LIMIT, oldest dropped. */
  deliveryFailures: DeliveryFailure[];
}

export function emptyData(): Schema {
  return { version: SCHEMA_VERSION, conversations: {}, deliveryFailures: [] };
}
