import type { Candidate, SearchResult } from './search.js';

/** Thresholds of the decision rule, on the calibrated confidence; configurable through the environment. */
export interface DecisionThresholds {
  /** Answer only from this confidence up (the probability that the best entry is right)… */
  readonly answer: number;
  /** …and only when the runner-up's raw score is at least this far behind (ties are never answered). */
  readonly margin: number;
  /** Below `answer` but from this confidence up: offer choices. Below it: offer a hand-over. */
  readonly suggest: number;
  /**
   * The best candidate must own part of the message: at least this share of its weight must be words the runner-up
   * lacks, unless it leads by `clearMargin`. Otherwise the message fits both ("hạn nộp nhập khẩu": the tax deadline
   * or the declaration deadline?) and the user is asked.
   */
  readonly distinctiveness: number;
  readonly clearMargin: number;
  /**
   * And it must be about what the entry is about: contain at least this share of the entry's key words, or say
   * most of one of its questions (`closeQuestion`). "lịch nghỉ Tết của công ty" shares words with the Chinese side's
   * holiday schedule but never mentions the Chinese side.
   */
  readonly keyCoverage: number;
  readonly closeQuestion: number;
  /** Choices offered at most. */
  readonly maxSuggestions: number;
}

export const DEFAULT_THRESHOLDS: DecisionThresholds = {
  answer: 0.65,
  margin: 0.02,
  suggest: 0.25,
  distinctiveness: 0.04,
  clearMargin: 0.15,
  keyCoverage: 0.25,
  closeQuestion: 0.6,
  maxSuggestions: 3,
};

export type MatchDecision =
  | { readonly kind: 'answer'; readonly entry: Candidate }
  | { readonly kind: 'suggest'; readonly choices: readonly Candidate[] }
  | { readonly kind: 'none'; readonly reason: 'nothing-known' | 'low-confidence' };

/**
 * Answer one entry when the matcher is confident it is right; offer the close ones as choices when it is unsure;
 * otherwise say nothing from the FAQ. A wrong legal answer costs more than a question back, so doubt goes to
 * "suggest" and the answer threshold is set for precision (see README "Matching").
 */
export function decide(result: SearchResult, t: DecisionThresholds = DEFAULT_THRESHOLDS): MatchDecision {
  const [top, second] = result.candidates;
  if (result.nothingKnown || top === undefined) return { kind: 'none', reason: 'nothing-known' };
  const margin = top.score - (second?.score ?? 0);
  const owned = result.distinctiveness >= t.distinctiveness || margin >= t.clearMargin;
  const onTopic = top.keyCoverage >= t.keyCoverage || top.questionCoverage >= t.closeQuestion;
  if (result.confidence >= t.answer && margin >= t.margin && owned && onTopic) return { kind: 'answer', entry: top };
  if (result.confidence >= t.suggest) {
    // Offer what is close to the best, never a long tail of weak matches.
    const choices = result.candidates.filter((c) => c.score >= top.score - 0.2).slice(0, t.maxSuggestions);
    return { kind: 'suggest', choices };
  }
  return { kind: 'none', reason: 'low-confidence' };
}
