import { describe, expect, it } from 'vitest';
import { ndcgAt, recallAt } from '../../bench/relevance-metrics.ts';

describe('relevance metrics (npm run bench -- relevance)', () => {
  const rel = new Set(['a', 'b']);
  it('nDCG@10 is 1 for a perfect list, lower when the hits come later, 0 without hits', () => {
    expect(ndcgAt(['a', 'b', 'x'], rel, 10)).toBeCloseTo(1);
    expect(ndcgAt(['x', 'a', 'b'], rel, 10)).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3)));
    expect(ndcgAt(['x', 'y'], rel, 10)).toBe(0);
  });
  it('recall@k counts the relevant items within the first k', () => {
    expect(recallAt(['a', 'x', 'b'], rel, 2)).toBe(0.5);
    expect(recallAt(['a', 'x', 'b'], rel, 50)).toBe(1);
  });
});
