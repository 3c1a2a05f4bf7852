import Fuse from 'fuse.js';
import { FUNCTION_WORD_WEIGHT, FUNCTION_WORDS } from './lexicon.js';
import { fitScorer, rememberScorer, trainedBefore, trainScorer, type LearnedModel } from './learned.js';
import { trainInWorker, type Training } from './train-in-worker.js';
import { questionWords as questionWordsOf } from './training-input.js';
import { normalize, type Token } from './normalize.js';
import { packRows, rowOf, RowsBuilder, type PackedRows } from './packed-rows.js';

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

function keyWordsOf(features: PackedRows, from: number, to: number, table: FeatureTable, idf: Float64Array): number[] {
  const counts = new Map<number, number>();
  for (let q = from; q < to; q++) for (const id of rowOf(features, q)) counts.set(id, (counts.get(id) ?? 0) + 1);
  const words = [...counts]
    .filter(([id]) => !FUNCTION_WORDS.has(table.name(id)) && !isBigram(table.name(id)) && idf[id]! > FUNCTION_WORD_WEIGHT)
    .sort((a, b) => b[1] - a[1]);
  const keys = words.filter(([, n]) => n >= KEY_WORD_SHARE * (to - from)).map(([id]) => id);
  return keys.length > 0 ? keys : words.slice(0, 1).map(([id]) => id);
}

/** Appends `e` unless it is already the last element: entries are indexed in order, so this deduplicates. */
function addEntry(list: number[], e: number): void {
  if (list[list.length - 1] !== e) list.push(e);
}


class FeatureTable {
  readonly ids = new Map<string, number>();
  private readonly names: string[] = [];

  name(id: number): string {
    return this.names[id]!;
  }
  readonly questionEntries: number[][] = [];
  readonly bodyEntries: number[][] = [];

  id(feature: string): number {
    let id = this.ids.get(feature);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(feature, id);
      this.names.push(feature);
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
  idsOf(tokens: readonly Token[], wordIds: readonly number[]): number[] {
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

  private spellingId(t: Token): number {
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
  add(tokens: readonly Token[], entry: number, wordIds?: readonly number[]): void {
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
      byForm.set(spelling, Int32Array.from(this.spellingEntries[id]!));
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
  const { index, questionWords } = buildWordIndex(entries);
  return { ...index, learned: trainScorer(questionWords, questionWordsOf([], outOfScope).none) };
}

/** From this many question strings, the scorer is trained in a worker thread while the word index is built. */
export const PARALLEL_FROM = 20_000;

/**
 * The same index as buildIndex, built on two cores when the knowledge base is large: the learned scorer trains in a
 * worker thread (it reads its own copy of the questions) while this thread builds the word index. Smaller knowledge
 * bases, or a worker that cannot start, train here.
 */
export async function buildIndexInParallel(
  entries: readonly IndexableEntry[],
  outOfScope: readonly string[] = [],
  parallelFrom = PARALLEL_FROM,
): Promise<MatchIndex> {
  const questions = entries.map((e) => e.questions);
  if (questions.reduce((n, q) => n + q.length, 0) < parallelFrom) return buildIndex(entries, outOfScope);
  let training: Training | undefined;
  try {
    training = trainInWorker({ questions, outOfScope });
  } catch {
    // no worker: train here, below
  }
  const { index, questionWords } = buildWordIndex(entries);
  const none = questionWordsOf([], outOfScope).none;
  const { key, model } = trainedBefore(questionWords, none);
  if (model) {
    training?.cancel();
    return { ...index, learned: model };
  }
  const learned = (await training?.model.catch(() => undefined)) ?? fitScorer(questionWords, none);
  rememberScorer(key, learned);
  return { ...index, learned };
}

function buildWordIndex(entries: readonly IndexableEntry[]): { index: Omit<MatchIndex, 'learned'>; questionWords: string[][][] } {
  const table = new FeatureTable();
  const accentTable = new AccentTable();
  const questionTexts: string[] = [];
  const questionFeatures = new RowsBuilder();
  const entryQuestions = new Int32Array(entries.length + 1);
  const questionWords: string[][][] = [];

  entries.forEach((entry, e) => {
    const words: string[][] = [];
    questionWords.push(words);
    for (const text of entry.questions) {
      const { content } = normalize(text);
      if (content.length === 0) continue;
      words.push(content.map((t) => t.text));
      const wordIds = content.map((t) => table.id(t.text));
      const ids = table.idsOf(content, wordIds);
      accentTable.add(content, e, wordIds);
      ids.forEach((id) => addEntry(table.questionEntries[id]!, e));
      questionTexts.push(text);
      questionFeatures.add(ids);
    }
    entryQuestions[e + 1] = questionTexts.length;
    for (const tag of entry.tags) {
      const { content } = normalize(tag);
      const wordIds = content.map((t) => table.id(t.text));
      for (const id of table.idsOf(content, wordIds)) addEntry(table.questionEntries[id]!, e);
      accentTable.add(content, e, wordIds);
    }
    // The answer is weak evidence: its words count, word pairs don't (and would triple the index at 10,000 entries);
    // its spellings count, but not how it spells word pairs (questions say enough, and answers are long).
    // Tokens of the same word are mostly one shared object (normalize.ts): a long answer reduces to its distinct words.
    const body = [...new Set(normalize(entry.body).content)];
    accentTable.add(body, e);
    for (const t of body) {
      const id = table.id(t.text);
      if (table.questionEntries[id]!.at(-1) !== e && table.bodyEntries[id]!.at(-1) !== e) table.bodyEntries[id]!.push(e);
    }
  });

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

  const words = [...table.ids.keys()].filter((f) => !isBigram(f) && f.length >= 3);
  const byLength = new Map<number, string[]>();
  for (const w of words) {
    const list = byLength.get(w.length) ?? [];
    list.push(w);
    byLength.set(w.length, list);
  }
  const vocabulary = new Map<number, Fuse<string>>();
  for (const [length, list] of byLength) {
    vocabulary.set(length, new Fuse(list, { includeScore: true, threshold: 0.34, ignoreLocation: true }));
  }

  const packedFeatures = questionFeatures.build();
  const questionWeights = new Float64Array(questionTexts.length);
  for (let q = 0; q < questionTexts.length; q++) for (const id of rowOf(packedFeatures, q)) questionWeights[q] = questionWeights[q]! + idf[id]!;
  const keyWords = packRows(entries.map((_, e) => keyWordsOf(packedFeatures, entryQuestions[e]!, entryQuestions[e + 1]!, table, idf)));

  const index = {
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
    accents: accentTable.forms(),
    accentPairs: accentTable.pairs(),
    spellings: accentTable.spellings,
    vocabulary,
  };
  return { index, questionWords };
}
