import type { SparseVector } from './feature-space.js';
import { kthSmallest } from './sorted.js';

/**
 * Nearest prototypes over the same features as the logistic model: each class is the normalised sum of its
 * examples' vectors, cut to its heaviest features. One streaming pass over the examples trains it (a class at a
 * time, nothing kept but the prototypes), so it serves knowledge bases far too large for the logistic model; it is
 * scored only on the entries the word index shortlists.
 */
export interface Prototypes {
  readonly classes: number;
  /** Per class: columns and weights of its heaviest features. */
  readonly columns: readonly Int32Array[];
  readonly weights: readonly Float32Array[];
}

/** Features kept per class: a prototype's long tail is noise and memory. */
const KEEP = 256;

/** The KEEP columns of largest weight (ties at the cut-off in the order they came), in column order. */
function heaviest(touched: readonly number[], sum: Float32Array, buffer: Float32Array): number[] {
  if (touched.length <= KEEP) return [...touched].sort((a, b) => a - b);
  // Selecting among the weights alone gives the cut-off without sorting anything.
  for (let i = 0; i < touched.length; i++) buffer[i] = sum[touched[i]!]!;
  const cutoff = kthSmallest(buffer.subarray(0, touched.length), touched.length - KEEP);
  const kept: number[] = [];
  for (const c of touched) if (sum[c]! > cutoff) kept.push(c);
  for (const c of touched) if (kept.length < KEEP && sum[c] === cutoff) kept.push(c);
  return kept.sort((a, b) => a - b);
}

/** `classes` yields, for each class in order, the vectors of its examples (and how much each counts). */
export function trainPrototypes(columns: number, classes: Iterable<Iterable<{ x: SparseVector; weight: number }>>): Prototypes {
  const sum = new Float32Array(columns);
  const buffer = new Float32Array(columns);
  const touched: number[] = [];
  const out = { columns: [] as Int32Array[], weights: [] as Float32Array[] };
  for (const examples of classes) {
    for (const { x, weight } of examples) {
      for (let j = 0; j < x.columns.length; j++) {
        const c = x.columns[j]!;
        if (sum[c] === 0) touched.push(c);
        sum[c] = sum[c]! + weight * x.values[j]!;
      }
    }
    const kept = heaviest(touched, sum, buffer);
    const norm = Math.sqrt(kept.reduce((s, c) => s + sum[c]! * sum[c]!, 0)) || 1;
    out.columns.push(Int32Array.from(kept));
    out.weights.push(Float32Array.from(kept, (c) => sum[c]! / norm));
    for (const c of touched) sum[c] = 0;
    touched.length = 0;
  }
  return { classes: out.columns.length, ...out };
}

/** Cosine of the message with each given class, using `dense` (zeroed, one slot per column) as scratch. */
export function similarities(p: Prototypes, x: SparseVector, classes: readonly number[], dense: Float32Array): number[] {
  for (let j = 0; j < x.columns.length; j++) dense[x.columns[j]!] = x.values[j]!;
  const out = classes.map((k) => {
    const cols = p.columns[k]!;
    const ws = p.weights[k]!;
    let dot = 0;
    for (let i = 0; i < cols.length; i++) dot += ws[i]! * dense[cols[i]!]!;
    return dot;
  });
  for (let j = 0; j < x.columns.length; j++) dense[x.columns[j]!] = 0;
  return out;
}
