import { describe, expect, it } from 'vitest';
import { hitsOf, topK } from './register-index.ts';

describe('topK', () => {
  const values = [5, 3, 9, 1, 9, 7, 2, 8, 6, 4, 0, 9];
  const before = (a: number, b: number) => values[a]! > values[b]! || (values[a] === values[b] && a < b);
  const full = values.map((_, i) => i).sort((a, b) => (before(a, b) ? -1 : 1));

  it.each([0, 1, 3, 5, 12, 20])('returns the best %i in order, ties by position', (k) => {
    expect(topK(values.length, k, before)).toEqual(full.slice(0, k));
  });
  it('handles nothing to pick from', () => {
    expect(topK(0, 10, before)).toEqual([]);
  });
  it('agrees with a full sort on random input', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const xs = Array.from({ length: 5000 }, () => Math.floor(rnd() * 300));
    const b = (p: number, q: number) => xs[p]! < xs[q]! || (xs[p] === xs[q] && p < q);
    const sorted = xs.map((_, i) => i).sort((p, q) => (b(p, q) ? -1 : 1));
    expect(topK(xs.length, 137, b)).toEqual(sorted.slice(0, 137));
  });
});

describe('hitsOf', () => {
  it('maps row ids to recommendations with their scores, dropping unknown rows', () => {
    const { recs, scores } = hitsOf({ rowids: Int32Array.from([1, 2, 3, 4, 9]), scores: Float64Array.from([250, 99, -17, 0, 5]) }, Int32Array.from([-1, 0, -1, 2, 1]));
    expect([...recs]).toEqual([0, 2, 1]);
    expect([...scores!]).toEqual([250, -17, 0]);
  });
});
