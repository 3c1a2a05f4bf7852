import type { Candidate, SearchResult } from './search.js';

/** Thresholds of the decision rule; configurable through the environment (see config.ts). */
export interface DecisionThresholds {
  /** Answer only from this confidence up… */
  readonly answer: number;
  /** …and only when the runner-up is at least this far behind. */
  readonly margin: number;
  /** Below `answer` but from this confidence up: offer choices. Below it: hand over. */
  readonly suggest: number;
  /**
   * The best candidate must also own some of the message: at least this share of its weight must be words the
   * runner-up does not have, unless it leads by `clearMargin`. Otherwise the message fits both and we ask.
   */
  readonly distinctiveness: number;
  readonly clearMargin: number;
  /** Choices offered at most. */
  readonly maxSuggestions: number;
}

export const DEFAULT_THRESHOLDS: DecisionThresholds = {
  answer: 0.6,
  margin: 0.05,
  suggest: 0.4,
  distinctiveness: 0.04,
  clearMargin: 0.15,
  maxSuggestions: 3,
};

export type MatchDecision =
  | { readonly kind: 'answer'; readonly entry: Candidate }
  | { readonly kind: 'suggest'; readonly choices: readonly Candidate[] }
  | { readonly kind: 'none'; readonly reason: 'nothing-known' | 'low-confidence' };

/**
 * The rule measured in ../shared/notes/vietnamese-matching.md: answer one confident entry that clearly beats the
 * next; offer the close ones as choices; otherwise say nothing from the FAQ. A wrong legal answer costs more
 * than a question back, so ties go to "suggest".
 */
export function decide(result: SearchResult, t: DecisionThresholds = DEFAULT_THRESHOLDS): MatchDecision {
  const [top, second] = result.candidates;
  if (result.nothingKnown || top === undefined) return { kind: 'none', reason: 'nothing-known' };
  const margin = top.score - (second?.score ?? 0);
  const owned = result.distinctiveness >= t.distinctiveness || margin >= t.clearMargin;
  if (top.score >= t.answer && margin >= t.margin && owned) return { kind: 'answer', entry: top };
  if (top.score >= t.suggest) {
    // Offer what is close to the best, never a long tail of weak matches.
    const floor = Math.max(t.suggest * 0.75, top.score - 0.2);
    const choices = result.candidates.filter((c) => c.score >= floor).slice(0, t.maxSuggestions);
    return { kind: 'suggest', choices };
  }
  return { kind: 'none', reason: 'low-confidence' };
}
