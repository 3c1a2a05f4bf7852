import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { formatProblem, KnowledgeBaseError } from '../../src/knowledge/types.js';
import { CATEGORIES, entry, VARIABLES, writeKnowledge } from '../helpers/kb.js';

async function problemsOf(files: Record<string, string>): Promise<string[]> {
  const dir = await writeKnowledge({ '_variables.yml': VARIABLES, '_categories.yml': CATEGORIES, ...files });
  try {
    await loadKnowledgeBase(dir);
  } catch (err) {
    if (!(err instanceof KnowledgeBaseError)) throw err;
    // Report paths relative to the temp dir for stable assertions.
    return err.problems.filter((p) => p.severity === 'error').map((p) => formatProblem(p).replace(/^.*?kb-[^/]+\//, ''));
  }
  return [];
}

describe('knowledge base validation', () => {
  it('loads a valid knowledge base with variables filled in', async () => {
    const dir = await writeKnowledge({
      '_variables.yml': VARIABLES,
      '_categories.yml': CATEGORIES,
      'thue/hoan-thue.md': entry({ id: 'hoan-thue', body: 'Gọi {{office.phone}} để hỏi.' }),
    });
    const kb = await loadKnowledgeBase(dir);
    expect(kb.entries).toHaveLength(1);
    expect(kb.entries[0]!.answerText).toBe('Gọi 0203 000 000 để hỏi.');
    expect(kb.entries[0]!.category).toBe('thue');
    expect(kb.categories).toEqual([{ id: 'thue', title: 'Thuế' }]);
  });

  it('reports a missing question at the first front-matter line', async () => {
    expect(await problemsOf({ 'thue/a.md': entry({ id: 'a', question: '' }) })).toEqual([
      'thue/a.md:2: thiếu trường "question" (câu hỏi chuẩn)',
    ]);
  });

  it('reports an id that differs from the file name, at the id line', async () => {
    expect(await problemsOf({ 'thue/hoan-thue.md': entry({ id: 'hoan-thue-2' }) })).toEqual([
      'thue/hoan-thue.md:2: "id" là "hoan-thue-2" nhưng tên tệp là "hoan-thue.md": hai tên phải trùng nhau',
    ]);
  });

  it('reports duplicate ids across files, naming the first one', async () => {
    const problems = await problemsOf({
      'thue/trung.md': entry({ id: 'trung' }),
      'thu-tuc/trung.md': entry({ id: 'trung' }),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^thue\/trung\.md:2: trùng mã "trung" với .*thu-tuc\/trung\.md:2$/);
  });

  it('reports an empty answer at the first body line', async () => {
    const problems = await problemsOf({ 'thue/a.md': entry({ id: 'a', body: '   ' }) });
    expect(problems).toEqual(['thue/a.md:15: câu trả lời trống: viết câu trả lời sau dòng "---"']);
  });

  it('reports an impossible date', async () => {
    expect(await problemsOf({ 'thue/a.md': entry({ id: 'a', reviewed: '2026-13-01' }) })).toEqual([
      'thue/a.md:13: "reviewed_on" không phải ngày hợp lệ dạng NĂM-THÁNG-NGÀY: "2026-13-01"',
    ]);
    expect(await problemsOf({ 'thue/a.md': entry({ id: 'a', reviewed: '30/11/2026' }) })).toHaveLength(1);
  });

  it('reports an unknown front-matter key and suggests the likely one', async () => {
    const file = entry({ id: 'a' }).replace('alternates:', 'alternate:');
    expect(await problemsOf({ 'thue/a.md': file })).toEqual([
      expect.stringMatching(/^thue\/a\.md:4: trường lạ "alternate" — có phải ý bạn là "alternates"\?/),
    ]);
  });

  it('reports a missing legal basis', async () => {
    expect(await problemsOf({ 'thue/a.md': entry({ id: 'a', legal: [] }) })).toEqual([
      'thue/a.md:2: thiếu "legal_basis": câu trả lời pháp lý phải nêu căn cứ',
    ]);
  });

  it('reports an unknown variable at its line in the body', async () => {
    const problems = await problemsOf({ 'thue/a.md': entry({ id: 'a', body: 'Dòng một.\n\nGọi {{office.fax}} nhé.' }) });
    expect(problems).toEqual(['thue/a.md:17: biến "{{office.fax}}" không có trong _variables.yml']);
  });

  it('reports an answer too long once rendered', async () => {
    const long = Array.from({ length: 90 }, (_, i) => `Đoạn ${i}: ${'nội dung dài '.repeat(4)}`).join('\n\n');
    const problems = await problemsOf({ 'thue/a.md': entry({ id: 'a', body: long }) });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^thue\/a\.md:15: câu trả lời dài \d+ ký tự khi hiển thị \(tối đa 4000\)/);
  });

  it('reports YAML syntax errors at their line', async () => {
    const file = entry({ id: 'a' }).replace('tags: []', 'tags: [a, b');
    const problems = await problemsOf({ 'thue/a.md': file });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^thue\/a\.md:\d+: YAML sai cú pháp/);
  });

  it('reports a file without front matter', async () => {
    expect(await problemsOf({ 'thue/a.md': 'Chỉ có câu trả lời.\n' })).toEqual([
      'thue/a.md:1: tệp phải bắt đầu bằng dòng "---" của phần khai báo',
    ]);
  });

  it('reports every problem of every file at once', async () => {
    const problems = await problemsOf({
      'thue/a.md': entry({ id: 'a', question: '', reviewed: 'hôm qua' }),
      'thue/b.md': entry({ id: 'x' }),
      'c.md': entry({ id: 'c' }),
    });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/c\.md:1: tệp câu hỏi phải nằm trong một thư mục nhóm/);
  });

  it('serves drafts to nobody but keeps them for admins', async () => {
    const dir = await writeKnowledge({
      '_variables.yml': VARIABLES,
      'thue/a.md': entry({ id: 'a' }),
      'thue/nhap.md': entry({ id: 'nhap', alternates: ['một'], legal: [], extra: 'draft: true' }),
    });
    const kb = await loadKnowledgeBase(dir);
    expect(kb.entries.map((e) => e.id)).toEqual(['a']);
    expect(kb.drafts.map((e) => e.id)).toEqual(['nhap']);
  });

  it('warns (without failing) about few alternates and unfilled placeholders', async () => {
    const dir = await writeKnowledge({
      '_variables.yml': 'office:\n  phone: "[CẦN CẬP NHẬT: số điện thoại]"\n',
      'thue/a.md': entry({ id: 'a', alternates: ['một', 'hai'] }),
    });
    const kb = await loadKnowledgeBase(dir);
    const warnings = kb.warnings.map(formatProblem).map((w) => w.replace(/^.*?kb-[^/]+\//, ''));
    expect(warnings).toContain('_variables.yml:2: cảnh báo: biến "office.phone" vẫn là chỗ trống cần điền thông tin chính thức');
    expect(warnings.some((w) => w.startsWith('thue/a.md:4: cảnh báo: chỉ có 2 cách hỏi khác'))).toBe(true);
  });

  it('the shipped knowledge base is valid', async () => {
    const kb = await loadKnowledgeBase(path.resolve('knowledge'));
    expect(kb.entries.length).toBeGreaterThanOrEqual(46);
  });
});
