import type { MatchIndex } from './index.js';
import { calibratedConfidence, featureVector, type CalibrationModel, type SearchSignals } from './calibration.js';
import { CALIBRATION_MODEL } from './calibration-model.js';
import { FUNCTION_SPELLINGS, FUNCTION_WORDS } from './lexicon.js';
import { scoreLearned, type LearnedScores } from './learned.js';
import { normalize, type Token } from './normalize.js';
import { rowOf } from './packed-rows.js';
import { indexInSorted } from './sorted.js';
import { isVietnameseSyllable } from './syllable.js';
import { telexCandidates } from './telex.js';
import { soundAlike } from './sound-alike.js';
import { toneSlip } from './tone-slip.js';

/** How a query word was understood. */
export type WordKind =
  | 'known'
  | 'loose-accent'
  | 'split'
  | 'telex'
  | 'corrected'
  | 'unknown'
  /** A tone mark typed wrong: counts as the word the knowledge base spells otherwise, for less (see tone-slip.ts). */
  | 'tone-slip'
  /** An unknown word in the place of a goods, place or company name ("mặt hàng quế", "từ Quảng Châu"). */
  | 'name';

export interface QueryWord {
  /** What the normaliser produced (folded). */
  readonly typed: string;
  /** The known word(s) it was matched as; empty when unknown. */
  readonly as: readonly string[];
  readonly kind: WordKind;
  /** The spelling typed, when it tells something (see Token.spelling). */
  readonly spelling: string | null;
  /** For a tone slip: the knowledge base's spelling it stands for, when only one is possible. */
  readonly meant?: string | null;
}

export interface Candidate {
  readonly id: string;
  /** Confidence in 0..1 that this entry answers the question. */
  readonly score: number;
  /** The question string of the entry that matched best. */
  readonly matched: string;
  /** Share of the message's weight the entry explains, and of the matched question's weight the message says. */
  readonly queryCoverage: number;
  readonly questionCoverage: number;
  /** Share of the entry's key words (see MatchIndex.keyWords) the message contains. */
  readonly keyCoverage: number;
  /** The learned scorer's probability that this entry answers the message. */
  readonly learned: number;
  /** The engine's score plus the learned probability, weighted: what candidates are ranked by. */
  readonly combined: number;
}

/** The learned scorer's own reading of a message, shown beside the engine's signals. */
export interface LearnedView {
  /** Its most probable entries, best first. */
  readonly best: ReadonlyArray<{ readonly id: string; readonly probability: number }>;
  /** Its probability that the message is none of the entries. */
  readonly none: number;
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
  /** Share of the message's weight carried by words the knowledge base does not know. */
  readonly unknownShare: number;
  /**
   * Calibrated probability (0..1) that the best candidate answers the message (see calibration.ts); 0 when there
   * is no candidate. Candidates' own `score` only ranks them.
   */
  readonly confidence: number;
  readonly learned: LearnedView;
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
  /** Weight kept by a word whose tone mark was typed wrong. */
  readonly toneSlipCredit: number;
  /** Weight of a word the knowledge base never uses, as a share of the rarest known word's weight. */
  readonly unknownWeight: number;
  /** The same for an unknown word that names goods or a place: the question is about a procedure, not about it. */
  readonly nameWeight: number;
  /** Entries rescored in full after the cheap first pass. */
  readonly rescoreTop: number;
  /** The learned scorer's best entries are rescored too, even when the first pass missed them. */
  readonly learnedShortlist: number;
  /** Weight of the learned probability beside the engine's score when candidates are ranked. */
  readonly learnedWeight: number;
  readonly limit: number;
  readonly calibration: CalibrationModel;
}

export const DEFAULT_SCORING: ScoringOptions = {
  queryCoverageShare: 0.6,
  sameEntryCredit: 1,
  answerCredit: 0.5,
  correctedCredit: 0.85,
  toneSlipCredit: 0.8,
  unknownWeight: 1,
  nameWeight: 0.25,
  rescoreTop: 24,
  learnedShortlist: 3,
  learnedWeight: 0.5,
  limit: 5,
  calibration: CALIBRATION_MODEL,
};

interface QueryFeature {
  readonly id: number;
  readonly weight: number;
  /**
   * A word pair. Pairs only ever add evidence: a pair the entry lacks does not count against it (its words are
   * already weighed one by one), so the weight of the message an entry must explain is its words plus the pairs
   * that entry shares.
   */
  readonly pair: boolean;
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
/**
 * Words after which an unknown word is a name: goods (hàng, lô, nhập/xuất khẩu, mua), places (từ, ở, tại, sang,
 * về, cảng, tỉnh) or a company (công ty). Customs questions are about a procedure applied to some goods somewhere;
 * the knowledge base cannot know every product or town, and must not treat them as a change of topic.
 */
const NAME_HEADS = new Set(['hang', 'lo', 'khau', 'nhap', 'xuat', 'mua', 'tu', 'o', 'tai', 'sang', 've', 'cang', 'tinh', 'ty']);

function markNames(words: QueryWord[]): QueryWord[] {
  return words.map((w, i) => {
    if (w.kind !== 'unknown') return w;
    for (let j = i - 1; j >= 0; j--) {
      const before = words[j]!;
      if (before.kind === 'unknown') continue; // inside a multi-word name
      return NAME_HEADS.has(before.typed) ? { ...w, kind: 'name' as const } : w;
    }
    return w;
  });
}

export function resolveWords(index: MatchIndex, tokens: readonly Token[]): QueryWord[] {
  return markNames(tokens.map((t, at): QueryWord => {
    const word = t.text;
    if (isKnown(index, word)) {
      const slip = toneSlip(index, tokens, at);
      if (slip) return { typed: word, as: [word], kind: 'tone-slip', spelling: t.spelling, meant: slip.meant };
      const forms = index.accents.get(word);
      // A plain word in a message typed with marks may just be a missed mark: it counts, for less.
      if (t.spelling !== null && forms && !forms.has(t.spelling)) return { typed: word, as: [word], kind: 'loose-accent', spelling: null };
      return { typed: word, as: [word], kind: 'known', spelling: t.spelling };
    }
    const split = splitCompound(index, word);
    if (split) return { typed: word, as: split, kind: 'split', spelling: null };
    const telex = telexCandidates(word).find((c) => isKnown(index, c));
    if (telex) return { typed: word, as: [telex], kind: 'telex', spelling: null };
    const alike = soundAlike(index, tokens, at);
    if (alike) return { typed: word, as: [alike], kind: 'corrected', spelling: null };
    const corrected = correctTypo(index, word);
    if (corrected) return { typed: word, as: [corrected], kind: 'corrected', spelling: null };
    return { typed: word, as: [], kind: 'unknown', spelling: t.spelling };
  }));
}

function queryFeatures(index: MatchIndex, words: readonly QueryWord[], options: ScoringOptions) {
  const features = new Map<number, QueryFeature>();
  let total = 0;
  let unknown = 0;
  // Runs of known words give bigrams; an unknown word breaks the run.
  const run: Array<{ text: string; credit: number }> = [];
  const flushRun = () => {
    run.forEach((w, i) => {
      const next = run[i + 1];
      if (!next) return;
      const id = index.features.get(`${w.text} ${next.text}`);
      if (id === undefined || features.has(id)) return;
      const weight = index.idf[id]! * Math.min(w.credit, next.credit);
      features.set(id, { id, weight, allowed: null, pair: true });
    });
    run.length = 0;
  };
  for (const w of words) {
    if (w.as.length === 0) {
      flushRun();
      const functionWord = w.spelling === null ? FUNCTION_WORDS.has(w.typed) : FUNCTION_SPELLINGS.has(w.spelling);
      if (!functionWord) {
        const share = w.kind === 'name' ? options.nameWeight : options.unknownWeight;
        const weight = index.unknownIdf * share;
        total += weight;
        unknown += weight;
      }
      continue;
    }
    const credit = w.kind === 'corrected' || w.kind === 'loose-accent' ? options.correctedCredit : w.kind === 'tone-slip' ? options.toneSlipCredit : 1;
    const spelling = w.kind === 'tone-slip' ? (w.meant ?? null) : w.spelling;
    for (const text of w.as) {
      const id = index.features.get(text)!;
      if (!features.has(id)) {
        const weight = index.idf[id]! * credit;
        features.set(id, { id, weight, allowed: accentFilter(index, text, spelling), pair: false });
        total += weight;
      }
      run.push({ text, credit });
    }
  }
  flushRun();
  return { features, total, unknown };
}

// Per index and spelling: which entries may match an accented word (built on first use, then reused).
const accentMasks = new WeakMap<MatchIndex, Map<string, Uint8Array>>();

/**
 * When the user typed the accents of a word the knowledge base spells several ways (thuế/thuê), only entries that
 * use the user's spelling, or write the word only without accents, may match it.
 */
function accentFilter(index: MatchIndex, word: string, spelling: string | null): QueryFeature['allowed'] {
  if (spelling === null) return null;
  const byForm = index.accents.get(word);
  if (!byForm || byForm.size < 2) return null;
  let masks = accentMasks.get(index);
  if (!masks) accentMasks.set(index, (masks = new Map()));
  const key = `${word}|${spelling}`;
  let mask = masks.get(key);
  if (!mask) {
    const allowed = new Uint8Array(index.entryIds.length).fill(1);
    for (const [form, list] of byForm) if (form !== spelling) for (const e of list) allowed[e] = 0;
    for (const e of byForm.get(spelling) ?? []) allowed[e] = 1;
    masks.set(key, allowed);
    mask = allowed;
  }
  const allowed = mask;
  return (entry) => allowed[entry] === 1;
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
  const contentWords = content.map((t) => t.text);
  if (nothingKnown) {
    const learned = learnedView(index, scoreLearned(index.learned, contentWords, []));
    return { candidates: [], words, nothingKnown, distinctiveness: 0, unknownShare: 1, confidence: 0, learned };
  }

  const { features, total, unknown } = queryFeatures(index, words, options);
  const scratch = scratchFor(index);
  try {
    const shortlist = firstPass(index, features, options, scratch);
    const scores = scoreLearned(index.learned, contentWords, shortlist);
    for (const e of scores.best.slice(0, options.learnedShortlist)) if (!shortlist.includes(e)) shortlist.push(e);
    // The engine's score and the learned probability rank together: each corrects the other's blind spots.
    const scored = rescore(index, features, total, shortlist, options, scratch)
      .map((c) => {
        const learned = scores.probability(c.entry);
        return { ...c, learned: round(learned), combined: round(c.score + options.learnedWeight * learned) };
      })
      .sort((a, b) => b.combined - a.combined || a.id.localeCompare(b.id));
    const [first, second] = scored;
    const distinctiveness =
      first === undefined
        ? 0
        : second === undefined
          ? 1
          : evidenceFor(index, features, total + scratch.pairs[first.entry]!, first.question, second.question);
    const result = {
      candidates: scored.slice(0, options.limit).map(({ entry: _entry, question: _question, ...candidate }) => candidate),
      words,
      nothingKnown,
      distinctiveness: round(distinctiveness),
      unknownShare: round(total === 0 ? 1 : unknown / total),
      learned: learnedView(index, scores),
    };
    const signals = signalsOf(result);
    return { ...result, confidence: signals ? round(calibratedConfidence(options.calibration, featureVector(signals))) : 0 };
  } finally {
    scratch.reset(features);
  }
}

function learnedView(index: MatchIndex, scores: LearnedScores): LearnedView {
  return {
    best: scores.best.map((e) => ({ id: index.entryIds[e]!, probability: round(scores.probability(e)) })),
    none: round(scores.none),
  };
}

/**
 * Per-index work buffers, reused across queries so a search allocates almost nothing. Safe because search is
 * synchronous: a buffer is always cleared before the next search can start.
 */
interface Scratch {
  /** Per entry: weight of query features found in its questions/tags, and only in its answer. */
  readonly inQuestions: Float64Array;
  readonly inBody: Float64Array;
  /** Per entry: weight of the query's word pairs found in its questions/tags (part of inQuestions). */
  readonly pairs: Float64Array;
  readonly touched: number[];
  /** Per feature id: its weight in the current query (0 when absent). */
  readonly queryWeight: Float64Array;
  reset(features: ReadonlyMap<number, QueryFeature>): void;
}

const scratches = new WeakMap<MatchIndex, Scratch>();

function scratchFor(index: MatchIndex): Scratch {
  let scratch = scratches.get(index);
  if (!scratch) {
    const inQuestions = new Float64Array(index.entryIds.length);
    const inBody = new Float64Array(index.entryIds.length);
    const pairs = new Float64Array(index.entryIds.length);
    const queryWeight = new Float64Array(index.features.size);
    const touched: number[] = [];
    scratch = {
      inQuestions,
      inBody,
      pairs,
      touched,
      queryWeight,
      reset(features) {
        for (const e of touched) {
          inQuestions[e] = 0;
          inBody[e] = 0;
          pairs[e] = 0;
        }
        touched.length = 0;
        for (const id of features.keys()) queryWeight[id] = 0;
      },
    };
    scratches.set(index, scratch);
  }
  return scratch;
}

/** Accumulates posting lists and keeps the `rescoreTop` entries with the most weighted words in common. */
function firstPass(
  index: MatchIndex,
  features: ReadonlyMap<number, QueryFeature>,
  options: ScoringOptions,
  scratch: Scratch,
): number[] {
  const { inQuestions, inBody, pairs, touched, queryWeight } = scratch;
  for (const f of features.values()) {
    if (!f.allowed) queryWeight[f.id] = f.weight;
    const { offsets: qo, values: qv } = index.questionPostings;
    for (let p = qo[f.id]!; p < qo[f.id + 1]!; p++) {
      const e = qv[p]!;
      if (f.allowed && !f.allowed(e)) continue;
      if (inQuestions[e] === 0 && inBody[e] === 0) touched.push(e);
      inQuestions[e] = inQuestions[e]! + f.weight;
      if (f.pair) pairs[e] = pairs[e]! + f.weight;
    }
    const { offsets: bo, values: bv } = index.bodyPostings;
    for (let p = bo[f.id]!; p < bo[f.id + 1]!; p++) {
      const e = bv[p]!;
      if (f.allowed && !f.allowed(e)) continue;
      if (inQuestions[e] === 0 && inBody[e] === 0) touched.push(e);
      inBody[e] = inBody[e]! + f.weight;
    }
  }
  // Bounded insertion: the shortlist is small, the touched list can be every entry.
  const top: number[] = [];
  const scores: number[] = [];
  for (const e of touched) {
    const score = inQuestions[e]! + inBody[e]! * options.answerCredit;
    if (top.length === options.rescoreTop && score <= scores[top.length - 1]!) continue;
    let i = Math.min(top.length, options.rescoreTop - 1);
    if (top.length < options.rescoreTop) {
      top.push(e);
      scores.push(score);
    }
    while (i > 0 && scores[i - 1]! < score) {
      top[i] = top[i - 1]!;
      scores[i] = scores[i - 1]!;
      i--;
    }
    top[i] = e;
    scores[i] = score;
  }
  return top;
}

/** Scores each shortlisted entry by its best question (two-way coverage). */
function rescore(
  index: MatchIndex,
  features: ReadonlyMap<number, QueryFeature>,
  total: number,
  shortlist: readonly number[],
  options: ScoringOptions,
  scratch: Scratch,
): Array<Candidate & { entry: number; question: number }> {
  const { inQuestions, inBody, pairs, queryWeight } = scratch;
  const restricted = [...features.values()].filter((f) => f.allowed !== null);
  const scored: Array<Candidate & { entry: number; question: number }> = [];
  for (const e of shortlist) {
    const entryWeight = inQuestions[e]!;
    const bodyWeight = inBody[e]!;
    // Accent-restricted words this entry may match count like the others while it is scored.
    const allowedHere = restricted.filter((f) => f.allowed!(e));
    for (const f of allowedHere) queryWeight[f.id] = f.weight;
    const from = index.entryQuestions[e]!;
    const to = index.entryQuestions[e + 1]!;
    const { offsets, values } = index.questionFeatures;
    let best = -1;
    let matched = '';
    let bestQueryCoverage = 0;
    let bestQuestionCoverage = 0;
    let bestQuestion = from;
    for (let q = from; q < to; q++) {
      let shared = 0;
      for (let i = offsets[q]!; i < offsets[q + 1]!; i++) shared += queryWeight[values[i]!]!;
      if (shared === 0) continue;
      // The question counts in full; the entry's other questions and tags, and (less) its answer, for the rest.
      const explained = shared + options.sameEntryCredit * (entryWeight - shared) + options.answerCredit * bodyWeight;
      const queryCoverage = Math.min(1, explained / (total + pairs[e]!));
      const questionCoverage = Math.min(1, shared / index.questionWeights[q]!);
      const score = options.queryCoverageShare * queryCoverage + (1 - options.queryCoverageShare) * questionCoverage;
      if (score > best) {
        best = score;
        matched = index.questionTexts[q]!;
        bestQueryCoverage = queryCoverage;
        bestQuestionCoverage = questionCoverage;
        bestQuestion = q;
      }
    }
    for (const f of allowedHere) queryWeight[f.id] = 0;
    if (best > 0) {
      let keyWeight = 0;
      let keyFound = 0;
      for (const id of rowOf(index.keyWords, e)) {
        keyWeight += index.idf[id]!;
        if (features.has(id)) keyFound += index.idf[id]!;
      }
      scored.push({
        id: index.entryIds[e]!,
        learned: 0,
        combined: 0,
        score: round(best),
        matched,
        queryCoverage: round(bestQueryCoverage),
        questionCoverage: round(bestQuestionCoverage),
        keyCoverage: round(keyWeight === 0 ? 1 : keyFound / keyWeight),
        entry: e,
        question: bestQuestion,
      });
    }
  }
  return scored.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/** What the calibration model reads from a search; null when nothing matched. */
export function signalsOf(result: Omit<SearchResult, 'confidence'>): SearchSignals | null {
  const [top, second] = result.candidates;
  if (!top) return null;
  return {
    top,
    runnerUp: second ?? null,
    distinctiveness: result.distinctiveness,
    unknownShare: result.unknownShare,
    contentWords: result.words.length,
    learnedNone: result.learned.none,
    learnedBest: result.learned.best[0]?.probability ?? 0,
  };
}

/**
 * Share of the message's weight found in the winner's best question and not in the runner-up's: what the message
 * says that only the winner explains. Question to question, because entries with many alternates share most of
 * their vocabulary.
 */
function evidenceFor(
  index: MatchIndex,
  features: ReadonlyMap<number, QueryFeature>,
  total: number,
  winnerQuestion: number,
  runnerUpQuestion: number,
): number {
  const winner = rowOf(index.questionFeatures, winnerQuestion);
  const runnerUp = rowOf(index.questionFeatures, runnerUpQuestion);
  let exclusive = 0;
  for (const f of features.values()) if (winner.includes(f.id) && !runnerUp.includes(f.id)) exclusive += f.weight;
  return total === 0 ? 0 : exclusive / total;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
