import { describe, expect, it } from 'vitest';
import { answerTextOn, isValidOn } from '../../src/knowledge/dated.js';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { displayValue, substitute } from '../../src/knowledge/variables.js';
import { formatProblem, KnowledgeBaseError } from '../../src/knowledge/types.js';
import { CATEGORIES, entry, VARIABLES, writeKnowledge } from '../helpers/kb.js';

const VAT_BODY = [
  'Thuế suất 0%, 5% hoặc 10%.',
  '',
  '::: đến 2026-12-31',
  'Đến hết 31/12/2026, hàng thuế suất 10% được giảm còn 8%.',
  ':::',
  '',
  '::: từ 2027-01-01',
  'Từ 01/01/2027, thuế suất 10% không còn được giảm.',
  ':::',
  '',
  'Gọi {{office.phone}} nếu cần.',
].join('\n');

async function load(files: Record<string, string>) {
  return loadKnowledgeBase(await writeKnowledge({ '_variables.yml': VARIABLES, '_categories.yml': CATEGORIES, ...files }));
}

async function errorsOf(files: Record<string, string>): Promise<string[]> {
  try {
    await load(files);
  } catch (err) {
    if (!(err instanceof KnowledgeBaseError)) throw err;
    return err.problems.filter((p) => p.severity === 'error').map((p) => formatProblem(p).replace(/^.*?kb-[^/]+\//, ''));
  }
  return [];
}

describe('dated blocks in an answer', () => {
  it('shows each block only on its days, both ends included, and the undated text always', async () => {
    const kb = await load({ 'thue/vat.md': entry({ id: 'vat', body: VAT_BODY }) });
    const parts = kb.entries[0]!.answerParts;
    expect(parts.map((p) => [p.from, p.until, p.line])).toEqual([
      [null, null, 15],
      [null, '2026-12-31', 17],
      ['2027-01-01', null, 21],
      [null, null, 24],
    ]);
    const on31Dec = answerTextOn(parts, '2026-12-31');
    expect(on31Dec).toContain('giảm còn 8%');
    expect(on31Dec).not.toContain('không còn được giảm');
    expect(on31Dec).toContain('Gọi 0203 000 000 nếu cần.');
    const on1Jan = answerTextOn(parts, '2027-01-01');
    expect(on1Jan).toContain('không còn được giảm');
    expect(on1Jan).not.toContain('8%');
    expect(on1Jan.startsWith('Thuế suất 0%, 5% hoặc 10%.')).toBe(true);
    // The markers never reach the text; the index and admin pages see every block.
    expect(kb.entries[0]!.answerText).not.toContain(':::');
    expect(kb.entries[0]!.answerText).toContain('8%');
  });

  it('accepts "từ … đến …" and keywords typed without diacritics', async () => {
    const kb = await load({ 'thue/a.md': entry({ id: 'a', body: 'Chung.\n\n::: tu 2026-07-01 den 2026-12-31\nTạm thời.\n:::' }) });
    const parts = kb.entries[0]!.answerParts;
    expect(answerTextOn(parts, '2026-06-30')).toBe('Chung.');
    expect(answerTextOn(parts, '2026-07-01')).toBe('Chung.\n\nTạm thời.');
    expect(answerTextOn(parts, '2027-01-01')).toBe('Chung.');
  });

  it('reports malformed blocks at their lines, all at once', async () => {
    const body = [
      'Mở đầu.', // 15
      '::: sau 2027-01-01', // 16
      '::: từ 2026-13-01', // 17
      'A', // 18
      ':::', // 19
      '::: từ 2027-01-01 đến 2026-01-01', // 20
      'B', // 21
      ':::', // 22
      ':::', // 23
      '::: đến 2026-12-31', // 24
      'C', // 25
      '::: từ 2027-01-01', // 26
      'D', // 27
    ].join('\n');
    expect(await errorsOf({ 'thue/a.md': entry({ id: 'a', body }) })).toEqual([
      'thue/a.md:16: khối có thời hạn phải mở bằng "::: từ NĂM-THÁNG-NGÀY", "::: đến NĂM-THÁNG-NGÀY" hoặc "::: từ … đến …", không phải "::: sau 2027-01-01"',
      'thue/a.md:17: ngày "2026-13-01" không hợp lệ: viết dạng NĂM-THÁNG-NGÀY, ví dụ 2027-01-01',
      'thue/a.md:20: ngày kết thúc 2026-01-01 trước ngày bắt đầu 2027-01-01',
      'thue/a.md:23: dòng ":::" đóng một khối có thời hạn nhưng chưa có khối nào được mở',
      'thue/a.md:26: khối có thời hạn mở ở dòng 24 chưa được đóng bằng dòng ":::" trước khi mở khối mới',
      'thue/a.md:24: khối có thời hạn chưa có dòng ":::" đóng',
    ]);
  });

  it('reports an unknown variable inside a block at its own line', async () => {
    expect(await errorsOf({ 'thue/a.md': entry({ id: 'a', body: 'A.\n\n::: từ 2027-01-01\nGọi {{office.fax}}.\n:::' }) })).toEqual([
      'thue/a.md:18: biến "{{office.fax}}" không có trong _variables.yml',
    ]);
  });

  it('checks the length of what any day can show, not of all blocks together', async () => {
    const long = 'x '.repeat(1500).trim();
    // Each block alone fits (3,000 characters); together they would not — and they never show together.
    expect(await errorsOf({ 'thue/a.md': entry({ id: 'a', body: `::: đến 2026-12-31\n${long}\n:::\n::: từ 2027-01-01\n${long}\n:::` }) })).toEqual([]);
    expect(await errorsOf({ 'thue/a.md': entry({ id: 'a', body: `${long}\n\n::: từ 2027-01-01\n${long}\n:::` }) })).toEqual([
      'thue/a.md:15: câu trả lời dài 6000 ký tự khi hiển thị (từ ngày 2027-01-01) (tối đa 4000): hãy rút gọn hoặc tách thành nhiều câu hỏi',
    ]);
  });
});

describe('entry validity and review marks in the front matter', () => {
  it('reads valid_from, valid_until and needs_review', async () => {
    const kb = await load({ 'thue/a.md': entry({ id: 'a', extra: 'valid_from: 2026-07-01\nvalid_until: 2026-12-31\nneeds_review: "Chưa đối chiếu văn bản gốc"' }) });
    const e = kb.entries[0]!;
    expect([e.validFrom, e.validUntil, e.needsReview]).toEqual(['2026-07-01', '2026-12-31', 'Chưa đối chiếu văn bản gốc']);
    expect([e.lines.validFrom, e.lines.validUntil, e.lines.needsReview]).toEqual([14, 15, 16]);
    expect(isValidOn(e, '2026-06-30')).toBe(false);
    expect(isValidOn(e, '2026-07-01')).toBe(true);
    expect(isValidOn(e, '2026-12-31')).toBe(true);
    expect(isValidOn(e, '2027-01-01')).toBe(false);
  });

  it('reports impossible dates, an end before the start and an empty review reason at their lines', async () => {
    expect(await errorsOf({ 'thue/a.md': entry({ id: 'a', extra: 'valid_from: 2026-02-30' }) })).toEqual([
      'thue/a.md:14: "valid_from" không phải ngày hợp lệ dạng NĂM-THÁNG-NGÀY: "2026-02-30"',
    ]);
    expect(await errorsOf({ 'thue/a.md': entry({ id: 'a', extra: 'valid_from: 2027-01-01\nvalid_until: 2026-12-31' }) })).toEqual([
      'thue/a.md:15: "valid_until" (2026-12-31) trước "valid_from" (2027-01-01)',
    ]);
    expect(await errorsOf({ 'thue/a.md': entry({ id: 'a', extra: 'needs_review: ""' }) })).toEqual([
      'thue/a.md:14: "needs_review" cần ghi lý do (hoặc xóa dòng này khi đã rà soát xong)',
    ]);
  });
});

describe('office variables as users see them', () => {
  it('never shows a placeholder marker: what is known of a value to confirm, "(đang cập nhật)" for a missing one', () => {
    expect(displayValue('Chi cục Hải quan khu vực VIII [CẦN XÁC NHẬN: tên chính thức]')).toBe('Chi cục Hải quan khu vực VIII');
    expect(displayValue('[CẦN CẬP NHẬT: số điện thoại trực ban]')).toBe('(đang cập nhật)');
    expect(displayValue('0203 000 000')).toBe('0203 000 000');
    const values = { 'office.phone': '[CẦN CẬP NHẬT: số điện thoại]', 'office.fanpage_url': '[CẦN CẬP NHẬT: đường dẫn]' };
    expect(substitute('Gọi {{office.phone}}. Fanpage ({{office.fanpage_url}}).', values).text).toBe('Gọi (đang cập nhật). Fanpage (đang cập nhật).');
  });

  it('no shipped answer shows a marker on any day', async () => {
    const kb = await loadKnowledgeBase('knowledge');
    for (const e of kb.entries) {
      for (const day of ['2026-11-30', '2027-01-02']) expect(answerTextOn(e.answerParts, day), e.id).not.toMatch(/CẦN (CẬP NHẬT|XÁC NHẬN)|:::/u);
    }
  });
});
