import { randomUUID } from 'node:crypto';
import type { InboundQueue, QueuedEvent, UserLease } from '../types.js';
import { json, type Pool, type Queryable } from './pool.js';

/** Ids are remembered this long for deduplication (Meta and Zalo retry for about an hour), as in the journal. */
export const SEEN_FOR_MS = 48 * 3600_000;
/** A lease nobody renewed for this long belongs to an instance that is gone: compaction removes the row. */
const STALE_LEASE_MS = 3600_000;
/** Claims lost to another instance in the same instant before giving up for this call (the caller polls again). */
const CLAIM_ATTEMPTS = 5;
const REPAIR_EVERY_MS = 5_000;

interface EventRow {
  id: string;
  seq: number;
  key: string;
  at: number;
  event: unknown;
  sends: unknown[] | null;
  sent: number;
}

const toEvent = <E, S>(r: EventRow): QueuedEvent<E, S> => ({ id: r.id, key: r.key, at: r.at, event: r.event as E, sends: r.sends as S[] | null, sent: r.sent });

const EVENT_COLUMNS = 'id, seq, key, at, event, sends, sent';
/** An event done at the time in parameter `at`: its text goes at once (only the id is needed afterwards, for deduplication). */
const doneSet = (at: string) => `done_at = ${at}, event = NULL, sends = NULL, held_channel = NULL`;

async function pendingOf(q: Queryable, key: string): Promise<EventRow[]> {
  const sql = `SELECT ${EVENT_COLUMNS} FROM inbound_events WHERE key = $1 AND done_at IS NULL AND held_channel IS NULL ORDER BY seq`;
  return (await q.query<EventRow>(sql, [key])).rows;
}

/**
 * The inbound journal on PostgreSQL, shared by every instance. The primary key on the event id deduplicates
 * redeliveries wherever they arrive; a row in user_leases says which instance processes a user now, and an expired
 * lease is taken over with the progress recorded in the events (plan, sent).
 */
export class PostgresQueue<E, S> implements InboundQueue<E, S> {
  constructor(
    private readonly pool: Pool,
    private readonly clock: () => number,
    /** Connections only for `accept`, so acknowledging a webhook never waits behind the processing. */
    private readonly ingest: Pool = pool,
  ) {}

  async accept(events: ReadonlyArray<{ readonly id: string; readonly key: string; readonly event: E }>): Promise<QueuedEvent<E, S>[]> {
    const batch = dedupe(events);
    if (batch.length === 0) return [];
    const at = this.clock();
    // ON CONFLICT DO NOTHING on the key: of two instances accepting the same id at once, exactly one gets it back.
    // Their users join the waiting list in the same statement (touching the row if there: a release deciding the
    // user has nothing left waits for this and sees the new event).
    const { rows } = await this.ingest.query<{ id: string }>({
      name: 'queue-accept',
      text: `WITH added AS (
         INSERT INTO inbound_events (id, key, at, event)
         SELECT id, key, $4, event FROM unnest($1::text[], $2::text[], $3::jsonb[]) WITH ORDINALITY AS e(id, key, event, n) ORDER BY n
         ON CONFLICT (id) DO NOTHING RETURNING id, key, seq
       ), waiting AS (
         INSERT INTO waiting_users (key, since_seq) SELECT key, min(seq) FROM added GROUP BY key
         ON CONFLICT (key) DO UPDATE SET since_seq = LEAST(waiting_users.since_seq, EXCLUDED.since_seq)
       )
       SELECT id FROM added`,
      values: [batch.map((e) => e.id), batch.map((e) => e.key), batch.map((e) => json(e.event)), at],
    });
    const accepted = new Set(rows.map((r) => r.id));
    return batch.filter((e) => accepted.has(e.id)).map((e) => ({ id: e.id, key: e.key, at, event: e.event, sends: null, sent: 0 }));
  }

  async claim(owner: string, leaseMs: number, prefer?: string): Promise<UserLease<E, S> | null> {
    if (prefer !== undefined) {
      const [preferred] = await this.claimUsers(owner, leaseMs, 1, prefer);
      if (preferred) return preferred;
    }
    const [lease] = await this.claimUsers(owner, leaseMs, 1);
    return lease ?? null;
  }

  claimSome(owner: string, leaseMs: number, max: number): Promise<UserLease<E, S>[]> {
    return this.claimUsers(owner, leaseMs, max);
  }

  /**
   * Users lost to another instance claiming in the same instant are passed over and the claim tried again (a few
   * times: the caller polls anyway), so a race does not leave this instance idle while others wait.
   */
  private async claimUsers(owner: string, leaseMs: number, max: number, key?: string): Promise<UserLease<E, S>[]> {
    await this.repairNowAndThen();
    const lost: string[] = [];
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const token = randomUUID();
      const claimed = await claimWithEvents(this.pool, { owner, token, leaseMs, now: this.clock(), max }, lost, key);
      const leases = claimed.filter((c) => c.rows !== null).map((c) => new PostgresLease<E, S>(this.pool, this.clock, c.key, token, leaseMs, c.rows!));
      const raced = claimed.filter((c) => c.rows === null);
      if (leases.length > 0 || raced.length === 0) return leases;
      lost.push(...raced.map((c) => c.key));
    }
    return [];
  }

  async plan(id: string, sends: readonly S[]): Promise<void> {
    await this.pool.query({ name: 'queue-plan', text: 'UPDATE inbound_events SET sends = $2 WHERE id = $1', values: [id, json(sends)] });
  }

  async sent(id: string, index: number): Promise<void> {
    await this.pool.query({ name: 'queue-sent', text: 'UPDATE inbound_events SET sent = GREATEST(sent, $2) WHERE id = $1', values: [id, index + 1] });
  }

  async done(id: string): Promise<void> {
    await this.pool.query({ name: 'queue-done', text: `UPDATE inbound_events SET ${doneSet('$2')} WHERE id = $1`, values: [id, this.clock()] });
  }

  /** The user leaves the waiting list too when this was all they had waiting (release() puts them back). */
  async hold(id: string, channel: string): Promise<void> {
    await this.pool.query(
      `WITH held AS (UPDATE inbound_events SET held_channel = $2 WHERE id = $1 AND done_at IS NULL RETURNING key)
       DELETE FROM waiting_users w USING held
       WHERE w.key = held.key AND NOT EXISTS (SELECT 1 FROM inbound_events e WHERE e.key = w.key AND e.id <> $1 AND e.done_at IS NULL AND e.held_channel IS NULL)`,
      [id, channel],
    );
  }

  async release(channel: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      `WITH released AS (UPDATE inbound_events SET held_channel = NULL WHERE held_channel = $1 AND done_at IS NULL RETURNING key, seq)
       INSERT INTO waiting_users (key, since_seq) SELECT key, min(seq) FROM released GROUP BY key
       ON CONFLICT (key) DO UPDATE SET since_seq = LEAST(waiting_users.since_seq, EXCLUDED.since_seq)`,
      [channel],
    );
    return rowCount ?? 0;
  }

  private lastRepair = 0;

  /**
   * Every few seconds, users with waiting events but no place on the list are put back on it. The statements keep
   * the list right; this only bounds the cost of a race no statement order rules out (a user let go at the very
   * instant a new event of theirs was being stored).
   */
  private async repairNowAndThen(): Promise<void> {
    const now = this.clock();
    if (now - this.lastRepair < REPAIR_EVERY_MS) return;
    this.lastRepair = now;
    await this.pool.query(
      `INSERT INTO waiting_users (key, since_seq)
       SELECT key, min(seq) FROM inbound_events WHERE done_at IS NULL AND held_channel IS NULL GROUP BY key
       ON CONFLICT (key) DO NOTHING`,
    );
  }

  async held(channel: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM inbound_events WHERE held_channel = $1 AND done_at IS NULL', [channel]);
    return rows[0]!.n;
  }

  async unfinished(): Promise<QueuedEvent<E, S>[]> {
    return (await this.pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM inbound_events WHERE done_at IS NULL ORDER BY seq`)).rows.map((r) => toEvent<E, S>(r));
  }

  async compact(): Promise<void> {
    const now = this.clock();
    await this.pool.query('DELETE FROM inbound_events WHERE done_at IS NOT NULL AND at < $1', [now - SEEN_FOR_MS]);
    await this.pool.query('DELETE FROM user_leases WHERE expires_at < $1', [now - STALE_LEASE_MS]);
  }

  /** The pool belongs to openPostgres. */
  async close(): Promise<void> {}
}

/** The first occurrence of each id, in order. */
function dedupe<T extends { readonly id: string }>(events: readonly T[]): T[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.id) && seen.add(e.id));
}

interface Claim {
  readonly owner: string;
  readonly token: string;
  readonly now: number;
  readonly leaseMs: number;
  /** Users claimed at most by this statement. */
  readonly max: number;
}

/** A user picked by a claim: their pending events when the lease is ours, null when another instance won the race. */
interface Claimed {
  readonly key: string;
  readonly rows: EventRow[] | null;
}

/**
 * The claim (see claimWithEvents), written so that its cost does not grow with the backlog, whatever the planner's
 * statistics (a queue's are always stale): the lease and event checks are scalar subqueries, which PostgreSQL keeps
 * per row instead of turning into joins over every waiting event, so the walk along waiting_users_since stops after
 * `max` users; OFFSET 0 keeps the events' lookup per claimed user (by inbound_events_pending_key). As joins, a claim
 * under a backlog of 800 events read them all twice over: 3 ms instead of 0.4. Exported for the test of its plan.
 */
export const CLAIM_SQL = `WITH candidate AS (
       SELECT w.key, w.since_seq FROM waiting_users w
       WHERE ($3::text IS NULL OR w.key = $3) AND w.key <> ALL($2::text[])
         AND NOT COALESCE((SELECT l.expires_at > $1 FROM user_leases l WHERE l.key = w.key), false)
         AND COALESCE((SELECT true FROM inbound_events e WHERE e.key = w.key AND e.done_at IS NULL AND e.held_channel IS NULL LIMIT 1), false)
       ORDER BY w.since_seq LIMIT $7 FOR UPDATE SKIP LOCKED
     ), lease AS (
       INSERT INTO user_leases (key, owner, token, expires_at) SELECT key, $4, $5, $6::bigint FROM candidate
       ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, token = EXCLUDED.token, expires_at = EXCLUDED.expires_at
       WHERE user_leases.expires_at <= $1
       RETURNING key
     )
     SELECT c.key AS candidate, l.key IS NOT NULL AS leased, ${EVENT_COLUMNS.split(', ').map((col) => `e.${col}`).join(', ')}
     FROM candidate c LEFT JOIN lease l ON l.key = c.key
     LEFT JOIN LATERAL (
       SELECT ${EVENT_COLUMNS} FROM inbound_events e
       WHERE l.key IS NOT NULL AND e.key = c.key AND e.done_at IS NULL AND e.held_channel IS NULL OFFSET 0
     ) e ON true
     ORDER BY c.since_seq, e.seq`;

/**
 * The users whose oldest unfinished, unheld event waits longest and whom nobody holds a live lease on, their leases
 * taken, and their pending events: one statement, one round trip (a claim happens for nearly every message). SKIP
 * LOCKED: instances claiming at the same moment pass over the users another one is looking at instead of queueing
 * behind it. The upsert locks the lease row, so of two instances racing for one user the second sees the first's
 * fresh lease and gets no events for them. The events are those committed when the statement began: later ones are
 * found by the lease's finish().
 */
async function claimWithEvents(q: Queryable, c: Claim, lost: readonly string[], key?: string): Promise<Claimed[]> {
  const { rows } = await q.query<EventRow & { candidate: string; leased: boolean }>({
    name: 'queue-claim',
    text: CLAIM_SQL,
    values: [c.now, lost, key ?? null, c.owner, c.token, c.now + c.leaseMs, c.max],
  });
  const byKey = new Map<string, EventRow[] | null>();
  for (const r of rows) {
    if (!byKey.has(r.candidate)) byKey.set(r.candidate, r.leased ? [] : null);
    if (r.id !== null) byKey.get(r.candidate)!.push(r);
  }
  return [...byKey].map(([k, events]) => ({ key: k, rows: events }));
}

class PostgresLease<E, S> implements UserLease<E, S> {
  events: QueuedEvent<E, S>[];
  private lastSeq: number;

  constructor(
    private readonly pool: Pool,
    private readonly clock: () => number,
    readonly key: string,
    private readonly token: string,
    private readonly leaseMs: number,
    rows: readonly EventRow[],
  ) {
    this.events = rows.map((r) => toEvent<E, S>(r));
    this.lastSeq = Math.max(0, ...rows.map((r) => r.seq));
  }

  /** Returns the events accepted since the claim or the last call; `events` becomes every pending one again. */
  async more(): Promise<QueuedEvent<E, S>[]> {
    const rows = await pendingOf(this.pool, this.key);
    const fresh = rows.filter((r) => r.seq > this.lastSeq);
    this.events = rows.map((r) => toEvent<E, S>(r));
    this.lastSeq = Math.max(this.lastSeq, ...rows.map((r) => r.seq));
    return fresh.map((r) => toEvent<E, S>(r));
  }

  /** The token, not the owner name, proves the lease is still this claim's: a later claim draws a new one. */
  async renew(): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE user_leases SET expires_at = $3 WHERE key = $1 AND token = $2', [this.key, this.token, this.clock() + this.leaseMs]);
    return rowCount === 1;
  }

  /**
   * Events newer than those handed out keep the lease (renewed: the caller works on); without any, the lease goes as
   * in release(). All in one statement, with `done` marked done, as long as the lease is still this claim's.
   */
  async finish(done?: string): Promise<QueuedEvent<E, S>[]> {
    const { rows } = await this.pool.query<EventRow>({
      name: 'queue-finish',
      text: `WITH finished AS (
         UPDATE inbound_events SET ${doneSet('$6')} WHERE id = $5
       ), ours AS (
         SELECT key FROM user_leases WHERE key = $1 AND token = $2
       ), fresh AS (
         SELECT ${EVENT_COLUMNS} FROM inbound_events
         WHERE key = $1 AND seq > $3 AND done_at IS NULL AND held_channel IS NULL AND EXISTS (SELECT 1 FROM ours)
       ), renewed AS (
         UPDATE user_leases SET expires_at = $4 WHERE key = $1 AND token = $2 AND EXISTS (SELECT 1 FROM fresh)
       ), released AS (
         DELETE FROM user_leases WHERE key = $1 AND token = $2 AND NOT EXISTS (SELECT 1 FROM fresh) RETURNING key
       ), unlisted AS (
         -- The statement sees the event it marks done as it was: not counted as waiting.
         DELETE FROM waiting_users w USING released
         WHERE w.key = released.key AND NOT EXISTS (SELECT 1 FROM inbound_events e WHERE e.key = w.key AND e.done_at IS NULL AND e.held_channel IS NULL AND e.id IS DISTINCT FROM $5)
       )
       SELECT * FROM fresh ORDER BY seq`,
      values: [this.key, this.token, this.lastSeq, this.clock() + this.leaseMs, done ?? null, this.clock()],
    });
    const fresh = rows.map((r) => toEvent<E, S>(r));
    this.events = fresh;
    this.lastSeq = Math.max(this.lastSeq, ...rows.map((r) => r.seq));
    return fresh;
  }

  /** Lets go of the user, who leaves the waiting list when nothing of theirs is left to do. */
  async release(): Promise<void> {
    await this.pool.query(
      `WITH released AS (DELETE FROM user_leases WHERE key = $1 AND token = $2 RETURNING key)
       DELETE FROM waiting_users w USING released
       WHERE w.key = released.key AND NOT EXISTS (SELECT 1 FROM inbound_events e WHERE e.key = w.key AND e.done_at IS NULL AND e.held_channel IS NULL)`,
      [this.key, this.token],
    );
  }
}
