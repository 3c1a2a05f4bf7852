import { describe, expect, it } from 'vitest';
import { indexInSorted, kthSmallest } from '../../src/matching/sorted.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('kthSmallest', () => {
  it('gives what a sort would put at position k, on random, sorted, reversed and constant input', () => {
    const random = rng(7);
    const inputs: Float32Array[] = [];
    for (let n = 1; n <= 300; n += 37) {
      inputs.push(Float32Array.from({ length: n }, () => Math.floor(random() * 20) / 4));
      inputs.push(Float32Array.from({ length: n }, (_, i) => i));
      inputs.push(Float32Array.from({ length: n }, (_, i) => n - i));
      inputs.push(new Float32Array(n).fill(1.5));
    }
    for (const input of inputs) {
      const sorted = Float32Array.from(input).sort();
      for (const k of [0, input.length >> 1, input.length - 1, Math.floor(input.length / 3)]) {
        expect(kthSmallest(Float32Array.from(input), k)).toBe(sorted[k]);
      }
    }
  });
});

describe('indexInSorted', () => {
  it('finds present values and answers -1 for absent ones', () => {
    const list = Int32Array.from([2, 5, 9, 14]);
    expect(indexInSorted(list, 9)).toBe(2);
    expect(indexInSorted(list, 2)).toBe(0);
    expect(indexInSorted(list, 10)).toBe(-1);
    expect(indexInSorted(new Int32Array(0), 1)).toBe(-1);
  });
});
