import type { Candidate, SearchResult } from './search.js';

/** Thresholds of the decision rule, on the calibrated confidence; configurable through the environment. */
export interface DecisionThresholds {
  /** Answer only from this confidence up (the calibrated probability that the best entry is right)… */
  readonly answer: number;
  /** …and only when the runner-up's combined score is at least this far behind (ties are never answered)… */
  readonly margin: number;
  /**
   * …and, when the runner-up explains every word of the message as well as the best entry does ("thuế nhập khẩu":
   * deadlines, exemptions or rates?), only when the learned scorer gives the best entry at least this probability.
   */
  readonly ambiguous: number;
  /**
   * The rule above applies to messages of at most this many content words: a long message describing a situation
   * mentions several topics, so that another entry also explains its words does not make the question ambiguous.
   */
  readonly ambiguousUpTo: number;
  /** Below `answer` but from this confidence up: offer choices. Below it: offer a hand-over. */
  readonly suggest: number;
  /** Choices offered at most. */
  readonly maxSuggestions: number;
}

export const DEFAULT_THRESHOLDS: DecisionThresholds = {
  answer: 0.65,
  margin: 0.02,
  ambiguous: 0.6,
  ambiguousUpTo: 12,
  suggest: 0.15,
  maxSuggestions: 3,
};

/** How far behind the best entry's combined score a rival still counts as close. */
const RIVAL_DISTANCE = 0.3;
/** Messages of at most this many content words can be a bare topic. */
const TOPIC_WORDS = 3;
/** What a bare topic adds to the learned probability the best entry needs. */
const TOPIC_EXTRA = 0.1;

export type MatchDecision =
  | { readonly kind: 'answer'; readonly entry: Candidate }
  | { readonly kind: 'suggest'; readonly choices: readonly Candidate[] }
  | { readonly kind: 'none'; readonly reason: 'nothing-known' | 'low-confidence' };

/**
 * Answer one entry when the calibrated confidence says it is right; offer the close ones as choices when unsure;
 * otherwise say nothing from the FAQ. The confidence already weighs everything the engine and the learned scorer
 * know (coverage, margins, key words, unknown words, the learned probabilities: see calibration.ts); the rule adds
 * only that a tie is never answered, nor a message that fits the runner-up just as well unless the learned scorer
 * is sure. A wrong legal answer costs more than a question back: the answer
 * threshold is set for precision (see README "Matching").
 */
export function decide(result: SearchResult, t: DecisionThresholds = DEFAULT_THRESHOLDS): MatchDecision {
  const [top, second] = result.candidates;
  if (result.nothingKnown || top === undefined) return { kind: 'none', reason: 'nothing-known' };
  const margin = top.combined - (second?.combined ?? 0);
  // The runner-up explaining every word of the message as well as the best one makes it a near-duplicate. Two or
  // more close entries doing so for a message of a few words mean it names a topic ("thuế nhập khẩu": rates, exemptions or deadlines?)
  // rather than asks one of its questions, so the learned scorer must be surer still.
  const rivals = result.candidates.slice(1).filter((c) => c.queryCoverage >= top.queryCoverage && c.combined >= top.combined - RIVAL_DISTANCE).length;
  const namesATopic = rivals >= 2 && result.words.length <= TOPIC_WORDS;
  const toldApart =
    !second || result.words.length > t.ambiguousUpTo || second.queryCoverage < top.queryCoverage || top.learned >= t.ambiguous + (namesATopic ? TOPIC_EXTRA : 0);
  if (result.confidence >= t.answer && margin >= t.margin && toldApart) return { kind: 'answer', entry: top };
  if (result.confidence >= t.suggest) {
    // Offer what the engine finds about as close as the best (the learned scorer picks one entry, not a set), or what
    // the learned scorer itself finds likely; never a long tail of weak matches.
    const choices = result.candidates.filter((c) => c === top || c.score >= top.score - 0.2 || c.learned >= 0.2).slice(0, t.maxSuggestions);
    return { kind: 'suggest', choices };
  }
  return { kind: 'none', reason: 'low-confidence' };
}
