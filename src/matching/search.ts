import type { MatchIndex } from './index.js';
import { normalize, type Token } from './normalize.js';
import { isVietnameseSyllable } from './syllable.js';
import { telexCandidates } from './telex.js';

/** How a query word was understood. */
export type WordKind = 'known' | 'split' | 'telex' | 'corrected' | 'unknown' | 'accent-mismatch';

export interface QueryWord {
  /** What the normaliser produced (folded). */
  readonly typed: string;
  /** The known word(s) it was matched as; empty when unknown. */
  readonly as: readonly string[];
  readonly kind: WordKind;
  readonly accented: string | null;
}

export interface Candidate {
  readonly id: string;
  /** Confidence in 0..1 that this entry answers the question. */
  readonly score: number;
  /** The question string of the entry that matched best. */
  readonly matched: string;
}

export interface SearchResult {
  /** Best first; at most `limit`. */
  readonly candidates: readonly Candidate[];
  readonly words: readonly QueryWord[];
  /** True when no content word of the message is known to the knowledge base. */
  readonly nothingKnown: boolean;
  /**
   * Share (0..1) of the message's weight that speaks for the best candidate and not for the runner-up: 0 when
   * every word of the message fits both equally ("hạn nộp nhập khẩu": tax deadline or declaration deadline?).
   */
  readonly distinctiveness: number;
}

export interface ScoringOptions {
  /** Share of the score given to how much of the message is covered (the rest: how much of the question). */
  readonly queryCoverageShare: number;
  /** Credit for a message word found in another question or the tags of the same entry. */
  readonly sameEntryCredit: number;
  /** Credit for a message word found only in the entry's answer. */
  readonly answerCredit: number;
  /** Weight kept by a word recognised through typo correction. */
  readonly correctedCredit: number;
  /** Entries rescored in full after the cheap first pass. */
  readonly rescoreTop: number;
  readonly limit: number;
}

export const DEFAULT_SCORING: ScoringOptions = {
  queryCoverageShare: 0.6,
  sameEntryCredit: 0.75,
  answerCredit: 0.35,
  correctedCredit: 0.85,
  rescoreTop: 24,
  limit: 5,
};

interface QueryFeature {
  readonly id: number;
  readonly weight: number;
  /** For words whose spelling with accents tells entries apart (thuế/thuê): the entries allowed to match it. */
  readonly allowed: ((entry: number) => boolean) | null;
}

function isKnown(index: MatchIndex, word: string): boolean {
  return index.features.has(word);
}

/** "thongquan" → "thong quan" when both halves are words and the pair occurs in the knowledge base. */
function splitCompound(index: MatchIndex, word: string): string[] | null {
  for (let i = 2; i <= word.length - 2; i++) {
    const a = word.slice(0, i);
    const b = word.slice(i);
    if (index.features.has(`${a} ${b}`)) return [a, b];
  }
  return null;
}

/** fuse.js over the knowledge base's own words, for malformed words only (see syllable.ts). */
function correctTypo(index: MatchIndex, word: string): string | null {
  if (word.length < 5 || !/^[a-z]+$/.test(word) || isVietnameseSyllable(word)) return null;
  let best: { item: string; score: number } | null = null;
  for (const length of [word.length, word.length - 1, word.length + 1]) {
    const fuse = index.vocabulary.get(length);
    const hit = fuse?.search(word, { limit: 1 })[0];
    if (hit && hit.score !== undefined && (best === null || hit.score < best.score)) {
      best = { item: hit.item, score: hit.score };
    }
  }
  return best && best.score <= 0.3 ? best.item : null;
}

/** Each content word → the known word(s) it stands for. */
export function resolveWords(index: MatchIndex, tokens: readonly Token[]): QueryWord[] {
  return tokens.map((t): QueryWord => {
    const word = t.text;
    if (isKnown(index, word)) {
      const forms = index.accents.get(word);
      if (t.accented !== null && forms && forms.size > 0 && !forms.has(t.accented)) {
        return { typed: word, as: [], kind: 'accent-mismatch', accented: t.accented };
      }
      return { typed: word, as: [word], kind: 'known', accented: t.accented };
    }
    const split = splitCompound(index, word);
    if (split) return { typed: word, as: split, kind: 'split', accented: null };
    const telex = telexCandidates(word).find((c) => isKnown(index, c));
    if (telex) return { typed: word, as: [telex], kind: 'telex', accented: null };
    const corrected = correctTypo(index, word);
    if (corrected) return { typed: word, as: [corrected], kind: 'corrected', accented: null };
    return { typed: word, as: [], kind: 'unknown', accented: t.accented };
  });
}

function queryFeatures(index: MatchIndex, words: readonly QueryWord[], options: ScoringOptions) {
  const features = new Map<number, QueryFeature>();
  let total = 0;
  // Runs of known words give bigrams; an unknown word breaks the run.
  const run: Array<{ text: string; credit: number; accented: string | null }> = [];
  const flushRun = () => {
    run.forEach((w, i) => {
      const next = run[i + 1];
      if (!next) return;
      const id = index.features.get(`${w.text} ${next.text}`);
      if (id === undefined || features.has(id)) return;
      const weight = index.idf[id]! * Math.min(w.credit, next.credit);
      features.set(id, { id, weight, allowed: null });
      total += weight;
    });
    run.length = 0;
  };
  for (const w of words) {
    if (w.as.length === 0) {
      flushRun();
      total += w.kind === 'accent-mismatch' ? index.unknownIdf * 0.8 : index.unknownIdf;
      continue;
    }
    const credit = w.kind === 'corrected' ? options.correctedCredit : 1;
    for (const text of w.as) {
      const id = index.features.get(text)!;
      if (!features.has(id)) {
        const weight = index.idf[id]! * credit;
        features.set(id, { id, weight, allowed: accentFilter(index, text, w.accented) });
        total += weight;
      }
      run.push({ text, credit, accented: w.accented });
    }
  }
  flushRun();
  return { features, total };
}

function accentFilter(index: MatchIndex, word: string, accented: string | null): QueryFeature['allowed'] {
  if (accented === null) return null;
  const byEntry = index.entryAccents.get(word);
  if (!byEntry) return null;
  // An entry that writes this word only without accents, or with the user's accents, may match it.
  return (entry) => {
    const forms = byEntry.get(entry);
    return forms === undefined || forms.has(accented);
  };
}

/**
 * Scores FAQ entries for a message. Two passes: a cheap accumulation over posting lists picks the entries that
 * share the most weighted words with the message; those are rescored question by question with a two-way
 * coverage (how much of the message the question explains, and how much of the question the message says).
 */
export function search(index: MatchIndex, text: string, options: ScoringOptions = DEFAULT_SCORING): SearchResult {
  const { content } = normalize(text);
  const words = resolveWords(index, content);
  const nothingKnown = words.every((w) => w.as.length === 0);
  if (nothingKnown) return { candidates: [], words, nothingKnown, distinctiveness: 0 };

  const { features, total } = queryFeatures(index, words, options);
  const inQuestions = new Map<number, number>();
  const inBody = new Map<number, number>();
  for (const f of features.values()) {
    for (const e of index.questionPostings[f.id]!) {
      if (f.allowed && !f.allowed(e)) continue;
      inQuestions.set(e, (inQuestions.get(e) ?? 0) + f.weight);
    }
    for (const e of index.bodyPostings[f.id]!) {
      if (f.allowed && !f.allowed(e)) continue;
      inBody.set(e, (inBody.get(e) ?? 0) + f.weight);
    }
  }

  const firstPass = new Map<number, number>();
  for (const [e, w] of inQuestions) firstPass.set(e, w);
  for (const [e, w] of inBody) firstPass.set(e, (firstPass.get(e) ?? 0) + w * options.answerCredit);
  const shortlist = [...firstPass.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, options.rescoreTop)
    .map(([e]) => e);

  const scored: Array<Candidate & { entry: number }> = [];
  for (const e of shortlist) {
    const entryWeight = inQuestions.get(e) ?? 0;
    const bodyWeight = inBody.get(e) ?? 0;
    const [from, to] = index.entryQuestions[e]!;
    let best = -1;
    let matched = '';
    for (let q = from; q < to; q++) {
      const question = index.questions[q]!;
      let shared = 0;
      for (const id of question.features) {
        const f = features.get(id);
        if (f && (!f.allowed || f.allowed(e))) shared += f.weight;
      }
      if (shared === 0) continue;
      const explained = shared + options.sameEntryCredit * (entryWeight - shared) + options.answerCredit * bodyWeight;
      const queryCoverage = Math.min(1, explained / total);
      const questionCoverage = Math.min(1, shared / question.weight);
      const score =
        options.queryCoverageShare * queryCoverage + (1 - options.queryCoverageShare) * questionCoverage;
      if (score > best) {
        best = score;
        matched = question.text;
      }
    }
    if (best > 0) scored.push({ id: index.entryIds[e]!, score: round(best), matched, entry: e });
  }
  scored.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  const [first, second] = scored;
  const distinctiveness =
    first === undefined ? 0 : second === undefined ? 1 : evidenceFor(index, features, total, first.entry, second.entry, options);
  return {
    candidates: scored.slice(0, options.limit).map(({ id, score, matched }) => ({ id, score, matched })),
    words,
    nothingKnown,
    distinctiveness: round(distinctiveness),
  };
}

/** Sorted posting list membership. */
function contains(list: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function evidenceFor(
  index: MatchIndex,
  features: ReadonlyMap<number, QueryFeature>,
  total: number,
  winner: number,
  runnerUp: number,
  options: ScoringOptions,
): number {
  const credit = (f: QueryFeature, e: number) => {
    if (f.allowed && !f.allowed(e)) return 0;
    if (contains(index.questionPostings[f.id]!, e)) return 1;
    return contains(index.bodyPostings[f.id]!, e) ? options.answerCredit : 0;
  };
  let exclusive = 0;
  for (const f of features.values()) exclusive += f.weight * Math.max(0, credit(f, winner) - credit(f, runnerUp));
  return total === 0 ? 0 : exclusive / total;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
