import type { FeatureCounts } from './text-features.js';

/**
 * The columns the learned scorer knows (hashed features seen in training) and their IDF weights. A message becomes
 * an L2-normalised TF-IDF vector over these columns; features never seen in training still count in its norm, so a
 * message made mostly of unknown material weighs little against every class.
 */
export interface FeatureSpace {
  /** Hashed feature → column. */
  readonly columns: ReadonlyMap<number, number>;
  readonly idf: Float32Array;
  /** IDF of a feature never seen in training: as rare as a feature can be. */
  readonly unseenIdf: number;
}

/** A sparse, L2-normalised TF-IDF vector. */
export interface SparseVector {
  readonly columns: Int32Array;
  readonly values: Float32Array;
}

export function buildFeatureSpace(documents: readonly FeatureCounts[]): FeatureSpace {
  const columns = new Map<number, number>();
  const df: number[] = [];
  for (const counts of documents) {
    for (const feature of counts.keys()) {
      let column = columns.get(feature);
      if (column === undefined) {
        column = df.length;
        columns.set(feature, column);
        df.push(0);
      }
      df[column] = df[column]! + 1;
    }
  }
  const n = Math.max(documents.length, 1);
  return { columns, idf: Float32Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1), unseenIdf: Math.log(1 + n) + 1 };
}

export function vectorOf(space: FeatureSpace, counts: FeatureCounts): SparseVector {
  const cols: number[] = [];
  const vals: number[] = [];
  let norm = 0;
  for (const [feature, count] of counts) {
    const column = space.columns.get(feature);
    const weight = (1 + Math.log(count)) * (column === undefined ? space.unseenIdf : space.idf[column]!);
    norm += weight * weight;
    if (column === undefined) continue;
    cols.push(column);
    vals.push(weight);
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return { columns: Int32Array.from(cols), values: Float32Array.from(vals, (v) => v * scale) };
}
