import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { killChildServers, startChildServer, until, type ChildServer } from '../helpers/child-server.js';
import { FakeGraph } from '../helpers/fake-graph.js';
import { FakeZalo } from '../helpers/fake-zalo.js';
import { createDatabase } from '../helpers/postgres.js';
import { ADMIN, messengerEnv, signed, ZALO, zaloEnv, zaloSigned } from '../helpers/server.js';

/**
 * Two servers — the real entry point in two processes — on one PostgreSQL database, as a provincial rollout runs
 * them behind a load balancer: webhooks spread over both and redelivered to the other, one killed mid-run, a Zalo
 * token refresh raced from both, an officer on one seeing a ticket opened through the other.
 */
const url = inject('pgUrl');
if (!url) console.warn('Skipping the two-instance test: PostgreSQL is not installed (apt-get install -y postgresql).');

const LEASE_SECONDS = 4;
let graph: FakeGraph;
let zalo: FakeZalo;
let database = '';
const QUESTIONS: Array<[string, string]> = [
  ['hq làm việc t7 ko', 'gio-lam-viec'],
  ['thủ tục hoàn thuế nhập khẩu', 'hoan-thue'],
  ['thuế vat hàng nhập khẩu bao nhiêu', 'thue-gtgt-nhap-khau'],
];
let questionOf: Map<string, string>;

beforeAll(async () => {
  if (!url) return;
  graph = await new FakeGraph().start();
  zalo = await new FakeZalo().start();
  const kb = await loadKnowledgeBase(path.resolve('knowledge'));
  questionOf = new Map(QUESTIONS.map(([, id]) => [id, kb.byId.get(id)!.question]));
});
afterAll(async () => {
  await graph?.stop();
  await zalo?.stop();
});
afterEach(() => {
  killChildServers();
  if (graph) graph.requests.length = 0;
  zalo?.reset();
});

async function twoServers(name: string, extra: Record<string, string> = {}): Promise<[ChildServer, ChildServer]> {
  database = await createDatabase(url, name);
  const env = {
    DATABASE_URL: database,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    ...messengerEnv(graph.url),
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    QUEUE_LEASE_SECONDS: String(LEASE_SECONDS),
    ...extra,
  };
  const a = startChildServer(env);
  await a.base; // the first one migrates the database; the second finds it ready (both may race: tested elsewhere)
  const b = startChildServer(env);
  await b.base;
  return [a, b];
}

let mid = 0;
const messengerBody = (user: string, text: string) => {
  const at = Date.now();
  return JSON.stringify({ object: 'page', entry: [{ id: '1', time: at, messaging: [{ sender: { id: user }, recipient: { id: '1' }, timestamp: at, message: { mid: `m_two_${++mid}`, text } }] }] });
};
const post = async (base: string, body: string) => (await fetch(`${base}/webhooks/messenger`, { method: 'POST', headers: signed(body), body })).status;

/** The FAQ answers each user got, in the order they arrived (one per answered message). */
function answersByUser(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of graph.messages) {
    const text = (m.body.message as { text?: string }).text ?? '';
    if (!text.startsWith('📌 ')) continue;
    const user = (m.body.recipient as { id: string }).id;
    out.set(user, [...(out.get(user) ?? []), text.slice(3, text.indexOf('\n'))]);
  }
  return out;
}

describe.skipIf(!url)('two instances on one PostgreSQL database', () => {
  it('600 webhooks spread over both, 10% redelivered to the other: every message answered exactly once, each user in order', async () => {
    const [a, b] = await twoServers('two_exactly_once');
    const bases = [await a.base, await b.base];
    const users = 200;
    let redelivered = 0;
    await Promise.all(
      Array.from({ length: users }, async (_, u) => {
        for (let i = 0; i < QUESTIONS.length; i++) {
          const body = messengerBody(`two-${u}`, QUESTIONS[i]![0]);
          const here = (u + i) % 2;
          expect(await post(bases[here]!, body)).toBe(200);
          if ((u * 3 + i) % 10 === 0) {
            redelivered++;
            expect(await post(bases[1 - here]!, body)).toBe(200);
          }
        }
      }),
    );
    expect(redelivered).toBe(60);
    await until(() => ([...answersByUser().values()].filter((list) => list.length >= 3).length === users ? true : undefined), 60_000);
    await new Promise((r) => setTimeout(r, 1500)); // a duplicate would arrive by now
    const expected = QUESTIONS.map(([, id]) => questionOf.get(id)!);
    for (const [user, answers] of answersByUser()) expect(answers, user).toEqual(expected);
    expect(answersByUser().size).toBe(users);
  }, 120_000);

  it('kill -9 of one instance mid-run: the other finishes everything acknowledged within the lease time', async () => {
    const [a, b] = await twoServers('two_kill', { SEND_CONCURRENCY: '10' });
    graph.delayMs = 150; // a backlog on both when the kill comes
    const [baseA, baseB] = [await a.base, await b.base];
    const acknowledged: string[] = [];
    await Promise.all(
      Array.from({ length: 120 }, async (_, u) => {
        const body = messengerBody(`kill-${u}`, QUESTIONS[u % 3]![0]);
        if ((await post(u % 2 ? baseA : baseB, body)) === 200) acknowledged.push(`kill-${u}`);
      }),
    );
    a.child.kill('SIGKILL');
    await a.exited;
    const killedAt = Date.now();
    await until(() => (acknowledged.every((u) => answersByUser().has(u)) ? true : undefined), (LEASE_SECONDS + 10) * 1000);
    graph.delayMs = 0;
    // Within the lease time plus B's own backlog of sends and a poll.
    expect(Date.now() - killedAt).toBeLessThan((LEASE_SECONDS + 8) * 1000);
    expect(acknowledged).toHaveLength(120);
    const repeated = [...answersByUser().values()].filter((list) => list.length > 1).length;
    expect(repeated).toBeLessThanOrEqual(10); // at most A's sends in flight (SEND_CONCURRENCY)
  }, 120_000);

  it('a burst of Zalo sends on both instances while the access token is expired: exactly one refresh', async () => {
    const [a, b] = await twoServers('two_zalo', zaloEnv(zalo.url));
    const bases = [await a.base, await b.base];
    // Both start with the seeded refresh token and no access token: the first sends must refresh.
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const body = JSON.stringify({ app_id: ZALO.appId, event_name: 'user_send_text', timestamp: String(Date.now()), sender: { id: `zr-${i}` }, recipient: { id: '1' }, message: { text: 'hq làm việc t7 ko', msg_id: `z_two_${i}` } });
        expect((await fetch(`${bases[i % 2]}/webhooks/zalo`, { method: 'POST', headers: zaloSigned(body), body })).status).toBe(200);
      }),
    );
    await until(() => (new Set(zalo.sends.filter((s) => s.token === 'access-1').map((s) => s.body.recipient.user_id)).size === 30 ? true : undefined), 30_000);
    expect(zalo.refreshCalls).toHaveLength(1);
  }, 60_000);

  it('an officer on one instance sees a ticket opened through the other without reloading', async () => {
    const [a, b] = await twoServers('two_inbox');
    const [baseA, baseB] = [await a.base, await b.base];
    const form = await fetch(`${baseA}/inbox/login`);
    const cookie = String(form.headers.get('set-cookie')).split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const login = await fetch(`${baseA}/inbox/login`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, username: ADMIN.username, password: ADMIN.password, next: '/inbox' }) });
    const session = login.headers.getSetCookie().find((c) => c.startsWith('hm_session='))!.split(';')[0]!;
    const summary = async () => (await (await fetch(`${baseA}/inbox/api/summary`, { headers: { cookie: session, accept: 'application/json' } })).json()) as { version: number; counts: { open: number } };
    const before = await summary();
    expect(before.counts.open).toBe(0);

    expect(await post(baseB, messengerBody('inbox-user', 'cho tôi gặp cán bộ'))).toBe(200);
    // What the inbox page's script polls: the version moves on A (NOTIFY from B) and the new ticket is counted.
    const after = await until(async () => {
      const s = await summary();
      return s.version !== before.version && s.counts.open === 1 ? s : undefined;
    }, 10_000);
    expect(after.counts.open).toBe(1);
    const db = new pg.Client({ connectionString: database });
    await db.connect();
    expect((await db.query('SELECT count(*)::int AS n FROM tickets')).rows[0].n).toBe(1);
    await db.end();
  }, 60_000);
});
