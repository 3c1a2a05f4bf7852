import type { ChannelName } from '../../conversation/types.js';
import type { AuditEntry, ConversationRecord, DeliveryFailure, FeedbackRecord, Schema, Session, StaffUser, Ticket } from '../schema.js';
import type { DataStore, ErasureCounts, PhrasingProposal, ProposalSource, TicketQuery, TimeRange, UserDataRecords } from '../types.js';
import * as accounts from './accounts.js';
import { ConversationBuffer } from './conversation-buffer.js';
import * as conversations from './conversations.js';
import type { Pool } from './pool.js';
import * as privacy from './privacy.js';
import * as proposals from './proposals.js';
import * as records from './records.js';
import { ensureMeta, snapshot, type Meta } from './snapshot.js';
import * as tickets from './tickets.js';

/**
 * The DataStore on PostgreSQL. Every method is one statement or one transaction on the current rows, so several
 * instances can share the database; every read parses JSONB afresh, so callers always get their own copies.
 * Changes are committed before their promise resolves, except `lazy` changes of conversations: those are written
 * behind, a few milliseconds later (see ConversationBuffer), and flush() waits for them. The pool belongs to
 * openPostgres, which closes it.
 */
export class PostgresDataStore implements DataStore {
  readonly kind = 'postgres' as const;
  private readonly buffer: ConversationBuffer;

  private constructor(
    private readonly pool: Pool,
    readonly meta: Meta,
  ) {
    this.buffer = new ConversationBuffer(pool);
  }

  static async open(pool: Pool): Promise<PostgresDataStore> {
    return new PostgresDataStore(pool, await ensureMeta(pool));
  }

  conversation(channel: ChannelName, userId: string): Promise<ConversationRecord | null> {
    return this.buffer.read(channel, userId);
  }

  async updateConversation(channel: ChannelName, userId: string, change: (record: ConversationRecord) => void, options: { lazy?: boolean } = {}): Promise<ConversationRecord> {
    if (options.lazy) return this.buffer.change(channel, userId, change);
    // In order after what this instance buffered for the user.
    await this.buffer.flush(channel, userId);
    const record = await conversations.updateConversation(this.pool, channel, userId, change);
    await this.buffer.stale(channel, userId);
    return record;
  }

  ticket(id: number): Promise<Ticket | null> {
    return tickets.readTicket(this.pool, id);
  }

  openTicketFor(channel: ChannelName, userId: string): Promise<Ticket | null> {
    return tickets.openTicketFor(this.pool, channel, userId);
  }

  latestTicketFor(channel: ChannelName, userId: string): Promise<Ticket | null> {
    return tickets.latestTicketFor(this.pool, channel, userId);
  }

  tickets(query?: TicketQuery): Promise<Ticket[]> {
    return tickets.queryTickets(this.pool, query);
  }

  createTicket(build: (id: number) => Ticket, audit?: (ticket: Ticket) => Omit<AuditEntry, 'ticketId'>): Promise<Ticket> {
    return tickets.createTicket(this.pool, build, audit);
  }

  updateTicket(id: number, change: (ticket: Ticket) => void, options?: { lazy?: boolean; audit?: Omit<AuditEntry, 'ticketId'> }): Promise<Ticket | null> {
    return tickets.updateTicket(this.pool, id, change, options?.audit);
  }

  users(): Promise<StaffUser[]> {
    return accounts.users(this.pool);
  }

  user(id: string): Promise<StaffUser | null> {
    return accounts.userBy(this.pool, 'id', id);
  }

  userByName(username: string): Promise<StaffUser | null> {
    return accounts.userBy(this.pool, 'username', username);
  }

  addUser(user: StaffUser): Promise<void> {
    return accounts.addUser(this.pool, user);
  }

  updateUser(id: string, change: (user: StaffUser) => void): Promise<StaffUser | null> {
    return accounts.updateUser(this.pool, id, change);
  }

  session(id: string): Promise<Session | null> {
    return accounts.session(this.pool, id);
  }

  addSession(session: Session, now: number): Promise<void> {
    return accounts.addSession(this.pool, session, now);
  }

  touchSession(id: string, at: number): Promise<void> {
    return accounts.touchSession(this.pool, id, at);
  }

  deleteSession(id: string): Promise<void> {
    return accounts.deleteSession(this.pool, id);
  }

  audit(entry: AuditEntry): Promise<void> {
    return records.insertAudit(this.pool, entry);
  }

  auditEntries(query?: { ticketId?: number; limit?: number }): Promise<AuditEntry[]> {
    return records.auditEntries(this.pool, query);
  }

  addFeedback(record: FeedbackRecord): Promise<void> {
    return records.insertFeedback(this.pool, record);
  }

  feedback(range?: TimeRange): Promise<FeedbackRecord[]> {
    return records.feedback(this.pool, range);
  }

  addDeliveryFailure(failure: DeliveryFailure): Promise<void> {
    return records.insertDeliveryFailure(this.pool, failure);
  }

  deliveryFailures(): Promise<DeliveryFailure[]> {
    return records.deliveryFailures(this.pool);
  }

  async userData(channel: ChannelName, userId: string): Promise<UserDataRecords> {
    await this.buffer.flush(channel, userId);
    return privacy.userData(this.pool, channel, userId);
  }

  async eraseUser(channel: ChannelName, userId: string, now: number): Promise<ErasureCounts> {
    // What this instance still holds for the person goes too, not back into the table after the erasure.
    this.buffer.drop(channel, userId);
    return privacy.eraseUser(this.pool, channel, userId, now);
  }

  async applyRetention(cutoff: number, now: number): Promise<ErasureCounts> {
    await this.buffer.flush();
    return privacy.applyRetention(this.pool, cutoff, now);
  }

  proposePhrasing(entryId: string, question: string, source: ProposalSource, at: number): Promise<void> {
    return proposals.proposePhrasing(this.pool, entryId, question, source, at);
  }

  proposals(status?: PhrasingProposal['status']): Promise<PhrasingProposal[]> {
    return proposals.proposals(this.pool, status);
  }

  setProposalStatus(entryId: string, question: string, status: 'accepted' | 'dismissed', at: number): Promise<void> {
    return proposals.setProposalStatus(this.pool, entryId, question, status, at);
  }

  dropOpenProposalsBefore(cutoff: number): Promise<number> {
    return proposals.dropOpenProposalsBefore(this.pool, cutoff);
  }

  async snapshot(): Promise<Schema> {
    await this.buffer.flush();
    return snapshot(this.pool, this.meta);
  }

  /** Every buffered change written; with a user, only that user's (before another instance may take them). */
  flush(who?: { readonly channel: ChannelName; readonly userId: string }): Promise<void> {
    return who ? this.buffer.flush(who.channel, who.userId) : this.buffer.flush();
  }

  hold(who: { readonly channel: ChannelName; readonly userId: string }): void {
    this.buffer.hold(who.channel, who.userId);
  }

  letGo(who: { readonly channel: ChannelName; readonly userId: string }): Promise<void> {
    return this.buffer.letGo(who.channel, who.userId);
  }

  close(): Promise<void> {
    return this.buffer.flush();
  }
}
