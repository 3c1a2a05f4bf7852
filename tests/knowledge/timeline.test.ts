import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/load.js';
import { legalNews } from '../../src/knowledge/news.js';
import { judgeTimeline } from '../../src/knowledge/timeline.js';
import type { KnowledgeBase } from '../../src/knowledge/types.js';
import { CATEGORIES, entry, VARIABLES, writeKnowledge } from '../helpers/kb.js';

const LEGAL = `- number: 128/2020/NĐ-CP
  title: Nghị định xử phạt hải quan (2020)
  replaced_by:
    number: 169/2026/NĐ-CP
    from: 2026-07-01
- number: 169/2026/NĐ-CP
  title: Nghị định xử phạt hải quan
  effective: 2026-07-01
- number: 102/2021/NĐ-CP
  title: Nghị định sửa đổi các nghị định xử phạt
  repealed:
    - from: 2026-07-01
      by: 169/2026/NĐ-CP
      articles: [Điều 2]
- number: 174/2025/NĐ-CP
  title: Nghị định giảm thuế GTGT
  effective: 2025-07-01
  until: 2026-12-31
- number: 54/2014/QH13
  title: Luật Hải quan
  amended_by:
    - number: 11/2026/QH16
      from: 2027-03-01
      articles: [Điều 29]
- number: 11/2026/QH16
  title: Luật sửa đổi Luật Hải quan
  effective: 2027-03-01
- number: 142/2026/TT-BTC
  title: Thông tư về hàng gửi qua chuyển phát nhanh
  effective: 2026-11-16
  topics: [qua-bieu]
`;

let base: KnowledgeBase;

beforeAll(async () => {
  const dir = await writeKnowledge({
    '_variables.yml': VARIABLES,
    '_categories.yml': CATEGORIES,
    '_legal.yml': LEGAL,
    'thu-tuc/cu.md': entry({ id: 'cu', legal: ['Nghị định 128/2020/NĐ-CP'] }),
    'thu-tuc/moi.md': entry({ id: 'moi', legal: ['Nghị định 169/2026/NĐ-CP (thay thế Nghị định 128/2020/NĐ-CP)'] }),
    'thu-tuc/dieu2.md': entry({ id: 'dieu2', legal: ['Nghị định 102/2021/NĐ-CP, Điều 2'] }),
    'thu-tuc/dieu3.md': entry({ id: 'dieu3', legal: ['Nghị định 102/2021/NĐ-CP, Điều 3'] }),
    'thu-tuc/ca-nghi-dinh.md': entry({ id: 'ca-nghi-dinh', legal: ['Nghị định 102/2021/NĐ-CP'] }),
    'thue/vat.md': entry({ id: 'vat', legal: ['Nghị định 174/2025/NĐ-CP'], body: 'Chung.\n\n::: đến 2026-12-31\nGiảm còn 8%.\n:::\n\n::: từ 2027-01-01\nHết giảm.\n:::' }),
    'thu-tuc/khai-bo-sung.md': entry({ id: 'khai-bo-sung', legal: ['Luật Hải quan 54/2014/QH13, Điều 29'] }),
    'thu-tuc/phan-luong.md': entry({ id: 'phan-luong', legal: ['Luật Hải quan 54/2014/QH13, Điều 30'] }),
    'thu-tuc/tam-thoi.md': entry({ id: 'tam-thoi', extra: 'valid_until: 2026-11-29' }),
    'thu-tuc/sap-dung.md': entry({ id: 'sap-dung', extra: 'valid_from: 2026-12-10' }),
    'thu-tuc/luat-moi.md': entry({ id: 'luat-moi', legal: ['Luật 11/2026/QH16 sửa đổi Luật Hải quan'] }),
    'thue/qua-bieu.md': entry({ id: 'qua-bieu' }),
  });
  base = await loadKnowledgeBase(dir);
});

const ids = (xs: ReadonlyArray<{ entry: { id: string } }>) => xs.map((x) => x.entry.id).sort();

describe('the timeline judged on a day', () => {
  it('a replacement applies from its day: before, the citation is fine; from that day, out of date unless the replacement is cited too', () => {
    expect(ids(judgeTimeline(base.entries, base.legal, '2026-06-30', 0).outdated)).toEqual([]);
    const onTheDay = judgeTimeline(base.entries, base.legal, '2026-07-01', 0).outdated;
    expect(onTheDay.map((o) => [o.entry.id, o.doc.number, o.change.kind, o.change.by, o.change.from, o.partial])).toEqual([
      // Citing the decree as a whole: only part of it is gone, the admin is asked to check which part is cited.
      ['ca-nghi-dinh', '102/2021/NĐ-CP', 'repealed', '169/2026/NĐ-CP', '2026-07-01', true],
      ['cu', '128/2020/NĐ-CP', 'replaced', '169/2026/NĐ-CP', '2026-07-01', false],
      ['dieu2', '102/2021/NĐ-CP', 'repealed', '169/2026/NĐ-CP', '2026-07-01', false],
    ]);
    // Điều 3 of the decree was not repealed; the entry citing the replacement is up to date.
    expect(onTheDay.some((o) => o.entry.id === 'dieu3' || o.entry.id === 'moi')).toBe(false);
  });

  it('a time-limited document is cited correctly through its last day and out of date the day after', () => {
    expect(judgeTimeline(base.entries, base.legal, '2026-12-31', 0).outdated.some((o) => o.entry.id === 'vat')).toBe(false);
    const after = judgeTimeline(base.entries, base.legal, '2027-01-01', 0).outdated.filter((o) => o.entry.id === 'vat');
    expect(after.map((o) => [o.change.kind, o.change.from])).toEqual([['expires', '2027-01-01']]);
  });

  it('reports changes within the lookahead with the citations they touch; a partial amendment touches only its articles', () => {
    const t = judgeTimeline(base.entries, base.legal, '2027-01-20', 45);
    // Citations of Điều 29 and of the whole law (the helper's default legal basis); not phan-luong's Điều 30.
    expect(t.upcoming.map((u) => [u.doc.number, u.change.kind, u.change.from, u.inDays, u.citations.map((c) => c.entry.id)])).toEqual([
      ['54/2014/QH13', 'amended', '2027-03-01', 40, ['khai-bo-sung', 'sap-dung', 'tam-thoi', 'qua-bieu']],
    ]);
    expect(judgeTimeline(base.entries, base.legal, '2027-01-14', 45).upcoming).toEqual([]);
  });

  it('a citation of a document not yet in force is reported until its day', () => {
    expect(ids(judgeTimeline(base.entries, base.legal, '2027-02-28', 0).notYetInForce)).toEqual(['luat-moi']);
    expect(judgeTimeline(base.entries, base.legal, '2027-03-01', 0).notYetInForce).toEqual([]);
  });

  it('dated statements: ending and starting within the lookahead, ended once past', () => {
    const before = judgeTimeline(base.entries, base.legal, '2026-12-01', 45).statements.map((s) => [s.entry.id, s.state, s.day, s.inDays]);
    expect(before).toEqual([
      ['vat', 'ends', '2027-01-01', 31],
      ['vat', 'starts', '2027-01-01', 31],
    ]);
    expect(judgeTimeline(base.entries, base.legal, '2026-11-01', 45).statements).toEqual([]);
    const after = judgeTimeline(base.entries, base.legal, '2027-01-02', 45).statements.map((s) => [s.entry.id, s.state, s.part.until]);
    expect(after).toEqual([['vat', 'ended', '2026-12-31']]);
  });

  it('entries outside their validity: expired the day after valid_until, starting on valid_from', () => {
    const t = judgeTimeline(base.entries, base.legal, '2026-11-30', 45);
    expect(t.entries.map((e) => [e.entry.id, e.state, e.day])).toEqual([
      ['sap-dung', 'starts', '2026-12-10'],
      ['tam-thoi', 'expired', '2026-11-30'],
    ]);
    const dayBefore = judgeTimeline(base.entries, base.legal, '2026-11-29', 0);
    expect(dayBefore.entries.map((e) => [e.entry.id, e.state])).toEqual([['sap-dung', 'not-yet']]);
  });
});

describe('what is new in the register', () => {
  it('documents of the last and next 90 days, with what they change and the entries they concern', () => {
    const news = legalNews(base.entries, base.legal, '2026-11-30');
    expect(news.recent.map((i) => [i.kind, i.day, i.number, i.entries.map((e) => e.id)])).toEqual([['effective', '2026-11-16', '142/2026/TT-BTC', ['qua-bieu']]]);
    expect(news.upcoming.map((i) => [i.kind, i.day, i.number, i.entries.map((e) => e.id)])).toEqual([['expires', '2026-12-31', '174/2025/NĐ-CP', ['vat']]]);
  });

  it('a document taking effect lists what it replaces or repeals and the entries citing those', () => {
    const news = legalNews(base.entries, base.legal, '2026-08-01');
    const decree = news.recent.find((i) => i.number === '169/2026/NĐ-CP')!;
    expect(decree.changes).toEqual([
      { kind: 'replaced', number: '128/2020/NĐ-CP', articles: [] },
      { kind: 'repealed', number: '102/2021/NĐ-CP', articles: ['Điều 2'] },
    ]);
    expect(decree.entries.map((e) => e.id).sort()).toEqual(['ca-nghi-dinh', 'cu', 'dieu2', 'moi']);
    // 90 days later it is no longer news.
    expect(legalNews(base.entries, base.legal, '2026-09-30').recent.some((i) => i.number === '169/2026/NĐ-CP')).toBe(false);
  });
});
