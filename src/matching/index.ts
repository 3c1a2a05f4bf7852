import Fuse from 'fuse.js';
import { normalize, type Token } from './normalize.js';

/** What the matcher needs of an FAQ entry; the knowledge layer maps its entries to this. */
export interface IndexableEntry {
  readonly id: string;
  /** Canonical question first, then the alternates. */
  readonly questions: readonly string[];
  readonly tags: readonly string[];
  /** Answer text: words found only here count as weak evidence. */
  readonly body: string;
}

/** One question string, as feature ids. */
interface IndexedQuestion {
  readonly entry: number;
  readonly text: string;
  readonly features: Int32Array;
  readonly weight: number;
}

/**
 * An immutable search index over FAQ entries. Built once per knowledge base; a reload builds a new one and
 * swaps it, so a question in flight keeps the index it started with.
 */
export interface MatchIndex {
  readonly entryIds: readonly string[];
  readonly questions: readonly IndexedQuestion[];
  /** Question ranges per entry: questions[entryQuestions[e][0] .. entryQuestions[e][1]). */
  readonly entryQuestions: ReadonlyArray<readonly [number, number]>;
  /** Feature ("word" or "word word") → id. */
  readonly features: ReadonlyMap<string, number>;
  readonly idf: Float64Array;
  /** Feature id → entries whose questions or tags contain it. */
  readonly questionPostings: readonly Int32Array[];
  /** Feature id → entries that contain it only in the answer body. */
  readonly bodyPostings: readonly Int32Array[];
  /** Weight of a word the knowledge base never uses: as rare as a word can be. */
  readonly unknownIdf: number;
  /** Folded word → the accented spellings the knowledge base uses for it. */
  readonly accents: ReadonlyMap<string, ReadonlySet<string>>;
  /** Folded word with several accented spellings (thuế/thuê) → entry → spellings in that entry. */
  readonly entryAccents: ReadonlyMap<string, ReadonlyMap<number, ReadonlySet<string>>>;
  /** Typo correction over the known words, one fuse.js index per word length. */
  readonly vocabulary: ReadonlyMap<number, Fuse<string>>;
}

/** Unigrams and adjacent-pair bigrams of a token list: the features a text is matched on. */
export function featuresOf(tokens: readonly Token[]): string[] {
  const out = new Set<string>();
  tokens.forEach((t, i) => {
    out.add(t.text);
    const next = tokens[i + 1];
    if (next) out.add(`${t.text} ${next.text}`);
  });
  return [...out];
}

export function isBigram(feature: string): boolean {
  return feature.includes(' ');
}

/** Bigrams count for less than words: they confirm word order, they don't carry a topic alone. */
export const BIGRAM_FACTOR = 0.6;

class FeatureTable {
  readonly ids = new Map<string, number>();
  readonly questionEntries: Set<number>[] = [];
  readonly bodyEntries: Set<number>[] = [];

  id(feature: string): number {
    let id = this.ids.get(feature);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(feature, id);
      this.questionEntries.push(new Set());
      this.bodyEntries.push(new Set());
    }
    return id;
  }
}

function addAccents(
  tokens: readonly Token[],
  entry: number,
  perEntry: Map<string, Map<number, Set<string>>>,
): void {
  for (const t of tokens) {
    if (t.accented === null) continue;
    let byEntry = perEntry.get(t.text);
    if (!byEntry) perEntry.set(t.text, (byEntry = new Map()));
    let forms = byEntry.get(entry);
    if (!forms) byEntry.set(entry, (forms = new Set()));
    forms.add(t.accented);
  }
}

export function buildIndex(entries: readonly IndexableEntry[]): MatchIndex {
  const table = new FeatureTable();
  const perEntryAccents = new Map<string, Map<number, Set<string>>>();
  const pending: Array<{ entry: number; text: string; features: number[] }> = [];
  const entryQuestions: Array<[number, number]> = [];

  entries.forEach((entry, e) => {
    const start = pending.length;
    for (const text of entry.questions) {
      const { content } = normalize(text);
      if (content.length === 0) continue;
      addAccents(content, e, perEntryAccents);
      const ids = featuresOf(content).map((f) => table.id(f));
      ids.forEach((id) => table.questionEntries[id]!.add(e));
      pending.push({ entry: e, text, features: ids });
    }
    entryQuestions.push([start, pending.length]);
    for (const tag of entry.tags) {
      const { content } = normalize(tag);
      addAccents(content, e, perEntryAccents);
      for (const f of featuresOf(content)) table.questionEntries[table.id(f)]!.add(e);
    }
    const body = normalize(entry.body).content;
    addAccents(body, e, perEntryAccents);
    for (const f of featuresOf(body)) {
      const id = table.id(f);
      if (!table.questionEntries[id]!.has(e)) table.bodyEntries[id]!.add(e);
    }
  });

  const n = Math.max(entries.length, 1);
  const idf = new Float64Array(table.ids.size);
  for (const [feature, id] of table.ids) {
    const df = table.questionEntries[id]!.size + table.bodyEntries[id]!.size;
    idf[id] = Math.log(1 + n / Math.max(df, 1)) * (isBigram(feature) ? BIGRAM_FACTOR : 1);
  }
  const weightOf = (ids: readonly number[]) => ids.reduce((sum, id) => sum + idf[id]!, 0);

  const accents = new Map<string, Set<string>>();
  const entryAccents = new Map<string, Map<number, Set<string>>>();
  for (const [word, byEntry] of perEntryAccents) {
    const all = new Set<string>();
    for (const forms of byEntry.values()) forms.forEach((f) => all.add(f));
    accents.set(word, all);
    if (all.size > 1) entryAccents.set(word, byEntry);
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

  return {
    entryIds: entries.map((e) => e.id),
    questions: pending.map((q) => ({
      entry: q.entry,
      text: q.text,
      features: Int32Array.from(q.features),
      weight: weightOf(q.features),
    })),
    entryQuestions,
    features: table.ids,
    idf,
    questionPostings: table.questionEntries.map((s) => Int32Array.from(s)),
    bodyPostings: table.bodyEntries.map((s) => Int32Array.from(s)),
    unknownIdf: Math.log(1 + n / 0.5),
    accents,
    entryAccents,
    vocabulary,
  };
}
