import Fuse from 'fuse.js';
import { FUNCTION_WORD_WEIGHT, FUNCTION_WORDS } from './lexicon.js';
import { fitScorer, trainScorer, type LearnedModel } from './learned.js';
import { trainInWorker, type Training } from './train-in-worker.js';
import { answerWords, contentWords, type SpelledWord } from './build-input.js';
import { normalize } from './normalize.js';
import { packRows, rowOf, RowsBuilder, type PackedRows } from './packed-rows.js';
import { includesSorted, sortedDistinct } from './sorted.js';

/** What the matcher needs of an FAQ entry; the knowledge layer maps its entries to this. */
export interface IndexableEntry {
  readonly id: string;
  /** Canonical question first, then the alternates. */
  readonly questions: readonly string[];
  readonly tags: readonly string[];
  /** Answer text: words found only here count as weak evidence. */
  readonly body: string;
}

/**
 * An immutable search index over FAQ entries. Built once per knowledge base; a reload builds a new one and
 * swaps it, so a question in flight keeps the index it started with.
 */
export interface MatchIndex {
  readonly entryIds: readonly string[];
  /** Every question string, entry by entry; entry e's are numbers entryQuestions[e] .. entryQuestions[e + 1]. */
  readonly questionTexts: readonly string[];
  readonly entryQuestions: Int32Array;
  /** Per question: its feature ids, and their summed IDF. */
  readonly questionFeatures: PackedRows;
  readonly questionWeights: Float64Array;
  /**
   * Per entry: its key words (feature ids) — the words most of its questions share, what the entry is about
   * ("trung quoc" for the Chinese side's schedule). A message that has none of them is probably about something
   * else that shares the entry's other words.
   */
  readonly keyWords: PackedRows;
  /** Feature ("word" or "word word") → id. */
  readonly features: ReadonlyMap<string, number>;
  readonly idf: Float64Array;
  /** Feature id → entries (ascending) whose questions or tags contain it. */
  readonly questionPostings: PackedRows;
  /** Feature id → entries (ascending) that contain it only in the answer body. */
  readonly bodyPostings: PackedRows;
  /** Weight of a word the knowledge base never uses: as rare as a word can be. */
  readonly unknownIdf: number;
  /** Folded word → accented spelling → entries (sorted) that use that spelling. */
  readonly accents: ReadonlyMap<string, ReadonlyMap<string, Int32Array>>;
  /**
   * How the knowledge base's questions spell each adjacent pair of words ("nhap khau" → "nhập khẩu"): tells a slipped
   * tone mark. Keyed by pairKey of the two words' feature ids; values are pairKey of the two spellings' ids.
   */
  readonly accentPairs: ReadonlyMap<number, readonly number[]>;
  /** Spelling by id, for accentPairs. */
  readonly spellings: readonly string[];
  /** Typo correction over the known words, one fuse.js index per word length. */
  readonly vocabulary: ReadonlyMap<number, Fuse<string>>;
  /** The scorer learned from the same questions (and out-of-scope ones): built and swapped with the index. */
  readonly learned: LearnedModel;
}

export function isBigram(feature: string): boolean {
  return feature.includes(' ');
}

/** Bigrams count for less than words: they confirm word order, they don't carry a topic alone. */
export const BIGRAM_FACTOR = 0.6;

/** Share of an entry's questions a word must appear in to be one of its key words. */
export const KEY_WORD_SHARE = 0.4;

/**
 * An entry's key words: among the features that can be one (`eligible`: words that are not function words), those in
 * at least KEY_WORD_SHARE of its questions, else its most frequent. `counts` is zeroed scratch, one slot per feature.
 */
function keyWordsOf(features: PackedRows, from: number, to: number, eligible: Uint8Array, counts: Int32Array): number[] {
  const seen: number[] = [];
  for (let q = from; q < to; q++) {
    for (const id of rowOf(features, q)) if (eligible[id] && counts[id]!++ === 0) seen.push(id);
  }
  // Stable: among equal counts, the first seen comes first.
  const words = seen.sort((a, b) => counts[b]! - counts[a]!);
  const keys = words.filter((id) => counts[id]! >= KEY_WORD_SHARE * (to - from));
  for (const id of seen) counts[id] = 0;
  return keys.length > 0 ? keys : words.slice(0, 1);
}

/** Appends `e` unless it is already the last element: entries are indexed in order, so this deduplicates. */
function addEntry(list: number[], e: number): void {
  if (list[list.length - 1] !== e) list.push(e);
}

class FeatureTable {
  readonly ids = new Map<string, number>();
  readonly questionEntries: number[][] = [];
  readonly bodyEntries: number[][] = [];

  id(feature: string): number {
    let id = this.ids.get(feature);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(feature, id);
      this.questionEntries.push([]);
      this.bodyEntries.push([]);
    }
    return id;
  }

  // Word pairs by their words' ids, so that building reads each pair of every question without making its string
  // (millions at 10,000 entries); the string is made once, for a pair never seen.
  private readonly pairIds: Array<Map<number, number> | undefined> = [];

  /**
   * The features a text is matched on, as ids: each word, and each adjacent pair of words (a pair with a function
   * word, "việc không", "quan có", is an accident of phrasing, not a phrase). From the words' ids.
   */
  idsOf(tokens: readonly SpelledWord[], wordIds: readonly number[]): number[] {
    const out: number[] = [];
    const seen = new Set<number>();
    const push = (id: number) => {
      if (!seen.has(id)) (seen.add(id), out.push(id));
    };
    tokens.forEach((t, i) => {
      push(wordIds[i]!);
      const next = tokens[i + 1];
      if (next && !FUNCTION_WORDS.has(t.text) && !FUNCTION_WORDS.has(next.text)) push(this.pairId(wordIds[i]!, wordIds[i + 1]!, t.text, next.text));
    });
    return out;
  }

  private pairId(a: number, b: number, first: string, second: string): number {
    let byNext = this.pairIds[a];
    if (!byNext) this.pairIds[a] = byNext = new Map();
    let id = byNext.get(b);
    if (id === undefined) byNext.set(b, (id = this.id(`${first} ${second}`)));
    return id;
  }
}

/** Two ids as one number (ids stay below 2^24, so the key is an exact integer). */
export function pairKey(a: number, b: number): number {
  return a * 2 ** 24 + b;
}

export function unpair(key: number): [number, number] {
  return [Math.floor(key / 2 ** 24), key % 2 ** 24];
}

class AccentTable {
  // Everything by spelling id: one map lookup per word of every question and answer. A spelling folds to one word,
  // so the word each stands for (spellingText, spellingWord) is known from its first sighting.
  private readonly spellingIds = new Map<string, number>();
  readonly spellings: string[] = [];
  private readonly spellingText: string[] = [];
  private readonly spellingEntries: number[][] = [];
  // Adjacent spellings, by the first one's id: small integers, cheap to look up.
  private readonly nextSpellings: Array<Set<number> | undefined> = [];
  private readonly spellingWord: number[] = [];

  private spellingId(t: SpelledWord): number {
    let id = this.spellingIds.get(t.spelling!);
    if (id === undefined) {
      id = this.spellings.length;
      this.spellingIds.set(t.spelling!, id);
      this.spellings.push(t.spelling!);
      this.spellingText.push(t.text);
      this.spellingEntries.push([]);
    }
    return id;
  }

  /** Records the spellings of `tokens`; with `wordIds` (their feature ids), also how adjacent words are spelled. */
  add(tokens: readonly SpelledWord[], entry: number, wordIds?: readonly number[]): void {
    let previous = -1;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.spelling === null) {
        previous = -1;
        continue;
      }
      const spelled = this.spellingId(t);
      addEntry(this.spellingEntries[spelled]!, entry);
      if (!wordIds) continue;
      this.spellingWord[spelled] = wordIds[i]!;
      if (previous >= 0) {
        let nexts = this.nextSpellings[previous];
        if (!nexts) this.nextSpellings[previous] = nexts = new Set();
        nexts.add(spelled);
      }
      previous = spelled;
    }
  }

  /** Folded word → spelling → entries (MatchIndex.accents). */
  forms(): Map<string, Map<string, Int32Array>> {
    const out = new Map<string, Map<string, Int32Array>>();
    this.spellings.forEach((spelling, id) => {
      const word = this.spellingText[id]!;
      let byForm = out.get(word);
      if (!byForm) out.set(word, (byForm = new Map()));
      // Answers are read after every question, so a list may hold an entry twice or out of order.
      byForm.set(spelling, sortedDistinct(this.spellingEntries[id]!));
    });
    return out;
  }

  /** Word pair → how the knowledge base spells it (MatchIndex.accentPairs). */
  pairs(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    this.nextSpellings.forEach((nexts, first) => {
      for (const second of nexts ?? []) {
        const key = pairKey(this.spellingWord[first]!, this.spellingWord[second]!);
        let list = out.get(key);
        if (!list) out.set(key, (list = []));
        list.push(pairKey(first, second));
      }
    });
    return out;
  }
}

/**
 * Builds the index and trains the learned scorer on the same entries; `outOfScope` are questions that must find
 * nothing (they teach the scorer's "none" class).
 */
export function buildIndex(entries: readonly IndexableEntry[], outOfScope: readonly string[] = []): MatchIndex {
  const building = new WordIndexBuilder(entries);
  building.addAnswers(entries.map((e) => answerWords(e.body)));
  return { ...building.finish(), learned: trainScorer(building.questionWords, outOfScope.map(contentWords)) };
}

/** From this many question strings, the index is built on two cores. */
export const PARALLEL_FROM = 20_000;
/**
 * Share of the entries whose questions this thread normalises in a parallel build; the worker normalises the rest
 * after the answers, and then trains (measured at 10,000 entries: both threads finish at about the same time).
 */
const MAIN_SHARE = 0.6;

/**
 * The same index as buildIndex, built on two cores when the knowledge base is large. A worker thread normalises the
 * answers and part of the questions while this thread indexes the other questions; it then trains the learned scorer
 * while this thread finishes the index. Smaller knowledge bases, or a worker that cannot start, are built here alone.
 */
export async function buildIndexInParallel(
  entries: readonly IndexableEntry[],
  outOfScope: readonly string[] = [],
  parallelFrom = PARALLEL_FROM,
): Promise<MatchIndex> {
  const questions = entries.map((e) => e.questions);
  if (questions.reduce((n, q) => n + q.length, 0) < parallelFrom) return buildIndex(entries, outOfScope);
  const split = Math.ceil(entries.length * MAIN_SHARE);
  let worker: Training | undefined;
  try {
    worker = trainInWorker({ questions, outOfScope, answers: entries.map((e) => e.body), split });
  } catch {
    // no worker: everything here, below
  }
  const building = new WordIndexBuilder(entries, worker ? split : entries.length);
  if (worker) {
    const normalized = await worker.questions.catch(() => undefined);
    for (let e = split; e < entries.length; e++) building.addQuestions(e, normalized?.[e - split]);
  }
  const answers = (await worker?.answers.catch(() => undefined)) ?? entries.map((e) => answerWords(e.body));
  building.addAnswers(answers);
  const index = building.finish();
  // No model cache here: the worker has trained by now, sooner than the cache's key could be computed.
  const learned = (await worker?.model.catch(() => undefined)) ?? fitScorer(building.questionWords, outOfScope.map(contentWords));
  return { ...index, learned };
}

/**
 * Indexes the questions and tags of the entries before `upTo` at construction, the others when given (addQuestions,
 * in entry order), then the answers (addAnswers): a worker thread may be normalising those meanwhile.
 */
class WordIndexBuilder {
  private readonly table = new FeatureTable();
  private readonly accentTable = new AccentTable();
  private readonly questionTexts: string[] = [];
  private readonly questionFeatures = new RowsBuilder();
  private readonly entryQuestions: Int32Array;
  /** Each entry's questions as content words: what the learned scorer is trained on. */
  readonly questionWords: string[][][] = [];

  constructor(
    private readonly entries: readonly IndexableEntry[],
    upTo = entries.length,
  ) {
    this.entryQuestions = new Int32Array(entries.length + 1);
    for (let e = 0; e < upTo; e++) this.addQuestions(e);
  }

  /** Entry e's questions and tags; `normalized`: its questions' content words, when a worker read them already. */
  addQuestions(e: number, normalized?: readonly (readonly SpelledWord[])[]): void {
    const { table, accentTable } = this;
    const entry = this.entries[e]!;
    const words: string[][] = [];
    this.questionWords.push(words);
    entry.questions.forEach((text, i) => {
      const content = normalized?.[i] ?? normalize(text).content;
      if (content.length === 0) return;
      words.push(content.map((t) => t.text));
      const wordIds = content.map((t) => table.id(t.text));
      const ids = table.idsOf(content, wordIds);
      accentTable.add(content, e, wordIds);
      ids.forEach((id) => addEntry(table.questionEntries[id]!, e));
      this.questionTexts.push(text);
      this.questionFeatures.add(ids);
    });
    this.entryQuestions[e + 1] = this.questionTexts.length;
    for (const tag of entry.tags) {
      const { content } = normalize(tag);
      const wordIds = content.map((t) => table.id(t.text));
      for (const id of table.idsOf(content, wordIds)) addEntry(table.questionEntries[id]!, e);
      accentTable.add(content, e, wordIds);
    }
  }

  /**
   * The answer is weak evidence: its words count, word pairs don't (and would triple the index at 10,000 entries);
   * its spellings count, but not how it spells word pairs (questions say enough, and answers are long).
   */
  addAnswers(answers: readonly (readonly SpelledWord[])[]): void {
    const { table } = this;
    answers.forEach((words, e) => {
      this.accentTable.add(words, e);
      for (const t of words) {
        const id = table.id(t.text);
        if (table.bodyEntries[id]!.at(-1) !== e && !includesSorted(table.questionEntries[id]!, e)) table.bodyEntries[id]!.push(e);
      }
    });
  }

  finish(): Omit<MatchIndex, 'learned'> {
    const { table, entries, questionTexts, entryQuestions } = this;
    const n = Math.max(entries.length, 1);
    const idf = new Float64Array(table.ids.size);
    const rarity = (id: number) => Math.log(1 + n / Math.max(table.questionEntries[id]!.length + table.bodyEntries[id]!.length, 1));
    for (const [feature, id] of table.ids) {
      if (isBigram(feature)) continue;
      idf[id] = FUNCTION_WORDS.has(feature) ? Math.min(rarity(id), FUNCTION_WORD_WEIGHT) : rarity(id);
    }
    for (const [feature, id] of table.ids) {
      if (!isBigram(feature)) continue;
      // A pair of common words is not rare just because they rarely stand side by side ("nhật hải" in "chủ nhật
      // hải quan"): it weighs at most as much as its commoner word.
      const [a, b] = feature.split(' ') as [string, string];
      idf[id] = BIGRAM_FACTOR * Math.min(rarity(id), idf[table.ids.get(a)!]!, idf[table.ids.get(b)!]!);
    }

    const packedFeatures = this.questionFeatures.build();
    const questionWeights = new Float64Array(questionTexts.length);
    for (let q = 0; q < questionTexts.length; q++) for (const id of rowOf(packedFeatures, q)) questionWeights[q] = questionWeights[q]! + idf[id]!;
    const eligible = new Uint8Array(table.ids.size);
    for (const [feature, id] of table.ids) eligible[id] = Number(!isBigram(feature) && !FUNCTION_WORDS.has(feature) && idf[id]! > FUNCTION_WORD_WEIGHT);
    const counts = new Int32Array(table.ids.size);
    const keyWords = packRows(entries.map((_, e) => keyWordsOf(packedFeatures, entryQuestions[e]!, entryQuestions[e + 1]!, eligible, counts)));

    return {
      entryIds: entries.map((e) => e.id),
      questionTexts,
      entryQuestions,
      questionFeatures: packedFeatures,
      questionWeights,
      keyWords,
      features: table.ids,
      idf,
      questionPostings: packRows(table.questionEntries),
      bodyPostings: packRows(table.bodyEntries),
      unknownIdf: Math.log(1 + n / 0.5),
      accents: this.accentTable.forms(),
      accentPairs: this.accentTable.pairs(),
      spellings: this.accentTable.spellings,
      vocabulary: vocabularyOf(table.ids.keys()),
    };
  }
}

/** Typo correction: the known words of three letters or more, one fuse.js index per length. */
function vocabularyOf(features: Iterable<string>): Map<number, Fuse<string>> {
  const byLength = new Map<number, string[]>();
  for (const w of features) {
    if (isBigram(w) || w.length < 3) continue;
    const list = byLength.get(w.length) ?? [];
    list.push(w);
    byLength.set(w.length, list);
  }
  const vocabulary = new Map<number, Fuse<string>>();
  for (const [length, list] of byLength) {
    vocabulary.set(length, new Fuse(list, { includeScore: true, threshold: 0.34, ignoreLocation: true }));
  }
  return vocabulary;
}
