import { describe, expect, it } from 'vitest';
import { compareNatural } from './natural-sort.ts';

describe('natural order of paragraph numbers', () => {
  it('puts 79.2 before 79.10 and keeps a total order', () => {
    const paras = ['79.10', '79.2', '128.26', '79.1', '128.9', '80', '79.10.1', null, '079'];
    expect([...paras].sort(compareNatural)).toEqual(['079', '79.1', '79.2', '79.10', '79.10.1', '80', '128.9', '128.26', null]);
    expect(compareNatural('A/HRC/15/15', 'A/HRC/15/9')).toBeGreaterThan(0);
    expect(compareNatural('79', '079')).not.toBe(0);
  });
});
