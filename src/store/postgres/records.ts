import { AUDIT_LIMIT, DELIVERY_FAILURE_LIMIT, type AuditEntry, type DeliveryFailure, type FeedbackRecord } from '../schema.js';
import type { TimeRange } from '../types.js';
import { json, type Queryable } from './pool.js';

// Append-only records, kept in insertion order (a serial) like the embedded arrays, and capped the same way.

export async function insertAudit(q: Queryable, entry: AuditEntry): Promise<void> {
  const { rows } = await q.query<{ seq: number }>('INSERT INTO audit (at, ticket_id, body) VALUES ($1, $2, $3) RETURNING seq', [entry.at, entry.ticketId, json(entry)]);
  // The embedded file keeps the last AUDIT_LIMIT entries; a range delete on the key keeps the same bound cheaply.
  await q.query('DELETE FROM audit WHERE seq <= $1', [rows[0]!.seq - AUDIT_LIMIT]);
}

/** Oldest first; with `limit`, the most recent `limit` entries (still oldest first). */
export async function auditEntries(q: Queryable, query: { ticketId?: number; limit?: number } = {}): Promise<AuditEntry[]> {
  const params: unknown[] = [];
  const where = query.ticketId !== undefined ? `WHERE ticket_id = $${params.push(query.ticketId)}` : '';
  const limit = query.limit !== undefined ? `LIMIT $${params.push(Math.max(0, Math.floor(query.limit)))}` : '';
  const { rows } = await q.query<{ body: AuditEntry }>(`SELECT body FROM (SELECT seq, body FROM audit ${where} ORDER BY seq DESC ${limit}) recent ORDER BY seq`, params);
  return rows.map((r) => r.body);
}

export const feedbackErased = (f: FeedbackRecord): boolean => f.userId === '' && f.question === '';

export async function insertFeedback(q: Queryable, f: FeedbackRecord): Promise<void> {
  await q.query('INSERT INTO feedback (at, channel, user_id, erased, body) VALUES ($1, $2, $3, $4, $5)', [f.at, f.channel, f.userId, feedbackErased(f), json(f)]);
}

export async function writeFeedback(q: Queryable, seq: number, f: FeedbackRecord): Promise<void> {
  await q.query('UPDATE feedback SET at = $2, channel = $3, user_id = $4, erased = $5, body = $6 WHERE seq = $1', [seq, f.at, f.channel, f.userId, feedbackErased(f), json(f)]);
}

/** Feedback given in [from, to), in the order it was given. */
export async function feedback(q: Queryable, range?: TimeRange): Promise<FeedbackRecord[]> {
  const { rows } = range
    ? await q.query<{ body: FeedbackRecord }>('SELECT body FROM feedback WHERE at >= $1 AND at < $2 ORDER BY seq', [range.from, range.to])
    : await q.query<{ body: FeedbackRecord }>('SELECT body FROM feedback ORDER BY seq');
  return rows.map((r) => r.body);
}

/** Keeps the last DELIVERY_FAILURE_LIMIT failures, oldest dropped, as the embedded file does. */
export async function insertDeliveryFailure(q: Queryable, f: DeliveryFailure): Promise<void> {
  await q.query('INSERT INTO delivery_failures (at, channel, user_id, body) VALUES ($1, $2, $3, $4)', [f.at, f.channel, f.userId, json(f)]);
  await q.query('DELETE FROM delivery_failures WHERE seq <= (SELECT seq FROM delivery_failures ORDER BY seq DESC OFFSET $1 LIMIT 1)', [DELIVERY_FAILURE_LIMIT]);
}

export async function deliveryFailures(q: Queryable): Promise<DeliveryFailure[]> {
  return (await q.query<{ body: DeliveryFailure }>('SELECT body FROM delivery_failures ORDER BY seq')).rows.map((r) => r.body);
}
