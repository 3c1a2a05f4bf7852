import type { ChannelName } from '../../conversation/types.js';
import type { ConversationRecord } from '../schema.js';
import { emptyConversation, times } from './conversations.js';
import { json, type Pool } from './pool.js';

interface Pending {
  /** The version read from the database (null: no row yet), and the changes made since, in order. */
  version: number | null;
  readonly changes: Array<(record: ConversationRecord) => void>;
  /** The stored record with the changes applied: what readers of this instance see. */
  record: ConversationRecord;
  writing: Promise<void> | null;
}

const keyOf = (channel: ChannelName, userId: string) => `${channel}\u0000${userId}`;

/**
 * The `lazy` changes of conversations, written behind: a message changes its user's conversation three or four
 * times (the user's line, the bot's state, the reply's lines), and each write is a round trip; buffered, they go out
 * as one write a few milliseconds later. Readers on this instance see the buffered record; the dispatcher flushes
 * a user's changes before letting go of the user, so the instance that takes the next message reads them. A write
 * is optimistic (the version read): if another instance changed the row meanwhile, the changes are applied again on
 * the current row. As with the embedded store, a crash may lose the last few milliseconds of context, never a message.
 */
export class ConversationBuffer {
  private readonly pending = new Map<string, Promise<Pending>>();

  constructor(
    private readonly pool: Pool,
    private readonly delayMs = 20,
  ) {}

  /** The record as this instance last changed it, or as stored. */
  async read(channel: ChannelName, userId: string): Promise<ConversationRecord | null> {
    const entry = this.pending.get(keyOf(channel, userId));
    if (entry) return structuredClone((await entry).record);
    const row = await this.load(channel, userId);
    return row.version === null ? null : row.record;
  }

  async change(channel: ChannelName, userId: string, change: (record: ConversationRecord) => void): Promise<ConversationRecord> {
    const key = keyOf(channel, userId);
    let entry = this.pending.get(key);
    if (!entry) {
      entry = this.load(channel, userId).then((row) => ({ ...row, changes: [], writing: null }));
      this.pending.set(key, entry);
      setTimeout(() => void this.flushKey(key).catch(() => undefined), this.delayMs).unref();
    }
    const e = await entry;
    change(e.record);
    e.changes.push(change);
    return structuredClone(e.record);
  }

  /** Writes what is buffered for one user (before another instance may take the user), or for everyone. */
  async flush(channel?: ChannelName, userId?: string): Promise<void> {
    const keys = channel !== undefined && userId !== undefined ? [keyOf(channel, userId)] : [...this.pending.keys()];
    await Promise.all(keys.map((k) => this.flushKey(k)));
  }

  /** Forgets what is buffered for a user whose data is being erased. */
  drop(channel: ChannelName, userId: string): void {
    this.pending.delete(keyOf(channel, userId));
  }

  private async flushKey(key: string): Promise<void> {
    const entry = this.pending.get(key);
    if (!entry) return;
    this.pending.delete(key);
    const e = await entry;
    if (e.changes.length === 0) return;
    const [channel, userId] = key.split('\u0000') as [ChannelName, string];
    for (let record = e.record, version = e.version; ; ) {
      const { lastAt, oldestItemAt } = times(record);
      const written =
        version === null
          ? await this.pool.query('INSERT INTO conversations (channel, user_id, last_at, oldest_item_at, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [channel, userId, lastAt, oldestItemAt, json(record)])
          : await this.pool.query('UPDATE conversations SET last_at = $3, oldest_item_at = $4, body = $5, version = version + 1 WHERE channel = $1 AND user_id = $2 AND version = $6', [channel, userId, lastAt, oldestItemAt, json(record), version]);
      if (written.rowCount === 1) return;
      // Changed elsewhere meanwhile: the same changes, in order, on the current row.
      const current = await this.load(channel, userId);
      for (const change of e.changes) change(current.record);
      record = current.record;
      version = current.version;
    }
  }

  private async load(channel: ChannelName, userId: string): Promise<{ version: number | null; record: ConversationRecord }> {
    const { rows } = await this.pool.query<{ body: ConversationRecord; version: number }>('SELECT body, version FROM conversations WHERE channel = $1 AND user_id = $2', [channel, userId]);
    return rows[0] ? { version: rows[0].version, record: rows[0].body } : { version: null, record: emptyConversation(channel, userId) };
  }
}
