import type { ChannelName } from '../../conversation/types.js';
import { applyRetention as retainIn, eraseUser as eraseIn } from '../../privacy/personal-data.js';
import { emptyData, type ConversationRecord, type DeliveryFailure, type FeedbackRecord, type Schema, type Ticket } from '../schema.js';
import type { ErasureCounts, UserDataRecords } from '../types.js';
import { deleteConversation, writeConversation } from './conversations.js';
import { inTransaction, type Pool, type PoolClient, type Queryable, type Row } from './pool.js';
import { writeFeedback } from './records.js';
import { writeTicket } from './tickets.js';

/**
 * Erasure and retention load the rows concerned (locked), run the same pure functions as the embedded store
 * (privacy/personal-data.ts) on them, and write back what changed: both stores erase identically by construction.
 * The pure functions treat each record on its own, so running them on the subset gives the counts of the whole.
 */

interface Loaded {
  readonly data: Schema;
  readonly conversations: readonly ConversationRecord[];
  readonly tickets: readonly Ticket[];
  readonly feedback: ReadonlyArray<{ seq: number; body: FeedbackRecord }>;
  readonly failures: ReadonlyArray<{ seq: number; body: DeliveryFailure }>;
}

interface Selection {
  readonly conversations: string;
  readonly tickets: string;
  readonly feedback: string;
  readonly failures: string;
  readonly params: unknown[];
}

async function load(client: PoolClient, s: Selection): Promise<Loaded> {
  const rows = async <T extends Row>(sql: string) => (await client.query<T>(sql, s.params)).rows;
  const conversations = (await rows<{ body: ConversationRecord }>(`SELECT body FROM conversations WHERE ${s.conversations} ORDER BY channel, user_id FOR UPDATE`)).map((r) => r.body);
  const tickets = (await rows<{ body: Ticket }>(`SELECT body FROM tickets WHERE ${s.tickets} ORDER BY id FOR UPDATE`)).map((r) => r.body);
  const feedback = await rows<{ seq: number; body: FeedbackRecord }>(`SELECT seq, body FROM feedback WHERE ${s.feedback} ORDER BY seq FOR UPDATE`);
  const failures = await rows<{ seq: number; body: DeliveryFailure }>(`SELECT seq, body FROM delivery_failures WHERE ${s.failures} ORDER BY seq FOR UPDATE`);
  const data: Schema = {
    ...emptyData(),
    conversations: Object.fromEntries(conversations.map((c) => [conversationKey(c), c])),
    tickets: [...tickets],
    feedback: feedback.map((r) => r.body),
    deliveryFailures: failures.map((r) => r.body),
  };
  return { data, conversations, tickets, feedback, failures };
}

const conversationKey = (c: ConversationRecord) => `${c.channel}:${c.userId}`;

/** The pure functions replace a changed record by a new object and drop removed ones: identity tells what changed. */
async function writeBack(client: PoolClient, before: Loaded, after: Schema): Promise<void> {
  for (const c of before.conversations) {
    const record = after.conversations[conversationKey(c)];
    if (record) await writeConversation(client, record);
    else await deleteConversation(client, c.channel, c.userId);
  }
  for (const [i, t] of after.tickets.entries()) if (t !== before.tickets[i]) await writeTicket(client, t);
  for (const [i, f] of after.feedback.entries()) if (f !== before.feedback[i]!.body) await writeFeedback(client, before.feedback[i]!.seq, f);
  const kept = new Set(after.deliveryFailures);
  const dropped = before.failures.filter((r) => !kept.has(r.body)).map((r) => r.seq);
  if (dropped.length > 0) await client.query('DELETE FROM delivery_failures WHERE seq = ANY($1::bigint[])', [dropped]);
}

function erase(pool: Pool, selection: Selection, apply: (data: Schema) => ErasureCounts): Promise<ErasureCounts> {
  return inTransaction(pool, async (client) => {
    const before = await load(client, selection);
    const counts = apply(before.data);
    await writeBack(client, before, before.data);
    return counts;
  });
}

const OF_USER = 'channel = $1 AND user_id = $2';

export function eraseUser(pool: Pool, channel: ChannelName, userId: string, now: number): Promise<ErasureCounts> {
  const selection = { conversations: OF_USER, tickets: OF_USER, feedback: OF_USER, failures: OF_USER, params: [channel, userId] };
  return erase(pool, selection, (data) => eraseIn(data, channel, userId, now));
}

export function applyRetention(pool: Pool, cutoff: number, now: number): Promise<ErasureCounts> {
  const selection = {
    conversations: 'last_at < $1 OR oldest_item_at < $1',
    tickets: 'updated_at < $1 AND NOT erased',
    feedback: 'at < $1 AND NOT erased',
    failures: 'at < $1',
    params: [cutoff],
  };
  return erase(pool, selection, (data) => retainIn(data, cutoff, now));
}

export async function userData(q: Queryable, channel: ChannelName, userId: string): Promise<UserDataRecords> {
  const bodies = async <T>(sql: string) => (await q.query<{ body: T }>(sql, [channel, userId])).rows.map((r) => r.body);
  return {
    conversation: (await bodies<ConversationRecord>(`SELECT body FROM conversations WHERE ${OF_USER}`))[0] ?? null,
    tickets: await bodies<Ticket>(`SELECT body FROM tickets WHERE ${OF_USER} ORDER BY id`),
    feedback: await bodies<FeedbackRecord>(`SELECT body FROM feedback WHERE ${OF_USER} ORDER BY seq`),
    deliveryFailures: await bodies<DeliveryFailure>(`SELECT body FROM delivery_failures WHERE ${OF_USER} ORDER BY seq`),
  };
}
