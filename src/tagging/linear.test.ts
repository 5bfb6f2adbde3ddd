import { describe, expect, it } from 'vitest';
import { LinearTagger, PerListLinear } from './linear.ts';
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

describe('one regression per training list (twelfth tagger session)', () => {
  // two lists label the same texts by their own conventions: A calls torture texts "torture", B "detention"
  const a = docs.map((d) => ({ ...d, group: 'A' }));
  const b = docs.map((d) => ({ ...d, group: 'B', labels: { theme: (d.labels.theme ?? []).map((l) => (l === 'torture' ? 'detention' : l)) } }));
  const text = 'Investigate torture in detention centres';

  it("gives a name the probability of the lists that use it, not lowered by another list's convention", () => {
    const per = PerListLinear.train([...a, ...b], 'theme').scores(text);
    const pooled = LinearTagger.train([...a, ...b], 'theme').scores(text);
    // pooled, every torture text is a negative example for "torture" in B and for "detention" in A
    expect(pooled.get('torture')!).toBeLessThan(0.6);
    expect(per.get('torture')!).toBeGreaterThan(0.7);
    expect(per.get('detention')!).toBeGreaterThan(0.7);
    // exactly list A's regression for a name only A uses; the mean of both for a name both use
    const onlyA = LinearTagger.train(a, 'theme').scores(text);
    const onlyB = LinearTagger.train(b, 'theme').scores(text);
    expect(per.get('torture')).toBeCloseTo(onlyA.get('torture')!, 12);
    expect(per.get('detention')).toBeCloseTo(onlyB.get('detention')!, 12);
    expect(per.get('education')).toBeCloseTo((onlyA.get('education')! + onlyB.get('education')!) / 2, 12);
  });
});
