import { readFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeZalo } from './helpers/fake-zalo.js';
import { FIXTURE_NOW, startServer, ZALO, zaloEnv, zaloFixture, zaloSigned, type TestServer } from './helpers/server.js';

let zalo: FakeZalo;
let server: TestServer;

beforeAll(async () => {
  zalo = await new FakeZalo().start();
});
afterAll(async () => {
  await zalo.stop();
});
beforeEach(() => zalo.reset());
afterEach(async () => {
  await server?.close(1000);
});

const start = (extra: Record<string, string> = {}, dataDir?: string) => startServer('http://127.0.0.1:1', zaloEnv(zalo.url, extra), dataDir);
const post = (body: string, headers = zaloSigned(body)) => request(server.app).post('/webhooks/zalo').set(headers).send(body);
const userId = '4961377224553412891';

describe('Zalo webhook: signature', () => {
  it('accepts mac= with and without the prefix, over the raw body with Vietnamese text', async () => {
    server = await start();
    const body = await zaloFixture('user_send_text.json');
    expect((await post(body)).status).toBe(200);
    const other = body.replace('e3a7b1c9f0d24e8aa1b2c3d4e5f60718', 'e3a7b1c9f0d24e8aa1b2c3d4e5f60719');
    expect((await post(other, zaloSigned(other, false))).status).toBe(200);
    await server.dispatcher.idle();
    expect(zalo.texts(userId)[0]).toMatch(/tạm nhập tái xuất/i);
  });

  it('rejects a missing, wrong or re-serialised signature, loudly, processing nothing', async () => {
    server = await start();
    const body = await zaloFixture('user_send_text.json');
    expect((await request(server.app).post('/webhooks/zalo').set('content-type', 'application/json').send(body)).status).toBe(401);
    expect((await post(body, zaloSigned(body, true, 'wrong-key'))).status).toBe(403);
    const reserialised = JSON.stringify(JSON.parse(body));
    expect(reserialised).not.toBe(body);
    expect((await post(body, zaloSigned(reserialised))).status).toBe(403);
    // A valid signature for another app id is still refused.
    const foreign = body.replace(ZALO.appId, '1111111111111111111');
    expect((await post(foreign)).status).toBe(403);
    await server.dispatcher.idle();
    expect(zalo.sends).toHaveLength(0);
    expect(server.logs.text).toContain('SIGNATURE REJECTED on Zalo webhook');
  });
});

describe('Zalo webhook: events', () => {
  it('answers text, asks for text on images and stickers, welcomes a follower with the topic menu', async () => {
    server = await start();
    for (const f of ['user_send_text.json', 'user_send_image.json', 'user_send_sticker.json', 'follow.json']) {
      expect((await post(await zaloFixture(f))).status).toBe(200);
    }
    await server.dispatcher.idle();
    const texts = zalo.texts(userId);
    expect(texts.filter((t) => t.includes('gõ câu hỏi'))).toHaveLength(2);
    const welcome = zalo.sends.find((s) => s.body.recipient.user_id === '7777000011112222333')!;
    expect(welcome.body.message.text).toContain('Xin chào');
    const buttons = welcome.body.message.attachment!.payload.buttons as Array<{ title: string; type: string; payload: string }>;
    expect(buttons.length).toBe(5);
    expect(buttons[0]).toEqual({ title: '1. Giờ làm việc, liên hệ', type: 'oa.query.show', payload: '1. Giờ làm việc, liên hệ' });
  });

  it('records unfollow, delivery receipts and unknown events without answering', async () => {
    server = await start();
    for (const f of ['unfollow.json', 'user_seen_message.json', 'user_submit_info.json', 'oa_send_text_bot.json']) {
      expect((await post(await zaloFixture(f))).status).toBe(200);
    }
    await server.dispatcher.idle();
    expect(zalo.sends).toHaveLength(0);
  });

  it('answers a redelivered msg_id only once', async () => {
    server = await start();
    const body = await zaloFixture('user_send_text.json');
    await Promise.all([post(body), post(body), post(body)]);
    await server.dispatcher.idle();
    expect(zalo.texts(userId)).toHaveLength(1);
  });

  it('a tapped button comes back as text carrying its payload and answers that choice', async () => {
    server = await start();
    const ask = (text: string, id: string, at: number) => {
      const body = JSON.stringify({ app_id: ZALO.appId, event_name: 'user_send_text', timestamp: String(at), sender: { id: userId }, recipient: { id: '579745863508352884' }, message: { text, msg_id: id } });
      return post(body);
    };
    await ask('hạn nộp nhập khẩu', 'tap-1', FIXTURE_NOW - 5000);
    await server.dispatcher.idle();
    const choices = zalo.sends.at(-1)!.body.message.attachment!.payload.buttons as Array<{ payload: string }>;
    expect(choices.length).toBeGreaterThanOrEqual(2);
    await ask(choices[1]!.payload, 'tap-2', FIXTURE_NOW - 4000);
    await server.dispatcher.idle();
    expect(zalo.texts(userId).at(-1)).toMatch(/^📌 /);
  });

  it('an echo written by an OA admin pauses the bot for that user; automated echoes do not', async () => {
    server = await start();
    await post(await zaloFixture('oa_send_text_bot.json'));
    await server.dispatcher.idle();
    expect(await server.conversations.isPaused('zalo', userId, FIXTURE_NOW)).toBe(false);
    await post(await zaloFixture('oa_send_text_admin.json'));
    await server.dispatcher.idle();
    expect(await server.conversations.isPaused('zalo', userId, FIXTURE_NOW)).toBe(true);
    await post(await zaloFixture('user_send_text.json'));
    await server.dispatcher.idle();
    expect(zalo.sends).toHaveLength(0);
  });

  it('serves the domain verification file', async () => {
    server = await start({ ZALO_SITE_VERIFICATION: 'AbC123xyz' });
    const res = await request(server.app).get('/zalo_verifierAbC123xyz.html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<meta name="zalo-platform-site-verification" content="AbC123xyz" />');
    expect((await request(server.app).get('/')).text).toContain('zalo-platform-site-verification');
  });

  it('answers malformed and oversized bodies with a status, never a crash', async () => {
    server = await start();
    expect((await request(server.app).post('/webhooks/zalo').set('content-type', 'application/json').send('{oops')).status).toBe(400);
    const huge = JSON.stringify({ app_id: ZALO.appId, timestamp: '1', pad: 'x'.repeat(2 * 1024 * 1024) });
    expect((await post(huge)).status).toBe(413);
    const noName = JSON.stringify({ app_id: ZALO.appId, timestamp: '1795740000000' });
    expect((await post(noName)).status).toBe(200);
    expect(server.logs.text).toContain('malformed Zalo event');
  });
});

describe('Zalo send and tokens', () => {
  it('uses the access_token header (not Bearer) and the consultation endpoint, and fetches the display name', async () => {
    server = await start();
    await post(await zaloFixture('user_send_text.json'));
    await server.dispatcher.idle();
    await new Promise((r) => setTimeout(r, 50));
    expect(zalo.sends[0]!.token).toMatch(/^access-/);
    expect((await server.conversations.record('zalo', userId))?.displayName).toBe('Trần Bình');
  });

  it('seeds from ZALO_REFRESH_TOKEN once, refreshes single-flight: concurrent sends during expiry cause one refresh', async () => {
    zalo.refreshDelayMs = 100;
    server = await start();
    const bodies = ['u1', 'u2', 'u3', 'u4'].map((u, i) =>
      JSON.stringify({ app_id: ZALO.appId, event_name: 'user_send_text', timestamp: String(FIXTURE_NOW - 1000 + i), sender: { id: `90000000000000000${i}` }, recipient: { id: '1' }, message: { text: 'hoàn thuế', msg_id: `conc-${u}` } }),
    );
    await Promise.all(bodies.map((b) => post(b)));
    await server.dispatcher.idle();
    expect(zalo.refreshCalls).toHaveLength(1);
    expect(zalo.refreshCalls[0]).toMatchObject({ refresh_token: 'refresh-0', app_id: ZALO.appId, grant_type: 'refresh_token', secret_key: ZALO.appSecret });
    expect(zalo.sends.filter((s) => s.token === 'access-1').length).toBeGreaterThanOrEqual(4);
    const stored = JSON.parse(await readFile(path.join(server.dataDir, 'zalo-tokens.json'), 'utf8'));
    expect(stored).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-1', status: 'ok' });
  });

  it('on -216 refreshes once and retries once; a restart reads the rotated tokens from the store', async () => {
    server = await start();
    await post(await zaloFixture('user_send_text.json'));
    await server.dispatcher.idle();
    expect(zalo.refreshCalls).toHaveLength(1); // first use: no access token yet
    zalo.validAccess = new Set(['revoked-elsewhere']); // Zalo revoked access-1 early
    zalo.validRefresh.add('refresh-1');
    const dir = server.dataDir;
    const second = (await zaloFixture('user_send_text.json')).replace('e3a7b1c9f0d24e8aa1b2c3d4e5f60718', 'second-msg');
    await post(second);
    await server.dispatcher.idle();
    expect(zalo.refreshCalls).toHaveLength(2);
    expect(zalo.sends.at(-1)!.token).toBe('access-2');
    await server.close();

    server = await start({}, dir);
    const third = second.replace('second-msg', 'third-msg');
    await post(third);
    await server.dispatcher.idle();
    expect(zalo.refreshCalls).toHaveLength(2); // the stored access-2 is still valid: no refresh, env seed ignored
    expect(zalo.sends.at(-1)!.token).toBe('access-2');
  });

  it('an error body with HTTP 200 keeps the old tokens, marks the channel for re-authorisation and holds replies', async () => {
    zalo.refreshError = { error: -14014, error_name: 'Invalid refresh token', error_description: 'Refresh token is invalid' };
    server = await start();
    await post(await zaloFixture('user_send_text.json'));
    await server.dispatcher.idle();
    const stored = JSON.parse(await readFile(path.join(server.dataDir, 'zalo-tokens.json'), 'utf8'));
    expect(stored).toMatchObject({ refreshToken: 'refresh-0', status: 'needs-reauth', lastError: 'Refresh token is invalid' });
    const health = await request(server.app).get('/healthz');
    expect(health.status).toBe(503);
    expect(health.body.channels.zalo.detail).toContain('cần cấp quyền lại Zalo OA');
    expect(health.body.channels.zalo.detail).toContain('1 tin trả lời đang chờ gửi');
    expect(await server.journal.unfinished()).toHaveLength(1);
    expect(server.logs.text).toContain('ALERT');
    expect(server.logs.text).not.toContain('refresh-0');
  });

  it('does not retry -230 (no interaction in 7 days) and records it for officers', async () => {
    server = await start();
    zalo.failNextSends({ error: -230, message: 'User has not interacted with the OA in the last 7 days' });
    await post(await zaloFixture('user_send_text.json'));
    await server.dispatcher.idle();
    expect(zalo.sends.filter((s) => s.token !== undefined)).toHaveLength(1);
    expect((await server.store.snapshot()).deliveryFailures[0]).toMatchObject({ channel: 'zalo', kind: 'window', code: '-230', platformMessage: expect.stringContaining('ngoài thời hạn 7 ngày') });
  });

  it('backs off and retries on -32 (rate limit)', async () => {
    server = await start();
    zalo.failNextSends({ error: -32, message: 'Rate limit' });
    await post(await zaloFixture('user_send_text.json'));
    await server.dispatcher.idle();
    expect((await server.store.snapshot()).deliveryFailures).toEqual([]);
    expect(zalo.texts(userId)).toHaveLength(2);
  });

  it('adds template_type when Zalo refuses a button message without it, and keeps doing so', async () => {
    zalo.requireTemplateType = true;
    server = await start();
    await post(await zaloFixture('follow.json'));
    await server.dispatcher.idle();
    const withButtons = zalo.sends.filter((s) => s.body.message.attachment);
    expect(withButtons.at(-1)!.body.message.attachment!.payload.template_type).toBe('button');
    expect((await server.store.snapshot()).deliveryFailures).toEqual([]);
  });
});

describe('npm run zalo:auth', () => {
  it('walks an admin through OAuth v4 with PKCE, stores the pair, and the held replies go out', async () => {
    zalo.refreshError = { error: -14014, error_description: 'Refresh token is invalid' };
    server = await start({ ZALO_REDIRECT_URI: 'https://bot.example.vn/zalo/callback' });
    await post(await zaloFixture('user_send_text.json'));
    await server.dispatcher.idle();
    expect(await server.dispatcher.heldCount('zalo')).toBe(1);
    zalo.refreshError = null;

    const { spawn } = await import('node:child_process');
    const child = spawn(path.resolve('node_modules/.bin/tsx'), ['src/cli/zalo-auth.ts'], {
      env: { ...process.env, ...zaloEnv(zalo.url, { ZALO_REDIRECT_URI: 'https://bot.example.vn/zalo/callback' }), DATA_DIR: server.dataDir },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const link = /(http:\/\/127\.0\.0\.1:\d+\/v4\/oa\/permission\?\S+)/.exec(out);
      if (link && out.includes('Địa chỉ hoặc mã code')) {
        const url = new URL(link[1]!);
        expect(url.searchParams.get('app_id')).toBe(ZALO.appId);
        expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
        child.stdin.end(`https://bot.example.vn/zalo/callback?code=auth-code-1&oa_id=579745863508352884&state=${url.searchParams.get('state')}\n`);
        out = '';
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const exchange = zalo.refreshCalls.at(-1)!;
    expect(exchange).toMatchObject({ code: 'auth-code-1', grant_type: 'authorization_code', app_id: ZALO.appId, secret_key: ZALO.appSecret });
    expect(exchange.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The running server notices the new pair and sends what it held.
    await new Promise((r) => setTimeout(r, 300));
    await server.dispatcher.idle();
    expect(zalo.texts(userId).at(-1)).toMatch(/tạm nhập tái xuất/i);
    expect(await server.journal.unfinished()).toEqual([]);
    expect((await request(server.app).get('/healthz')).status).toBe(200);
  });
});
