import type { ChannelName } from '../../conversation/types.js';
import type { AuditEntry, Ticket } from '../schema.js';
import type { TicketQuery } from '../types.js';
import { inTransaction, json, type Pool, type Queryable } from './pool.js';
import { insertAudit } from './records.js';

export class TicketNumberError extends Error {
  constructor(expected: number, got: number) {
    super(`phiếu mới phải mang số ${expected} (được cấp), không phải ${got}`);
    this.name = 'TicketNumberError';
  }
}

export const TICKET_COLUMNS = 'id, channel, user_id, status, created_at, updated_at, queued_replies, erased, body';

/** A ticket's row, in TICKET_COLUMNS order. */
export function ticketRow(t: Ticket): unknown[] {
  return [t.id, t.channel, t.userId, t.status, t.createdAt, t.updatedAt, t.replies.some((r) => r.status === 'queued'), Boolean(t.erasedAt), json(t)];
}

async function insertTicket(q: Queryable, t: Ticket): Promise<void> {
  await q.query(`INSERT INTO tickets (${TICKET_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, ticketRow(t));
}

/** Rewrites the row of `id` from the ticket, indexed columns included (erasure changes the user id and status). */
export async function writeTicket(q: Queryable, t: Ticket): Promise<void> {
  await q.query(
    `UPDATE tickets SET channel = $2, user_id = $3, status = $4, created_at = $5, updated_at = $6, queued_replies = $7, erased = $8, body = $9
     WHERE id = $1`,
    ticketRow(t),
  );
}

const bodies = async (q: Queryable, sql: string, params: unknown[]): Promise<Ticket[]> => (await q.query<{ body: Ticket }>(sql, params)).rows.map((r) => r.body);

export async function readTicket(q: Queryable, id: number): Promise<Ticket | null> {
  return (await bodies(q, 'SELECT body FROM tickets WHERE id = $1', [id]))[0] ?? null;
}

export async function openTicketFor(q: Queryable, channel: ChannelName, userId: string): Promise<Ticket | null> {
  // Asked for every message: prepared once per connection (planning it cost PostgreSQL more than running it).
  const { rows } = await q.query<{ body: Ticket }>({ name: 'ticket-open-for', text: `SELECT body FROM tickets WHERE channel = $1 AND user_id = $2 AND status <> 'closed' ORDER BY id DESC LIMIT 1`, values: [channel, userId] });
  return rows[0]?.body ?? null;
}

export async function latestTicketFor(q: Queryable, channel: ChannelName, userId: string): Promise<Ticket | null> {
  return (await bodies(q, 'SELECT body FROM tickets WHERE channel = $1 AND user_id = $2 ORDER BY id DESC LIMIT 1', [channel, userId]))[0] ?? null;
}

/** Tickets matching every condition given, in number order (the embedded array's order). */
export function queryTickets(q: Queryable, query: TicketQuery = {}): Promise<Ticket[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (query.statuses) where.push(`status = ANY(${param([...query.statuses])}::text[])`);
  if (query.created) where.push(`created_at >= ${param(query.created.from)} AND created_at < ${param(query.created.to)}`);
  // Only `true` filters: the query names the tickets to resume, `false` is read as "no condition".
  if (query.queuedReplies) where.push('queued_replies');
  if (query.untouchedSince !== undefined) where.push(`updated_at < ${param(query.untouchedSince)}`);
  return bodies(q, `SELECT body FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`, params);
}

/** The next number comes from a sequence: unique across instances without a table lock. */
export function createTicket(pool: Pool, build: (id: number) => Ticket, audit?: (ticket: Ticket) => Omit<AuditEntry, 'ticketId'>): Promise<Ticket> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: number }>(`SELECT nextval('ticket_numbers')::integer AS id`);
    const id = rows[0]!.id;
    const ticket = build(id);
    if (ticket.id !== id) throw new TicketNumberError(id, ticket.id);
    await insertTicket(client, ticket);
    if (audit) await insertAudit(client, { ...audit(ticket), ticketId: id });
    return ticket;
  });
}

/** Read-modify-write of the current row under its lock, with the audit entry in the same transaction. */
export function updateTicket(pool: Pool, id: number, change: (ticket: Ticket) => void, audit?: Omit<AuditEntry, 'ticketId'>): Promise<Ticket | null> {
  return inTransaction(pool, async (client) => {
    const ticket = (await bodies(client, 'SELECT body FROM tickets WHERE id = $1 FOR UPDATE', [id]))[0];
    if (!ticket) return null;
    change(ticket);
    await writeTicket(client, { ...ticket, id });
    if (audit) await insertAudit(client, { ...audit, ticketId: id });
    return ticket;
  });
}

/** The highest number handed out so far (the embedded file's counters.ticket). */
export async function lastTicketNumber(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ last_value: number; is_called: boolean }>('SELECT last_value, is_called FROM ticket_numbers');
  return rows[0]?.is_called ? Number(rows[0].last_value) : 0;
}
