import { describe, expect, it } from 'vitest';
import { changeTouches, citedDocuments, parseLegalRegistry } from '../../src/knowledge/legal.js';
import { formatProblem } from '../../src/knowledge/types.js';

const REGISTER = `# comment
- number: 54/2014/QH13
  title: Luật Hải quan
  effective: 2015-01-01
  amended_by:
    - number: 90/2025/QH15
      from: 2025-07-01
    - number: 11/2026/QH16
      from: 2027-03-01
      articles: [Điều 24, Điều 29]
- number: 102/2021/NĐ-CP
  title: Nghị định sửa đổi các nghị định về xử phạt
  repealed:
    - from: 2026-07-01
      by: 169/2026/NĐ-CP
      articles: [Điều 2]
- number: 174/2025/NĐ-CP
  title: Nghị định giảm thuế GTGT
  effective: 2025-07-01
  until: 2026-12-31
- number: 128/2020/NĐ-CP
  title: Nghị định xử phạt hải quan
  replaced_by:
    number: 169/2026/NĐ-CP
    from: 2026-07-01
`;

const errorsOf = (text: string) => parseLegalRegistry('_legal.yml', text).problems.filter((p) => p.severity === 'error').map(formatProblem);

describe('legal register (_legal.yml)', () => {
  it('records effective dates, ordered amendments with their articles, partial repeals, replacements and end dates, each at its line', () => {
    const { register, problems } = parseLegalRegistry('_legal.yml', REGISTER);
    expect(problems).toEqual([]);
    const [law, decree102, vat, decree128] = register.documents;
    expect(law!.effective).toBe('2015-01-01');
    expect(law!.changes.map((c) => [c.kind, c.by, c.from, c.articles, c.line])).toEqual([
      ['amended', '90/2025/QH15', '2025-07-01', [], 6],
      ['amended', '11/2026/QH16', '2027-03-01', ['Điều 24', 'Điều 29'], 8],
    ]);
    expect(decree102!.changes).toEqual([{ kind: 'repealed', from: '2026-07-01', by: '169/2026/NĐ-CP', articles: ['Điều 2'], note: null, line: 14 }]);
    // A time-limited rule ends the day after its last day.
    expect(vat!.changes).toEqual([{ kind: 'expires', from: '2027-01-01', by: null, articles: [], note: null, line: 20 }]);
    expect(decree128!.changes.map((c) => [c.kind, c.by, c.from])).toEqual([['replaced', '169/2026/NĐ-CP', '2026-07-01']]);
  });

  it('reports amendments out of date order, an end before the start, bad dates, duplicates and unknown fields at their lines', () => {
    expect(
      errorsOf(`- number: 54/2014/QH13
  title: Luật Hải quan
  amended_by:
    - number: 11/2026/QH16
      from: 2027-03-01
    - number: 90/2025/QH15
      from: 2025-07-01
- number: 174/2025/NĐ-CP
  title: Giảm thuế
  effective: 2025-07-01
  until: 2025-06-30
- number: 1/2020/NĐ-CP
  title: X
  replaced_by:
    number: 2/2021/NĐ-CP
    from: 2021-02-30
- number: 54/2014/QH13
  title: Trùng
  status: replaced
  hieu_luc: 2020-01-01
`),
    ).toEqual([
      '_legal.yml:6: các lần sửa đổi phải ghi theo thứ tự ngày: 90/2025/QH15 (2025-07-01) đứng sau 11/2026/QH16 (2027-03-01)',
      '_legal.yml:11: "until" (2025-06-30) trước ngày có hiệu lực "effective" (2025-07-01)',
      '_legal.yml:16: "from" không phải ngày hợp lệ dạng NĂM-THÁNG-NGÀY: "2021-02-30"',
      '_legal.yml:19: bỏ "status": hiệu lực được tính theo ngày — dùng replaced_by, amended_by, repealed, until',
      '_legal.yml:20: trường lạ "hieu_luc" (xem hướng dẫn ở đầu tệp)',
    ]);
    expect(errorsOf('- number: 54/2014/QH13\n  title: A\n- number: 54/2014/qh13\n  title: B\n')).toEqual(['_legal.yml:3: "54/2014/qh13" đã có ở dòng 1']);
  });

  it('finds the documents a legal_basis line cites; articles belong to the first one', () => {
    const { register } = parseLegalRegistry('_legal.yml', REGISTER);
    const cited = citedDocuments('Nghị định 128/2020/NĐ-CP, sửa đổi bởi Nghị định 102/2021/NĐ-CP, Điều 5, 6 và 10', register.documents);
    expect(cited.map((c) => [c.doc.number, c.articles])).toEqual([
      ['128/2020/NĐ-CP', ['Điều 5', 'Điều 6', 'Điều 10']],
      ['102/2021/NĐ-CP', []],
    ]);
    expect(citedDocuments('Luật Hải quan 54/2014/QH13, Điều 24 khoản 3', register.documents).map((c) => c.articles)).toEqual([['Điều 24']]);
    expect(citedDocuments('Thông tư 85/2019/TT-BTC về phí', register.documents)).toEqual([]);
  });

  it('a partial change touches citations of its articles or of the whole document, not of other articles', () => {
    const { register } = parseLegalRegistry('_legal.yml', REGISTER);
    const repeal = register.documents[1]!.changes[0]!;
    expect(changeTouches(repeal, ['Điều 2'])).toBe(true);
    expect(changeTouches(repeal, [])).toBe(true);
    expect(changeTouches(repeal, ['Điều 3'])).toBe(false);
  });
});
