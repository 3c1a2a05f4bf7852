import { EMPTY_STATE } from '../../conversation/respond.js';
import type { ChannelName } from '../../conversation/types.js';
import type { ConversationRecord } from '../schema.js';
import { json, type Pool, type Queryable } from './pool.js';

/** A conversation as the embedded store creates it on a user's first message. */
export function emptyConversation(channel: ChannelName, userId: string): ConversationRecord {
  return { channel, userId, displayName: null, state: EMPTY_STATE, lastUserMessageAt: 0, transcript: [], pausedUntil: 0 };
}

/** The columns retention filters on, derived from the body so they can never disagree with it. */
export function times(record: ConversationRecord): { lastAt: number; oldestItemAt: number | null } {
  const ats = record.transcript.map((i) => i.at);
  return { lastAt: Math.max(record.lastUserMessageAt, ...ats), oldestItemAt: ats.length > 0 ? Math.min(...ats) : null };
}

export async function readConversation(q: Queryable, channel: ChannelName, userId: string): Promise<ConversationRecord | null> {
  const { rows } = await q.query<{ body: ConversationRecord }>('SELECT body FROM conversations WHERE channel = $1 AND user_id = $2', [channel, userId]);
  return rows[0]?.body ?? null;
}

export async function writeConversation(q: Queryable, record: ConversationRecord): Promise<void> {
  const { lastAt, oldestItemAt } = times(record);
  await q.query(
    `INSERT INTO conversations (channel, user_id, last_at, oldest_item_at, body) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (channel, user_id) DO UPDATE SET last_at = EXCLUDED.last_at, oldest_item_at = EXCLUDED.oldest_item_at, body = EXCLUDED.body, version = conversations.version + 1`,
    [record.channel, record.userId, lastAt, oldestItemAt, json(record)],
  );
}

export async function deleteConversation(q: Queryable, channel: ChannelName, userId: string): Promise<void> {
  await q.query('DELETE FROM conversations WHERE channel = $1 AND user_id = $2', [channel, userId]);
}

/**
 * Read-modify-write of the current row, optimistically: the row is written back only if its version is still the
 * one read, else read and changed again. A change made meanwhile by another instance is applied first, never
 * overwritten; in the usual case (one instance works on a user at a time) it costs two round trips and no lock.
 */
export async function updateConversation(pool: Pool, channel: ChannelName, userId: string, change: (record: ConversationRecord) => void): Promise<ConversationRecord> {
  for (;;) {
    const { rows } = await pool.query<{ body: ConversationRecord; version: number }>('SELECT body, version FROM conversations WHERE channel = $1 AND user_id = $2', [channel, userId]);
    const record = rows[0]?.body ?? emptyConversation(channel, userId);
    change(record);
    const { lastAt, oldestItemAt } = times(record);
    const written = rows[0]
      ? await pool.query(
          'UPDATE conversations SET last_at = $3, oldest_item_at = $4, body = $5, version = version + 1 WHERE channel = $1 AND user_id = $2 AND version = $6',
          [channel, userId, lastAt, oldestItemAt, json(record), rows[0].version],
        )
      : // Another instance may create it at the same moment: the second insert does nothing and goes round again.
        await pool.query('INSERT INTO conversations (channel, user_id, last_at, oldest_item_at, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [channel, userId, lastAt, oldestItemAt, json(record)]);
    if (written.rowCount === 1) return record;
  }
}
