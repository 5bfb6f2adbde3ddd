import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './rate-limit.ts';

describe('TokenBuckets', () => {
  it('allows a burst of capacity, then refuses until tokens refill, per address', () => {
    const b = new TokenBuckets(3, 60_000);
    const t = 1_000_000;
    expect([b.take('a', t), b.take('a', t), b.take('a', t)]).toEqual([0, 0, 0]);
    const wait = b.take('a', t);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(20_000);
    expect(b.take('b', t)).toBe(0); // another address has its own bucket
    expect(b.take('a', t + 20_000)).toBe(0); // one token back after a third of the window
    expect(b.take('a', t + 20_000)).toBeGreaterThan(0);
  });

  it('forgets idle addresses when the table is full', () => {
    const b = new TokenBuckets(2, 1000, 10);
    for (let i = 0; i < 10; i++) b.take(`ip${i}`, 0);
    expect(b.take('new', 5000)).toBe(0);
    expect(b.take('new', 5000)).toBe(0);
    expect(b.take('new', 5000)).toBeGreaterThan(0);
  });
});
