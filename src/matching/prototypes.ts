import type { Example } from './logistic.js';
import type { SparseVector } from './feature-space.js';

/**
 * Nearest prototypes over the same features as the logistic model: each class is the normalised sum of its
 * examples' vectors, cut to its heaviest features. One pass over the examples trains it, so it serves knowledge
 * bases far too large for the logistic model; it is scored only on the entries the word index shortlists.
 */
export interface Prototypes {
  readonly classes: number;
  /** Per class: columns and weights of its heaviest features. */
  readonly columns: readonly Int32Array[];
  readonly weights: readonly Float32Array[];
}

/** Features kept per class: a prototype's long tail is noise and memory. */
const KEEP = 256;

export function trainPrototypes(classes: number, examples: readonly Example[]): Prototypes {
  const sums = Array.from({ length: classes }, () => new Map<number, number>());
  for (const { x, label, weight } of examples) {
    const sum = sums[label]!;
    for (let j = 0; j < x.columns.length; j++) sum.set(x.columns[j]!, (sum.get(x.columns[j]!) ?? 0) + weight * x.values[j]!);
  }
  const columns: Int32Array[] = [];
  const weights: Float32Array[] = [];
  for (const sum of sums) {
    const kept = [...sum].sort((a, b) => b[1] - a[1]).slice(0, KEEP);
    const norm = Math.sqrt(kept.reduce((s, [, w]) => s + w * w, 0)) || 1;
    columns.push(Int32Array.from(kept, ([c]) => c));
    weights.push(Float32Array.from(kept, ([, w]) => w / norm));
  }
  return { classes, columns, weights };
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
