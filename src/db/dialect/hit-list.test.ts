import { describe, expect, it } from 'vitest';
import { concatHitLists, type HitList } from './hit-list.ts';

const list = (rowids: number[], scores: number[]): HitList => ({ rowids: Int32Array.from(rowids), scores: Float64Array.from(scores) });

describe('concatHitLists', () => {
  it('joins parts in order', () => {
    const all = concatHitLists([list([1, 2], [5, 6]), list([], []), list([9], [-1])]);
    expect([...all.rowids]).toEqual([1, 2, 9]);
    expect([...all.scores!]).toEqual([5, 6, -1]);
  });
  it('joins unranked parts', () => {
    const all = concatHitLists([{ rowids: Int32Array.from([4]), scores: null }, { rowids: Int32Array.from([7, 8]), scores: null }]);
    expect([...all.rowids]).toEqual([4, 7, 8]);
    expect(all.scores).toBeNull();
  });
});
