import { proposals } from './proposals.js';
import { randomBytes } from 'node:crypto';
import { SCHEMA_VERSION, type ConversationRecord, type Schema, type Session } from '../schema.js';
import { users } from './accounts.js';
import { inTransaction, type Pool, type Queryable } from './pool.js';
import { auditEntries, deliveryFailures, feedback } from './records.js';
import { lastTicketNumber, queryTickets } from './tickets.js';

export interface Meta {
  readonly salt: string;
  readonly secret: string;
}

/**
 * The per-installation secrets, created by whichever instance opens the database first: every instance inserts its
 * own candidates, only the first insert sticks, and all read back the same values.
 */
export async function ensureMeta(q: Queryable): Promise<Meta> {
  await q.query(`INSERT INTO meta (key, value) VALUES ('salt', $1), ('secret', $2) ON CONFLICT (key) DO NOTHING`, [
    randomBytes(16).toString('hex'),
    randomBytes(32).toString('base64url'),
  ]);
  const { rows } = await q.query<{ key: string; value: string }>(`SELECT key, value FROM meta WHERE key IN ('salt', 'secret')`);
  const value = (key: string) => rows.find((r) => r.key === key)!.value;
  return { salt: value('salt'), secret: value('secret') };
}

/** Everything in the embedded file's shape, read in one consistent snapshot of the database. */
export function snapshot(pool: Pool, meta: Meta): Promise<Schema> {
  return inTransaction(pool, (client) => readSnapshot(client, meta), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
}

/** The data as seen by `q` (a transaction's connection, for a consistent view). */
export async function readSnapshot(q: Queryable, meta: Meta): Promise<Schema> {
  const conversations = (await q.query<{ body: ConversationRecord }>('SELECT body FROM conversations ORDER BY channel, user_id')).rows.map((r) => r.body);
  const sessions = (await q.query<{ body: Session }>('SELECT body FROM sessions ORDER BY seq')).rows.map((r) => r.body);
  return {
    version: SCHEMA_VERSION,
    conversations: Object.fromEntries(conversations.map((c) => [`${c.channel}:${c.userId}`, c])),
    deliveryFailures: await deliveryFailures(q),
    users: await users(q),
    sessions,
    tickets: await queryTickets(q),
    audit: await auditEntries(q),
    feedback: await feedback(q),
    proposals: (await proposals(q)).map((p) => ({ ...p, sources: { ...p.sources } })),
    counters: { ticket: await lastTicketNumber(q) },
    meta: { salt: meta.salt, secret: meta.secret },
  };
}
