import type { ChannelName } from '../../conversation/types.js';
import { copyConversation, type ConversationRecord } from '../schema.js';
import { emptyConversation, times } from './conversations.js';
import { json, type Pool } from './pool.js';

type Change = (record: ConversationRecord) => void;

interface Pending {
  /** The version of the stored row `record` started from (null: no row yet), and the changes made since, in order. */
  version: number | null;
  changes: Change[];
  /** The stored record with the changes applied: what readers of this instance see. */
  record: ConversationRecord;
  /** A write in flight: the next one waits for it (it needs the version that write leaves). */
  writing: Promise<void> | null;
}

const keyOf = (channel: ChannelName, userId: string) => `${channel}\u0000${userId}`;

/**
 * The `lazy` changes of conversations, written behind: a message changes its user's conversation three or four
 * times (the user's line, the bot's state, the reply's lines), and each write is a round trip; buffered, they go out
 * as one write. Readers on this instance see the buffered record.
 *
 * A user this instance holds (its dispatcher has their lease: no other instance processes their messages) keeps
 * their record here between writes, with the version written, until let go: their next change needs no read. The
 * dispatcher writes a held user's changes once per message and before letting go, so the instance that takes the
 * next message reads them. Anyone else's changes (an officer's line, a profile name) go out a few milliseconds later
 * and are not kept.
 *
 * A write is optimistic (the version read): if another instance changed the row meanwhile (an officer handing the
 * conversation back), the changes are applied again on the current row. As with the embedded store, a crash may
 * lose the context of the message in progress, never a message.
 */
export class ConversationBuffer {
  private readonly pending = new Map<string, Promise<Pending>>();
  private readonly held = new Set<string>();

  constructor(
    private readonly pool: Pool,
    private readonly delayMs = 20,
  ) {}

  /** The record as this instance last changed it, or as stored. */
  async read(channel: ChannelName, userId: string): Promise<ConversationRecord | null> {
    const key = keyOf(channel, userId);
    const entry = this.pending.get(key) ?? (this.held.has(key) ? this.loadEntry(key, channel, userId) : null);
    if (entry) {
      const e = await entry;
      return e.version === null && e.changes.length === 0 ? null : copyConversation(e.record);
    }
    const row = await this.load(channel, userId);
    return row.version === null ? null : row.record;
  }

  async change(channel: ChannelName, userId: string, change: Change): Promise<ConversationRecord> {
    const key = keyOf(channel, userId);
    let entry = this.pending.get(key);
    if (!entry) {
      entry = this.loadEntry(key, channel, userId);
      // A held user's changes are written by the dispatcher, per message; anyone else's a moment later.
      if (!this.held.has(key)) setTimeout(() => void this.flushKey(key).catch(() => undefined), this.delayMs).unref();
    }
    const e = await entry;
    change(e.record);
    e.changes.push(change);
    return copyConversation(e.record);
  }

  /** This instance works on the user's messages now: their record may stay here until letGo(). */
  hold(channel: ChannelName, userId: string): void {
    this.held.add(keyOf(channel, userId));
  }

  /** Writes what is buffered for the user and forgets their record: another instance may take them next. */
  async letGo(channel: ChannelName, userId: string): Promise<void> {
    const key = keyOf(channel, userId);
    this.held.delete(key);
    await this.flushKey(key);
  }

  /** Writes what is buffered for one user (before another instance may take the user), or for everyone. */
  async flush(channel?: ChannelName, userId?: string): Promise<void> {
    const keys = channel !== undefined && userId !== undefined ? [keyOf(channel, userId)] : [...this.pending.keys()];
    await Promise.all(keys.map((k) => this.flushKey(k)));
  }

  /** The row was just changed directly (not through this buffer): a kept copy without changes is out of date. */
  async stale(channel: ChannelName, userId: string): Promise<void> {
    const key = keyOf(channel, userId);
    const entry = this.pending.get(key);
    if (entry && (await entry).changes.length === 0 && this.pending.get(key) === entry) this.pending.delete(key);
  }

  /** Forgets what is buffered for a user whose data is being erased. */
  drop(channel: ChannelName, userId: string): void {
    this.pending.delete(keyOf(channel, userId));
  }

  private loadEntry(key: string, channel: ChannelName, userId: string): Promise<Pending> {
    const entry = this.load(channel, userId).then((row): Pending => ({ ...row, changes: [], writing: null }));
    this.pending.set(key, entry);
    // A failed read must not stay in the map: the next change tries again.
    entry.catch(() => this.pending.get(key) === entry && this.pending.delete(key));
    return entry;
  }

  private async flushKey(key: string): Promise<void> {
    const entry = this.pending.get(key);
    if (!entry) return;
    const e = await entry;
    while (e.writing) await e.writing;
    const keep = this.held.has(key);
    if (!keep && this.pending.get(key) === entry) this.pending.delete(key);
    if (e.changes.length === 0) return;
    const written = this.write(key, e);
    e.writing = written.finally(() => (e.writing = null));
    await written;
  }

  /** Writes the entry's changes; a change made during the write stays for the next one. */
  private async write(key: string, e: Pending): Promise<void> {
    const [channel, userId] = key.split('\u0000') as [ChannelName, string];
    const changes = e.changes;
    e.changes = [];
    let record = copyConversation(e.record);
    try {
      for (let version = e.version; ; ) {
        const { lastAt, oldestItemAt } = times(record);
        const result =
          version === null
            ? await this.pool.query({ name: 'conversation-insert', text: 'INSERT INTO conversations (channel, user_id, last_at, oldest_item_at, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', values: [channel, userId, lastAt, oldestItemAt, json(record)] })
            : await this.pool.query({ name: 'conversation-update', text: 'UPDATE conversations SET last_at = $3, oldest_item_at = $4, body = $5, version = version + 1 WHERE channel = $1 AND user_id = $2 AND version = $6', values: [channel, userId, lastAt, oldestItemAt, json(record), version] });
        if (result.rowCount === 1) {
          const conflicted = version !== e.version;
          e.version = version === null ? 0 : version + 1;
          if (conflicted) {
            // What is stored now is the other instance's row with our changes: the ones made during this write go
            // on top of it (they stay in e.changes for the next write).
            e.record = record;
            for (const change of e.changes) change(e.record);
          }
          return;
        }
        // Changed elsewhere meanwhile: the same changes, in order, on the current row.
        const current = await this.load(channel, userId);
        for (const change of changes) change(current.record);
        record = current.record;
        version = current.version;
      }
    } catch (err) {
      // Not written: kept for the next write (the dispatcher's, or letGo's).
      e.changes = [...changes, ...e.changes];
      throw err;
    }
  }

  private async load(channel: ChannelName, userId: string): Promise<{ version: number | null; record: ConversationRecord }> {
    const { rows } = await this.pool.query<{ body: ConversationRecord; version: number }>({ name: 'conversation-read', text: 'SELECT body, version FROM conversations WHERE channel = $1 AND user_id = $2', values: [channel, userId] });
    return rows[0] ? { version: rows[0].version, record: rows[0].body } : { version: null, record: emptyConversation(channel, userId) };
  }
}
