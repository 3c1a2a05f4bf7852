import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LoginThrottle, RateLimiter } from '../../src/web/limits.js';
import { FakeGraph } from '../helpers/fake-graph.js';
import { csrfIn } from '../helpers/inbox.js';
import { ADMIN, startServer, type TestServer } from '../helpers/server.js';

// Attack-run findings 2 (parallel guesses all checked), 3 (the lockout locked the real admin out; unknown names
// told apart), 7 (X-Forwarded-For trusted from loopback; the limiter forgot everyone at 10,000 addresses) and 10
// (a planted login cookie passed the CSRF check).
let graph: FakeGraph;
let server: TestServer | null = null;
beforeAll(async () => {
  graph = await new FakeGraph().start();
});
afterAll(async () => {
  await graph.stop();
});
afterEach(async () => {
  await server?.close(1000);
  server = null;
});

/** A login form fetched by one browser (from `ip` when a proxy is trusted), then `n` posts of it. */
async function loginForm(app: TestServer['app'], ip?: string) {
  const agent = request.agent(app);
  const form = await (ip ? agent.get('/inbox/login').set('x-forwarded-for', ip) : agent.get('/inbox/login'));
  let csrf = csrfIn(form.text);
  // Each refused login page carries a fresh form token (and cookie): the next try uses it, as a browser would.
  const post = async (username: string, password: string) => {
    const req = agent.post('/inbox/login').type('form');
    const res = await (ip ? req.set('x-forwarded-for', ip) : req).send({ _csrf: csrf, username, password, next: '/inbox' });
    if (res.status !== 303 && /name="_csrf"/.test(res.text)) csrf = csrfIn(res.text);
    return res;
  };
  return { agent, post };
}

describe('password guessing', () => {
  it('parallel guesses are counted before the password is checked: 60 at once, one right, no session', async () => {
    server = await startServer(graph.url);
    const { post } = await loginForm(server.app);
    const passwords = Array.from({ length: 60 }, (_, i) => (i === 37 ? ADMIN.password : `sai-mat-khau-${i}`));
    const results = await Promise.all(passwords.map((p) => post(ADMIN.username, p)));
    expect(results.filter((r) => r.status === 303)).toHaveLength(0);
    expect(results.filter((r) => r.status === 401).length).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(55);
  });

  it('slows down guesses from one address without locking the owner out from another; unknown names get the same answers', async () => {
    server = await startServer(graph.url, { TRUST_PROXY: 'loopback' });
    const attacker = await loginForm(server.app, '203.0.113.5');
    const seen: Array<[number, string]> = [];
    for (let i = 0; i < 6; i++) {
      const r = await attacker.post(ADMIN.username, 'sai-mat-khau');
      seen.push([r.status, /class="flash error" role="alert">([^<]+)</.exec(r.text)?.[1] ?? r.text.slice(0, 80)]);
    }
    expect(seen.slice(0, 5).map(([s]) => s)).toEqual([401, 401, 401, 401, 401]);
    expect(seen[5]).toEqual([429, 'Đăng nhập sai nhiều lần. Hãy thử lại sau 1 phút.']);

    const probe = await loginForm(server.app, '203.0.113.6');
    const unknown: Array<[number, string]> = [];
    for (let i = 0; i < 6; i++) {
      const r = await probe.post('khong-co-ai', 'sai-mat-khau');
      unknown.push([r.status, /class="flash error" role="alert">([^<]+)</.exec(r.text)?.[1] ?? r.text.slice(0, 80)]);
    }
    expect(unknown).toEqual(seen);

    const owner = await loginForm(server.app, '198.51.100.7');
    expect((await owner.post(ADMIN.username, ADMIN.password)).status).toBe(303);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy: rotating it does not dodge the per-address limit', async () => {
    server = await startServer(graph.url);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const { post } = await loginForm(server.app, `192.0.2.${i + 1}`);
      statuses.push((await post(`nguoi-${i}`, 'sai-mat-khau')).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('the limiters evict the least recently used address, never everyone at once', async () => {
    const limiter = new RateLimiter(2, 60_000, () => 1000, 100);
    expect([limiter.attempt('victim'), limiter.attempt('victim'), limiter.attempt('victim')]).toEqual([true, true, false]);
    for (let i = 0; i < 99; i++) limiter.attempt(`filler-${i}`);
    expect(limiter.attempt('victim')).toBe(false);
    for (let i = 0; i < 5000; i++) limiter.attempt(`flood-${i}`);
    expect(limiter.attempt('flood-4999')).toBe(true);
    const throttle = new LoginThrottle({ freeAttempts: 1, baseDelayMs: 60_000, maxDelayMs: 60_000 }, 100);
    await throttle.reserve('a|1', 1000);
    for (let i = 0; i < 99; i++) await throttle.reserve(`x|${i}`, 1000);
    expect((await throttle.reserve('a|1', 1000)).ok).toBe(false);
  });
});

describe('the login form', () => {
  it('refuses a planted login cookie and a forged token; over TLS the cookie is __Host- and Secure', async () => {
    server = await startServer(graph.url, { TRUST_PROXY: 'loopback' });
    const planted = await request(server.app)
      .post('/inbox/login')
      .set('cookie', 'hm_login=attacker-chosen-value')
      .type('form')
      .send({ _csrf: 'attacker-chosen-value', username: ADMIN.username, password: ADMIN.password });
    expect(planted.status).toBe(403);
    const forged = `${Date.now().toString(36)}.AAAAAAAAAAAAAAAAAAAAAAAA.${'B'.repeat(43)}`;
    const forgedRes = await request(server.app).post('/inbox/login').set('cookie', `hm_login=${forged}`).type('form').send({ _csrf: forged, username: ADMIN.username, password: ADMIN.password });
    expect(forgedRes.status).toBe(403);

    const tls = await request(server.app).get('/inbox/login').set('x-forwarded-proto', 'https');
    expect(String(tls.headers['set-cookie'])).toMatch(/^__Host-hm_login=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
    // The plain-HTTP cookie name is not accepted over TLS.
    const token = csrfIn(tls.text);
    const downgraded = await request(server.app).post('/inbox/login').set('x-forwarded-proto', 'https').set('cookie', `hm_login=${token}`).type('form').send({ _csrf: token, username: ADMIN.username, password: ADMIN.password });
    expect(downgraded.status).toBe(403);
    const good = await request(server.app).post('/inbox/login').set('x-forwarded-proto', 'https').set('cookie', `__Host-hm_login=${token}`).type('form').send({ _csrf: token, username: ADMIN.username, password: ADMIN.password });
    expect(good.status).toBe(303);
  });
});
