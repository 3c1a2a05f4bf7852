import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runKnowledgeCheck } from '../../src/admin/check.js';
import { formatProblem } from '../../src/knowledge/types.js';
import { CATEGORIES, entry, VARIABLES, writeKnowledge } from '../helpers/kb.js';

const TODAY = '2026-11-27';
// Paths relative to the temp knowledge directory, wherever they appear in a message.
const rel = (s: string) => s.replace(/(?:\/[^\s/()]+)*\/kb-[^/\s]+\//g, '');
const check = async (files: Record<string, string>) => {
  const dir = await writeKnowledge({ '_variables.yml': VARIABLES, '_categories.yml': CATEGORIES, ...files });
  const report = await runKnowledgeCheck(dir, { staleAfterMonths: 12, today: TODAY, lookaheadDays: 45 });
  return { dir, errors: report.errors.map(formatProblem).map(rel), warnings: report.warnings.map(formatProblem).map(rel) };
};

const LEGAL = `- number: 128/2020/NĐ-CP
  title: Nghị định xử phạt vi phạm hành chính về hải quan
  replaced_by:
    number: 169/2026/NĐ-CP
    from: 2026-07-01
- number: 69/2018/NĐ-CP
  title: Nghị định hướng dẫn Luật Quản lý ngoại thương
  replaced_by:
    number: 292/2026/NĐ-CP
    from: 2026-12-15
`;

describe('kb:check', () => {
  it('reports nothing on a clean knowledge base', async () => {
    const r = await check({
      'thue/hoan-thue.md': entry({ id: 'hoan-thue', question: 'Hoàn thuế nhập khẩu thế nào?', alternates: ['hoàn thuế', 'hoan thue nhap khau', 'lấy lại tiền thuế', 'xin hoàn thuế', 'hồ sơ hoàn thuế'] }),
    });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('flags an alternate the matcher attributes to another entry, naming both', async () => {
    const r = await check({
      'thue/hoan-thue.md': entry({ id: 'hoan-thue', question: 'Hoàn thuế nhập khẩu thế nào?', alternates: ['hoàn thuế', 'hoan thue nhap khau', 'lấy lại tiền thuế', 'xin hoàn thuế', 'hồ sơ hoàn thuế', 'miễn thuế hàng gia công'] }),
      'thue/mien-thue.md': entry({ id: 'mien-thue', question: 'Trường hợp nào được miễn thuế nhập khẩu?', alternates: ['miễn thuế nhập khẩu', 'mien thue hang gia cong', 'danh mục miễn thuế', 'hàng gia công được miễn thuế', 'miễn thuế tài sản cố định'] }),
    });
    expect(r.warnings).toContainEqual(expect.stringMatching(/^thue\/hoan-thue\.md:10: cảnh báo: dễ nhầm: cách hỏi "miễn thuế hàng gia công" dẫn tới "mien-thue" \(.*thue\/mien-thue\.md:3\)/));
    expect(r.warnings.every((w) => w.includes('dễ nhầm'))).toBe(true);
  });

  it('flags a review older than 12 months', async () => {
    const r = await check({ 'thue/a.md': entry({ id: 'a', reviewed: '2025-10-01' }) });
    expect(r.warnings).toEqual(['thue/a.md:13: cảnh báo: rà soát lần cuối 01/10/2025, đã quá 12 tháng: kiểm tra lại nội dung và căn cứ']);
  });

  it('flags a legal basis replaced by the day, with the replacement and its date, unless the entry cites it too; a replacement within the lookahead is "sắp thay đổi" with the entries it touches', async () => {
    const r = await check({
      '_legal.yml': LEGAL,
      'vi-pham/a.md': entry({ id: 'a', alternates: ['mức phạt khai sai', 'phat khai sai', 'bị phạt bao nhiêu', 'xử phạt hải quan', 'phạt chậm tờ khai'], legal: ['Nghị định 128/2020/NĐ-CP, sửa đổi bởi Nghị định 102/2021/NĐ-CP', 'Nghị định 69/2018/NĐ-CP'] }),
      'vi-pham/b.md': entry({ id: 'b', alternates: ['khiếu nại quyết định', 'khieu nai hai quan', 'không đồng ý ấn định thuế', 'kiện hải quan', 'thời hạn khiếu nại'], legal: ['Nghị định 169/2026/NĐ-CP (thay thế Nghị định 128/2020/NĐ-CP)'] }),
    });
    expect([...r.warnings].sort()).toEqual([
      'vi-pham/a.md:12: cảnh báo: căn cứ "128/2020/NĐ-CP" đã được thay thế bởi 169/2026/NĐ-CP từ 01/07/2026: cập nhật câu trả lời và legal_basis',
      '_legal.yml:8: cảnh báo: sắp thay đổi (còn 18 ngày): từ 15/12/2026, "69/2018/NĐ-CP" được thay thế bởi 292/2026/NĐ-CP — câu hỏi liên quan: vi-pham/a.md:13',
      'vi-pham:1: cảnh báo: nhóm "vi-pham" chưa có tên hiển thị trong _categories.yml',
    ].sort());
  });

  it('lists drafts waiting for review', async () => {
    const r = await check({
      'thue/a.md': entry({ id: 'a' }),
      'thue/nhap.md': entry({ id: 'nhap', alternates: ['x'], legal: [], extra: 'draft: true\nsource_ticket: "12"' }),
    });
    expect(r.warnings).toContain('thue/nhap.md:1: cảnh báo: bản nháp chờ quản trị viên duyệt (từ phiếu #12)');
  });

  it('reports a malformed _legal.yml as an error with its line', async () => {
    const r = await check({ '_legal.yml': '- number: 1/2020/NĐ-CP\n  title: X\n  status: superseded\n', 'thue/a.md': entry({ id: 'a' }) });
    expect(r.errors).toEqual(['_legal.yml:3: bỏ "status": hiệu lực được tính theo ngày — dùng replaced_by, amended_by, repealed, until']);
  });

  it('the command exits 1 on errors, 0 with warnings only; the shipped knowledge base passes', async () => {
    const run = promisify(execFile);
    const tsx = path.resolve('node_modules/.bin/tsx');
    const bad = await writeKnowledge({ '_variables.yml': VARIABLES, 'thue/a.md': entry({ id: 'b' }) });
    const failed = await run(tsx, ['src/cli/kb-check.ts'], { env: { ...process.env, KNOWLEDGE_DIR: bad } }).then(
      (ok) => ({ code: 0, stdout: ok.stdout }),
      (e: { code: number; stdout: string }) => e,
    );
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/thue\/a\.md:2: "id" là "b"/);
    const shipped = await run(tsx, ['src/cli/kb-check.ts', '--as-of', '2026-11-30'], { env: { ...process.env, KNOWLEDGE_DIR: path.resolve('knowledge') } });
    expect(shipped.stdout).toContain('Không có lỗi');
    expect(shipped.stdout).not.toContain('dễ nhầm'); // no confusable phrasing in the starter knowledge base
  });
});
