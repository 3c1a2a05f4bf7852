import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { InboundQueue, QueuedEvent, UserLease } from './types.js';

/**
 * The durable record of inbound events: an append-only JSON-lines file in DATA_DIR. A webhook is acknowledged only
 * after its events are written here (and fsync'd); the reply plan and each completed send are written too, so a
 * restart resumes exactly where the crash happened: a reply is repeated only if its send was in flight.
 *
 * Lines: {t:"in"} an accepted event · {t:"plan"} the messages to send for it · {t:"sent"} one of them went out ·
 * {t:"done"} finished (sent or finally failed) · {t:"seen"} an id kept after compaction so redeliveries are dropped.
 */
export type JournalLine<E, S> =
  | { readonly t: 'in'; readonly id: string; readonly key: string; readonly at: number; readonly event: E }
  | { readonly t: 'plan'; readonly id: string; readonly sends: readonly S[] }
  | { readonly t: 'sent'; readonly id: string; readonly i: number }
  | { readonly t: 'done'; readonly id: string; readonly at: number }
  | { readonly t: 'seen'; readonly id: string; readonly at: number };

/** An accepted event not yet done, with what is known of its progress. */
export type PendingEvent<E, S> = QueuedEvent<E, S>;

export const JOURNAL_FILE = 'inbound.log';
/** Ids are remembered this long for deduplication (Meta and Zalo retry for about an hour). */
const SEEN_FOR_MS = 48 * 60 * 60 * 1000;
const COMPACT_AFTER_LINES = 20_000;

export class Journal<E, S> implements InboundQueue<E, S> {
  /** Unfinished events in the order they were accepted (a Map keeps insertion order), and the same by user. */
  private readonly pending = new Map<string, PendingEvent<E, S>>();
  private readonly byKey = new Map<string, Map<string, PendingEvent<E, S>>>();
  private readonly seen = new Map<string, number>();
  /** Users being worked on: by which claim, until when. */
  private readonly leases = new Map<string, { token: number; until: number }>();
  private claims = 0;
  /** Events waiting for their channel's credentials, by event id. */
  private readonly holds = new Map<string, string>();
  private queue: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  private writing = false;
  private lines = 0;
  private compacting: Promise<void> | null = null;

  private constructor(
    private readonly file: string,
    private handle: FileHandle,
    private readonly clock: () => number,
  ) {}

  /** Opens DATA_DIR/inbound.log, rebuilding pending events and remembered ids; an unreadable line is skipped. */
  static async open<E, S>(dataDir: string, clock: () => number = Date.now, onBadLine?: (line: number) => void): Promise<Journal<E, S>> {
    await mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, JOURNAL_FILE);
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const journal = new Journal<E, S>(file, await open(file, 'a'), clock);
    text.split('\n').forEach((raw, i) => {
      if (raw.trim() === '') return;
      try {
        journal.apply(JSON.parse(raw) as JournalLine<E, S>);
        journal.lines++;
      } catch {
        // A torn last line (crash mid-write) is the only expected case: its event was never acknowledged.
        onBadLine?.(i + 1);
      }
    });
    await journal.compact();
    return journal;
  }

  private apply(line: JournalLine<E, S>): void {
    switch (line.t) {
      case 'in':
        this.seen.set(line.id, line.at);
        this.add({ id: line.id, key: line.key, at: line.at, event: line.event, sends: null, sent: 0 });
        break;
      case 'plan': {
        const p = this.pending.get(line.id);
        if (p) p.sends = line.sends;
        break;
      }
      case 'sent': {
        const p = this.pending.get(line.id);
        if (p) p.sent = Math.max(p.sent, line.i + 1);
        break;
      }
      case 'done':
        this.remove(line.id);
        break;
      case 'seen':
        this.seen.set(line.id, line.at);
        break;
    }
  }

  /** Ids seen recently whose events are finished (kept to drop redeliveries): for moving to PostgreSQL. */
  remembered(): Array<{ id: string; at: number }> {
    return [...this.seen].filter(([id]) => !this.pending.has(id)).map(([id, at]) => ({ id, at }));
  }

  /** True when an event with this id was already accepted (a redelivery). */
  has(id: string): boolean {
    return this.seen.has(id);
  }

  /**
   * Accepts new events: drops the ones already seen (also within the same batch), writes the rest durably, and
   * returns them. Resolves only once they are on disk: acknowledge the webhook after this.
   */
  async accept(events: ReadonlyArray<{ id: string; key: string; event: E }>): Promise<PendingEvent<E, S>[]> {
    const accepted: PendingEvent<E, S>[] = [];
    const lines: JournalLine<E, S>[] = [];
    const at = this.clock();
    for (const e of events) {
      if (this.seen.has(e.id)) continue;
      this.seen.set(e.id, at); // synchronously, so a concurrent redelivery of the same id is dropped too
      const pending: PendingEvent<E, S> = { id: e.id, key: e.key, at, event: e.event, sends: null, sent: 0 };
      this.add(pending);
      accepted.push(pending);
      lines.push({ t: 'in', id: e.id, key: e.key, at, event: e.event });
    }
    if (lines.length > 0) {
      try {
        await this.write(lines);
      } catch (err) {
        // Not durable, so not accepted: forget it, the platform will redeliver after our error status.
        for (const p of accepted) {
          this.seen.delete(p.id);
          this.remove(p.id);
        }
        throw err;
      }
    }
    return accepted;
  }

  async plan(id: string, sends: readonly S[]): Promise<void> {
    const p = this.pending.get(id);
    if (p) p.sends = sends;
    await this.write([{ t: 'plan', id, sends }]);
  }

  async sent(id: string, i: number): Promise<void> {
    const p = this.pending.get(id);
    if (p) p.sent = Math.max(p.sent, i + 1);
    await this.write([{ t: 'sent', id, i }]);
  }

  async done(id: string): Promise<void> {
    this.remove(id);
    this.holds.delete(id);
    await this.write([{ t: 'done', id, at: this.clock() }]);
    if (this.lines > COMPACT_AFTER_LINES) void this.compact();
  }

  /** Events accepted but not done, oldest first: what a restart must resume. */
  async unfinished(): Promise<PendingEvent<E, S>[]> {
    return this.unfinishedNow();
  }

  private unfinishedNow(): PendingEvent<E, S>[] {
    return [...this.pending.values()];
  }

  private add(p: PendingEvent<E, S>): void {
    this.pending.set(p.id, p);
    const forKey = this.byKey.get(p.key) ?? new Map<string, PendingEvent<E, S>>();
    forKey.set(p.id, p);
    this.byKey.set(p.key, forKey);
  }

  private remove(id: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    const forKey = this.byKey.get(p.key);
    forKey?.delete(id);
    if (forKey?.size === 0) this.byKey.delete(p.key);
  }

  private waitingFor(key: string, skip: ReadonlySet<string> = new Set()): PendingEvent<E, S>[] {
    return [...(this.byKey.get(key)?.values() ?? [])].filter((p) => !this.holds.has(p.id) && !skip.has(p.id));
  }

  /**
   * Users are looked at in the order they started waiting (the by-user Map's order): past the few being worked on,
   * the first free one is taken — no scan of the whole backlog.
   */
  async claim(_owner: string, leaseMs: number, prefer?: string): Promise<UserLease<E, S> | null> {
    const now = this.clock();
    const free = (key: string) => (this.leases.get(key)?.until ?? 0) <= now && this.waitingFor(key).length > 0;
    let key = prefer !== undefined && free(prefer) ? prefer : undefined;
    if (key === undefined) {
      for (const candidate of this.byKey.keys()) {
        if (free(candidate)) {
          key = candidate;
          break;
        }
      }
    }
    if (key === undefined) return null;
    const token = ++this.claims;
    this.leases.set(key, { token, until: now + leaseMs });
    const ours = () => this.leases.get(key)?.token === token;
    const given = new Set<string>();
    const take = () => {
      const fresh = this.waitingFor(key, given);
      for (const e of fresh) given.add(e.id);
      return fresh;
    };
    const events = take();
    const release = async () => {
      if (ours()) this.leases.delete(key);
    };
    return {
      key,
      events,
      more: async () => {
        const fresh = take();
        events.push(...fresh);
        return fresh;
      },
      renew: async () => {
        // An expired lease may have been taken over: then it is not ours to extend.
        if (!ours()) return false;
        this.leases.set(key, { token, until: this.clock() + leaseMs });
        return true;
      },
      release,
      finish: async (done?: string) => {
        if (done !== undefined) await this.done(done);
        if (!ours()) return [];
        const fresh = take();
        events.push(...fresh);
        if (fresh.length === 0) await release();
        return fresh;
      },
    };
  }

  /** In memory a claim costs nothing: one after another. */
  async claimSome(owner: string, leaseMs: number, max: number): Promise<UserLease<E, S>[]> {
    const leases: UserLease<E, S>[] = [];
    for (let lease; leases.length < max && (lease = await this.claim(owner, leaseMs)); ) leases.push(lease);
    return leases;
  }

  async hold(id: string, channel: string): Promise<void> {
    if (this.pending.has(id)) this.holds.set(id, channel);
  }

  async release(channel: string): Promise<number> {
    let n = 0;
    for (const [id, c] of this.holds) {
      if (c !== channel) continue;
      this.holds.delete(id);
      n++;
    }
    return n;
  }

  async held(channel: string): Promise<number> {
    return [...this.holds.values()].filter((c) => c === channel).length;
  }

  /** Group commit: every line queued while a write is in flight goes out in the next single write + fdatasync. */
  private write(lines: readonly JournalLine<E, S>[]): Promise<void> {
    for (const line of lines) this.queue.push(`${JSON.stringify(line)}\n`);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        if (this.compacting) await this.compacting.catch(() => undefined);
        const chunk = this.queue.join('');
        const count = this.queue.length;
        const waiters = this.waiters;
        this.queue = [];
        this.waiters = [];
        try {
          await this.handle.write(chunk);
          await this.handle.datasync();
          this.lines += count;
          waiters.forEach((w) => w.resolve());
        } catch (err) {
          waiters.forEach((w) => w.reject(err));
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /**
   * The journal's state now, as the lines of a compacted file: recently seen ids, then unfinished events with their
   * progress. Synchronous, so a backup takes it in the same instant as the store's data.
   */
  snapshot(): { text: string; pending: number; seen: number } {
    const now = this.clock();
    const out: string[] = [];
    for (const [id, at] of this.seen) {
      if (now - at > SEEN_FOR_MS && !this.pending.has(id)) this.seen.delete(id);
      else if (!this.pending.has(id)) out.push(JSON.stringify({ t: 'seen', id, at }));
    }
    const unfinished = this.unfinishedNow();
    for (const p of unfinished) {
      out.push(JSON.stringify({ t: 'in', id: p.id, key: p.key, at: p.at, event: p.event }));
      if (p.sends) out.push(JSON.stringify({ t: 'plan', id: p.id, sends: p.sends }));
      for (let i = 0; i < p.sent; i++) out.push(JSON.stringify({ t: 'sent', id: p.id, i }));
    }
    return { text: out.length ? `${out.join('\n')}\n` : '', pending: unfinished.length, seen: this.seen.size };
  }

  /** Rewrites the file with only what still matters: unfinished events and recently seen ids. */
  compact(): Promise<void> {
    return this.compactFile();
  }

  private compactFile(): Promise<void> {
    if (this.compacting) return this.compacting;
    this.compacting = (async () => {
      const { text } = this.snapshot();
      const temp = `${this.file}.tmp`;
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
      const old = this.handle;
      this.handle = await open(this.file, 'a');
      await old.close();
      this.lines = text.split('\n').length - 1;
    })().finally(() => {
      this.compacting = null;
    });
    return this.compacting;
  }

  async close(): Promise<void> {
    while (this.writing || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    if (this.compacting) await this.compacting;
    await this.handle.close();
  }
}
