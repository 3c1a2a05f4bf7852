import { describe, expect, it } from 'vitest';
import { decide, DEFAULT_THRESHOLDS } from '../../src/matching/decide.js';
import { buildIndex, type IndexableEntry } from '../../src/matching/index.js';
import { fitScorer, scoreLearned, trainScorer, type LearnedModel } from '../../src/matching/learned.js';
import { normalize } from '../../src/matching/normalize.js';
import { search, type Candidate, type SearchResult } from '../../src/matching/search.js';

const words = (text: string) => normalize(text).content.map((t) => t.text);

const ENTRIES: IndexableEntry[] = [
  {
    id: 'gio',
    questions: ['Giờ làm việc của hải quan?', 'hải quan làm việc mấy giờ', 'thứ bảy có làm việc không', 'mấy giờ mở cửa', 'lịch làm việc cuối tuần', 'trưa có nghỉ không'],
    tags: [],
    body: 'Từ thứ Hai đến thứ Sáu.',
  },
  {
    id: 'hoan',
    questions: ['Hồ sơ hoàn thuế nhập khẩu?', 'hoàn thuế nhập khẩu thế nào', 'nộp thừa thuế thì xin lại', 'hàng tái xuất được hoàn thuế không', 'lấy lại tiền thuế đã nộp', 'hồ sơ đề nghị hoàn thuế'],
    tags: [],
    body: 'Hồ sơ gồm công văn đề nghị hoàn thuế.',
  },
  {
    id: 'kiem-dich',
    questions: ['Kiểm dịch thực vật hàng nông sản?', 'xuất hoa quả có phải kiểm dịch', 'mã số vùng trồng', 'giấy kiểm dịch thực vật xin ở đâu', 'kiểm dịch gạo nhập khẩu', 'cơ sở đóng gói trái cây'],
    tags: [],
    body: 'Đăng ký kiểm dịch tại cơ quan kiểm dịch thực vật.',
  },
];
const OUT_OF_SCOPE = ['giá vàng hôm nay', 'thời tiết ngày mai thế nào', 'làm hộ chiếu ở đâu', 'tra cứu phạt nguội xe máy', 'lãi suất ngân hàng', 'đăng ký kết hôn cần giấy tờ gì'];

const train = () => fitScorer(ENTRIES.map((e) => e.questions.map(words)), OUT_OF_SCOPE.map(words));
const probabilities = (model: LearnedModel, text: string) => {
  const s = scoreLearned(model, words(text), [0, 1, 2]);
  return { gio: s.probability(0), hoan: s.probability(1), kiemDich: s.probability(2), none: s.none, best: s.best };
};

describe('learned scorer', () => {
  it('is a logistic model at this size, and deterministic: the same questions give the same weights', () => {
    const a = train();
    const b = train();
    expect(a.kind).toBe('logistic');
    if (a.kind !== 'logistic' || b.kind !== 'logistic') return;
    expect(Array.from(a.logistic.weights)).toEqual(Array.from(b.logistic.weights));
    expect(Array.from(a.logistic.bias)).toEqual(Array.from(b.logistic.bias));
  });

  it('recognises a new phrasing of an entry, typos included, and gives other agencies\' questions to "none"', () => {
    const model = train();
    const slipped = probabilities(model, 'xin lại tiền thue da nop thua');
    expect(slipped.best[0]).toBe(1);
    expect(slipped.hoan).toBeGreaterThan(slipped.none);
    const outside = probabilities(model, 'giá vàng nhẫn hôm nay bao nhiêu');
    expect(outside.none).toBeGreaterThan(Math.max(outside.gio, outside.hoan, outside.kiemDich));
  });

  it('reuses the model trained on identical input (a reload that changed nothing, servers started on the same files)', () => {
    const input = [ENTRIES.map((e) => e.questions.map(words)), OUT_OF_SCOPE.map(words)] as const;
    expect(trainScorer(...input)).toBe(trainScorer(...input));
    expect(trainScorer(input[0], [])).not.toBe(trainScorer(...input));
  });

  it('falls back to nearest prototypes scored on the shortlist when the regression would cost too much to train', () => {
    // 2,000 entries of one question each: 2,000 × 2,001 exceeds the logistic budget.
    const many = Array.from({ length: 2000 }, (_, i) => [[`mat`, `hang`, `so`, `${i}`]]);
    const model = fitScorer([ENTRIES[0]!.questions.map(words), ...many], OUT_OF_SCOPE.map(words));
    expect(model.kind).toBe('prototypes');
    const scores = scoreLearned(model, words('hải quan làm việc mấy giờ'), [0, 5]);
    expect(scores.best).toEqual([0, 5]);
    expect(scores.probability(0)).toBeGreaterThan(scores.probability(5));
    expect(scores.probability(7)).toBe(0); // not in the shortlist: not scored
  });

  it('is part of the index, and search shows its view beside the engine', () => {
    const index = buildIndex(ENTRIES, OUT_OF_SCOPE);
    const result = search(index, 'hoàn thuế nhập khẩu hồ sơ gồm gì');
    expect(result.candidates[0]).toMatchObject({ id: 'hoan' });
    expect(result.candidates[0]!.learned).toBeGreaterThan(0.5);
    expect(result.candidates[0]!.combined).toBeCloseTo(result.candidates[0]!.score + 0.5 * result.candidates[0]!.learned, 2);
    expect(result.learned.best[0]).toMatchObject({ id: 'hoan' });
    expect(result.learned.none).toBeLessThan(0.5);
  });
});

describe('decision rule', () => {
  const candidate = (id: string, over: Partial<Candidate> = {}): Candidate => ({
    id,
    score: 0.8,
    matched: id,
    queryCoverage: 1,
    questionCoverage: 0.6,
    keyCoverage: 0.5,
    learned: 0.5,
    combined: 1.05,
    ...over,
  });
  const result = (candidates: Candidate[], confidence: number): SearchResult => ({
    candidates,
    words: [],
    nothingKnown: false,
    distinctiveness: 0.3,
    unknownShare: 0,
    confidence,
    learned: { best: [], none: 0 },
  });

  it('answers a confident best entry, suggests below the answer threshold, hands over below the suggestion threshold', () => {
    const clear = [candidate('a', { learned: 0.9, combined: 1.25 }), candidate('b', { queryCoverage: 0.7, combined: 0.9 })];
    expect(decide(result(clear, 0.9))).toMatchObject({ kind: 'answer', entry: { id: 'a' } });
    expect(decide(result(clear, DEFAULT_THRESHOLDS.answer - 0.01))).toMatchObject({ kind: 'suggest' });
    expect(decide(result(clear, DEFAULT_THRESHOLDS.suggest - 0.01))).toMatchObject({ kind: 'none', reason: 'low-confidence' });
  });

  it('never answers a tie', () => {
    const tie = [candidate('a', { combined: 1.05 }), candidate('b', { combined: 1.04, queryCoverage: 0.5 })];
    expect(decide(result(tie, 0.95)).kind).toBe('suggest');
  });

  it('asks when the runner-up explains a short message as fully, unless the learned scorer is sure', () => {
    const both = (learned: number) => [candidate('a', { learned, combined: 1.3 }), candidate('b', { queryCoverage: 1, combined: 0.9 })];
    expect(decide(result(both(DEFAULT_THRESHOLDS.ambiguous - 0.05), 0.95)).kind).toBe('suggest');
    expect(decide(result(both(DEFAULT_THRESHOLDS.ambiguous + 0.05), 0.95)).kind).toBe('answer');
    // A long message describing a situation is not ambiguous because another entry shares its words.
    const long = { ...result(both(DEFAULT_THRESHOLDS.ambiguous - 0.05), 0.95), words: Array.from({ length: DEFAULT_THRESHOLDS.ambiguousUpTo + 1 }, () => ({ typed: 'x', as: ['x'], kind: 'known' as const, spelling: null })) };
    expect(decide(long).kind).toBe('answer');
  });

  it('asks the learned scorer to be surer still when a message of a few words names a topic several entries cover', () => {
    const word = { typed: 'x', as: ['x'], kind: 'known' as const, spelling: null };
    const topic = (learned: number, rivals: number) => ({
      ...result([candidate('a', { learned, combined: 1.15 }), ...Array.from({ length: rivals }, (_, i) => candidate(`r${i}`, { queryCoverage: 1, combined: 0.9 }))], 0.95),
      words: [word, word, word],
    });
    const justSure = DEFAULT_THRESHOLDS.ambiguous + 0.05;
    expect(decide(topic(justSure, 1)).kind).toBe('answer');
    expect(decide(topic(justSure, 2)).kind).toBe('suggest');
    expect(decide(topic(DEFAULT_THRESHOLDS.ambiguous + 0.2, 2)).kind).toBe('answer');
  });
});
