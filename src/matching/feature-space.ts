import type { FeatureCounts } from './text-features.js';

/**
 * The columns the learned scorer knows (features seen in training) and their IDF weights. A message becomes an
 * L2-normalised TF-IDF vector over these columns; features never seen in training still count in its norm, so a
 * message made mostly of unknown material weighs little against every class.
 */
export interface FeatureSpace {
  /** The column of a hashed feature; undefined when training never saw it. */
  column(feature: number): number | undefined;
  /** Number of columns. */
  readonly size: number;
  readonly idf: Float32Array;
  /** IDF of a feature never seen in training: as rare as a feature can be. */
  readonly unseenIdf: number;
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

/** One column per distinct feature: exact, for the logistic model (a few tens of thousands of columns). */
export function buildFeatureSpace(documents: Iterable<FeatureCounts>): FeatureSpace {
  const columns = new Map<number, number>();
  const df: number[] = [];
  let n = 0;
  for (const { ids } of documents) {
    n++;
    for (let i = 0; i < ids.length; i++) {
      let column = columns.get(ids[i]!);
      if (column === undefined) {
        column = df.length;
        columns.set(ids[i]!, column);
        df.push(0);
      }
      df[column] = df[column]! + 1;
    }
  }
  return { column: (feature) => columns.get(feature), size: df.length, idf: idfOf(df, n), unseenIdf: Math.log(1 + Math.max(n, 1)) + 1 };
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
  return { column: (feature) => (df[feature & mask] === 0 ? undefined : feature & mask), size: mask + 1, idf: idfOf(df, n), unseenIdf: Math.log(1 + Math.max(n, 1)) + 1 };
}

export function vectorOf(space: FeatureSpace, features: FeatureCounts): SparseVector {
  const columns = new Int32Array(features.ids.length);
  const values = new Float32Array(features.ids.length);
  let n = 0;
  let norm = 0;
  for (let i = 0; i < features.ids.length; i++) {
    const column = space.column(features.ids[i]!);
    const weight = (1 + Math.log(features.counts[i]!)) * (column === undefined ? space.unseenIdf : space.idf[column]!);
    norm += weight * weight;
    if (column === undefined) continue;
    // In a hashed space two features of one text may share a column: listed twice, they add up as they should.
    columns[n] = column;
    values[n++] = weight;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < n; i++) values[i] = values[i]! * scale;
  return { columns: columns.slice(0, n), values: values.slice(0, n) };
}
