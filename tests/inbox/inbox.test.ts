import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../helpers/fake-graph.js';
import { csrfIn, login } from '../helpers/inbox.js';
import { ADMIN, FIXTURE_NOW, messengerSays, startServer, type TestServer } from '../helpers/server.js';

let graph: FakeGraph;
let server: TestServer;
let now = FIXTURE_NOW;
const clock = () => now;
const H = 3600_000;

beforeAll(async () => {
  graph = await new FakeGraph().start();
});
afterAll(async () => {
  await graph.stop();
});
afterEach(async () => {
  await server?.close(1000);
  graph.requests.length = 0;
  now = FIXTURE_NOW;
});

/** A user message through the signed Messenger webhook, processed to the end. */
const userSays = (user: string, text: string) => messengerSays(server, user, text, now);

const start = (env: Record<string, string> = {}) => startServer(graph.url, env, undefined, clock);

describe('escalation and tickets', () => {
  it('an explicit request for a person opens a ticket with the transcript and tells the user its number', async () => {
    server = await start();
    await userSays('u-1', 'hàng tạm nhập tái xuất có phải nộp thuế không');
    await userSays('u-1', 'cho em gặp cán bộ');
    const ticket = (await server.tickets.openFor('messenger', 'u-1'))!;
    expect(ticket).toMatchObject({ id: 1, status: 'open', reason: 'user-request', question: 'hàng tạm nhập tái xuất có phải nộp thuế không' });
    expect(ticket.transcript.map((t) => t.from)).toEqual(expect.arrayContaining(['user', 'bot']));
    expect(ticket.candidates[0]?.id).toBeDefined();
    expect(graph.texts('u-1').at(-1)).toContain('phiếu số #1');
  });

  it('an unanswerable question is handed over only after the user chooses "Chuyển cán bộ"', async () => {
    server = await start();
    await userSays('u-2', 'giá vàng hôm nay bao nhiêu');
    expect(await server.tickets.openFor('messenger', 'u-2')).toBeNull();
    expect(graph.texts('u-2').at(-1)).toContain('chuyển câu hỏi cho cán bộ');
    await userSays('u-2', 'có');
    expect((await server.tickets.openFor('messenger', 'u-2'))).toMatchObject({ question: 'giá vàng hôm nay bao nhiêu', reason: 'no-answer' });
  });

  it('a user with an open ticket who writes again is attached to it, not to a new one', async () => {
    server = await start();
    await userSays('u-3', 'gặp cán bộ');
    await userSays('u-3', 'em cần hỏi về lô hàng gỗ');
    await userSays('u-3', 'cho gặp cán bộ');
    expect((await server.tickets.all()).filter((t) => t.userId === 'u-3')).toHaveLength(1);
    expect((await server.tickets.openFor('messenger', 'u-3'))!.transcript.map((t) => t.text)).toContain('em cần hỏi về lô hàng gỗ');
    expect(graph.texts('u-3').at(-1)).toContain('đã được gắn vào phiếu số #1');
  });
});

describe('officer inbox', () => {
  it('requires a session for every inbox page and API', async () => {
    server = await start();
    expect((await request(server.app).get('/inbox')).status).toBe(303);
    expect((await request(server.app).get('/inbox/tickets/1')).headers.location).toContain('/inbox/login?next=');
    expect((await request(server.app).get('/inbox/api/summary')).status).toBe(401);
    expect((await request(server.app).post('/inbox/tickets/1/close').type('form').send({})).status).toBe(303);
  });

  it('logs in, lists the ticket, and shows user text escaped (no XSS)', async () => {
    server = await start();
    await userSays('u-4', '<script>alert("xss")</script> gặp cán bộ');
    const { agent } = await login(server.app, ADMIN.username, ADMIN.password);
    const list = await agent.get('/inbox?filter=open');
    expect(list.status).toBe(200);
    expect(list.headers['content-security-policy']).toContain("script-src 'self'");
    expect(list.headers['x-frame-options']).toBe('DENY');
    expect(list.text).toContain('#1');
    expect(list.text).not.toContain('<script>alert');
    expect(list.text).toContain('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
    const detail = await agent.get('/inbox/tickets/1');
    expect(detail.text).not.toContain('<script>alert');
    const summary = await agent.get('/inbox/api/summary');
    expect(summary.body).toMatchObject({ unread: 0, counts: { open: 1 } });
  });

  it('refuses a POST without the session CSRF token', async () => {
    server = await start();
    await userSays('u-5', 'gặp cán bộ');
    const { agent } = await login(server.app, ADMIN.username, ADMIN.password);
    const res = await agent.post('/inbox/tickets/1/close').type('form').send({ _csrf: 'forged' });
    expect(res.status).toBe(403);
    expect((await server.tickets.byId(1))!.status).toBe('open');
  });

  it('claiming silences the bot; the reply reaches the user; closing gives the conversation back to the bot', async () => {
    server = await start();
    await userSays('u-6', 'gặp cán bộ');
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    await agent.post('/inbox/tickets/1/claim').type('form').send({ _csrf: csrf });
    expect((await server.tickets.byId(1))!.status).toBe('claimed');

    const before = graph.messages.length;
    await userSays('u-6', 'thủ tục nhập khẩu máy móc');
    expect(graph.messages.length).toBe(before); // the officer handles it: the bot stays silent
    expect((await server.tickets.byId(1))!.transcript.at(-1)!.text).toBe('thủ tục nhập khẩu máy móc');

    const res = await agent.post('/inbox/tickets/1/reply').type('form').send({ _csrf: csrf, text: 'Chào anh, em gửi anh quy trình nhập khẩu…' });
    expect(res.status).toBe(303);
    await new Promise((r) => setTimeout(r, 100));
    const sent = graph.messages.at(-1)!;
    expect(sent.body).toMatchObject({ messaging_type: 'RESPONSE', message: { text: 'Chào anh, em gửi anh quy trình nhập khẩu…' } });
    const ticket = (await server.tickets.byId(1))!;
    expect(ticket.replies[0]).toMatchObject({ status: 'sent' });
    expect(ticket.status).toBe('answered');
    expect(ticket.firstResponseAt).not.toBeNull();
    expect((await agent.get('/inbox/tickets/1/replies')).text).toContain('Đã gửi');

    await agent.post('/inbox/tickets/1/close').type('form').send({ _csrf: csrf });
    now += 1000;
    await userSays('u-6', 'hq làm việc thứ 7 không');
    expect(graph.texts('u-6').at(-1)).toContain('Giờ làm việc');
    expect((await server.store.snapshot()).audit.map((a) => a.action)).toEqual(expect.arrayContaining(['login', 'ticket.claim', 'ticket.reply', 'ticket.close']));
  });

  it("after an officer's reply the bot waits, and speaks again when the takeover times out or is handed back", async () => {
    server = await start({ HUMAN_TAKEOVER_HOURS: '2' });
    await userSays('u-7', 'gặp cán bộ');
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    await agent.post('/inbox/tickets/1/reply').type('form').send({ _csrf: csrf, text: 'Em chào anh' });
    await new Promise((r) => setTimeout(r, 100));
    const count = () => graph.texts('u-7').length;
    const before = count();
    now += 1 * H;
    await userSays('u-7', 'hoàn thuế nhập khẩu');
    expect(count()).toBe(before);
    now += 2 * H; // the takeover times out
    await userSays('u-7', 'hoàn thuế nhập khẩu cần hồ sơ gì');
    expect(count()).toBeGreaterThan(before);

    await agent.post('/inbox/tickets/1/reply').type('form').send({ _csrf: csrf, text: 'Anh cần thêm gì không ạ' });
    await new Promise((r) => setTimeout(r, 100));
    const paused = count();
    await userSays('u-7', 'thủ tục hủy tờ khai');
    expect(count()).toBe(paused);
    await agent.post('/inbox/tickets/1/hand-back').type('form').send({ _csrf: csrf });
    await userSays('u-7', 'thủ tục hủy tờ khai');
    expect(count()).toBeGreaterThan(paused);
  });

  it('uses the HUMAN_AGENT tag between 24 h and 7 days, and refuses after 7 days with a clear status', async () => {
    server = await start();
    await userSays('u-8', 'gặp cán bộ');
    now += 30 * H;
    const first = await login(server.app, ADMIN.username, ADMIN.password);
    await first.agent.post('/inbox/tickets/1/reply').type('form').send({ _csrf: first.csrf, text: 'Trả lời muộn' });
    await new Promise((r) => setTimeout(r, 100));
    expect(graph.messages.at(-1)!.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Trả lời muộn' } });
    now += 7 * 24 * H;
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    await agent.post('/inbox/tickets/1/reply').type('form').send({ _csrf: csrf, text: 'Quá muộn' });
    await new Promise((r) => setTimeout(r, 100));
    expect((await server.tickets.byId(1))!.replies.at(-1)).toMatchObject({ status: 'failed', error: 'ngoài thời hạn nhắn tin 7 ngày: liên hệ qua điện thoại/email' });
  });

  it('shows a failed send with the platform reason, and retries it', async () => {
    server = await start();
    await userSays('u-9', 'gặp cán bộ');
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    graph.failNext({ status: 400, error: { message: '(#551) This person isn\'t available right now.', code: 551, error_subcode: 1545041 } });
    await agent.post('/inbox/tickets/1/reply').type('form').send({ _csrf: csrf, text: 'Câu trả lời' });
    await new Promise((r) => setTimeout(r, 100));
    const reply = (await server.tickets.byId(1))!.replies[0]!;
    expect(reply).toMatchObject({ status: 'failed' });
    expect(reply.error).toContain("This person isn't available right now.");
    const page = await agent.get('/inbox/tickets/1');
    expect(page.text).toContain('Gửi thất bại');
    expect(page.text).toContain('This person isn&#39;t available right now.');
    await agent.post(`/inbox/tickets/1/replies/${reply.id}/retry`).type('form').send({ _csrf: csrf });
    await new Promise((r) => setTimeout(r, 100));
    expect((await server.tickets.byId(1))!.replies[0]!.status).toBe('sent');
  });

  it('sends an existing FAQ answer in one click', async () => {
    server = await start();
    await userSays('u-10', 'hoàn thuế thế nào, cho gặp cán bộ');
    expect(graph.texts('u-10').at(-1)).toContain('phiếu số #1');
    const ticket = (await server.tickets.byId(1))!;
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    const entryId = ticket.candidates[0]!.id;
    await agent.post('/inbox/tickets/1/send-faq').type('form').send({ _csrf: csrf, entryId });
    await new Promise((r) => setTimeout(r, 100));
    expect(graph.texts('u-10').some((t) => t.startsWith('📌 '))).toBe(true);
    expect((await server.tickets.byId(1))!.replies[0]).toMatchObject({ entryId, status: 'sent' });
  });

  it('saves the conversation as a draft FAQ entry that is not served', async () => {
    server = await start({ KNOWLEDGE_DIR: 'copy' });
    await userSays('u-11', 'xe container quá tải có được qua cửa khẩu không, cho gặp cán bộ');
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    const res = await agent.post('/inbox/tickets/1/draft').type('form').send({
      _csrf: csrf,
      category: 'bien-gioi',
      question: 'Xe container quá tải có được qua cửa khẩu không?',
      alternates: 'xe qua tai co qua cua khau duoc khong\ncontainer chở quá tải',
      answer: 'Xe quá tải phải hạ tải trước khi qua cửa khẩu.',
      legal: 'Luật Giao thông đường bộ',
    });
    expect(res.headers.location).toContain('ok=draft');
    const id = 'xe-container-qua-tai-co-duoc-qua-cua-khau-khong';
    expect(await readdir(path.join(server.knowledgeDir, 'bien-gioi'))).toContain(`${id}.md`);
    const text = await readFile(path.join(server.knowledgeDir, 'bien-gioi', `${id}.md`), 'utf8');
    expect(text).toMatch(/^draft: true$/m);
    expect(text).toMatch(/^source_ticket: "1"$/m);
    expect(text).toContain('Xe quá tải phải hạ tải trước khi qua cửa khẩu.');
    const { loadKnowledgeBase } = await import('../../src/knowledge/load.js');
    const kb = await loadKnowledgeBase(server.knowledgeDir);
    expect(kb.drafts.map((d) => d.id)).toContain(id);
    expect(kb.byId.has(id)).toBe(false); // not served until approved
    expect((await server.store.snapshot()).audit.find((a) => a.action === 'ticket.draft')?.detail).toBe(id);
  });

  it('spaces out attempts after five wrong passwords and rate-limits login attempts per address', async () => {
    server = await start();
    const attempt = async (password: string) => {
      const agent = request.agent(server.app);
      const form = await agent.get('/inbox/login');
      return agent.post('/inbox/login').type('form').send({ _csrf: csrfIn(form.text), username: ADMIN.username, password });
    };
    for (let i = 0; i < 5; i++) expect((await attempt('sai-mat-khau')).status).toBe(401);
    const slowed = await attempt(ADMIN.password);
    expect(slowed.status).toBe(429);
    expect(slowed.text).toContain('Đăng nhập sai nhiều lần');
    now += 31_000;
    expect((await attempt(ADMIN.password)).status).toBe(303);
    for (let i = 0; i < 3; i++) await attempt('x');
    expect((await attempt(ADMIN.password)).text).toContain('Quá nhiều lần đăng nhập');
    // A login form without its CSRF cookie is refused.
    const bare = await request(server.app).post('/inbox/login').type('form').send({ _csrf: 'x', username: ADMIN.username, password: ADMIN.password });
    expect(bare.status).toBe(403);
  });

  it('session cookies are HttpOnly and SameSite, Secure behind TLS, and expire', async () => {
    server = await start({ SESSION_HOURS: '1', TRUST_PROXY: 'loopback' });
    const behindTls = await request(server.app).get('/inbox/login').set('x-forwarded-proto', 'https');
    expect(String(behindTls.headers['set-cookie'])).toMatch(/__Host-hm_login=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure/);
    const agent = request.agent(server.app);
    const form = await agent.get('/inbox/login');
    const res = await agent.post('/inbox/login').type('form').send({ _csrf: csrfIn(form.text), username: ADMIN.username, password: ADMIN.password, next: '/inbox' });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('hm_session='))!;
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
    expect((await agent.get('/inbox')).status).toBe(200);
    now += 2 * H;
    expect((await agent.get('/inbox')).status).toBe(303);
  });
});

describe('notifications', () => {
  it('emails officers about new tickets, batched: a burst sends one email', async () => {
    const mails: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, done) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString()));
        stream.on('end', () => {
          mails.push(data);
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    const port = (smtp.server.address() as AddressInfo).port;
    server = await start({ SMTP_URL: `smtp://127.0.0.1:${port}`, NOTIFY_EMAILS: 'canbo@example.vn,lanhdao@example.vn', NOTIFY_BATCH_SECONDS: '0.3', PUBLIC_URL: 'https://bot.example.vn' });
    await Promise.all(['a', 'b', 'c'].map((u) => userSays(`burst-${u}`, 'gặp cán bộ')));
    await new Promise((r) => setTimeout(r, 800));
    expect(mails).toHaveLength(1);
    const mail = mails[0]!.replace(/=\r?\n/g, '');
    expect(mail).toContain('canbo@example.vn');
    for (const id of [1, 2, 3]) expect(mail).toContain(`https://bot.example.vn/inbox/tickets/${id}`);
    await new Promise<void>((r) => smtp.close(() => r()));
  });
});

describe('tickets from the web chat', () => {
  it('an officer reply to a question handed over from /chat shows up in the chat page', async () => {
    server = await start();
    const browser = request.agent(server.app);
    await browser.post('/api/ask').send({ text: 'xe tải chở quá tải có qua được cửa khẩu không' });
    const handed = await browser.post('/api/ask').send({ text: 'cho tôi gặp cán bộ' });
    expect(handed.body.replies[0].text).toContain('phiếu số #1');
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    await agent.post('/inbox/tickets/1/reply').type('form').send({ _csrf: csrf, text: 'Xe quá tải phải hạ tải tại bãi trước khi làm thủ tục.' });
    await new Promise((r) => setTimeout(r, 100));
    const res = await browser.get('/api/messages').query({ after: 0 });
    expect(res.body.messages.map((m: { text: string }) => m.text)).toEqual(['Xe quá tải phải hạ tải tại bãi trước khi làm thủ tục.']);
    expect((await server.tickets.byId(1))!.replies[0]!.status).toBe('sent');
  });
});
