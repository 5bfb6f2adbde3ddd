import { describe, expect, it } from 'vitest';
import { concatHitLists, parseHitList } from './hit-list.ts';

describe('parseHitList', () => {
  it('reads row ids with scores, negative ones too', () => {
    const { rowids, scores } = parseHitList('1 250 12 -17 300 0', true);
    expect([...rowids]).toEqual([1, 12, 300]);
    expect([...scores!]).toEqual([250, -17, 0]);
  });
  it('reads row ids alone', () => {
    const { rowids, scores } = parseHitList('4 1 3 7', false);
    expect([...rowids]).toEqual([4, 1, 3, 7]);
    expect(scores).toBeNull();
  });
  it('reads an empty list', () => {
    expect(parseHitList('', true).rowids.length).toBe(0);
    expect(parseHitList('', false).rowids.length).toBe(0);
  });
  it('joins parts in order', () => {
    const all = concatHitLists([parseHitList('1 5 2 6', true), parseHitList('', true), parseHitList('9 -1', true)]);
    expect([...all.rowids]).toEqual([1, 2, 9]);
    expect([...all.scores!]).toEqual([5, 6, -1]);
  });
});
