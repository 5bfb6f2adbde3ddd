import { describe, expect, it } from 'vitest';
import { actionProgress, attainment, meanProgress } from './plan-progress.ts';

describe('plan progress roll-up', () => {
  it('places the latest value between baseline and target', () => {
    expect(attainment('20', '0', '40')).toBe(0.5);
    expect(attainment('50', '10', '40')).toBe(1);
    expect(attainment('5', '10', '40')).toBe(0);
    // a falling target (e.g. a rate to reduce from 30 to 10)
    expect(attainment('20', '30', '10')).toBe(0.5);
    // no baseline counts as 0
    expect(attainment(3, null, '4')).toBe(0.75);
    expect(attainment('4', '4', '4')).toBe(1);
    expect(attainment('3', '4', '4')).toBe(0);
    expect(attainment(null, '0', '4')).toBeNull();
    expect(attainment('3', '0', null)).toBeNull();
  });

  it('blends action status and indicator attainment', () => {
    expect(actionProgress('completed', [0])).toBe(100);
    expect(actionProgress('cancelled', [1])).toBeNull();
    expect(actionProgress('not_started', [])).toBe(0);
    expect(actionProgress('on_track', [])).toBe(50);
    expect(actionProgress('delayed', [])).toBe(25);
    expect(actionProgress('on_track', [1, 0.5, null])).toBe(63);
    expect(actionProgress('not_started', [null])).toBe(0);
  });

  it('averages what counts', () => {
    expect(meanProgress([25, 0, null])).toBe(13);
    expect(meanProgress([null])).toBeNull();
    expect(meanProgress([])).toBeNull();
  });
});
