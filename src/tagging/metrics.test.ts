import { describe, expect, it } from 'vitest';
import { errorSummary, evaluate } from './metrics.ts';
import { monotone } from './model.ts';

const ranked = (...xs: [string, boolean][]) => xs.map(([key, chosen]) => ({ key, chosen }));

describe('tagger metrics', () => {
  it('computes micro- and macro-F1, precision@3 and coverage by hand-checked numbers', () => {
    const m = evaluate([
      // chosen a, b; gold a, c → tp a, fp b, fn c
      { gold: ['a', 'c'], ranked: ranked(['a', true], ['b', true], ['c', false]) },
      // chosen a; gold a → tp
      { gold: ['a'], ranked: ranked(['a', true], ['b', false]) },
      // no suggestion at all; gold b → fn b
      { gold: ['b'], ranked: [] },
      // no gold: not counted
      { gold: [], ranked: ranked(['z', true]) },
    ]);
    expect(m.n).toBe(3);
    // tp 2, fp 1, fn 2 → 4 / (4 + 3)
    expect(m.micro_f1).toBeCloseTo(4 / 7, 3);
    expect(m.micro_precision).toBeCloseTo(2 / 3, 3);
    expect(m.micro_recall).toBeCloseTo(0.5, 3);
    // per label: a tp2 → 1; b fp1 fn1 → 0; c fn1 → 0
    expect(m.macro_f1).toBeCloseTo(1 / 3, 3);
    // p@3: rec1 top3 {a,b,c} ∩ {a,c} = 2 / min(3,2) = 1; rec2 1/1; rec3 0 → 2/3
    expect(m.p_at_3).toBeCloseTo(2 / 3, 3);
    expect(m.coverage).toBeCloseTo(2 / 3, 3);
  });

  it('is zero for wrong answers and one for perfect ones', () => {
    expect(evaluate([{ gold: ['a'], ranked: ranked(['b', true]) }]).micro_f1).toBe(0);
    expect(evaluate([{ gold: ['a', 'b'], ranked: ranked(['b', true], ['a', true]) }])).toMatchObject({ micro_f1: 1, macro_f1: 1, p_at_3: 1, coverage: 1 });
  });

  it('makes precision bands non-decreasing (pool adjacent violators)', () => {
    expect(monotone([0.1, 0.5, 0.3, 0.9])).toEqual([0.1, 0.4, 0.4, 0.9]);
    expect(monotone([0.9, 0.1])).toEqual([0.5, 0.5]);
  });

  it('summarises errors: missed and wrongly chosen labels, cardinality, confusions', () => {
    const e = errorSummary([
      { gold: ['a', 'c'], ranked: ranked(['a', true], ['b', true], ['c', false]) },
      { gold: ['c'], ranked: ranked(['b', true]) },
      { gold: ['a'], ranked: ranked(['a', true]) },
      { gold: [], ranked: ranked(['z', true]) },
    ]);
    expect(e.n).toBe(3);
    expect(e.gold_per_record).toBeCloseTo(4 / 3, 3);
    expect(e.chosen_per_record).toBeCloseTo(4 / 3, 3);
    // c missed twice of two; a never missed (dropped)
    expect(e.missed).toEqual([['c', 2, 2]]);
    // b chosen twice, wrong twice
    expect(e.wrong).toEqual([['b', 2, 2]]);
    // only the second record had no right choice
    expect(e.confused).toEqual([['c', 'b', 1]]);
  });
});
