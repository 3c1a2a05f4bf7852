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

/**
 * A copy the caller owns. Transcript items and the state are read-only values (changes replace them), so only the
 * record and its transcript array are copied: a few microseconds, where structuredClone took tens for every change
 * of every message.
 */
export const copyConversation = (r: ConversationRecord): ConversationRecord => ({ ...r, transcript: [...r.transcript] });

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

export type Role = 'officer' | 'admin';

/** An inbox account. Passwords are stored as scrypt hashes only. */
export interface StaffUser {
  readonly id: string;
  username: string;
  displayName: string;
  role: Role;
  /** "scrypt$N$r$p$salt$hash" (base64). */
  passwordHash: string;
  createdAt: number;
  disabled: boolean;
}

export interface Session {
  /** SHA-256 of the cookie value: a stolen database does not give working sessions. */
  readonly id: string;
  readonly userId: string;
  readonly csrf: string;
  readonly createdAt: number;
  lastSeenAt: number;
  readonly expiresAt: number;
}

export type TicketStatus = 'open' | 'claimed' | 'answered' | 'closed';
export type ReplyStatus = 'queued' | 'sent' | 'failed';

export interface TicketReply {
  readonly id: string;
  readonly at: number;
  /** Staff user id. */
  readonly by: string;
  readonly text: string;
  /** The FAQ entry sent in one click, if any. */
  readonly entryId: string | null;
  status: ReplyStatus;
  attempts: number;
  /** The platform's reason for a failure (or our local refusal: messaging window). */
  error: string | null;
  sentAt: number | null;
  /** Platform message ids, for delivery receipts. */
  messageIds: string[];
  deliveredAt: number | null;
  seenAt: number | null;
}

export interface TicketNote {
  readonly at: number;
  readonly by: string;
  readonly text: string;
}

/** A question handed over to officers. */
export interface Ticket {
  readonly id: number;
  readonly channel: ChannelName;
  readonly userId: string;
  displayName: string | null;
  /** The question that was handed over. */
  readonly question: string;
  readonly reason: 'user-request' | 'no-answer' | 'feedback';
  /** The conversation before the hand-over, then every message while the ticket is open. */
  transcript: TranscriptItem[];
  /** What the matcher considered for the question, so an officer can send an existing answer in one click. */
  readonly candidates: ReadonlyArray<{ readonly id: string; readonly score: number; readonly question: string }>;
  status: TicketStatus;
  assignee: string | null;
  readonly createdAt: number;
  updatedAt: number;
  /** When an officer first replied (SLA: first response). */
  firstResponseAt: number | null;
  /** The first-response deadline, counted in working time. */
  readonly slaDueAt: number;
  /** Last message from the user, and last reply by an officer. */
  lastUserMessageAt: number;
  lastOfficerReplyAt: number | null;
  /** When an officer last handed the conversation back to the bot. */
  botResumedAt: number | null;
  closedAt: number | null;
  /** Officers have not opened it since the user last wrote. */
  unread: boolean;
  notes: TicketNote[];
  replies: TicketReply[];
  /** When the 1–5 survey was sent to the user (a rating is accepted only after it). */
  surveySentAt?: number | null;
  /** The user's satisfaction with the officers' answer (asked when the ticket is closed). */
  rating?: TicketRating | null;
  /** When its personal content was removed (a deletion request, or retention). */
  erasedAt?: number | null;
}

export interface TicketRating {
  readonly stars: number;
  readonly at: number;
  /** The officer credited: the assignee, else the last one who replied. */
  readonly officer: string | null;
  comment: string | null;
}

export interface AuditEntry {
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly ticketId: number | null;
  readonly detail: string;
}

export const AUDIT_LIMIT = 20_000;

/** "Hữu ích 👍 / Chưa đúng 👎" on an FAQ answer. */
export interface FeedbackRecord {
  readonly at: number;
  readonly channel: ChannelName;
  readonly userId: string;
  readonly entryId: string;
  /** The user's question that got this answer (for knowledge gaps). */
  readonly question: string;
  readonly helpful: boolean;
}

/** A way of asking that real use tied to an entry (see types.ts, PhrasingProposal): the text only, never who. */
export interface ProposalRecord {
  readonly entryId: string;
  readonly question: string;
  count: number;
  sources: Record<'choice' | 'officer' | 'helpful', number>;
  readonly firstAt: number;
  lastAt: number;
  status: 'open' | 'accepted' | 'dismissed';
}

export interface Schema {
  version: number;
  /** Keyed by "channel:userId". */
  conversations: Record<string, ConversationRecord>;
  /** Most recent first is not guaranteed; capped at DELIVERY_FAILURE_LIMIT, oldest dropped. */
  deliveryFailures: DeliveryFailure[];
  users: StaffUser[];
  sessions: Session[];
  tickets: Ticket[];
  audit: AuditEntry[];
  feedback: FeedbackRecord[];
  /** Phrasings confirmed by use, proposed to admins as alternates ("Đề xuất cách hỏi"). */
  proposals: ProposalRecord[];
  counters: { ticket: number };
  /**
   * Per-installation secrets: the salt of user pseudonyms in the activity log, and the key that signs tokens of forms
   * shown before login.
   */
  meta: { salt: string; secret: string };
}

export function emptyData(): Schema {
  return { version: SCHEMA_VERSION, conversations: {}, deliveryFailures: [], users: [], sessions: [], tickets: [], audit: [], feedback: [], proposals: [], counters: { ticket: 0 }, meta: { salt: '', secret: '' } };
}
