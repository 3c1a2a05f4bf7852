import type { ChannelName } from '../conversation/types.js';
import type { ErasureCounts } from '../privacy/personal-data.js';
import type {
  AuditEntry,
  ConversationRecord,
  DeliveryFailure,
  FeedbackRecord,
  Schema,
  Session,
  StaffUser,
  Ticket,
} from './schema.js';

/**
 * The data the product keeps, behind one interface with two implementations: the embedded lowdb file (default,
 * one process) and PostgreSQL (DATABASE_URL, several instances on one database). Every read returns a copy the
 * caller may keep; every change goes through a method, so PostgreSQL can run it in a transaction on the current row
 * (several instances may change the same ticket). The contract tests (tests/store/contract.ts) run against both.
 */
export interface DataStore {
  readonly kind: 'lowdb' | 'postgres';
  /** Per-installation secrets, created on first open and shared by every instance. */
  readonly meta: { readonly salt: string; readonly secret: string };

  // --- conversations: one per channel and user -------------------------------------------------------------
  conversation(channel: ChannelName, userId: string): Promise<ConversationRecord | null>;
  /**
   * Applies `change` to the user's conversation (created empty if missing) and stores it. `lazy`: the embedded
   * store may batch it with other changes of the next half second (transcripts: losing one in a crash costs little).
   */
  updateConversation(channel: ChannelName, userId: string, change: (record: ConversationRecord) => void, options?: { lazy?: boolean }): Promise<ConversationRecord>;

  // --- tickets ---------------------------------------------------------------------------------------------
  ticket(id: number): Promise<Ticket | null>;
  /** The user's ticket that is not closed, if any (a user has at most one). */
  openTicketFor(channel: ChannelName, userId: string): Promise<Ticket | null>;
  /** The user's most recent ticket, whatever its status. */
  latestTicketFor(channel: ChannelName, userId: string): Promise<Ticket | null>;
  tickets(query?: TicketQuery): Promise<Ticket[]>;
  /** Stores a new ticket under the next number (unique across instances). */
  createTicket(build: (id: number) => Ticket, audit?: (ticket: Ticket) => Omit<AuditEntry, 'ticketId'>): Promise<Ticket>;
  /**
   * Applies `change` to the current version of the ticket and stores it, with an optional audit entry in the same
   * transaction. Null when there is no such ticket.
   */
  updateTicket(id: number, change: (ticket: Ticket) => void, options?: { lazy?: boolean; audit?: Omit<AuditEntry, 'ticketId'> }): Promise<Ticket | null>;

  // --- staff accounts and sessions -------------------------------------------------------------------------
  users(): Promise<StaffUser[]>;
  user(id: string): Promise<StaffUser | null>;
  userByName(username: string): Promise<StaffUser | null>;
  /** Refuses (StoreConflictError) a username already taken. */
  addUser(user: StaffUser): Promise<void>;
  updateUser(id: string, change: (user: StaffUser) => void): Promise<StaffUser | null>;
  session(id: string): Promise<Session | null>;
  /** Stores a session and drops the expired ones. */
  addSession(session: Session, now: number): Promise<void>;
  touchSession(id: string, at: number): Promise<void>;
  deleteSession(id: string): Promise<void>;

  // --- append-only records ---------------------------------------------------------------------------------
  audit(entry: AuditEntry): Promise<void>;
  auditEntries(query?: { ticketId?: number; limit?: number }): Promise<AuditEntry[]>;
  addFeedback(record: FeedbackRecord): Promise<void>;
  feedback(range?: TimeRange): Promise<FeedbackRecord[]>;
  addDeliveryFailure(failure: DeliveryFailure): Promise<void>;
  deliveryFailures(): Promise<DeliveryFailure[]>;

  // --- personal data (privacy/) ------------------------------------------------------------------------------
  /** Everything about one person (an access request). */
  userData(channel: ChannelName, userId: string): Promise<UserDataRecords>;
  /** Removes one person's personal data, keeping what reports count (privacy/personal-data.ts says what). */
  eraseUser(channel: ChannelName, userId: string, now: number): Promise<ErasureCounts>;
  /** What is older than `cutoff` loses its personal part (the daily retention job). */
  applyRetention(cutoff: number, now: number): Promise<ErasureCounts>;

  // --- phrasings confirmed by use (answer quality: "Đề xuất cách hỏi") -------------------------------------
  /** Counts one more confirmation of `question` for the entry; a dismissed or accepted phrasing stays as it is. */
  proposePhrasing(entryId: string, question: string, source: ProposalSource, at: number): Promise<void>;
  proposals(status?: PhrasingProposal['status']): Promise<PhrasingProposal[]>;
  setProposalStatus(entryId: string, question: string, status: 'accepted' | 'dismissed', at: number): Promise<void>;
  /** Retention: open proposals last confirmed before `cutoff` are removed (accepted and dismissed ones stay). */
  dropOpenProposalsBefore(cutoff: number): Promise<number>;

  /** Everything, for reports and backups: the same shape as the embedded file. */
  snapshot(): Promise<Schema>;
  /** Resolves when every change made so far is durable; with a user, at least that user's changes. */
  flush(who?: { readonly channel: ChannelName; readonly userId: string }): Promise<void>;
  /**
   * This instance processes the user's messages until letGo() (it holds their lease on a shared queue): the store
   * may keep their conversation in memory meanwhile instead of reading it again for every change.
   */
  hold(who: { readonly channel: ChannelName; readonly userId: string }): void;
  /** The user's changes made durable and what was kept of them forgotten: another instance may take them next. */
  letGo(who: { readonly channel: ChannelName; readonly userId: string }): Promise<void>;
  close(): Promise<void>;
}

/** How real use confirmed that a phrasing meant an entry. */
export type ProposalSource = 'choice' | 'officer' | 'helpful';

/** A way of asking that real use tied to an entry: only the text, never who asked. */
export interface PhrasingProposal {
  readonly entryId: string;
  readonly question: string;
  readonly count: number;
  readonly sources: Readonly<Record<ProposalSource, number>>;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly status: 'open' | 'accepted' | 'dismissed';
}

export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

export interface TicketQuery {
  readonly statuses?: readonly Ticket['status'][];
  /** Tickets created in this range. */
  readonly created?: TimeRange;
  /** Tickets with at least one reply still queued (resumed after a restart). */
  readonly queuedReplies?: boolean;
  /** Tickets not changed since this instant (retention). */
  readonly untouchedSince?: number;
}

export type { ErasureCounts };

export interface UserDataRecords {
  readonly conversation: ConversationRecord | null;
  readonly tickets: readonly Ticket[];
  readonly feedback: readonly FeedbackRecord[];
  readonly deliveryFailures: readonly DeliveryFailure[];
}

/** A change refused because it would break a uniqueness rule (a username taken, an id used). */
export class StoreConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreConflictError';
  }
}

/**
 * The inbound events between a webhook's acknowledgement and the last reply sent: durable before the webhook
 * answers, deduplicated by id (a redelivery to any instance is dropped), processed one user at a time by whoever
 * holds that user's lease, resumed after a crash. The embedded journal (one process) and a PostgreSQL table
 * (several instances) implement it.
 */
export interface InboundQueue<E, S> {
  /** Stores new events durably, dropping ids seen before (also within the batch); resolves with the accepted ones. */
  accept(events: ReadonlyArray<{ readonly id: string; readonly key: string; readonly event: E }>): Promise<QueuedEvent<E, S>[]>;
  /**
   * Claims a user (ordering key) with unfinished events that nobody else holds, for `leaseMs`, and returns their
   * events oldest first; null when there is none. A lease left by an instance that died is taken over once expired.
   * `prefer` tries that key first (the events just accepted here).
   */
  claim(owner: string, leaseMs: number, prefer?: string): Promise<UserLease<E, S> | null>;
  /**
   * Up to `max` users at once, each as claim() takes one, oldest waiting first: on a shared database one round trip
   * instead of one per user, so a busy instance is not limited by how fast it can claim one after another.
   */
  claimSome(owner: string, leaseMs: number, max: number): Promise<UserLease<E, S>[]>;
  plan(id: string, sends: readonly S[]): Promise<void>;
  sent(id: string, index: number): Promise<void>;
  done(id: string): Promise<void>;
  /** The event waits until `release(channel)`: its channel's credentials were refused (Zalo re-authorisation). */
  hold(id: string, channel: string): Promise<void>;
  release(channel: string): Promise<number>;
  held(channel: string): Promise<number>;
  /** Unfinished events, oldest first (backups, health). */
  unfinished(): Promise<QueuedEvent<E, S>[]>;
  /** Drops finished events (with their text) and ids older than the deduplication window. */
  compact(): Promise<void>;
  close(): Promise<void>;
}

export interface QueuedEvent<E, S> {
  readonly id: string;
  readonly key: string;
  readonly at: number;
  readonly event: E;
  sends: readonly S[] | null;
  /** How many of `sends` went out. */
  sent: number;
}

export interface UserLease<E, S> {
  readonly key: string;
  /** The user's unfinished, unheld events, oldest first, as of the claim (or the last `more()`). */
  readonly events: QueuedEvent<E, S>[];
  /** Events that arrived for this user since: called before releasing, so none is left behind. */
  more(): Promise<QueuedEvent<E, S>[]>;
  /** Extends the lease (long sends); false when it was lost (another instance took the user over). */
  renew(): Promise<boolean>;
  release(): Promise<void>;
  /**
   * Lets go of the user unless events arrived since the claim or the last call: then the lease is kept and those are
   * returned (what more() then release() do, in one round trip on a shared database). Nothing when the lease was lost.
   * `done`: the id of the user's last event handled, marked done in the same step (as InboundQueue.done).
   */
  finish(done?: string): Promise<QueuedEvent<E, S>[]>;
}

/** Zalo's token pair, shared by every instance: at most one refresh at a time across all of them. */
export interface TokenVault {
  read(): Promise<ZaloTokenRecord>;
  write(record: ZaloTokenRecord): Promise<void>;
  /**
   * Runs `task` while no other process or instance runs one (the refresh token is single-use: two refreshes at
   * once would burn it). The task re-reads the pair first: another instance may have refreshed meanwhile.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** A marker that changes whenever another process or instance wrote the pair (file time, row version). */
  version(): Promise<number>;
}

export interface ZaloTokenRecord {
  accessToken: string | null;
  refreshToken: string | null;
  /** Epoch ms when the access token expires (Zalo: 25 h after issue). */
  accessExpiresAt: number;
  refreshedAt: number;
  status: 'ok' | 'needs-reauth';
  /** Zalo's message when the status is needs-reauth. */
  lastError: string | null;
  /** SHA-256 of the ZALO_REFRESH_TOKEN last seeded, so a new value in the environment is picked up once. */
  seededFrom: string | null;
}

/** One handled message in the pseudonymous activity log (no text; the user as a salted hash). */
export interface ActivityLine {
  readonly at: number;
  readonly ch: ChannelName;
  readonly u: string;
  readonly d: 'answer' | 'suggest' | 'smalltalk' | 'escalate';
  readonly v: string;
  readonly e: string | null;
  readonly s: number;
}

/** Where activity lines go: monthly files in DATA_DIR, or a table. */
export interface ActivityStore {
  append(lines: readonly ActivityLine[]): Promise<void>;
  read(range: TimeRange): Promise<ActivityLine[]>;
  /** Rewrites the pseudonym of the chosen lines; returns how many changed. */
  rewriteUsers(pick: { readonly before?: string; readonly user?: string }, map: (month: string) => (u: string) => string): Promise<number>;
}

/**
 * What several instances must agree on besides data: a job that runs once per day across all of them, and
 * changes that pages open on another instance must see (the inbox's live updates).
 */
export interface Coordination {
  /** Runs `task` unless another instance ran `name` within `periodMs`; true when it ran here. */
  once(name: string, periodMs: number, task: () => Promise<void>): Promise<boolean>;
  /** Tells every instance (this one included) that `topic` changed. */
  publish(topic: string): Promise<void>;
  /** Called when any instance publishes `topic`. Returns the unsubscribe function. */
  subscribe(topic: string, listener: () => void): () => void;
}

/**
 * Failed logins per account and address, shared by every instance (attempts are counted before the password is
 * checked: see web/limits.ts). `reserve` answers how long to wait when refused.
 */
export interface LoginAttempts {
  reserve(key: string, now: number): Promise<{ ok: true } | { ok: false; retryAfterMs: number }>;
  succeeded(key: string): Promise<void>;
}
