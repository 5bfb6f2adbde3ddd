import { describe, expect, it } from 'vitest';
import { LinearTagger } from './linear.ts';
import type { TrainDoc } from './model.ts';

const openings = ['Take measures to', 'Continue efforts to', 'Strengthen policies to', 'Redouble efforts to', 'Adopt a plan to', 'Further'];
const docs: TrainDoc[] = [
  ...openings.map((o) => ({ text: `${o} prevent torture in places of detention`, labels: { theme: ['torture'] } })),
  ...openings.map((o) => ({ text: `${o} ensure free primary education for girls`, labels: { theme: ['education'] } })),
  ...openings.map((o) => ({ text: `${o} end torture of children in schools`, labels: { theme: ['torture', 'education'] } })),
];

describe('one-vs-rest logistic regression (study)', () => {
  const lr = LinearTagger.train(docs, 'theme');

  it('gives each label a probability, highest for the labels a text is about', () => {
    const t = lr.scores('Investigate torture in detention centres');
    expect(t.get('torture')!).toBeGreaterThan(0.5);
    expect(t.get('education')!).toBeLessThan(t.get('torture')!);
    const e = lr.scores('Free education for every girl');
    expect(e.get('education')!).toBeGreaterThan(e.get('torture')!);
    for (const p of [...t.values(), ...e.values()]) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }
  });

  it('is deterministic for a seed', () => {
    const again = LinearTagger.train(docs, 'theme');
    expect([...again.scores('torture in schools')]).toEqual([...lr.scores('torture in schools')]);
  });
});
