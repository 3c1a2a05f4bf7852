import { EMPTY_STATE, respond, type RespondContext } from '../conversation/respond.js';
import type { Decision } from '../conversation/types.js';

export interface EvalCase {
  readonly q: string;
  /** The entry that must answer, or null when no FAQ answer is acceptable. */
  readonly expect: string | null;
}

export interface EvalResult {
  readonly q: string;
  readonly decision: Decision;
  readonly id: string | null;
  readonly suggestions: readonly string[];
  readonly score: number;
}

export interface EvalSummary {
  readonly total: number;
  readonly inScope: number;
  readonly outOfScope: number;
  /** Answered with the expected entry / in-scope questions. */
  readonly top1: number;
  /** Answered with another entry / in-scope questions. */
  readonly wrong: number;
  /** Suggested, expected entry among the choices / in-scope questions. */
  readonly suggestionHit: number;
  /** Answered with any entry / out-of-scope questions. */
  readonly falseAnswer: number;
  readonly misses: ReadonlyArray<{ case: EvalCase; result: EvalResult }>;
}

/** Each question is asked in a fresh conversation, through the same conversation layer the channels use. */
export function evaluateOne(c: EvalCase, ctx: RespondContext): EvalResult {
  const { outcome } = respond(
    { channel: 'cli', userId: 'eval', messageId: 'eval', timestamp: ctx.now, kind: 'text', text: c.q },
    EMPTY_STATE,
    ctx,
  );
  return { q: c.q, decision: outcome.decision, id: outcome.entryId, suggestions: outcome.suggestions, score: outcome.score };
}

export function summarize(cases: readonly EvalCase[], results: readonly EvalResult[]): EvalSummary {
  let top1 = 0;
  let wrong = 0;
  let suggestionHit = 0;
  let falseAnswer = 0;
  const misses: Array<{ case: EvalCase; result: EvalResult }> = [];
  cases.forEach((c, i) => {
    const r = results[i]!;
    if (c.expect === null) {
      if (r.decision === 'answer') {
        falseAnswer++;
        misses.push({ case: c, result: r });
      }
      return;
    }
    if (r.decision === 'answer' && r.id === c.expect) top1++;
    else {
      if (r.decision === 'answer') wrong++;
      else if (r.decision === 'suggest' && r.suggestions.includes(c.expect)) suggestionHit++;
      misses.push({ case: c, result: r });
    }
  });
  const inScope = cases.filter((c) => c.expect !== null).length;
  const outOfScope = cases.length - inScope;
  const ratio = (n: number, d: number) => (d === 0 ? 0 : n / d);
  return {
    total: cases.length,
    inScope,
    outOfScope,
    top1: ratio(top1, inScope),
    wrong: ratio(wrong, inScope),
    suggestionHit: ratio(suggestionHit, inScope),
    falseAnswer: ratio(falseAnswer, outOfScope),
    misses,
  };
}

/** Parses a JSONL eval file; reports the line number of a malformed line. */
export function parseEvalFile(text: string, name: string): EvalCase[] {
  const cases: EvalCase[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${name}:${i + 1}: dòng không phải JSON hợp lệ`);
    }
    const v = value as { q?: unknown; expect?: unknown };
    if (typeof v.q !== 'string' || !(typeof v.expect === 'string' || v.expect === null)) {
      throw new Error(`${name}:${i + 1}: cần {"q": "...", "expect": "<id>" | null}`);
    }
    cases.push({ q: v.q, expect: v.expect });
  });
  return cases;
}
