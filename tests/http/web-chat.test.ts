import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { WebAdapter } from '../../src/channels/web/adapter.js';
import { webChatRoutes } from '../../src/channels/web/routes.js';
import { DEFAULT_FOOTER } from '../../src/conversation/answer.js';
import { Bot } from '../../src/conversation/bot.js';
import { loadKnowledge } from '../../src/conversation/knowledge.js';
import { silentLogger } from '../../src/log.js';
import { DEFAULT_THRESHOLDS } from '../../src/matching/decide.js';
import { Conversations } from '../../src/store/conversations.js';
import { LowdbDataStore } from '../../src/store/lowdb-data.js';
import type { Express } from 'express';

let app: Express;
let store: LowdbDataStore;

beforeAll(async () => {
  const knowledge = await loadKnowledge(path.resolve('knowledge'));
  store = await LowdbDataStore.open(await mkdtemp(path.join(os.tmpdir(), 'web-')));
  const conversations = new Conversations(store);
  const bot = new Bot({ knowledge: () => knowledge, thresholds: DEFAULT_THRESHOLDS, footer: DEFAULT_FOOTER, states: conversations, clock: () => Date.parse('2026-11-30T10:00:00+07:00') });
  app = createApp({
    logger: silentLogger(),
    routers: [webChatRoutes({ bot, conversations, outbox: new WebAdapter(), limits: { questionsPerMinute: 1000, ticketsPerHour: 100 }, secureCookies: null })],
    health: async () => ({ status: 'ok', knowledge: { entries: 46, drafts: 0, warnings: 0 }, channels: { messenger: { enabled: false, detail: 'thiếu FB_APP_SECRET' } } }),
  });
});

describe('web chat and /api/ask', () => {
  it('serves the chat page in Vietnamese', async () => {
    const res = await request(app).get('/chat');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="vi">');
    expect(res.text).toContain('Nhập câu hỏi');
  });

  it('answers a question with the decision, entry id and score', async () => {
    const res = await request(app).post('/api/ask').send({ text: 'ad ơi cho e hỏi hq làm việc t7 ko' });
    expect(res.status).toBe(200);
    expect(res.body.decision).toBe('answer');
    expect(res.body.id).toBe('gio-lam-viec');
    expect(res.body.score).toBeGreaterThan(0.5);
    expect(res.body.replies[0].text).toContain('Căn cứ:');
  });

  it('keeps the conversation of one browser (its cookie): a typed number picks a suggestion', async () => {
    const browser = request.agent(app);
    const first = await browser.post('/api/ask').send({ text: 'xin chào' });
    expect(first.body.decision).toBe('smalltalk');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/^hm_chat=w-[\w-]{22}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const second = await browser.post('/api/ask').send({ text: '2' });
    expect(second.body.replies[0].kind).toBe('choices');
    expect(second.body.replies[0].text).toContain('Thủ tục hải quan');
    const user = /hm_chat=([^;]+)/.exec(cookie)![1]!;
    expect((await store.conversation("web", user))?.transcript.map((t) => t.from)).toEqual(['user', 'bot', 'user', 'bot']);
  });

  it('accepts a tapped payload', async () => {
    const res = await request(app).post('/api/ask').send({ text: 'Hoàn thuế', payload: 'FAQ:hoan-thue' });
    expect(res.body).toMatchObject({ decision: 'answer', id: 'hoan-thue' });
  });

  it('rejects bad input with a clear 400 and never crashes', async () => {
    expect((await request(app).post('/api/ask').send({ text: '' })).status).toBe(400);
    expect((await request(app).post('/api/ask').send({ text: 'x'.repeat(2001) })).body.error).toMatch(/2.000/);
    expect((await request(app).post('/api/ask').send({ text: 'hi' }).set('cookie', 'hm_chat=../etc')).headers['set-cookie']).toBeDefined();
    const malformed = await request(app).post('/api/ask').set('content-type', 'application/json').send('{"text": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('yêu cầu không hợp lệ');
    const huge = await request(app).post('/api/ask').set('content-type', 'application/json').send(JSON.stringify({ text: 'a'.repeat(40_000) }));
    expect(huge.status).toBe(413);
  });

  it('reports channels in /healthz', async () => {
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body.channels.messenger).toEqual({ enabled: false, detail: 'thiếu FB_APP_SECRET' });
  });
});
