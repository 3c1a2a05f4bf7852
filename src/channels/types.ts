import type { ChannelName, IncomingMessage, Reply } from '../conversation/types.js';

/**
 * What a webhook delivers, in common terms. Only `message` and `human-reply` need work after the acknowledgement;
 * the rest is recorded or ignored on the spot.
 */
export type InboundEvent =
  | { readonly kind: 'message'; readonly message: IncomingMessage }
  /** A person answered this user from the platform's own inbox (Page inbox, OA chat tool): the bot steps back. */
  | { readonly kind: 'human-reply'; readonly channel: ChannelName; readonly userId: string; readonly at: number }
  /** The user interacted without writing (a reaction, a follow): the messaging window reopens. */
  | { readonly kind: 'interaction'; readonly channel: ChannelName; readonly userId: string; readonly at: number }
  /** The user stopped following the OA. */
  | { readonly kind: 'unfollow'; readonly channel: ChannelName; readonly userId: string; readonly at: number }
  /** The user asked the platform to delete their data (Zalo's user_withdraw): we erase ours too. */
  | { readonly kind: 'forget'; readonly channel: ChannelName; readonly userId: string; readonly at: number }
  | { readonly kind: 'delivery'; readonly channel: ChannelName; readonly userId: string; readonly messageIds: readonly string[]; readonly status: 'delivered' | 'seen'; readonly at: number };

/** Who wrote a message: platform rules differ (Messenger's HUMAN_AGENT tag is for people only). */
export type Author = 'bot' | 'officer';

/** One platform message ready to send: serialisable, so it can be journaled before it goes out. */
export interface OutboundMessage {
  readonly channel: ChannelName;
  readonly userId: string;
  /** The platform request body (without credentials). */
  readonly body: Readonly<Record<string, unknown>>;
  /** What the user reads, for transcripts and the inbox. */
  readonly text: string;
}

export interface SendContext {
  readonly author: Author;
  /** Epoch ms of the user's last message or interaction: messaging windows count from it. */
  readonly lastUserMessageAt: number;
  readonly now: number;
}

/** Why a send failed, in terms officers and the retry loop understand. */
export type SendFailureKind =
  | 'transient' // retry with backoff
  | 'rate-limit' // retry with backoff
  | 'auth' // bad or expired token: retrying won't help, an admin must act
  | 'window' // outside the messaging window
  | 'unavailable' // the person can't receive messages (blocked, not a follower...)
  | 'invalid' // we sent something the platform refuses
  | 'not-configured';

export class SendError extends Error {
  constructor(
    readonly kind: SendFailureKind,
    /** The platform's own message (or ours for local refusals), shown to officers. */
    readonly platformMessage: string,
    readonly code?: number | string,
    readonly subcode?: number,
  ) {
    super(`${kind}: ${platformMessage}${code !== undefined ? ` (mã ${code}${subcode !== undefined ? `/${subcode}` : ''})` : ''}`);
    this.name = 'SendError';
  }

  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate-limit';
  }
}

/** A platform adapter: everything above it talks in Reply, IncomingMessage and InboundEvent only. */
export interface ChannelAdapter {
  readonly name: ChannelName;
  /**
   * When the platform rejects our credentials, keep the replies for later instead of dropping them (Zalo: sends
   * wait until an admin re-authorises the OA, then go out).
   */
  readonly holdOnAuthFailure?: boolean;
  /**
   * Renders replies as platform messages (text split to the platform's limit, choices as quick replies or
   * buttons). Throws SendError('window') when the platform's rules forbid sending at all.
   */
  render(userId: string, replies: readonly Reply[], context: SendContext): OutboundMessage[];
  /** Sends one message; resolves with the platform's message id; throws SendError. */
  send(message: OutboundMessage): Promise<{ messageId: string }>;
  /** Best effort "typing…" indicator. */
  typing?(userId: string): Promise<void>;
  /** The user's display name, or null when the platform won't say. */
  profile?(userId: string): Promise<string | null>;
}
