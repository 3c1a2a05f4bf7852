import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../helpers/fake-graph.js';
import { FakeZalo } from '../helpers/fake-zalo.js';
import { login } from '../helpers/inbox.js';
import { ADMIN, eventually, FIXTURE_NOW, messengerSays, startServer, zaloEnv, zaloSays, type TestServer } from '../helpers/server.js';

let graph: FakeGraph;
let zalo: FakeZalo;
let server: TestServer;
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
  graph.requests.length = 0;
  zalo.reset();
  now = FIXTURE_NOW;
});

/** A Messenger message (typed, or a tapped quick reply), a second after the previous one. */
async function messenger(user: string, text: string, payload?: string): Promise<void> {
  now += 1000;
  await messengerSays(server, user, text, now, payload);
}

/** A Zalo user message (typed, or a tapped button). */
async function zaloUser(user: string, text: string): Promise<void> {
  now += 1000;
  await zaloSays(server, user, text, now);
}

type QuickReply = { title: string; payload: string };
const lastQuickReplies = (user: string): QuickReply[] =>
  (graph.messages.filter((m) => (m.body.recipient as { id: string }).id === user).at(-1)!.body.message as { quick_replies?: QuickReply[] }).quick_replies ?? [];
const lastZaloButtons = (user: string): QuickReply[] =>
  (zalo.sends.filter((s) => s.body.recipient.user_id === user).at(-1)!.body.message.attachment?.payload.buttons as QuickReply[] | undefined) ?? [];

const QUESTION = 'hq làm việc thứ 7 không';

describe('feedback on answers', () => {
  it('Messenger: an answer carries 👍/👎 quick replies; 👍 is recorded with the entry and the question', async () => {
    server = await startServer(graph.url, {}, undefined, clock);
    await messenger('u-1', QUESTION);
    const choices = lastQuickReplies('u-1');
    // Numbered like every choice: typing the number works too.
    expect(choices.map((c) => c.title)).toEqual(['1. Hữu ích 👍', '2. Chưa đúng 👎']);
    await messenger('u-1', choices[0]!.title, choices[0]!.payload);
    expect(graph.texts('u-1').at(-1)).toContain('Cảm ơn bạn đã đánh giá');
    expect((await server.store.snapshot()).feedback).toEqual([expect.objectContaining({ channel: 'messenger', userId: 'u-1', helpful: true, question: QUESTION, entryId: expect.any(String) })]);
    expect((await server.store.snapshot()).feedback[0]!.entryId).toBe(choices[0]!.payload.split(':').at(-1));
  });

  it('Messenger: typing "2" means 👎, which offers an officer and hands the question over', async () => {
    server = await startServer(graph.url, {}, undefined, clock);
    await messenger('u-2', QUESTION);
    await messenger('u-2', '2');
    expect((await server.store.snapshot()).feedback).toEqual([expect.objectContaining({ userId: 'u-2', helpful: false, question: QUESTION })]);
    expect(graph.texts('u-2').at(-1)).toContain('chuyển câu hỏi cho cán bộ');
    await messenger('u-2', 'có');
    expect((await server.tickets.openFor('messenger', 'u-2'))).toMatchObject({ reason: 'feedback', question: QUESTION });
  });

  it('Zalo: the answer carries 👍/👎 buttons; a tapped button and a typed "1" are both recorded', async () => {
    server = await startServer(graph.url, zaloEnv(zalo.url), undefined, clock);
    await zaloUser('z-1', QUESTION);
    const buttons = lastZaloButtons('z-1');
    expect(buttons.map((b) => b.title)).toEqual(['1. Hữu ích 👍', '2. Chưa đúng 👎']);
    await zaloUser('z-1', buttons[1]!.payload);
    await zaloUser('z-1', 'giờ làm việc của hải quan hoành mô');
    await zaloUser('z-1', '1');
    expect((await server.store.snapshot()).feedback.map((f) => [f.channel, f.helpful, f.question])).toEqual([
      ['zalo', false, QUESTION],
      ['zalo', true, 'giờ làm việc của hải quan hoành mô'],
    ]);
  });
});

describe('satisfaction after an officer answered', () => {
  async function answerAndClose(channel: 'messenger' | 'zalo', user: string, say: (u: string, t: string) => Promise<void>) {
    await say(user, 'cho em gặp cán bộ');
    const ticket = (await server.tickets.openFor(channel, user))!;
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    await agent.post(`/inbox/tickets/${ticket.id}/claim`).type('form').send({ _csrf: csrf });
    await agent.post(`/inbox/tickets/${ticket.id}/reply`).type('form').send({ _csrf: csrf, text: 'Chào anh, hồ sơ gồm tờ khai và hợp đồng.' });
    await eventually(async () => expect((await server.tickets.byId(ticket.id))!.replies[0]!.status).toBe('sent'));
    expect((await agent.post(`/inbox/tickets/${ticket.id}/close`).type('form').send({ _csrf: csrf })).status).toBe(303);
    return ticket.id;
  }

  it('Messenger: closing the ticket asks for 1–5; the tapped rating and a comment are recorded for the ticket and officer', async () => {
    server = await startServer(graph.url, {}, undefined, clock);
    const id = await answerAndClose('messenger', 'u-3', messenger);
    await eventually(() => expect(graph.texts('u-3').at(-1)).toContain('mức độ hài lòng'));
    const stars = lastQuickReplies('u-3');
    expect(stars.map((s) => s.title)).toEqual(['1', '2', '3', '4', '5']);
    await messenger('u-3', '4', stars[3]!.payload);
    const admin = (await server.accounts.list()).find((u) => u.username === ADMIN.username)!;
    expect((await server.tickets.byId(id))!.rating).toMatchObject({ stars: 4, officer: admin.id, comment: null });
    await messenger('u-3', 'Góp ý: cán bộ trả lời nhanh, rõ ràng');
    expect((await server.tickets.byId(id))!.rating!.comment).toBe('cán bộ trả lời nhanh, rõ ràng');
    expect(graph.texts('u-3').at(-1)).toContain('Cảm ơn góp ý');
    // Officers see it on the ticket.
    const { agent } = await login(server.app, ADMIN.username, ADMIN.password);
    expect((await agent.get(`/inbox/tickets/${id}`)).text).toContain('★★★★☆ (4/5)');
  });

  it('Zalo: typing the number answers the survey; another user cannot rate someone else\'s ticket', async () => {
    server = await startServer(graph.url, zaloEnv(zalo.url), undefined, clock);
    const id = await answerAndClose('zalo', 'z-2', zaloUser);
    await eventually(() => expect(zalo.texts('z-2').at(-1)).toContain('mức độ hài lòng'));
    expect(lastZaloButtons('z-2').map((b) => b.title)).toEqual(['1', '2', '3', '4', '5']);
    // Someone else replays the rating payload: ignored.
    await zaloUser('z-other', lastZaloButtons('z-2')[0]!.payload);
    expect((await server.tickets.byId(id))!.rating ?? null).toBeNull();
    await zaloUser('z-2', '5');
    expect((await server.tickets.byId(id))!.rating).toMatchObject({ stars: 5 });
  });
});
