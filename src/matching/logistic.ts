import type { SparseRows, SparseVector } from './feature-space.js';

/**
 * Multinomial logistic regression over sparse vectors, trained by seeded stochastic gradient descent: the same
 * examples always give the same weights. Dense in classes, so meant for knowledge bases of up to about a hundred
 * entries (see learned.ts).
 */
export interface LogisticWeights {
  readonly classes: number;
  /** Column-major: weights[column * classes + class]. */
  readonly weights: Float32Array;
  readonly bias: Float64Array;
}

/** What the model is trained on: example i is vector i of `vectors`, of class labels[i], counting weights[i]. */
export interface TrainingSet {
  readonly vectors: SparseRows;
  readonly labels: Int32Array;
  readonly weights: Float64Array;
}

export interface LogisticOptions {
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly seed: number;
}

export const DEFAULT_LOGISTIC: LogisticOptions = { epochs: 6, learningRate: 2, l2: 1e-5, seed: 20261127 };

/** Classes whose gradient is smaller than this are left alone for that example: most, once training is under way. */
const GRADIENT_FLOOR = 1e-3;

/** Seeded pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function logitsOfRange(out: Float64Array, model: LogisticWeights, columns: Int32Array, values: Float32Array, from: number, to: number): void {
  const { classes, weights, bias } = model;
  for (let k = 0; k < classes; k++) out[k] = bias[k]!;
  for (let j = from; j < to; j++) {
    const base = columns[j]! * classes;
    const v = values[j]!;
    for (let k = 0; k < classes; k++) out[k] = out[k]! + v * weights[base + k]!;
  }
}

export function logitsInto(out: Float64Array, model: LogisticWeights, x: SparseVector): void {
  logitsOfRange(out, model, x.columns, x.values, 0, x.columns.length);
}

export function softmaxInPlace(z: Float64Array): void {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    z[k] = Math.exp(z[k]! - max);
    sum += z[k]!;
  }
  for (let k = 0; k < z.length; k++) z[k] = z[k]! / sum;
}

function shuffle(order: number[], next: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
}

export function trainLogistic(classes: number, columns: number, set: TrainingSet, options: LogisticOptions = DEFAULT_LOGISTIC): LogisticWeights {
  const model: LogisticWeights = { classes, weights: new Float32Array(columns * classes), bias: new Float64Array(classes) };
  const { weights, bias } = model;
  const { offsets, columns: xColumns, values: xValues } = set.vectors;
  const next = random(options.seed);
  const order = Array.from(set.labels, (_, i) => i);
  const gradient = new Float64Array(classes);
  const active = new Int32Array(classes);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, next);
    const rate = options.learningRate / (1 + epoch);
    for (const i of order) {
      const from = offsets[i]!;
      const to = offsets[i + 1]!;
      const label = set.labels[i]!;
      const weight = set.weights[i]!;
      logitsOfRange(gradient, model, xColumns, xValues, from, to);
      softmaxInPlace(gradient);
      gradient[label] = gradient[label]! - 1;
      let count = 0;
      for (let k = 0; k < classes; k++) {
        const g = gradient[k]! * weight;
        if (g > -GRADIENT_FLOOR && g < GRADIENT_FLOOR) continue;
        gradient[k] = g;
        active[count++] = k;
        bias[k] = bias[k]! - rate * g;
      }
      for (let j = from; j < to; j++) {
        const base = xColumns[j]! * classes;
        const v = xValues[j]!;
        for (let a = 0; a < count; a++) {
          const k = active[a]!;
          const w = weights[base + k]!;
          weights[base + k] = w - rate * (gradient[k]! * v + options.l2 * w);
        }
      }
    }
  }
  return model;
}
