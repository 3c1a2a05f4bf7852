/**
 * The surface features the learned scorer reads: character 3–5-grams of the folded content words (they survive typos,
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

/** Raw feature counts of one text: hashed ids, ascending and distinct, with their counts. */
export interface FeatureCounts {
  readonly ids: Int32Array;
  readonly counts: Float32Array;
}

function hashWord(seed: number, word: string): number {
  let h: number = seed;
  for (let i = 0; i < word.length; i++) h = step(h, word.charCodeAt(i));
  return h;
}

// Hashes are collected in one reused buffer, sorted and counted: no map per text (training reads tens of thousands).
let scratch = new Int32Array(1024);

export function featureCounts(words: readonly string[]): FeatureCounts {
  const padded = ` ${words.join(' ')} `;
  const most = padded.length * (MAX_GRAM - MIN_GRAM + 1) + words.length * 2 * WORD_BOOST;
  if (scratch.length < most) scratch = new Int32Array(most * 2);
  let n = 0;
  for (let start = 0; start < padded.length - 1; start++) {
    let h: number = SEED.gram;
    for (let length = 1; length <= MAX_GRAM && start + length <= padded.length; length++) {
      h = step(h, padded.charCodeAt(start + length - 1));
      if (length >= MIN_GRAM) scratch[n++] = h;
    }
  }
  words.forEach((w, i) => {
    const word = hashWord(SEED.word, w);
    const next = words[i + 1];
    const pair = next === undefined ? null : hashWord(step(hashWord(SEED.pair, w), 0x20), next);
    for (let k = 0; k < WORD_BOOST; k++) {
      scratch[n++] = word;
      if (pair !== null) scratch[n++] = pair;
    }
  });
  const sorted = scratch.subarray(0, n).sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const ids = new Int32Array(distinct);
  const counts = new Float32Array(distinct);
  let d = -1;
  for (let i = 0; i < n; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) ids[++d] = sorted[i]!;
    counts[d] = counts[d]! + 1;
  }
  return { ids, counts };
}
