import { describe, expect, it } from 'vitest';
import { buildIndex, buildIndexInParallel, type IndexableEntry } from '../../src/matching/index.js';
import { fitScorer } from '../../src/matching/learned.js';
import { normalize } from '../../src/matching/normalize.js';
import { search } from '../../src/matching/search.js';
import { trainInWorker } from '../../src/matching/train-in-worker.js';
import { answerWords, contentWords } from '../../src/matching/build-input.js';

// Enough entries for the prototype model (the one large knowledge bases get), few enough to train in a moment.
const ENTRIES: IndexableEntry[] = Array.from({ length: 400 }, (_, i) => ({
  id: `muc-${i}`,
  questions: [`thủ tục nhập khẩu mặt hàng số ${i}`, `hàng ${i} nhập khẩu cần giấy tờ gì`, `nhap khau hang ${i} the nao`, ''],
  tags: [`hàng ${i}`],
  body: `Mặt hàng ${i} làm thủ tục tại Chi cục.`,
}));
const OUT_OF_SCOPE = ['giá vàng hôm nay', 'thời tiết ngày mai', 'đăng ký kết hôn'];

describe('training in a worker thread', () => {
  it('reads the answers and part of the questions, and trains the very model the main thread would', async () => {
    const entries = ENTRIES.map((e) => e.questions.map(contentWords).filter((w) => w.length > 0));
    const inline = fitScorer(entries, OUT_OF_SCOPE.map(contentWords));
    const worker = trainInWorker({ questions: ENTRIES.map((e) => e.questions), outOfScope: OUT_OF_SCOPE, answers: ENTRIES.map((e) => e.body), split: 150 });
    const spelled = (words: readonly { text: string; spelling: string | null }[]) => words.map(({ text, spelling }) => ({ text, spelling }));
    expect((await worker.answers).map(spelled)).toEqual(ENTRIES.map((e) => spelled(answerWords(e.body))));
    const normalized = await worker.questions;
    expect(normalized).toHaveLength(ENTRIES.length - 150);
    expect(normalized[3]!.map(spelled)).toEqual(ENTRIES[153]!.questions.map((q) => spelled(normalize(q).content)));
    const fromWorker = await worker.model;
    expect(fromWorker.kind).toBe('prototypes');
    expect(fromWorker).toEqual(inline);
  });

  it('builds the same index as the single-threaded build, and it answers the same', async () => {
    const parallel = await buildIndexInParallel(ENTRIES, OUT_OF_SCOPE, 1);
    const single = buildIndex(ENTRIES, OUT_OF_SCOPE);
    expect(parallel.learned).toEqual(single.learned);
    expect([...parallel.features]).toEqual([...single.features]);
    expect([...parallel.bodyPostings.values]).toEqual([...single.bodyPostings.values]);
    expect(parallel.accents).toEqual(single.accents);
    expect(search(parallel, 'hang 123 nhap khau can giay to gi').candidates[0]?.id).toBe('muc-123');
  });

  it('rejects, instead of hanging, when the worker is stopped before it sends a model', async () => {
    const training = trainInWorker({ questions: ENTRIES.map((e) => e.questions), outOfScope: OUT_OF_SCOPE, answers: ENTRIES.map((e) => e.body), split: 150 });
    training.cancel();
    await expect(training.model).rejects.toThrow(/training worker stopped/);
  });
});
