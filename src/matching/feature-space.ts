import { indexInSorted } from './sorted.js';
import type { FeatureCounts } from './text-features.js';

/**
 * The columns the learned scorer knows (features seen in training) and their IDF weights. A message becomes an
 * L2-normalised TF-IDF vector over these columns; features never seen in training still count in its norm, so a
 * message made mostly of unknown material weighs little against every class.
 */
export type FeatureSpace = ExactSpace | HashedSpace;

interface SpaceWeights {
  /** Number of columns. */
  readonly size: number;
  readonly idf: Float32Array;
  /** IDF of a feature never seen in training: as rare as a feature can be. */
  readonly unseenIdf: number;
}

/**
 * Data only (no closures), so that a model trained in a worker thread crosses to the main thread as it is. The
 * sorted features and their columns: a feature's column is found by bisection.
 */
interface ExactSpace extends SpaceWeights {
  readonly kind: 'exact';
  readonly sorted: Int32Array;
  readonly bySorted: Int32Array;
}

/** Columns are the hash's low bits; a column no training feature fell in has IDF 0. */
interface HashedSpace extends SpaceWeights {
  readonly kind: 'hashed';
  readonly mask: number;
}

/** The column of a hashed feature; undefined when training never saw it. */
export function columnOf(space: FeatureSpace, feature: number): number | undefined {
  if (space.kind === 'hashed') {
    const column = feature & space.mask;
    return space.idf[column] === 0 ? undefined : column;
  }
  const at = indexInSorted(space.sorted, feature);
  return at < 0 ? undefined : space.bySorted[at]!;
}

/** A sparse, L2-normalised TF-IDF vector. */
export interface SparseVector {
  readonly columns: Int32Array;
  readonly values: Float32Array;
}

function idfOf(df: ArrayLike<number>, documents: number): Float32Array {
  const n = Math.max(documents, 1);
  return Float32Array.from(df, (d) => (d === 0 ? 0 : Math.log((1 + n) / (1 + d)) + 1));
}

/**
 * One column per distinct feature: exact, for the logistic model (a few tens of thousands of columns). Columns are
 * numbered in the order features are first seen (the features of one question sit side by side in the weights,
 * which training reads question by question: numbered by hash, it ran a third slower). They are found by bisection in
 * a sorted copy, not through a map: a tenth of the memory, and a message has few features.
 */
export function buildFeatureSpace(documents: Iterable<FeatureCounts>): FeatureSpace {
  const counts = new Map<number, number>();
  let n = 0;
  for (const { ids } of documents) {
    n++;
    for (let i = 0; i < ids.length; i++) counts.set(ids[i]!, (counts.get(ids[i]!) ?? 0) + 1);
  }
  const firstSeen = Int32Array.from(counts.keys());
  const bySorted = Int32Array.from(firstSeen.keys()).sort((a, b) => firstSeen[a]! - firstSeen[b]!);
  const sorted = Int32Array.from(bySorted, (column) => firstSeen[column]!);
  const idf = idfOf(Int32Array.from(firstSeen, (f) => counts.get(f)!), n);
  return { kind: 'exact', sorted, bySorted, size: firstSeen.length, idf, unseenIdf: Math.log(1 + Math.max(n, 1)) + 1 };
}

/**
 * Features folded into 2^bits columns by their hash: no table to build or look up, for large knowledge bases where a
 * few colliding features cost less than a map of hundreds of thousands.
 */
export function buildHashedSpace(documents: Iterable<FeatureCounts>, bits: number): FeatureSpace {
  const mask = (1 << bits) - 1;
  const df = new Int32Array(mask + 1);
  let n = 0;
  for (const { ids } of documents) {
    n++;
    for (let i = 0; i < ids.length; i++) df[ids[i]! & mask]! += 1;
  }
  return { kind: 'hashed', mask, size: mask + 1, idf: idfOf(df, n), unseenIdf: Math.log(1 + Math.max(n, 1)) + 1 };
}

/** Sparse vectors packed in shared buffers: vector r is columns/values[offsets[r] .. offsets[r + 1]). */
export interface SparseRows {
  readonly offsets: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float32Array;
}

// Scratch for one vector (search and training are synchronous).
let scratchColumns = new Int32Array(256);
let scratchValues = new Float32Array(256);

/** Writes the vector of `features` into the scratch buffers; returns its length. */
function vectorIntoScratch(space: FeatureSpace, features: FeatureCounts): number {
  if (scratchColumns.length < features.ids.length) {
    scratchColumns = new Int32Array(features.ids.length * 2);
    scratchValues = new Float32Array(features.ids.length * 2);
  }
  let n = 0;
  let norm = 0;
  for (let i = 0; i < features.ids.length; i++) {
    const column = columnOf(space, features.ids[i]!);
    const weight = (1 + Math.log(features.counts[i]!)) * (column === undefined ? space.unseenIdf : space.idf[column]!);
    norm += weight * weight;
    if (column === undefined) continue;
    // In a hashed space two features of one text may share a column: listed twice, they add up as they should.
    scratchColumns[n] = column;
    scratchValues[n++] = weight;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < n; i++) scratchValues[i] = scratchValues[i]! * scale;
  return n;
}

export function vectorOf(space: FeatureSpace, features: FeatureCounts): SparseVector {
  const n = vectorIntoScratch(space, features);
  return { columns: scratchColumns.slice(0, n), values: scratchValues.slice(0, n) };
}

/**
 * The vectors of many texts in three buffers: training holds thousands at once, and a pair of small typed arrays
 * each left the allocator fragmented long after training (resident memory the process never gave back).
 */
export function vectorsOf(space: FeatureSpace, documents: Iterable<FeatureCounts>): SparseRows {
  const offsets: number[] = [0];
  let columns = new Int32Array(4096);
  let values = new Float32Array(4096);
  let size = 0;
  for (const features of documents) {
    const n = vectorIntoScratch(space, features);
    if (size + n > columns.length) {
      const grown = Math.max(columns.length * 2, size + n);
      const c = new Int32Array(grown);
      const v = new Float32Array(grown);
      c.set(columns.subarray(0, size));
      v.set(values.subarray(0, size));
      columns = c;
      values = v;
    }
    columns.set(scratchColumns.subarray(0, n), size);
    values.set(scratchValues.subarray(0, n), size);
    size += n;
    offsets.push(size);
  }
  return { offsets: Int32Array.from(offsets), columns: columns.slice(0, size), values: values.slice(0, size) };
}
