import { normalize } from './normalize.js';

/**
 * The surface features the learned scorer reads: character 2–5-grams of the folded message (they survive typos,
 * missing marks and glued words) and its words and word pairs, each hashed to a 32-bit id. Hashing, not a string
 * vocabulary: no substring is allocated while a question is read, and the same text always gives the same ids.
 */

const MIN_GRAM = 3;
const MAX_GRAM = 5;
/** Word features weigh more than a single character n-gram: a whole word is stronger evidence than a fragment. */
const WORD_BOOST = 2;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

// Kept as signed 32-bit integers: V8 stores those unboxed, so maps keyed on them stay fast.
function step(hash: number, code: number): number {
  return Math.imul(hash ^ code, FNV_PRIME);
}

/** Seeds keep the kinds of feature apart: the word "ba" and the character pair "ba" are different features. */
const SEED = { gram: FNV_OFFSET, word: step(FNV_OFFSET, 0x1f), pair: step(FNV_OFFSET, 0x1e) } as const;

/** Raw feature counts of one text: hashed id → count (word features count WORD_BOOST each). */
export type FeatureCounts = Map<number, number>;

function add(counts: FeatureCounts, id: number, by: number): void {
  counts.set(id, (counts.get(id) ?? 0) + by);
}

function hashWord(seed: number, word: string): number {
  let h: number = seed;
  for (let i = 0; i < word.length; i++) h = step(h, word.charCodeAt(i));
  return h;
}

/** The folded content words of a message, as the matcher's normaliser reads them (abbreviations expanded, fillers gone). */
export function contentWords(text: string): string[] {
  return normalize(text).content.map((t) => t.text);
}

export function featureCounts(words: readonly string[]): FeatureCounts {
  const counts: FeatureCounts = new Map();
  const padded = ` ${words.join(' ')} `;
  for (let start = 0; start < padded.length - 1; start++) {
    let h: number = SEED.gram;
    for (let length = 1; length <= MAX_GRAM && start + length <= padded.length; length++) {
      h = step(h, padded.charCodeAt(start + length - 1));
      if (length >= MIN_GRAM) add(counts, h, 1);
    }
  }
  words.forEach((w, i) => {
    add(counts, hashWord(SEED.word, w), WORD_BOOST);
    const next = words[i + 1];
    if (next !== undefined) add(counts, hashWord(step(hashWord(SEED.pair, w), 0x20), next), WORD_BOOST);
  });
  return counts;
}
