import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUMAN_AGENT_WINDOW_MS, MessengerAdapter, shortTitle, WINDOW_CLOSED_OFFICER } from '../src/channels/messenger/adapter.js';
import { GraphClient, classifyGraphError } from '../src/channels/messenger/client.js';
import { SendError, type InboundEvent, type OutboundMessage } from '../src/channels/types.js';
import { DEFAULT_TYPING_AFTER_MS } from '../src/dispatch/dispatcher.js';
import { Journal } from '../src/store/journal.js';
import { FakeGraph } from './helpers/fake-graph.js';
import { FB, FIXTURE_NOW, fixture, signed, startServer } from './helpers/server.js';

let graph: FakeGraph;
beforeAll(async () => {
  graph = await new FakeGraph().start();
});
afterAll(async () => {
  await graph.stop();
});

const adapter = new MessengerAdapter(new GraphClient({ appSecret: 's', pageAccessToken: 't', apiUrl: 'http://127.0.0.1:1', apiVersion: 'v25.0' }));
const HOUR = 3600_000;

describe('Messenger rendering', () => {
  it('splits a long answer into several messages of at most 2,000 characters, quick replies on the last', () => {
    const paragraph = 'Doanh nghiệp khai tờ khai hải quan điện tử trên hệ thống VNACCS. '.repeat(20).trim();
    const long = Array.from({ length: 4 }, () => paragraph).join('\n\n');
    const messages = adapter.render('u', [{ kind: 'choices', text: long, choices: [{ title: 'Hữu ích', payload: 'MENU' }] }], { author: 'bot', lastUserMessageAt: 0, now: 1000 });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.text.length).toBeLessThanOrEqual(2000);
    expect(messages.map((m) => m.text).join('\n\n')).toBe(long);
    expect(messages.slice(0, -1).every((m) => !('quick_replies' in (m.body.message as object)))).toBe(true);
    expect((messages.at(-1)!.body.message as { quick_replies: unknown[] }).quick_replies).toHaveLength(1);
  });

  it('applies the messaging windows: RESPONSE within 24 h, HUMAN_AGENT for officers up to 7 days, refusal after', () => {
    const reply = [{ kind: 'text' as const, text: 'Trả lời của cán bộ' }];
    const at = (hours: number, author: 'bot' | 'officer') => adapter.render('u', reply, { author, lastUserMessageAt: 0, now: hours * HOUR });
    expect(at(23, 'bot')[0]!.body).toMatchObject({ messaging_type: 'RESPONSE' });
    expect(at(25, 'officer')[0]!.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect(() => at(25, 'bot')).toThrow(SendError); // never HUMAN_AGENT for bot text
    try {
      adapter.render('u', reply, { author: 'officer', lastUserMessageAt: 0, now: HUMAN_AGENT_WINDOW_MS + 1 });
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ kind: 'window', platformMessage: WINDOW_CLOSED_OFFICER });
    }
  });

  it('shortens Vietnamese quick-reply titles to 20 characters at a word boundary, numbered like the list', () => {
    expect(shortTitle('Thời hạn nộp thuế hàng nhập khẩu là khi nào?', 1)).toBe('1. Thời hạn nộp…');
    expect(shortTitle('Thời hạn nộp thuế là khi nào?', null)).toBe('Thời hạn nộp thuế');
    expect(shortTitle('Gặp cán bộ', null)).toBe('Gặp cán bộ');
    expect(shortTitle('Hoàn thuế là gì?', 2)).toBe('2. Hoàn thuế');
    for (const t of ['Cư dân biên giới được mua bán, trao đổi hàng hóa qua biên giới như thế nào', 'C/O mẫu E']) {
      expect(shortTitle(t, 13).length).toBeLessThanOrEqual(20);
    }
  });

  it('classifies Graph errors: retry 1, 2, 4, 17, 32, 613, 1200, transient, 5xx; never 10/2018278, 551, 100, 190', () => {
    for (const code of [1, 2, 1200]) expect(classifyGraphError(400, { code })).toBe('transient');
    for (const code of [4, 17, 32, 613]) expect(classifyGraphError(400, { code })).toBe('rate-limit');
    expect(classifyGraphError(400, { code: 999, is_transient: true })).toBe('transient');
    expect(classifyGraphError(502, undefined)).toBe('transient');
    expect(classifyGraphError(undefined, undefined)).toBe('transient'); // network error
    expect(classifyGraphError(400, { code: 10, error_subcode: 2018278 })).toBe('window');
    expect(classifyGraphError(400, { code: 10, error_subcode: 2534022 })).toBe('window');
    expect(classifyGraphError(400, { code: 551, error_subcode: 1545041 })).toBe('unavailable');
    expect(classifyGraphError(400, { code: 100 })).toBe('invalid');
    expect(classifyGraphError(400, { code: 190 })).toBe('auth');
  });
});

describe('Messenger reliability', () => {
  it('resumes an acknowledged event after a crash before it was processed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'crash-'));
    // What the webhook had written before the process died: accepted, nothing sent.
    const journal = await Journal.open<InboundEvent, OutboundMessage>(dir, () => FIXTURE_NOW);
    const message = { channel: 'messenger' as const, userId: '5550000000000001', messageId: 'm_crash-1', timestamp: FIXTURE_NOW - 1000, kind: 'text' as const, text: 'hoàn thuế nhập khẩu cần hồ sơ gì' };
    await journal.accept([{ id: 'messenger:m_crash-1', key: 'messenger:5550000000000001', event: { kind: 'message', message } }]);
    await journal.close();

    graph.requests.length = 0;
    const server = await startServer(graph.url, {}, dir);
    await server.dispatcher.idle();
    const sent = graph.texts('5550000000000001');
    expect(sent[0]).toContain('hoàn thuế');
    expect(await server.journal.unfinished()).toEqual([]);
    // Meta redelivers the same event after the restart: not answered twice.
    const body = JSON.stringify({ object: 'page', entry: [{ id: '1', time: 1, messaging: [{ sender: { id: '5550000000000001' }, recipient: { id: '1' }, timestamp: message.timestamp, message: { mid: 'm_crash-1', text: message.text } }] }] });
    expect((await request(server.app).post('/webhooks/messenger').set(signed(body)).send(body)).status).toBe(200);
    await server.dispatcher.idle();
    expect(graph.texts('5550000000000001')).toHaveLength(sent.length);
    await server.close();
  });

  it('after a crash mid-reply, sends only what had not been sent', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'crash-'));
    const journal = await Journal.open<InboundEvent, OutboundMessage>(dir, () => FIXTURE_NOW);
    const message = { channel: 'messenger' as const, userId: '5550000000000002', messageId: 'm_crash-2', timestamp: FIXTURE_NOW, kind: 'text' as const, text: 'x' };
    await journal.accept([{ id: 'messenger:m_crash-2', key: 'messenger:5550000000000002', event: { kind: 'message', message } }]);
    const part = (text: string): OutboundMessage => ({ channel: 'messenger', userId: '5550000000000002', text, body: { recipient: { id: '5550000000000002' }, messaging_type: 'RESPONSE', message: { text } } });
    await journal.plan('messenger:m_crash-2', [part('phần 1'), part('phần 2'), part('phần 3')]);
    await journal.sent('messenger:m_crash-2', 0);
    await journal.close();

    graph.requests.length = 0;
    const server = await startServer(graph.url, {}, dir);
    await server.dispatcher.idle();
    expect(graph.texts('5550000000000002')).toEqual(['phần 2', 'phần 3']);
    await server.close();
  });

  it("answers one user's messages in order, even when several arrive at once", async () => {
    graph.requests.length = 0;
    const server = await startServer(graph.url);
    const texts = ['xin chào', 'hoàn thuế', 'thủ tục ly hôn', 'cảm ơn'];
    const bodies = texts.map((text, i) =>
      JSON.stringify({ object: 'page', entry: [{ id: '1', time: 1, messaging: [{ sender: { id: '5550000000000003' }, recipient: { id: '1' }, timestamp: FIXTURE_NOW - 100 + i, message: { mid: `m_order-${i}`, text } }] }] }),
    );
    await Promise.all(bodies.map((b) => request(server.app).post('/webhooks/messenger').set(signed(b)).send(b)));
    await server.dispatcher.idle();
    const replies = graph.texts('5550000000000003');
    expect(replies[0]).toContain('Xin chào');
    expect(replies.at(-1)).toContain('Cảm ơn');
    const transcript = (await server.conversations.record('messenger', '5550000000000003'))!.transcript.filter((t) => t.from === 'user').map((t) => t.text);
    expect(transcript).toEqual(texts);
    await server.close();
  });

  it('shows "typing" only to a user kept waiting, and fetches the display name once', async () => {
    graph.requests.length = 0;
    const server = await startServer(graph.url);
    const body = await fixture('text.json');
    await request(server.app).post('/webhooks/messenger').set(signed(body)).send(body);
    await server.dispatcher.idle();
    await new Promise((r) => setTimeout(r, 50));
    // Answered at once: no indicator, one platform call fewer.
    expect(graph.requests.filter((r) => r.body.sender_action === 'typing_on')).toHaveLength(0);
    expect((await server.conversations.record('messenger', '6543210987654321'))?.displayName).toBe('Nguyễn An');
    expect(graph.requests.filter((r) => r.path.endsWith('/6543210987654321'))).toHaveLength(1);
    expect(graph.requests.every((r) => r.query.access_token === undefined || r.query.access_token === FB.pageToken)).toBe(true);
    await server.close();
  });

  it('shows "typing" at once for a message that waited behind a slow reply', async () => {
    graph.requests.length = 0;
    graph.delayMs = DEFAULT_TYPING_AFTER_MS + 200;
    // The real clock: how long the message waited is what decides.
    const server = await startServer(graph.url, {}, undefined, Date.now);
    try {
      const user = '5550000000000004';
      const bodies = ['xin chào', 'hoàn thuế'].map((text, i) =>
        JSON.stringify({ object: 'page', entry: [{ id: '1', time: Date.now(), messaging: [{ sender: { id: user }, recipient: { id: '1' }, timestamp: Date.now() + i, message: { mid: `m_wait-${i}`, text } }] }] }),
      );
      for (const b of bodies) await request(server.app).post('/webhooks/messenger').set(signed(b)).send(b);
      await server.dispatcher.idle();
      const calls = graph.requests.filter((r) => r.path.endsWith('/me/messages')).map((r) => (r.body.sender_action === 'typing_on' ? 'typing' : 'reply'));
      // The first answer goes out at once; the second message waits for it to arrive, then sees "typing" first.
      expect(calls[0]).toBe('reply');
      expect(calls.filter((c) => c === 'typing')).toHaveLength(1);
      expect(calls.slice(calls.indexOf('typing') + 1)).toContain('reply');
    } finally {
      graph.delayMs = 0;
      await server.close();
    }
  });
});

describe('messenger:setup', () => {
  it('sets Get Started, the greeting and the persistent menu through the Graph API', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    graph.requests.length = 0;
    const env = { ...process.env, FB_APP_SECRET: FB.appSecret, FB_VERIFY_TOKEN: FB.verifyToken, FB_PAGE_ACCESS_TOKEN: FB.pageToken, FB_GRAPH_API_URL: graph.url };
    const { stdout } = await promisify(execFile)(path.resolve('node_modules/.bin/tsx'), ['src/cli/messenger-setup.ts'], { env });
    expect(stdout).toContain('Đã cài nút');
    const call = graph.requests.find((r) => r.path.endsWith('/me/messenger_profile'))!;
    expect(call.path).toBe('/v25.0/me/messenger_profile');
    expect(call.body).toMatchObject({ get_started: { payload: 'GET_STARTED' } });
    const menu = (call.body.persistent_menu as Array<{ call_to_actions: Array<{ title: string }> }>)[0]!.call_to_actions;
    for (const item of menu) expect(item.title.length).toBeLessThanOrEqual(30);
  });
});
