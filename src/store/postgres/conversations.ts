import { EMPTY_STATE } from '../../conversation/respond.js';
import type { ChannelName } from '../../conversation/types.js';
import type { ConversationRecord } from '../schema.js';
import { inTransaction, json, type Pool, type Queryable } from './pool.js';

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
     ON CONFLICT (channel, user_id) DO UPDATE SET last_at = EXCLUDED.last_at, oldest_item_at = EXCLUDED.oldest_item_at, body = EXCLUDED.body`,
    [record.channel, record.userId, lastAt, oldestItemAt, json(record)],
  );
}

export async function deleteConversation(q: Queryable, channel: ChannelName, userId: string): Promise<void> {
  await q.query('DELETE FROM conversations WHERE channel = $1 AND user_id = $2', [channel, userId]);
}

/**
 * Read-modify-write of the current row under its lock: a change made meanwhile by another instance is applied first,
 * never overwritten. A missing conversation starts empty (the insert and the lock happen in the same transaction).
 */
export function updateConversation(pool: Pool, channel: ChannelName, userId: string, change: (record: ConversationRecord) => void): Promise<ConversationRecord> {
  return inTransaction(pool, async (client) => {
    const locked = async () =>
      (await client.query<{ body: ConversationRecord }>('SELECT body FROM conversations WHERE channel = $1 AND user_id = $2 FOR UPDATE', [channel, userId])).rows[0]?.body;
    let record = await locked();
    if (!record) {
      // Another instance may create it at the same moment: whoever inserts second locks the winner's row instead.
      await client.query(
        `INSERT INTO conversations (channel, user_id, last_at, oldest_item_at, body) VALUES ($1, $2, 0, NULL, $3) ON CONFLICT DO NOTHING`,
        [channel, userId, json(emptyConversation(channel, userId))],
      );
      record = (await locked())!;
    }
    change(record);
    await writeConversation(client, record);
    return record;
  });
}
