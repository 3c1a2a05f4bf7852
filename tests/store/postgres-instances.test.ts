import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations, loadMigrations } from '../../src/store/postgres/migrate.js';
import { openPostgres, type PostgresStores } from '../../src/store/postgres/open.js';
import { CLAIM_SQL } from '../../src/store/postgres/queue.js';
import { silentLogger } from '../../src/log.js';
import { createDatabase } from '../helpers/postgres.js';
import { ticketFor } from './contract/fixtures.js';
import { eventually, manualClock } from './contract/harness.js';
import type { TestEvent, TestSend } from './contract/queue.js';

const url = inject('pgUrl');
if (!url) console.warn('Skipping the PostgreSQL multi-instance tests: PostgreSQL is not installed (apt-get install -y postgresql).');

type Stores = PostgresStores<TestEvent, TestSend>;
const LEASE = 30_000;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ev = (id: string, key: string) => ({ id, key, event: { text: `tin ${id}` } });

describe.skipIf(!url)('PostgreSQL: several instances on one database', () => {
  let database = '';
  let admin: pg.Client;
  const clock = manualClock();
  let opened: Stores[] = [];
  /** Two instances (A, B) on the emptied database, sharing the test clock. */
  let a: Stores;
  let b: Stores;

  const open = async (instanceId: string, poolSize?: number) => {
    const stores = await openPostgres<TestEvent, TestSend>(database, { clock: clock.now, instanceId, poolSize });
    opened.push(stores);
    return stores;
  };

  beforeAll(async () => {
    database = await createDatabase(url, 'store_instances');
    await (await openPostgres(database)).close();
    admin = new pg.Client({ connectionString: database });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
  });
  afterEach(async () => {
    await Promise.all(opened.map((s) => s.close()));
    opened = [];
  });

  const twoInstances = async () => {
    await admin.query(
      `TRUNCATE meta, conversations, tickets, users, sessions, audit, feedback, delivery_failures, proposals, inbound_events, waiting_users, user_leases, zalo_tokens, activity, job_runs, login_attempts RESTART IDENTITY;
       ALTER SEQUENCE ticket_numbers RESTART`,
    );
    clock.set(Date.parse('2026-06-01T03:00:00Z'));
    [a, b] = await Promise.all([open('instance-a'), open('instance-b')]);
  };

  it('applies the migrations exactly once when four instances start together', async () => {
    const fresh = await createDatabase(url, 'store_migrations_race');
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: fresh, max: 2 }));
    try {
      const applied = await Promise.all(pools.map((p) => applyMigrations(p, silentLogger())));
      const versions = (await loadMigrations()).map((m) => m.version);
      expect(applied.flat().sort()).toEqual(versions);
      expect(applied.filter((list) => list.length > 0)).toHaveLength(1);
      const { rows } = await pools[0]!.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(versions);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('opens four instances at once on a new database: one schema, one set of secrets', async () => {
    const fresh = await createDatabase(url, 'store_open_race');
    const stores = await Promise.all(Array.from({ length: 4 }, (_, i) => openPostgres<TestEvent, TestSend>(fresh, { instanceId: `i${i}` })));
    opened.push(...stores);
    expect(new Set(stores.map((s) => s.data.meta.salt)).size).toBe(1);
    expect(new Set(stores.map((s) => s.data.meta.secret)).size).toBe(1);
    await stores[1]!.data.addUser({ id: 'x', username: 'an', displayName: 'An', role: 'admin', passwordHash: 'h', createdAt: 0, disabled: false });
    expect((await stores[3]!.data.users()).map((u) => u.username)).toEqual(['an']);
  });

  it('accepts a webhook event redelivered to the other instance once', async () => {
    await twoInstances();
    const [first, second] = await Promise.all([a.queue.accept([ev('m1', 'u1')]), b.queue.accept([ev('m1', 'u1')])]);
    expect(first.length + second.length).toBe(1);
    // A burst: 60 events spread over both, 10% of them delivered to both.
    const all = Array.from({ length: 60 }, (_, i) => ev(`e${i}`, `u${i % 7}`));
    const accepted = await Promise.all(all.map((e, i) => Promise.all([(i % 2 ? a : b).queue.accept([e]), ...(i % 10 === 0 ? [(i % 2 ? b : a).queue.accept([e])] : [])])));
    expect(accepted.flat(2).map((e) => e.id).sort()).toEqual(all.map((e) => e.id).sort());
    expect(await a.queue.unfinished()).toHaveLength(61);
  });

  it('never gives one user to two workers: each user handled in order, every event once', async () => {
    await twoInstances();
    const users = Array.from({ length: 24 }, (_, i) => `u${i}`);
    for (let round = 0; round < 3; round++) await a.queue.accept(users.map((u) => ev(`${u}-${round}`, u)));
    const active = new Set<string>();
    const handled: string[] = [];
    let overlaps = 0;
    const worker = async (stores: Stores, name: string) => {
      for (;;) {
        const lease = await stores.queue.claim(name, LEASE);
        if (!lease) return;
        if (active.has(lease.key)) overlaps++;
        active.add(lease.key);
        for (let events = lease.events; events.length > 0; events = await lease.more()) {
          for (const e of events) {
            await pause(Math.random() * 3);
            handled.push(e.id);
            await stores.queue.done(e.id);
          }
        }
        active.delete(lease.key);
        await lease.release();
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, i) => worker(i % 2 ? a : b, `${i % 2 ? 'A' : 'B'}-${i}`)));
    expect(overlaps).toBe(0);
    expect([...handled].sort()).toEqual(users.flatMap((u) => [0, 1, 2].map((r) => `${u}-${r}`)).sort());
    for (const u of users) expect(handled.filter((id) => id.startsWith(`${u}-`))).toEqual([`${u}-0`, `${u}-1`, `${u}-2`]);
    expect(await b.queue.unfinished()).toEqual([]);
  });

  it('claims users in batches while events keep arriving: each user in order, every event once, nobody on two workers', async () => {
    await twoInstances();
    const users = Array.from({ length: 30 }, (_, i) => `u${i}`);
    const all = [0, 1, 2, 3].flatMap((round) => users.map((u) => ev(`${u}-${round}`, u)));
    await a.queue.accept(all.slice(0, users.length));
    // The rest arrives while the workers run, so that leases end with finish() finding new events.
    const arriving = (async () => {
      for (let i = users.length; i < all.length; i += 5) {
        await (i % 2 ? a : b).queue.accept(all.slice(i, i + 5));
        await pause(2);
      }
    })();
    const active = new Set<string>();
    const handled: string[] = [];
    let overlaps = 0;
    const work = async (stores: Stores, lease: NonNullable<Awaited<ReturnType<Stores['queue']['claim']>>>) => {
      if (active.has(lease.key)) overlaps++;
      active.add(lease.key);
      for (let events = lease.events; events.length > 0; ) {
        for (const e of events) {
          await pause(Math.random() * 3);
          handled.push(e.id);
          await stores.queue.done(e.id);
        }
        // Out of the set before the lease may go: another worker may take the user the moment it does.
        active.delete(lease.key);
        events = await lease.finish();
        if (events.length > 0) active.add(lease.key);
      }
    };
    const worker = async (stores: Stores, name: string) => {
      for (let idle = 0; idle < 20; ) {
        const leases = await stores.queue.claimSome(name, LEASE, 4);
        if (leases.length === 0) {
          idle++;
          await pause(5);
          continue;
        }
        idle = 0;
        await Promise.all(leases.map((lease) => work(stores, lease)));
      }
    };
    await Promise.all([arriving, ...Array.from({ length: 4 }, (_, i) => worker(i % 2 ? a : b, `${i % 2 ? 'A' : 'B'}-${i}`))]);
    expect(overlaps).toBe(0);
    expect([...handled].sort()).toEqual(all.map((e) => e.id).sort());
    for (const u of users) expect(handled.filter((id) => id.startsWith(`${u}-`))).toEqual([0, 1, 2, 3].map((r) => `${u}-${r}`));
    expect(await b.queue.unfinished()).toEqual([]);
  });

  it("keeps a held user's conversation between writes without losing another instance's change to it", async () => {
    await twoInstances();
    const who = { channel: 'zalo', userId: 'z-1' } as const;
    const line = (text: string) => (r: { transcript: Array<{ at: number; from: 'user' | 'bot' | 'officer'; text: string }> }) => void r.transcript.push({ at: 1_000, from: 'user', text });
    a.data.hold(who);
    await a.data.updateConversation('zalo', 'z-1', line('một'), { lazy: true });
    await a.data.flush(who);
    // Another instance changes the row directly (an officer hands the conversation back) while A holds the user.
    await b.data.updateConversation('zalo', 'z-1', (r) => void (r.pausedUntil = 42));
    await a.data.updateConversation('zalo', 'z-1', line('hai'), { lazy: true });
    await a.data.flush(who);
    await a.data.updateConversation('zalo', 'z-1', line('ba'), { lazy: true });
    await a.data.letGo(who);
    const stored = await b.data.conversation('zalo', 'z-1');
    expect(stored?.transcript.map((i) => i.text)).toEqual(['một', 'hai', 'ba']);
    expect(stored?.pausedUntil).toBe(42);
    // Let go: A reads the row again, with what B changes next.
    await b.data.updateConversation('zalo', 'z-1', (r) => void (r.pausedUntil = 0));
    expect((await a.data.conversation('zalo', 'z-1'))?.pausedUntil).toBe(0);
  });

  it("takes over a dead instance's user after the lease, from the progress it recorded", async () => {
    await twoInstances();
    await a.queue.accept([ev('m1', 'u1'), ev('m2', 'u1')]);
    const dying = (await a.queue.claim('A', LEASE))!;
    await a.queue.plan('m1', [{ reply: 'một' }, { reply: 'hai' }]);
    await a.queue.sent('m1', 0);
    await a.close(); // the instance dies holding the lease
    expect(await b.queue.claim('B', LEASE)).toBeNull();
    clock.advance(LEASE);
    const lease = await b.queue.claim('B', LEASE);
    expect(lease?.key).toBe('u1');
    expect(lease?.events.map((e) => [e.id, e.sends, e.sent])).toEqual([
      ['m1', [{ reply: 'một' }, { reply: 'hai' }], 1],
      ['m2', null, 0],
    ]);
    expect(dying.key).toBe('u1');
  });

  it('refreshes an expired Zalo token once when both instances race for it', async () => {
    await twoInstances();
    await a.tokens.write({ accessToken: 'old', refreshToken: 'r0', accessExpiresAt: clock.now() - 1, refreshedAt: 0, status: 'ok', lastError: null, seededFrom: null });
    const version = await b.tokens.version();
    let refreshes = 0;
    const send = (stores: Stores) =>
      stores.tokens.exclusive(async () => {
        const current = await stores.tokens.read();
        if (current.accessExpiresAt > clock.now()) return current.accessToken;
        refreshes++;
        await pause(30); // the call to Zalo's token endpoint
        await stores.tokens.write({ ...current, accessToken: 'fresh', refreshToken: 'r1', accessExpiresAt: clock.now() + 90_000_000 });
        return 'fresh';
      });
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => send(i % 2 ? a : b)));
    expect(refreshes).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(['fresh']));
    expect(await a.tokens.version()).toBe(version + 1);
  });

  it('queues many refreshes of one instance without holding the pool (a small pool does not deadlock)', async () => {
    await twoInstances();
    const small = await open('instance-small', 2);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => small.tokens.exclusive(async () => ((await small.tokens.read()).status === 'ok' ? i : -1))));
    expect(results).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('runs the daily job on one instance; a failed run lets the next call try again', async () => {
    await twoInstances();
    let runs = 0;
    const job = async () => {
      runs++;
      await pause(20);
    };
    const results = await Promise.all([a, b, a, b].map((s) => s.coordination.once('retention', 24 * 3600_000, job)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
    await expect(a.coordination.once('backup', 24 * 3600_000, async () => Promise.reject(new Error('đĩa đầy')))).rejects.toThrow('đĩa đầy');
    expect(await b.coordination.once('backup', 24 * 3600_000, job)).toBe(true);
    expect(await a.coordination.once('backup', 24 * 3600_000, job)).toBe(false);
  });

  it('delivers a change published on one instance to the listeners of the other (and its own)', async () => {
    await twoInstances();
    const heardA: string[] = [];
    const heardB: string[] = [];
    a.coordination.subscribe('tickets', () => heardA.push('tickets'));
    b.coordination.subscribe('tickets', () => heardB.push('tickets'));
    b.coordination.subscribe('users', () => heardB.push('users'));
    await b.listening();
    await a.coordination.publish('tickets');
    await eventually(() => heardB.length > 0);
    expect(heardB).toEqual(['tickets']);
    expect(heardA).toEqual(['tickets']);
    await b.coordination.publish('users');
    await eventually(() => heardB.includes('users'));
    await pause(50);
    expect(heardA).toEqual(['tickets']); // not subscribed to users; and B's notice did not come back to A as 'tickets'
  });

  it('reconnects the LISTEN connection after it is killed, and tells the listeners to refresh', async () => {
    await twoInstances();
    let heard = 0;
    b.coordination.subscribe('tickets', () => heard++);
    await b.listening();
    const { rowCount } = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hoanhmo-listen:instance-b'`);
    expect(rowCount).toBe(1);
    await eventually(() => heard === 1, 5_000); // the catch-up call after reconnecting
    await b.listening();
    await a.coordination.publish('tickets');
    await eventually(() => heard === 2);
  });

  it('counts login attempts made on both instances at once', async () => {
    await twoInstances();
    const now = clock.now();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).loginAttempts.reserve('an|1.2.3.4', now)));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(await a.loginAttempts.reserve('an|1.2.3.4', now + 1_000)).toEqual({ ok: false, retryAfterMs: 29_000 });
    await b.loginAttempts.succeeded('an|1.2.3.4');
    expect(await a.loginAttempts.reserve('an|1.2.3.4', now + 1_000)).toEqual({ ok: true });
  });

  it('numbers tickets uniquely and keeps every change when both instances work on them', async () => {
    await twoInstances();
    const made = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).data.createTicket((id) => ticketFor(id, { userId: `u${i}` }))));
    expect(new Set(made.map((t) => t.id)).size).toBe(20);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).data.updateTicket(1, (t) => void t.notes.push({ at: i, by: `officer-${i}`, text: `ghi chú ${i}` }), { audit: { at: i, actor: `officer-${i}`, action: 'ticket.note', detail: '' } }),
      ),
    );
    expect((await a.data.ticket(1))?.notes).toHaveLength(20);
    expect(await b.data.auditEntries({ ticketId: 1 })).toHaveLength(20);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).data.updateConversation('zalo', 'z1', (r) => void (r.lastUserMessageAt += 1))));
    expect((await b.data.conversation('zalo', 'z1'))?.lastUserMessageAt).toBe(20);
  });

  it('claims under a backlog of 800 events by reading only the users it takes, with or without statistics', async () => {
    await twoInstances();
    // 6,000 events done, 800 waiting from 450 users; the 50 users waiting longest are being worked on elsewhere.
    await admin.query(`INSERT INTO inbound_events (id, key, at, event, done_at) SELECT 'd' || g, 'u' || (g % 500), g, NULL, g FROM generate_series(1, 6000) g`);
    await admin.query(`INSERT INTO inbound_events (id, key, at, event) SELECT 'p' || g, 'u' || (g % 450), g, '{"text":"tin"}'::jsonb FROM generate_series(1, 800) g`);
    await admin.query('INSERT INTO waiting_users (key, since_seq) SELECT key, min(seq) FROM inbound_events WHERE done_at IS NULL GROUP BY key');
    await admin.query(`INSERT INTO user_leases SELECT key, 'other', 'token', 9e15 FROM waiting_users ORDER BY since_seq LIMIT 50`);
    const eventRowsRead = async () => {
      await admin.query('BEGIN');
      try {
        const { rows } = await admin.query<{ 'QUERY PLAN': unknown }>({ text: `EXPLAIN (ANALYZE, FORMAT JSON) ${CLAIM_SQL}`, values: [clock.now(), [], null, 'me', 'token-me', clock.now() + LEASE, 8] });
        type PlanNode = { 'Relation Name'?: string; 'Actual Rows': number; 'Actual Loops': number; Plans?: PlanNode[] };
        const read = (n: PlanNode): number =>
          (n['Relation Name'] === 'inbound_events' ? n['Actual Rows'] * n['Actual Loops'] : 0) + (n.Plans ?? []).reduce((sum, c) => sum + read(c), 0);
        return read((rows[0]!['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0]!.Plan);
      } finally {
        await admin.query('ROLLBACK');
      }
    };
    // Eight users with one or two events each: a few dozen rows, not the 800 waiting (twice over, as joins read them).
    expect(await eventRowsRead()).toBeLessThan(50);
    await admin.query('ANALYZE inbound_events, waiting_users, user_leases');
    expect(await eventRowsRead()).toBeLessThan(50);
    const leases = await a.queue.claimSome('A', LEASE, 8);
    const oldest = await admin.query<{ key: string }>('SELECT key FROM waiting_users w WHERE NOT EXISTS (SELECT 1 FROM user_leases l WHERE l.key = w.key AND l.owner = $1) ORDER BY since_seq LIMIT 8', ['other']);
    expect(leases.map((l) => l.key)).toEqual(oldest.rows.map((r) => r.key));
    for (const lease of leases) {
      const pending = await admin.query<{ id: string }>('SELECT id FROM inbound_events WHERE key = $1 AND done_at IS NULL ORDER BY seq', [lease.key]);
      expect(lease.events.map((e) => e.id)).toEqual(pending.rows.map((r) => r.id));
    }
  });
});
