import { EMPTY_STATE } from '../conversation/respond.js';
import type { ChannelName } from '../conversation/types.js';
import { applyRetention, collectUserData, eraseUser } from '../privacy/personal-data.js';
import { AUDIT_LIMIT, DELIVERY_FAILURE_LIMIT, type AuditEntry, copyConversation, type ConversationRecord, type DeliveryFailure, type FeedbackRecord, type Schema, type Session, type StaffUser, type Ticket } from './schema.js';
import { Store } from './store.js';
import { StoreConflictError, type DataStore, type PhrasingProposal, type ProposalSource, type TicketQuery, type TimeRange, type UserDataRecords } from './types.js';

const copy = <T>(value: T): T => structuredClone(value);
const conversationKey = (channel: ChannelName, userId: string) => `${channel}:${userId}`;
const inRange = (at: number, range?: TimeRange) => !range || (at >= range.from && at < range.to);

function matches(t: Ticket, q: TicketQuery): boolean {
  if (q.statuses && !q.statuses.includes(t.status)) return false;
  if (q.created && !inRange(t.createdAt, q.created)) return false;
  if (q.queuedReplies && !t.replies.some((r) => r.status === 'queued')) return false;
  if (q.untouchedSince !== undefined && !(t.updatedAt < q.untouchedSince)) return false;
  return true;
}

function pushAudit(d: Schema, entry: AuditEntry): void {
  d.audit.push(entry);
  if (d.audit.length > AUDIT_LIMIT) d.audit.splice(0, d.audit.length - AUDIT_LIMIT);
}

/**
 * The embedded store: DATA_DIR/db.json through lowdb (see store.ts for durability), one process. Reads answer from
 * memory at once; every change is written durably before its promise resolves, except `lazy` ones.
 */
export class LowdbDataStore implements DataStore {
  readonly kind = 'lowdb' as const;

  private constructor(private readonly store: Store) {}

  static async open(dataDir: string): Promise<LowdbDataStore> {
    return new LowdbDataStore(await Store.open(dataDir));
  }

  get meta(): { salt: string; secret: string } {
    return this.store.data.meta;
  }

  private get d(): Schema {
    return this.store.data as Schema;
  }

  private write<T>(change: (d: Schema) => T, lazy = false): Promise<T> {
    return lazy ? Promise.resolve(this.store.updateLazily(change)) : this.store.update(change);
  }

  // --- conversations ---------------------------------------------------------------------------------------
  async conversation(channel: ChannelName, userId: string): Promise<ConversationRecord | null> {
    const r = this.d.conversations[conversationKey(channel, userId)];
    return r ? copyConversation(r) : null;
  }

  async updateConversation(channel: ChannelName, userId: string, change: (r: ConversationRecord) => void, options: { lazy?: boolean } = {}): Promise<ConversationRecord> {
    return this.write((d) => {
      const k = conversationKey(channel, userId);
      const record = (d.conversations[k] ??= { channel, userId, displayName: null, state: EMPTY_STATE, lastUserMessageAt: 0, transcript: [], pausedUntil: 0 });
      change(record);
      return copyConversation(record);
    }, options.lazy);
  }

  // --- tickets ---------------------------------------------------------------------------------------------
  async ticket(id: number): Promise<Ticket | null> {
    const t = this.d.tickets.find((x) => x.id === id);
    return t ? copy(t) : null;
  }

  async openTicketFor(channel: ChannelName, userId: string): Promise<Ticket | null> {
    const t = this.d.tickets.find((x) => x.channel === channel && x.userId === userId && x.status !== 'closed');
    return t ? copy(t) : null;
  }

  async latestTicketFor(channel: ChannelName, userId: string): Promise<Ticket | null> {
    const t = [...this.d.tickets].reverse().find((x) => x.channel === channel && x.userId === userId);
    return t ? copy(t) : null;
  }

  async tickets(query: TicketQuery = {}): Promise<Ticket[]> {
    return this.d.tickets.filter((t) => matches(t, query)).map(copy);
  }

  async createTicket(build: (id: number) => Ticket, audit?: (ticket: Ticket) => Omit<AuditEntry, 'ticketId'>): Promise<Ticket> {
    return this.write((d) => {
      d.counters.ticket += 1;
      const ticket = build(d.counters.ticket);
      d.tickets.push(ticket);
      if (audit) pushAudit(d, { ...audit(ticket), ticketId: ticket.id });
      return copy(ticket);
    });
  }

  async updateTicket(id: number, change: (t: Ticket) => void, options: { lazy?: boolean; audit?: Omit<AuditEntry, 'ticketId'> } = {}): Promise<Ticket | null> {
    return this.write((d) => {
      const ticket = d.tickets.find((t) => t.id === id);
      if (!ticket) return null;
      change(ticket);
      if (options.audit) pushAudit(d, { ...options.audit, ticketId: id });
      return copy(ticket);
    }, options.lazy && !options.audit);
  }

  // --- staff -----------------------------------------------------------------------------------------------
  async users(): Promise<StaffUser[]> {
    return this.d.users.map(copy);
  }

  async user(id: string): Promise<StaffUser | null> {
    const u = this.d.users.find((x) => x.id === id);
    return u ? copy(u) : null;
  }

  async userByName(username: string): Promise<StaffUser | null> {
    const u = this.d.users.find((x) => x.username === username);
    return u ? copy(u) : null;
  }

  async addUser(user: StaffUser): Promise<void> {
    if (this.d.users.some((u) => u.username === user.username || u.id === user.id)) throw new StoreConflictError(`Tài khoản "${user.username}" đã tồn tại.`);
    await this.write((d) => d.users.push(copy(user)));
  }

  async updateUser(id: string, change: (u: StaffUser) => void): Promise<StaffUser | null> {
    const current = this.d.users.find((u) => u.id === id);
    if (!current) return null;
    const next = copy(current);
    change(next);
    if (this.d.users.some((u) => u.id !== id && u.username === next.username)) throw new StoreConflictError(`Tài khoản "${next.username}" đã tồn tại.`);
    return this.write((d) => {
      const i = d.users.findIndex((u) => u.id === id);
      d.users[i] = next;
      return copy(next);
    });
  }

  async session(id: string): Promise<Session | null> {
    const s = this.d.sessions.find((x) => x.id === id);
    return s ? copy(s) : null;
  }

  async addSession(session: Session, now: number): Promise<void> {
    await this.write((d) => {
      d.sessions = d.sessions.filter((s) => s.expiresAt > now);
      d.sessions.push(copy(session));
    });
  }

  async touchSession(id: string, at: number): Promise<void> {
    // Losing a "last seen" time in a crash costs nothing.
    await this.write((d) => {
      const s = d.sessions.find((x) => x.id === id);
      if (s) s.lastSeenAt = at;
    }, true);
  }

  async deleteSession(id: string): Promise<void> {
    await this.write((d) => {
      d.sessions = d.sessions.filter((s) => s.id !== id);
    });
  }

  // --- append-only records ---------------------------------------------------------------------------------
  async audit(entry: AuditEntry): Promise<void> {
    await this.write((d) => pushAudit(d, copy(entry)));
  }

  async auditEntries(query: { ticketId?: number; limit?: number } = {}): Promise<AuditEntry[]> {
    const all = this.d.audit.filter((a) => query.ticketId === undefined || a.ticketId === query.ticketId);
    return (query.limit ? all.slice(-query.limit) : all).map(copy);
  }

  async addFeedback(record: FeedbackRecord): Promise<void> {
    // Statistics: batched like transcripts.
    await this.write((d) => d.feedback.push(copy(record)), true);
  }

  async feedback(range?: TimeRange): Promise<FeedbackRecord[]> {
    return this.d.feedback.filter((f) => inRange(f.at, range)).map(copy);
  }

  async addDeliveryFailure(failure: DeliveryFailure): Promise<void> {
    await this.write((d) => {
      d.deliveryFailures.push(copy(failure));
      if (d.deliveryFailures.length > DELIVERY_FAILURE_LIMIT) d.deliveryFailures.splice(0, d.deliveryFailures.length - DELIVERY_FAILURE_LIMIT);
    });
  }

  async deliveryFailures(): Promise<DeliveryFailure[]> {
    return this.d.deliveryFailures.map(copy);
  }

  // --- personal data ---------------------------------------------------------------------------------------
  async userData(channel: ChannelName, userId: string): Promise<UserDataRecords> {
    const { conversation, tickets, feedback, deliveryFailures } = collectUserData(this.d, channel, userId);
    return copy({ conversation, tickets, feedback, deliveryFailures });
  }

  eraseUser(channel: ChannelName, userId: string, now: number) {
    return this.write((d) => eraseUser(d, channel, userId, now));
  }

  applyRetention(cutoff: number, now: number) {
    return this.write((d) => applyRetention(d, cutoff, now));
  }

  // --- phrasings confirmed by use --------------------------------------------------------------------------
  async proposePhrasing(entryId: string, question: string, source: ProposalSource, at: number): Promise<void> {
    await this.write((d) => {
      const found = d.proposals.find((p) => p.entryId === entryId && p.question === question);
      if (found) {
        if (found.status !== 'open') return;
        found.count += 1;
        found.sources[source] += 1;
        found.lastAt = Math.max(found.lastAt, at);
        return;
      }
      d.proposals.push({ entryId, question, count: 1, sources: { choice: 0, officer: 0, helpful: 0, [source]: 1 }, firstAt: at, lastAt: at, status: 'open' });
    });
  }

  async proposals(status?: PhrasingProposal['status']): Promise<PhrasingProposal[]> {
    return this.d.proposals.filter((p) => !status || p.status === status).map(copy);
  }

  async setProposalStatus(entryId: string, question: string, status: 'accepted' | 'dismissed', at: number): Promise<void> {
    await this.write((d) => {
      const found = d.proposals.find((p) => p.entryId === entryId && p.question === question);
      if (found) {
        // The time of the last confirmation by use stays: retention counts from it.
        found.status = status;
      } else {
        d.proposals.push({ entryId, question, count: 0, sources: { choice: 0, officer: 0, helpful: 0 }, firstAt: at, lastAt: at, status });
      }
    });
  }

  async dropOpenProposalsBefore(cutoff: number): Promise<number> {
    return this.write((d) => {
      const before = d.proposals.length;
      d.proposals = d.proposals.filter((p) => p.status !== 'open' || p.lastAt >= cutoff);
      return before - d.proposals.length;
    });
  }

  async snapshot(): Promise<Schema> {
    return copy(this.d);
  }

  /** The data as JSON, synchronously: a backup takes it in the same instant as the journal's state. */
  serialize(): { json: string; data: Readonly<Schema> } {
    return { json: JSON.stringify(this.d), data: this.d };
  }

  flush(): Promise<void> {
    return this.store.flush();
  }

  /** Alone on its file, this store always has every conversation in memory. */
  hold(): void {}

  letGo(): Promise<void> {
    return this.store.flush();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
