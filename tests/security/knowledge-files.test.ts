import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../helpers/fake-graph.js';
import { login } from '../helpers/inbox.js';
import { ADMIN, copyKnowledge, FIXTURE_NOW, messengerSays, startServer, type TestServer } from '../helpers/server.js';

// Attack-run finding 1 (a draft whose id exists in another folder bricked the knowledge base), 11 (a refused draft
// left a folder behind; a 300-character category gave HTTP 500) and 13 (approving a published entry).
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

const ask = (s: TestServer, text: string) => s.bot.handle({ channel: 'cli', userId: `t${Math.random()}`, messageId: 'x', timestamp: FIXTURE_NOW, kind: 'text', text });

async function officerWithTicket(s: TestServer) {
  await messengerSays(s, 'psid-draft', 'cho tôi gặp cán bộ', FIXTURE_NOW - 1000);
  const ticket = (await s.tickets.openFor('messenger', 'psid-draft'))!;
  return { ...(await login(s.app, ADMIN.username, ADMIN.password)), ticket };
}

const draftForm = (csrf: string, category: string, question: string) => ({
  _csrf: csrf,
  category,
  question,
  alternates: 'hỏi thế nào\nhỏi cách khác',
  answer: 'Câu trả lời nháp.',
  legal: 'Luật Hải quan 54/2014/QH13',
});

describe('officer drafts cannot break the knowledge base', () => {
  it('a draft whose id is used in another folder gets a fresh id; reloads and later admin saves still go through', async () => {
    server = await startServer(graph.url, { KNOWLEDGE_DIR: 'copy' });
    const { agent, csrf, ticket } = await officerWithTicket(server);
    const res = await agent.post(`/inbox/tickets/${ticket.id}/draft`).type('form').send(draftForm(csrf, 'lien-he', 'Hoàn thuế'));
    expect(res.headers.location).toBe(`/inbox/tickets/${ticket.id}?ok=draft-duplicate`);
    expect(server.live.lastFailure).toBeNull();
    expect(server.knowledge().base.drafts.map((d) => `${d.category}/${d.id}`)).toEqual(['lien-he/hoan-thue-2']);
    expect((await agent.get(res.headers.location!)).text).toContain('Đã lưu FAQ nháp với mã mới');

    // An admin's save is served right after.
    const file = path.join(server.knowledgeDir, 'lien-he', 'gio-lam-viec.md');
    const text = (await readFile(file, 'utf8')).replace('Ngoài giờ làm việc', 'ĐÃ SỬA Ngoài giờ làm việc');
    const saved = await agent.post('/admin/knowledge/lien-he/gio-lam-viec').type('form').send({ _csrf: csrf, source: text });
    expect(saved.status).toBe(303);
    expect((await ask(server, 'hq làm việc thứ 7 không')).replies[0]).toMatchObject({ text: expect.stringContaining('ĐÃ SỬA') });
  });

  it('refuses an unknown or absurd category with a message, writing nothing (no folder left behind, no 500)', async () => {
    server = await startServer(graph.url, { KNOWLEDGE_DIR: 'copy' });
    const { agent, csrf, ticket } = await officerWithTicket(server);
    const before = (await readdir(server.knowledgeDir)).sort();
    for (const category of ['nhom-moi', 'x'.repeat(300), '../thue']) {
      const res = await agent.post(`/inbox/tickets/${ticket.id}/draft`).type('form').send(draftForm(csrf, category, 'Câu hỏi mới về kho ngoại quan'));
      expect(res.status, category.slice(0, 20)).toBe(303);
      expect(res.headers.location).toBe(`/inbox/tickets/${ticket.id}?ok=draft-invalid`);
    }
    expect((await readdir(server.knowledgeDir)).sort()).toEqual(before);
    expect((await agent.get(`/inbox/tickets/${ticket.id}?ok=draft-invalid`)).text).toContain('Không lưu được bản nháp');
  });

  it('two officers saving the same question in different groups at once get two ids', async () => {
    server = await startServer(graph.url, { KNOWLEDGE_DIR: 'copy' });
    const { agent, csrf, ticket } = await officerWithTicket(server);
    await Promise.all([
      agent.post(`/inbox/tickets/${ticket.id}/draft`).type('form').send(draftForm(csrf, 'thue', 'Kho ngoại quan ở đâu')),
      agent.post(`/inbox/tickets/${ticket.id}/draft`).type('form').send(draftForm(csrf, 'bien-gioi', 'Kho ngoại quan ở đâu')),
    ]);
    await server.live.reload();
    expect(server.knowledge().base.drafts.map((d) => d.id).sort()).toEqual(['kho-ngoai-quan-o-dau', 'kho-ngoai-quan-o-dau-2']);
    expect(server.live.lastFailure).toBeNull();
  });
});

describe('a restart with broken files on disk', () => {
  it('starts with a draft reusing an id and a draft that does not parse: both reported, skipped, never served, and rejectable', async () => {
    const dir = await copyKnowledge();
    const hoanThue = await readFile(path.join(dir, 'thue', 'hoan-thue.md'), 'utf8');
    await writeFile(path.join(dir, 'lien-he', 'hoan-thue.md'), hoanThue.replace(/^reviewed_on:.*$/m, 'draft: true').replace(/\n---\n[\s\S]*$/, '\n---\nBẢN NHÁP TRÙNG MÃ\n'));
    await writeFile(path.join(dir, 'lien-he', 'nhap-hong.md'), '---\nid: nhap-hong\ndraft: true\nquestion: [chưa đóng\n---\nx\n');
    server = await startServer(graph.url, { KNOWLEDGE_DIR: dir });
    expect(server.live.lastFailure).toBeNull();
    const base = server.knowledge().base;
    expect(base.byId.get('hoan-thue')?.category).toBe('thue');
    expect(base.brokenDrafts.map((d) => d.file.split('/').slice(-2).join('/')).sort()).toEqual(['lien-he/hoan-thue.md', 'lien-he/nhap-hong.md']);
    expect(base.warnings.map((w) => w.message).join('\n')).toMatch(/bản nháp bị bỏ qua: trùng mã "hoan-thue"/);
    expect(JSON.stringify(await ask(server, 'thủ tục hoàn thuế nhập khẩu'))).not.toContain('BẢN NHÁP TRÙNG MÃ');

    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    const drafts = await agent.get('/admin/drafts');
    expect(drafts.text).toContain('Bản nháp lỗi, không dùng được (2)');
    const rejected = await agent.post('/admin/drafts/lien-he/hoan-thue/reject').type('form').send({ _csrf: csrf });
    expect(rejected.headers.location).toBe('/admin/drafts?ok=rejected');
    await expect(readFile(path.join(dir, 'lien-he', 'hoan-thue.md'))).rejects.toThrow();
    expect(await readFile(path.join(dir, 'thue', 'hoan-thue.md'), 'utf8')).toBe(hoanThue);
  });

  it('starts with a broken published entry: the rest serves, the broken file is reported in /healthz and logged', async () => {
    const dir = await copyKnowledge();
    const file = path.join(dir, 'lien-he', 'gio-lam-viec.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('question:', 'questoin:'));
    server = await startServer(graph.url, { KNOWLEDGE_DIR: dir });
    expect(server.knowledge().base.byId.has('gio-lam-viec')).toBe(false);
    expect(server.knowledge().base.byId.has('hoan-thue')).toBe(true);
    expect(server.logs.text).toContain('ALERT: 1 knowledge file(s) with errors are not served until fixed');
    const health = await request(server.app).get('/healthz');
    expect(health.body.knowledge.lastReloadRefused).toMatch(/2 lỗi/);
  });
});

describe('admin saves are never silently not served', () => {
  it('a save while another file is broken is written but the admin is told the knowledge base was not reloaded', async () => {
    server = await startServer(graph.url, { KNOWLEDGE_DIR: 'copy' });
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    await mkdir(path.join(server.knowledgeDir, 'thue'), { recursive: true });
    const other = path.join(server.knowledgeDir, 'thue', 'hoan-thue.md');
    await writeFile(other, (await readFile(other, 'utf8')).replace('question:', 'questoin:'));
    const file = path.join(server.knowledgeDir, 'lien-he', 'gio-lam-viec.md');
    const res = await agent.post('/admin/knowledge/lien-he/gio-lam-viec').type('form').send({ _csrf: csrf, source: (await readFile(file, 'utf8')).replace('Ngoài giờ', 'MỚI Ngoài giờ') });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Bộ câu hỏi chưa được nạp lại');
    expect(res.text).toContain('lỗi ở tệp khác');
    expect(res.text).toMatch(/thue\/hoan-thue\.md:\d+: trường lạ/);
  });

  it('approving an entry that is not a draft is refused and leaves its review date alone', async () => {
    server = await startServer(graph.url, { KNOWLEDGE_DIR: 'copy' });
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    const file = path.join(server.knowledgeDir, 'thue', 'hoan-thue.md');
    const before = await readFile(file, 'utf8');
    const res = await agent.post('/admin/drafts/thue/hoan-thue/approve').type('form').send({ _csrf: csrf });
    expect(res.status).toBe(422);
    expect(res.text).toContain('không phải bản nháp đang chờ duyệt');
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});
