import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clusterGaps, gapSummary, knowledgeWordWeight } from '../../src/admin/gaps.js';
import { FakeGraph } from '../helpers/fake-graph.js';
import { login } from '../helpers/inbox.js';
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
  await server?.close(1000);
});

const ask = async (text: string) => (await request(server.app).post('/api/ask').send({ text })).body;
const waitFor = async (check: () => Promise<boolean>, ms = 3000) => {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('hot reload', () => {
  it('a saved file is served without a restart; an invalid change keeps the last good version and is reported to admins', async () => {
    server = await startServer(graph.url, { KNOWLEDGE_DIR: 'copy' });
    const file = path.join(server.knowledgeDir, 'lien-he', 'gio-lam-viec.md');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('Ngoài giờ làm việc, cơ quan hải quan', 'ĐÃ SỬA: Ngoài giờ làm việc, cơ quan hải quan'));
    await waitFor(async () => (await ask('hq làm việc thứ 7 không')).replies[0].text.includes('ĐÃ SỬA'), 5000);

    await writeFile(file, original.replace('question:', 'questoin:'));
    await waitFor(async () => server.live.lastFailure !== null);
    expect((await ask('hq làm việc thứ 7 không')).replies[0].text).toContain('ĐÃ SỬA'); // still the last good one
    expect(server.logs.text).toContain('knowledge base change refused');
    const health = await request(server.app).get('/healthz');
    expect(health.body.knowledge.lastReloadRefused).toMatch(/\d+ lỗi: bản trước vẫn đang được dùng/);
    const { agent } = await login(server.app, ADMIN.username, ADMIN.password);
    const overview = await agent.get('/admin');
    expect(overview.text).toContain('Lần sửa gần nhất bị từ chối');
    expect(overview.text).toMatch(/lien-he\/gio-lam-viec\.md:3: trường lạ &quot;questoin&quot;/);
  });
});

describe('admin pages', () => {
  it('are refused to officers and to visitors', async () => {
    server = await startServer(graph.url);
    await server.accounts.create('canbo', 'mat-khau-can-bo-1', 'officer');
    const officer = await login(server.app, 'canbo', 'mat-khau-can-bo-1');
    for (const url of ['/admin', '/admin/knowledge', '/admin/try?q=x', '/admin/drafts', '/admin/suggestions', '/admin/gaps', '/admin/knowledge/thue/hoan-thue', '/admin/reports', '/admin/reports.csv', '/admin/privacy']) {
      expect((await officer.agent.get(url)).status, url).toBe(403);
    }
    expect((await officer.agent.post('/admin/drafts/thue/x/approve').type('form').send({ _csrf: officer.csrf })).status).toBe(403);
    expect((await officer.agent.post('/admin/suggestions/accept').type('form').send({ _csrf: officer.csrf, entryId: 'lien-he', key: 'x' })).status).toBe(403);
    expect((await officer.agent.post('/admin/privacy/export').type('form').send({ _csrf: officer.csrf, channel: 'web', user: 'x' })).status).toBe(403);
    expect((await request(server.app).get('/admin')).status).toBe(303);
    expect((await request(server.app).get('/admin/reports.csv')).status).toBe(303);
  });

  it('"Thử câu hỏi" shows the decision, the candidates with scores and the words the normaliser saw', async () => {
    server = await startServer(graph.url);
    const { agent } = await login(server.app, ADMIN.username, ADMIN.password);
    const res = await agent.get('/admin/try').query({ q: 'ad oi hq lam viec t7 ko' });
    expect(res.text).toContain('Quyết định: Trả lời');
    expect(res.text).toContain('gio-lam-viec');
    expect(res.text).toMatch(/<td>t7<\/td><td>thu \+ bay<\/td>|<td>thu<\/td>/);
    expect(res.text).toContain('Câu hỏi ứng viên');
    // The learned scorer beside the engine: its probability per candidate, its own best entries and "none".
    expect(res.text).toContain('<th>Tổng hợp</th><th>Bộ tìm kiếm</th><th>Học máy</th>');
    expect(res.text).toMatch(/Các câu hỏi có xác suất cao nhất: <a href="\/admin\/knowledge\?q=gio-lam-viec">gio-lam-viec<\/a> \d+%/);
    expect(res.text).toMatch(/không thuộc câu hỏi nào: \d+%/);
  });

  it('the editor refuses an invalid save with the report and saves a valid one to the file', async () => {
    server = await startServer(graph.url, { KNOWLEDGE_DIR: 'copy' });
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    const page = await agent.get('/admin/knowledge/thue/hoan-thue');
    const source = /<textarea id="source" name="source" class="editor" spellcheck="false">([\s\S]*?)<\/textarea>/.exec(page.text)![1]!
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    const bad = await agent.post('/admin/knowledge/thue/hoan-thue').type('form').send({ _csrf: csrf, source: source.replace(/reviewed_on: .*/, 'reviewed_on: 2026-02-30') });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('thue/hoan-thue.md');
    expect(bad.text).toContain('không phải ngày hợp lệ');
    expect(await readFile(path.join(server.knowledgeDir, 'thue', 'hoan-thue.md'), 'utf8')).toBe(source);
    const good = await agent.post('/admin/knowledge/thue/hoan-thue').type('form').send({ _csrf: csrf, source: source.replace('question: ', 'question: (Đã sửa) ') });
    expect(good.status).toBe(303);
    expect(server.knowledge().base.byId.get('hoan-thue')!.question).toMatch(/^\(Đã sửa\) /);
  });

  it('a draft from a ticket is approved (it loses draft: true and is served) or rejected (file removed)', async () => {
    server = await startServer(graph.url, { KNOWLEDGE_DIR: 'copy' });
    const browser = request.agent(server.app);
    await browser.post('/api/ask').send({ text: 'xe container quá tải có qua được cửa khẩu không' });
    await browser.post('/api/ask').send({ text: 'gặp cán bộ' });
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    const draft = (question: string) =>
      agent.post('/inbox/tickets/1/draft').type('form').send({ _csrf: csrf, category: 'bien-gioi', question, alternates: 'xe qua tai qua cua khau\ncontainer chở quá tải', answer: 'Xe quá tải phải hạ tải tại bãi trước khi làm thủ tục xuất cảnh.', legal: 'Luật Trật tự, an toàn giao thông đường bộ 36/2024/QH15' });
    await draft('Xe container quá tải có qua được cửa khẩu không?');
    await draft('Xe chở quá khổ qua cửa khẩu thế nào?');
    await waitFor(async () => server.knowledge().base.drafts.length === 2);
    const list = await agent.get('/admin/drafts');
    expect(list.text).toContain('phiếu #1');
    expect((await ask('xe container quá tải có qua được cửa khẩu không')).id).not.toBe('xe-container-qua-tai-co-qua-duoc-cua-khau-khong');

    const approved = await agent.post('/admin/drafts/bien-gioi/xe-container-qua-tai-co-qua-duoc-cua-khau-khong/approve').type('form').send({ _csrf: csrf });
    expect(approved.headers.location).toBe('/admin/drafts?ok=approved');
    const text = await readFile(path.join(server.knowledgeDir, 'bien-gioi', 'xe-container-qua-tai-co-qua-duoc-cua-khau-khong.md'), 'utf8');
    expect(text).not.toMatch(/^draft:/m);
    expect(text).toMatch(/^reviewed_on: \d{4}-\d{2}-\d{2}$/m);
    expect(server.knowledge().base.byId.has('xe-container-qua-tai-co-qua-duoc-cua-khau-khong')).toBe(true);
    expect((await ask('xe container quá tải có qua được cửa khẩu không')).replies[0].text).toContain('hạ tải');

    const rejected = await agent.post('/admin/drafts/bien-gioi/xe-cho-qua-kho-qua-cua-khau-the-nao/reject').type('form').send({ _csrf: csrf });
    expect(rejected.headers.location).toBe('/admin/drafts?ok=rejected');
    await expect(readFile(path.join(server.knowledgeDir, 'bien-gioi', 'xe-cho-qua-kho-qua-cua-khau-the-nao.md'))).rejects.toThrow();
    expect((await server.store.snapshot()).audit.map((a) => a.action)).toEqual(expect.arrayContaining(['draft.approve', 'draft.reject']));
  });

  it('refuses to approve a draft without a legal basis, with the report', async () => {
    server = await startServer(graph.url, { KNOWLEDGE_DIR: 'copy' });
    await request(server.app).post('/api/ask').send({ text: 'gặp cán bộ' });
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    await agent.post('/inbox/tickets/1/draft').type('form').send({ _csrf: csrf, category: 'thue', question: 'Thuế bảo vệ môi trường hàng nhập khẩu?', alternates: '', answer: 'Câu trả lời.', legal: '' });
    await waitFor(async () => server.knowledge().base.drafts.length === 1);
    const res = await agent.post('/admin/drafts/thue/thue-bao-ve-moi-truong-hang-nhap-khau/approve').type('form').send({ _csrf: csrf });
    expect(res.status).toBe(422);
    expect(res.text).toContain('thiếu &quot;legal_basis&quot;');
  });

  it('lists knowledge gaps grouped by similarity and prefills a new entry from a group', async () => {
    server = await startServer(graph.url);
    for (const [, q] of [['g1', 'thủ tục xuất khẩu than đá sang trung quốc'], ['g2', 'xuất khẩu than đá qua hoành mô cần giấy phép gì'], ['g3', 'than đá xuất sang tq có bị cấm không'], ['g4', 'giá vàng hôm nay']]) {
      const browser = request.agent(server.app);
      await browser.post('/api/ask').send({ text: q });
      await browser.post('/api/ask').send({ text: 'cho gặp cán bộ' });
    }
    const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
    const page = await agent.get('/admin/gaps');
    expect(page.text).toMatch(/data-cluster-size="3"[\s\S]*than/);
    const prefill = await agent.post('/admin/new').type('form').send({ _csrf: csrf, question: 'thủ tục xuất khẩu than đá sang trung quốc', alternates: 'xuất khẩu than đá qua hoành mô cần giấy phép gì' });
    expect(prefill.text).toContain('value="thủ tục xuất khẩu than đá sang trung quốc"');
  });
});

describe('gap clustering', () => {
  it('groups similar questions, biggest group first, weighting words like the knowledge base does', async () => {
    const { loadKnowledge } = await import('../../src/conversation/knowledge.js');
    const { index } = await loadKnowledge(path.resolve('knowledge'));
    const weight = knowledgeWordWeight(index);
    const q = (text: string, i: number) => ({ text, at: i, source: 'ticket' as const, ref: String(i), user: `zalo:u${i}` });
    const clusters = clusterGaps([
      q('xuất khẩu than đá sang trung quốc', 1),
      q('giá vàng hôm nay bao nhiêu', 2),
      q('than đá xuất khẩu có cần giấy phép không', 3),
      q('thu tuc xuat khau than da', 4),
      q('tỷ giá nhân dân tệ hôm nay', 5),
      q('giá vàng sjc hôm nay', 6),
      q('xuất khẩu than đá qua cửa khẩu', 7),
      q('đăng ký kết hôn với người nước ngoài', 8),
    ], weight);
    expect(clusters.map((c) => c.size)).toEqual([4, 3, 1]);
    expect(clusters[0]!.terms).toContain('than');
    // Shown as people typed them, even when one typed "xuat khau" without diacritics.
    expect(clusters[0]!.terms).toContain('xuất');
    expect(clusters[0]!.members.map((m) => m.ref).sort()).toEqual(['1', '3', '4', '7']);
    // "giá … hôm nay": the prices of the day, gold or yuan.
    expect(clusters[1]!.members.map((m) => m.ref).sort()).toEqual(['2', '5', '6']);
    expect(clusters[2]!.members.map((m) => m.ref)).toEqual(['8']);
  });

  it('summaries for reports keep only words at least two people used, and no numbers', () => {
    const member = (text: string, user: string, at: number) => ({ text, at, source: 'ticket' as const, ref: String(at), user });
    const members = [member('than đá của Cty Hoàng Long 0912345678', 'a', 1), member('than đá xuất khẩu', 'b', 2), member('than đá Hoàng Long', 'a', 3)];
    const keys = ['than', 'hoang', 'long', '0912345678'];
    const summary = gapSummary({ size: 3, representative: members[0]!, examples: members, members, keys, terms: ['than', 'hoàng', 'long', '0912345678'] });
    // "hoàng long" came from one user only; the phone number is dropped for its digits.
    expect(summary).toEqual({ size: 3, terms: ['than'] });
  });
});
