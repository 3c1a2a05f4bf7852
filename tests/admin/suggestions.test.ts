import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../helpers/fake-graph.js';
import { csrfIn, login } from '../helpers/inbox.js';
import { ADMIN, startServer, type TestServer } from '../helpers/server.js';

let graph: FakeGraph;
let server: TestServer;
beforeAll(async () => {
  graph = await new FakeGraph().start();
});
afterAll(async () => {
  await graph.stop();
});
afterEach(async () => {
  browsers.clear();
  await server?.close(1000);
});

const ODD = 'khai muộn tờ khai nhập có sao không';
const ENTRY = 'thoi-han-khai-hai-quan';

interface AskReply {
  decision: string;
  id: string | null;
  suggestions: string[];
  replies: Array<{ kind: string; text: string; choices?: Array<{ title: string; payload: string }> }>;
}
/** Each user is a browser of their own: the web chat knows who asks from its cookie. */
const browsers = new Map<string, ReturnType<typeof request.agent>>();
const ask = async (text: string, user: string, payload?: string): Promise<AskReply> => {
  if (!browsers.has(user)) browsers.set(user, request.agent(server.app));
  return (await browsers.get(user)!.post('/api/ask').send({ text, ...(payload ? { payload } : {}) })).body as AskReply;
};

/** The proposals listed on the admin page: entry id, key and text of each row. */
function rowsIn(page: string): Array<{ entry: string; key: string; text: string }> {
  const rows: Array<{ entry: string; key: string; text: string }> = [];
  for (const card of page.split('<div class="card" data-entry="').slice(1)) {
    const entry = card.slice(0, card.indexOf('"'));
    for (const m of card.matchAll(/<tr data-key="([0-9a-f]+)"><td>([^<]*)<\/td>/g)) rows.push({ entry, key: m[1]!, text: m[2]! });
  }
  return rows;
}

describe('phrasings confirmed by use ("Đề xuất cách hỏi")', () => {
  it('a choice tapped after an odd phrasing is proposed; accepting it answers that phrasing directly, without a restart', async () => {
    server = await startServer(graph.url, { KNOWLEDGE_DIR: 'copy' });
    const first = await ask(ODD, 'u1');
    expect(first.decision).toBe('suggest');
    expect(first.suggestions).toContain(ENTRY);
    const choice = first.replies[0]!.choices!.find((c) => c.payload === `FAQ:${ENTRY}`)!;
    const tapped = await ask(choice.title, 'u1', choice.payload);
    expect(tapped).toMatchObject({ decision: 'answer', id: ENTRY });

    const { agent } = await login(server.app, ADMIN.username, ADMIN.password);
    const page = await agent.get('/admin/suggestions');
    expect(page.status).toBe(200);
    const row = rowsIn(page.text).find((r) => r.entry === ENTRY);
    expect(row?.text).toBe(ODD);
    expect(page.text).toContain('người hỏi chọn từ gợi ý (1)');
    // Only the question is kept: nothing about who asked.
    expect(JSON.stringify(await server.store.proposals())).not.toContain('u1');

    const accepted = await agent.post('/admin/suggestions/accept').type('form').send({ _csrf: csrfIn(page.text), entryId: ENTRY, key: row!.key });
    expect(accepted.status).toBe(303);
    const file = await readFile(path.join(server.knowledgeDir, 'thu-tuc', `${ENTRY}.md`), 'utf8');
    expect(file).toContain(`  - ${ODD}\n`);
    expect(server.live.current.base.byId.get(ENTRY)!.alternates).toContain(ODD);
    expect((await server.store.snapshot()).audit.some((a) => a.action === 'knowledge.alternate.add' && a.detail.includes(ODD))).toBe(true);

    expect(await ask(ODD, 'u2')).toMatchObject({ decision: 'answer', id: ENTRY });
    expect(rowsIn((await agent.get('/admin/suggestions')).text)).toEqual([]);
  });

  it('a 👍 and an officer sending an FAQ answer propose phrasings too; a dismissed one is never proposed again', async () => {
    server = await startServer(graph.url);
    const answered = await ask('hq làm việc t7 ko', 'u3');
    expect(answered).toMatchObject({ decision: 'answer', id: 'gio-lam-viec' });
    await ask('1', 'u3'); // "Hữu ích 👍"
    await ask('gặp cán bộ: bên em có lô hàng nằm ở bãi 3 hôm rồi', 'u4');
    const { agent } = await login(server.app, ADMIN.username, ADMIN.password);
    const ticket = (await server.store.snapshot()).tickets.at(-1)!;
    expect(ticket.question).toContain('lô hàng nằm ở bãi');
    const ticketPage = await agent.get(`/inbox/tickets/${ticket.id}`);
    await agent.post(`/inbox/tickets/${ticket.id}/send-faq`).type('form').send({ _csrf: csrfIn(ticketPage.text), entryId: 'thoi-han-khai-hai-quan' });

    const page = await agent.get('/admin/suggestions');
    const rows = rowsIn(page.text);
    expect(rows).toEqual(
      expect.arrayContaining([
        { entry: 'gio-lam-viec', key: expect.any(String), text: 'hq làm việc t7 ko' },
        { entry: 'thoi-han-khai-hai-quan', key: expect.any(String), text: ticket.question },
      ]),
    );
    expect(page.text).toContain('đánh giá Hữu ích 👍 (1)');
    expect(page.text).toContain('cán bộ gửi câu trả lời này (1)');

    const dismissed = rows.find((r) => r.entry === 'gio-lam-viec')!;
    const res = await agent.post('/admin/suggestions/dismiss').type('form').send({ _csrf: csrfIn(page.text), entryId: dismissed.entry, key: dismissed.key });
    expect(res.status).toBe(303);
    expect((await server.store.proposals('dismissed')).map((p) => p.entryId)).toEqual(['gio-lam-viec']);
    await ask('HQ làm việc T7 ko?', 'u5');
    await ask('1', 'u5');
    expect(rowsIn((await agent.get('/admin/suggestions')).text).map((r) => r.entry)).not.toContain('gio-lam-viec');
    // Deciding twice, or without the session's CSRF token, is refused.
    expect((await agent.post('/admin/suggestions/dismiss').type('form').send({ _csrf: csrfIn(page.text), entryId: dismissed.entry, key: dismissed.key })).status).toBe(404);
    expect((await agent.post('/admin/suggestions/dismiss').type('form').send({ entryId: 'thoi-han-khai-hai-quan', key: rows[1]!.key })).status).toBe(403);
  });

  it('escapes proposed text, and npm run kb:suggestions -- --json prints the pending proposals from a snapshot', async () => {
    server = await startServer(graph.url);
    await server.phrasings.record('hoan-thue', 'hoàn thuế <script>alert(1)</script> thế nào', 'choice', Date.now());
    await server.phrasings.record('hoan-thue', 'Hoàn thuế <script>alert(1)</script> thế nào?', 'helpful', Date.now());
    await server.store.flush();
    const { agent } = await login(server.app, ADMIN.username, ADMIN.password);
    const page = await agent.get('/admin/suggestions');
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('&lt;script&gt;');

    const { stdout } = await promisify(execFile)(path.resolve('node_modules/.bin/tsx'), ['src/cli/kb-suggestions.ts', '--json'], {
      env: { ...process.env, DATA_DIR: server.dataDir, KNOWLEDGE_DIR: server.knowledgeDir },
    });
    expect(JSON.parse(stdout)).toEqual([{ id: 'hoan-thue', question: 'hoàn thuế <script>alert(1)</script> thế nào', count: 2, sources: ['choice', 'helpful'] }]);
  });
});
