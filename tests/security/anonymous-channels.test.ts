import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../helpers/fake-graph.js';
import { FakeZalo } from '../helpers/fake-zalo.js';
import { login } from '../helpers/inbox.js';
import { ADMIN, eventually, FIXTURE_NOW, messengerSays, startServer, ZALO, zaloEnv, zaloSigned, type TestServer } from '../helpers/server.js';

// Attack-run findings 5 (the web chat's user id worked as a password), 6 (no limit on /api/ask), 8 (old signed
// Zalo events processed) and 9 (ratings accepted for tickets nobody answered).
let graph: FakeGraph;
let zalo: FakeZalo;
let server: TestServer | null = null;
let now = FIXTURE_NOW;
const clock = () => now;
beforeAll(async () => {
  graph = await new FakeGraph().start();
  zalo = await new FakeZalo().start();
});
afterAll(async () => {
  await graph.stop();
  await zalo.stop();
});
afterEach(async () => {
  await server?.close(1000);
  server = null;
  zalo.reset();
  now = FIXTURE_NOW;
});

const cookieId = (res: request.Response) => /hm_chat=([^;]+)/.exec(String(res.headers['set-cookie']))![1]!;

describe('web chat', () => {
  it("another visitor cannot read a person's answers, nor rate or comment on their ticket, by naming their id", async () => {
    server = await startServer(graph.url, {}, undefined, clock);
    const victim = request.agent(server.app);
    const first = await victim.post('/api/ask').send({ text: 'xe tải chở quá tải có qua được cửa khẩu không' });
    const victimId = cookieId(first);
    await victim.post('/api/ask').send({ text: 'cho tôi gặp cán bộ' });
    const ticket = (await server.tickets.openFor('web', victimId))!;
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    await agent.post(`/inbox/tickets/${ticket.id}/reply`).type('form').send({ _csrf: csrf, text: 'Trả lời riêng cho người hỏi.' });
    await eventually(async () => expect((await server!.tickets.byId(ticket.id))!.replies[0]!.status).toBe('sent'));
    await agent.post(`/inbox/tickets/${ticket.id}/close`).type('form').send({ _csrf: csrf });

    const attacker = request.agent(server.app);
    const read = await attacker.get('/api/messages').query({ user: victimId, after: 0 });
    expect(read.body.messages).toEqual([]);
    await attacker.post('/api/ask').send({ text: `RATE:${ticket.id}:1`, user: victimId });
    await attacker.post('/api/ask').send({ text: 'Góp ý: tệ', user: victimId });
    expect((await server.tickets.byId(ticket.id))!.rating ?? null).toBeNull();

    // The person themself reads the answer.
    expect((await victim.get('/api/messages').query({ after: 0 })).body.messages.map((m: { text: string }) => m.text)).toContain('Trả lời riêng cho người hỏi.');
  });

  it('limits questions per address per minute and new tickets per address per hour', async () => {
    server = await startServer(graph.url, { WEB_CHAT_RATE_PER_MINUTE: '5', WEB_CHAT_TICKETS_PER_HOUR: '2' }, undefined, clock);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await request(server.app).post('/api/ask').send({ text: `câu hỏi ${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await server.store.snapshot()).conversations).toSatisfy((c: object) => Object.keys(c).length === 5);

    now += 61_000;
    const replies: string[] = [];
    for (let i = 0; i < 3; i++) replies.push((await request(server.app).post('/api/ask').send({ text: 'gặp cán bộ' })).body.replies[0].text);
    expect((await server.store.snapshot()).tickets).toHaveLength(2);
    expect(replies[2]).toContain('chưa chuyển được');
  });
});

describe('ratings', () => {
  it('count only for a closed ticket an officer answered, after its survey, from its own user', async () => {
    server = await startServer(graph.url, {}, undefined, clock);
    await messengerSays(server, 'psid-r', 'cho tôi gặp cán bộ', (now += 1000));
    const ticket = (await server.tickets.openFor('messenger', 'psid-r'))!;
    // Open, unanswered: the user's own rating payload is ignored.
    await messengerSays(server, 'psid-r', `${ticket.id}`, (now += 1000), `RATE:${ticket.id}:1`);
    expect((await server.tickets.byId(ticket.id))!.rating ?? null).toBeNull();

    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    await agent.post(`/inbox/tickets/${ticket.id}/close`).type('form').send({ _csrf: csrf });
    // Closed without an officer's reply: no survey, no rating.
    await messengerSays(server, 'psid-r', '1', (now += 1000), `RATE:${ticket.id}:1`);
    expect((await server.tickets.byId(ticket.id))!.rating ?? null).toBeNull();
    expect((await server.tickets.byId(ticket.id))!.surveySentAt ?? null).toBeNull();

    await agent.post(`/inbox/tickets/${ticket.id}/reopen`).type('form').send({ _csrf: csrf });
    await agent.post(`/inbox/tickets/${ticket.id}/reply`).type('form').send({ _csrf: csrf, text: 'Cán bộ trả lời.' });
    await eventually(async () => expect((await server!.tickets.byId(ticket.id))!.replies[0]!.status).toBe('sent'));
    await agent.post(`/inbox/tickets/${ticket.id}/close`).type('form').send({ _csrf: csrf });
    await eventually(async () => expect((await server!.tickets.byId(ticket.id))!.surveySentAt).toBeGreaterThan(0));
    // Someone else's payload for this ticket is ignored; the user's own counts.
    await messengerSays(server, 'psid-other', '1', (now += 1000), `RATE:${ticket.id}:1`);
    expect((await server.tickets.byId(ticket.id))!.rating ?? null).toBeNull();
    await messengerSays(server, 'psid-r', '4', (now += 1000), `RATE:${ticket.id}:4`);
    expect((await server.tickets.byId(ticket.id))!.rating).toMatchObject({ stars: 4 });
  });
});

describe('Zalo event time', () => {
  const event = (timestamp: string, msgId: string) =>
    JSON.stringify({ app_id: ZALO.appId, event_name: 'user_send_text', timestamp, sender: { id: 'zu-1' }, recipient: { id: '579745863508352884' }, message: { text: 'cho tôi gặp cán bộ', msg_id: msgId } });

  it('refuses a correctly signed event whose timestamp is more than an hour off, and a body replayed later', async () => {
    server = await startServer(graph.url, zaloEnv(zalo.url), undefined, clock);
    const old = event('1262304000000', 'z-2010');
    const res = await request(server.app).post('/webhooks/zalo').set(zaloSigned(old)).send(old);
    expect(res.status).toBe(400);
    expect(server.logs.text).toContain('Zalo event refused: its timestamp is more than an hour off');

    const fresh = event(String(now - 5000), 'z-fresh');
    expect((await request(server.app).post('/webhooks/zalo').set(zaloSigned(fresh)).send(fresh)).status).toBe(200);
    await server.dispatcher.idle();
    expect((await server.store.snapshot()).tickets).toHaveLength(1);
    now += 49 * 3600_000; // past the deduplication window
    expect((await request(server.app).post('/webhooks/zalo').set(zaloSigned(fresh)).send(fresh)).status).toBe(400);
    await server.dispatcher.idle();
    expect((await server.store.snapshot()).tickets).toHaveLength(1);
  });
});
