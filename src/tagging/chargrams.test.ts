import { describe, expect, it } from 'vitest';
import { CharCentroids, charGrams } from './chargrams.ts';
import { TaggerModel, type TrainDoc } from './model.ts';

const openings = ['Take measures to', 'Continue efforts to', 'Strengthen policies to', 'Redouble efforts to', 'Adopt a plan to', 'Further'];
const docs: TrainDoc[] = [
  ...openings.map((o) => ({ text: `${o} combat discrimination against women and minorities`, labels: { theme: ['equality'] } })),
  ...openings.map((o) => ({ text: `${o} ensure free primary education for girls`, labels: { theme: ['education'] } })),
  ...openings.map((o) => ({ text: `${o} end torture in detention`, labels: { theme: ['torture'] } })),
];

describe('character n-gram centroids (twelfth tagger session)', () => {
  it('counts the 3- to 5-grams of each content word, padded', () => {
    // "^ab$": two 3-grams, one 4-gram, no 5-gram
    expect([...charGrams('ab').values()].reduce((a, b) => a + b, 0)).toBe(3);
    // "^abcd$": four 3-grams, three 4-grams, two 5-grams; stopwords and numbers left out
    expect([...charGrams('abcd the 2024').values()].reduce((a, b) => a + b, 0)).toBe(9);
    expect([...charGrams('abcd abcd')].map(([, n]) => n)).toEqual(Array(9).fill(2));
  });

  it('meets a word no training text holds through the n-grams it shares with a label\'s words', () => {
    const cc = CharCentroids.train(docs, 'theme');
    // "discriminatory" and "educational" are in no training text; the word model has nothing to go on
    const text = 'Repeal discriminatory provisions';
    const s = cc.scores(text);
    expect(s.get('equality') ?? 0).toBeGreaterThan(0.05);
    expect(s.get('equality')!).toBeGreaterThan(s.get('education') ?? 0);
    expect(s.get('equality')!).toBeGreaterThan(s.get('torture') ?? 0);
    const e = cc.scores('Improve educational outcomes');
    expect(e.get('education')!).toBeGreaterThan(e.get('equality') ?? 0);
    const words = TaggerModel.train(docs, []).predict(text, 30).theme;
    expect(words.every((x) => x.score === 0)).toBe(true);
    // cosines of unit vectors
    for (const v of [...s.values(), ...e.values()]) expect(v).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('gives a training text its label as the best, deterministically', () => {
    const cc = CharCentroids.train(docs, 'theme');
    const s = [...cc.scores(docs[7]!.text)].sort((a, b) => b[1] - a[1]);
    expect(s[0]![0]).toBe('education');
    expect([...CharCentroids.train(docs, 'theme').scores(docs[7]!.text)]).toEqual([...cc.scores(docs[7]!.text)]);
  });

  it("sums every recommendation carrying a label into its centroid", () => {
    const mixed: TrainDoc[] = [
      ...docs,
      { text: 'Protect journalists from harassment', labels: { theme: ['expression'] } },
      { text: 'Protect journalists and bloggers', labels: { theme: ['expression'] } },
      { text: 'Guarantee freedom of the press', labels: { theme: ['expression'] } },
      { text: 'Guarantee freedom of assembly', labels: { theme: ['expression'] } },
    ];
    const cc = CharCentroids.train(mixed, 'theme');
    expect(cc.scores('Journalists must be protected').get('expression') ?? 0).toBeGreaterThan(0.2);
    expect(cc.scores('Freedom to guarantee').get('expression') ?? 0).toBeGreaterThan(0.2);
  });
});
