import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runKnowledgeCheck } from '../../src/admin/check.js';
import { formatProblem } from '../../src/knowledge/types.js';
import { FakeGraph } from '../helpers/fake-graph.js';
import { login } from '../helpers/inbox.js';
import { CATEGORIES, entry, VARIABLES, writeKnowledge } from '../helpers/kb.js';
import { ADMIN, startServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');
const kbCheck = (...args: string[]) =>
  run(tsx, ['src/cli/kb-check.ts', ...args], { env: { ...process.env, KNOWLEDGE_DIR: path.resolve('knowledge'), KB_LOOKAHEAD_DAYS: '45' } }).then(
    (ok) => ({ code: 0, stdout: ok.stdout }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout + e.stderr }),
  );

/** A temp knowledge base with an entry that was valid until yesterday. */
const EXPIRED = {
  '_variables.yml': VARIABLES,
  '_categories.yml': CATEGORIES,
  'lien-he/lich-tet.md': entry({
    id: 'lich-tet',
    question: 'Lịch làm việc của hải quan dịp Tết Nguyên đán 2026?',
    alternates: ['lịch làm việc dịp tết 2026', 'tết 2026 hải quan nghỉ mấy ngày', 'lich truc tet nguyen dan 2026', 'hải quan làm việc lại từ mùng mấy tết 2026', 'nghỉ tết 2026 có thông quan không'],
    extra: 'valid_until: 2026-11-25',
    body: 'Nghỉ từ 14/02/2026 đến 22/02/2026.',
  }),
  'thue/hoan-thue.md': entry({ id: 'hoan-thue', question: 'Hoàn thuế nhập khẩu thế nào?', alternates: ['hoàn thuế', 'hoan thue nhap khau', 'lấy lại tiền thuế', 'xin hoàn thuế', 'hồ sơ hoàn thuế'] }),
};

describe('kb:check judges the shipped knowledge base on a day', () => {
  it('today: no replaced, repealed or expired document is cited without its replacement', async () => {
    const today = await kbCheck('--as-of', '2026-11-30');
    expect(today.code).toBe(0);
    expect(today.stdout).toContain('Không có lỗi');
    expect(today.stdout).toContain('xét hiệu lực tại ngày 30/11/2026');
    expect(today.stdout).not.toMatch(/đã được thay thế|đã bị bãi bỏ|đã hết hiệu lực|mới có hiệu lực/);
    // The VAT cut ends within the lookahead: "sắp thay đổi", with the entry it touches.
    expect(today.stdout).toMatch(/_legal\.yml:\d+: cảnh báo: sắp thay đổi \(còn 32 ngày\): từ 01\/01\/2027, "174\/2025\/NĐ-CP" hết hiệu lực .*knowledge\/thue\/thue-gtgt-nhap-khau\.md:\d+/);
  });

  it('--as-of 2027-01-02: the VAT entry\'s dated statement has changed and its 8% decree is out of date', async () => {
    const later = await kbCheck('--as-of', '2027-01-02');
    expect(later.code).toBe(0);
    expect(later.stdout).toMatch(/knowledge\/thue\/thue-gtgt-nhap-khau\.md:\d+: cảnh báo: đoạn có thời hạn \(đến 31\/12\/2026\) đã hết hạn từ 01\/01\/2027/);
    expect(later.stdout).toMatch(/knowledge\/thue\/thue-gtgt-nhap-khau\.md:\d+: cảnh báo: căn cứ "174\/2025\/NĐ-CP" đã hết hiệu lực từ 01\/01\/2027 \(áp dụng đến hết 31\/12\/2026\)/);
  });

  it('refuses a day that is not a date', async () => {
    const bad = await kbCheck('--as-of', '2027-02-30');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('--as-of cần một ngày dạng NĂM-THÁNG-NGÀY');
  });

  it('names an entry whose valid_until was yesterday', async () => {
    const dir = await writeKnowledge(EXPIRED);
    const report = await runKnowledgeCheck(dir, { staleAfterMonths: 12, today: '2026-11-26', lookaheadDays: 45 });
    expect(report.warnings.map(formatProblem).map((w) => w.replace(/^.*?kb-[^/]+\//, ''))).toContain(
      'lien-he/lich-tet.md:14: cảnh báo: câu hỏi đã hết hiệu lực từ 26/11/2026 (valid_until): trợ lý không dùng câu này để trả lời — cập nhật hoặc xóa câu hỏi',
    );
  });
});

describe('the running server', () => {
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

  it('does not answer from an entry that expired yesterday and notes why on the ticket', async () => {
    const dir = await writeKnowledge(EXPIRED);
    server = await startServer(graph.url, { KNOWLEDGE_DIR: dir, ENABLE_WEB_CHAT: 'true' }, undefined, () => Date.parse('2026-11-26T09:00:00+07:00'));
    const browser = request.agent(server.app);
    const first = (await browser.post('/api/ask').send({ text: 'lịch làm việc dịp tết 2026' })).body;
    expect(first.decision).toBe('escalate');
    expect(first.id).toBeNull();
    await browser.post('/api/ask').send({ text: 'có' });
    const ticket = (await server.tickets.all()).find((t) => t.channel === 'web')!;
    expect(ticket.notes).toEqual([{ at: Date.parse('2026-11-26T09:00:00+07:00'), by: 'bot', text: expect.stringContaining('(lich-tet) hết hiệu lực từ 26/11/2026') }]);
    const { agent } = await login(server.app, ADMIN.username, ADMIN.password);
    const page = await agent.get(`/inbox/tickets/${ticket.id}`);
    expect(page.text).toContain('Trợ lý tự động');
  });

  it('/admin shows "Lịch hiệu lực": upcoming changes with their entries, expired content, entries marked for review', async () => {
    server = await startServer(graph.url, {}, undefined, () => Date.parse('2026-11-30T09:00:00+07:00'));
    const { agent } = await login(server.app, ADMIN.username, ADMIN.password);
    const page = (await agent.get('/admin')).text;
    expect(page).toContain('Lịch hiệu lực');
    expect(page).toContain('Xét tại ngày 30/11/2026');
    const soon = page.slice(page.indexOf('Sắp thay đổi'), page.indexOf('Đã hết hạn, cần cập nhật'));
    expect(soon).toContain('01/01/2027');
    expect(soon).toContain('&quot;174/2025/NĐ-CP&quot; hết hiệu lực');
    expect(soon).toContain('href="/admin/knowledge/thue/thue-gtgt-nhap-khau"');
    expect(page).toMatch(/Đã hết hạn, cần cập nhật \(0\)/);
    const review = page.slice(page.indexOf('Câu hỏi cần đơn vị rà soát'));
    for (const id of ['qua-bieu-hang-mau', 'thoi-gian-thong-quan', 'xac-dinh-truoc', 'ngoai-te-vang', 'giay-thong-hanh']) expect(review, id).toContain(`>${id}</a>`);
  });
});
