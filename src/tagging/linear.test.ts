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

  it('learns a name only from the lists that use it, with perList', () => {
    // list A (an older generation) files violence against women under "women"; list B files the same texts under
    // "gender based violence", a name A never uses. Without perList, A's texts are negative examples for B's name.
    const a = openings.flatMap((o) => [
      { text: `${o} prevent violence against women in the home`, group: 'A', labels: { theme: ['women'] } },
      { text: `${o} prevent torture in places of detention`, group: 'A', labels: { theme: ['torture'] } },
    ]);
    const b = openings.slice(0, 2).flatMap((o) => [
      { text: `${o} combat violence against women and girls`, group: 'B', labels: { theme: ['gender based violence'] } },
      { text: `${o} end torture by the police`, group: 'B', labels: { theme: ['torture'] } },
    ]);
    const text = 'Protect women from domestic violence';
    const plain = LinearTagger.train([...a, ...b], 'theme').scores(text);
    const perList = LinearTagger.train([...a, ...b], 'theme', { perList: true }).scores(text);
    expect(plain.get('gender based violence')!).toBeLessThan(0.5);
    expect(perList.get('gender based violence')!).toBeGreaterThan(0.5);
    // B never uses "women": only A's texts teach it, and B's violence texts no longer push it down
    expect(perList.get('women')!).toBeGreaterThan(plain.get('women')!);
    // a name both lists use learns from both, as before: still low for a text about something else
    expect(perList.get('torture')!).toBeLessThan(0.5);
  });

  it('is deterministic for a seed', () => {
    const again = LinearTagger.train(docs, 'theme');
    expect([...again.scores('torture in schools')]).toEqual([...lr.scores('torture in schools')]);
  });
});
