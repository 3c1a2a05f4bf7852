import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPostgres, type PostgresStores } from '../../src/store/postgres/open.js';
import { createDatabase } from '../helpers/postgres.js';
import { activityContract } from './contract/activity.js';
import { coordinationContract } from './contract/coordination.js';
import { dataStoreContract } from './contract/data-store.js';
import type { Reopenable, TestClock } from './contract/harness.js';
import { loginAttemptsContract } from './contract/login-attempts.js';
import { queueContract, type TestEvent, type TestSend } from './contract/queue.js';
import { tokenVaultContract } from './contract/tokens.js';

const url = inject('pgUrl');
if (!url) console.warn('Skipping the PostgreSQL store contract tests: PostgreSQL is not installed (apt-get install -y postgresql).');

/** Every table of the store: emptied before each test, so each starts on fresh data in the file's one database. */
const TABLES = 'meta, conversations, tickets, users, sessions, audit, feedback, delivery_failures, proposals, inbound_events, user_leases, waiting_users, zalo_tokens, activity, job_runs, login_attempts';

let database = '';
let admin: pg.Client | null = null;

async function emptied(): Promise<void> {
  await admin!.query(`TRUNCATE ${TABLES} RESTART IDENTITY; ALTER SEQUENCE ticket_numbers RESTART`);
}

/** Opens the stores on emptied tables; `reopen` opens another openPostgres on the same database, as a restart. */
async function opened<T>(pick: (s: PostgresStores<TestEvent, TestSend>) => T, clock?: TestClock): Promise<Reopenable<T> & { another(): Promise<T> }> {
  await emptied();
  const all: PostgresStores<TestEvent, TestSend>[] = [];
  const open = async () => {
    const stores = await openPostgres<TestEvent, TestSend>(database, { clock: clock?.now });
    all.push(stores);
    return pick(stores);
  };
  return { store: await open(), reopen: open, another: open, close: async () => void (await Promise.all(all.map((s) => s.close()))) };
}

beforeAll(async () => {
  if (!url) return;
  database = await createDatabase(url, 'store_contract');
  await (await openPostgres(database)).close(); // migrations, once for the file
  admin = new pg.Client({ connectionString: database });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
});

describe.skipIf(!url)('PostgreSQL store', () => {
  dataStoreContract('PostgreSQL', () => opened((s) => s.data));
  queueContract('PostgreSQL', (clock) => opened((s) => s.queue, clock));
  tokenVaultContract('PostgreSQL', () => opened((s) => s.tokens));
  activityContract('PostgreSQL', () => opened((s) => s.activity));
  coordinationContract('PostgreSQL', (clock) => opened((s) => s.coordination, clock));
  loginAttemptsContract('PostgreSQL', () => opened((s) => s.loginAttempts));
});

describe.skipIf(!url)('PostgreSQL store specifics', () => {
  it('stores text with a NUL character (refused by PostgreSQL) as U+FFFD instead of failing', async () => {
    const h = await opened((s) => s);
    try {
      const { data, queue } = h.store;
      await data.updateConversation('web', 'w1', (r) => void r.transcript.push({ at: 1, from: 'user', text: 'a\u0000b' }));
      expect((await data.conversation('web', 'w1'))?.transcript[0]?.text).toBe('a\uFFFDb');
      expect(await queue.accept([{ id: 'm1', key: 'web:w1', event: { text: '\u0000' } }])).toHaveLength(1);
      expect((await queue.unfinished())[0]?.event).toEqual({ text: '\uFFFD' });
      await data.proposePhrasing('e', 'x\u0000y', 'choice', 1);
      expect((await data.proposals())[0]?.question).toBe('x\uFFFDy');
    } finally {
      await h.close();
    }
  });

  it('counts token writes in its version, one by one', async () => {
    const h = await opened((s) => s.tokens);
    try {
      expect(await h.store.version()).toBe(0);
      await h.store.write({ accessToken: 'a', refreshToken: 'r', accessExpiresAt: 1, refreshedAt: 1, status: 'ok', lastError: null, seededFrom: null });
      await h.store.write({ accessToken: 'b', refreshToken: 'r2', accessExpiresAt: 2, refreshedAt: 2, status: 'ok', lastError: null, seededFrom: null });
      expect(await h.store.version()).toBe(2);
    } finally {
      await h.close();
    }
  });
});
