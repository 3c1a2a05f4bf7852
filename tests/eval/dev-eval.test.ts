import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateOne, parseEvalFile, summarize } from '../../src/cli/eval-core.js';
import { DEFAULT_FOOTER } from '../../src/conversation/answer.js';
import { loadKnowledge, type Knowledge } from '../../src/conversation/knowledge.js';
import { DEFAULT_THRESHOLDS } from '../../src/matching/decide.js';

let knowledge: Knowledge;
beforeAll(async () => {
  knowledge = await loadKnowledge(path.resolve('knowledge'));
});

async function run(file: string) {
  const cases = parseEvalFile(await readFile(file, 'utf8'), file);
  const ctx = { knowledge, thresholds: DEFAULT_THRESHOLDS, footer: DEFAULT_FOOTER, now: Date.now() };
  return summarize(cases, cases.map((c) => evaluateOne(c, ctx)));
}

const report = (s: Awaited<ReturnType<typeof run>>) =>
  s.misses.map((m) => `${m.case.q} → ${m.result.decision} ${m.result.id ?? m.result.suggestions.join(',')} (cần ${m.case.expect})`).join('\n');

describe('answer quality on the shipped knowledge base', () => {
  // The development sample from ../shared/eval (copied here so CI needs nothing beside the clone).
  it('dev sample: top-1 ≥ 0.90, wrong ≤ 0.03, false answers ≤ 0.05', async () => {
    const s = await run('tests/fixtures/eval/dev.jsonl');
    expect(s.total).toBe(107);
    expect(s.top1, report(s)).toBeGreaterThanOrEqual(0.9);
    expect(s.wrong, report(s)).toBeLessThanOrEqual(0.03);
    expect(s.falseAnswer, report(s)).toBeLessThanOrEqual(0.05);
  });

  // A second sample written independently of the knowledge base (5 styles per topic, including long situational
  // messages and adversarial out-of-scope questions): a regression guard, not a target.
  it('independent sample: top-1 ≥ 0.75, wrong ≤ 0.03, false answers ≤ 0.10', async () => {
    const s = await run('tests/fixtures/eval/independent.jsonl');
    expect(s.total).toBe(270);
    expect(s.top1, report(s)).toBeGreaterThanOrEqual(0.75);
    expect(s.wrong, report(s)).toBeLessThanOrEqual(0.03);
    expect(s.falseAnswer, report(s)).toBeLessThanOrEqual(0.1);
  });
});
