import { describe, expect, it } from 'vitest';
import { bestMatches, type Candidate, type CandidatePair, comparable, SIMILARITY_THRESHOLD, sameState, textSimilarity, textTokens } from './merge.service.ts';

describe('one record per recommendation: matching two sources', () => {
  it('knows one state under its different spellings, and tells different states apart', () => {
    expect(sameState('Iran', 'Islamic Republic of Iran')).toBe(true);
    expect(sameState('Libya', 'Libyan Arab Jamahiriya')).toBe(true);
    expect(sameState('Syria', 'Syrian Arab Republic')).toBe(true);
    expect(sameState('Laos', 'Lao People’s Democratic Republic')).toBe(true);
    expect(sameState('Kazakhstan', 'Austria')).toBe(false);
    expect(sameState('United Arab Emirates', 'United Kingdom of Great Britain and Northern Ireland')).toBe(false);
    expect(sameState('Republic of Korea', "Democratic People's Republic of Korea")).toBe(true); // same distinctive word: text decides
  });

  it('scores near-identical texts high and different ones low', () => {
    const a = textTokens('Ratify the International Convention on the Rights of Persons with Disabilities and its Optional Protocol');
    const b = textTokens('Ratify the International Convention on the Rights of Persons with Disabilities and its Optional Protocol.');
    const c = textTokens('Abolish the death penalty');
    expect(textSimilarity(a, b)).toBe(1);
    expect(textSimilarity(a, c)).toBeLessThan(0.3);
  });
});

describe('finding the most similar comparable record', () => {
  // the plain definition: every record of the same state and kind, in order, the first of the most similar winning
  const bruteForce = (news: Candidate[], olds: Candidate[], apart: Set<string>): CandidatePair[] => {
    const out: CandidatePair[] = [];
    for (const n of news) {
      let best: CandidatePair | undefined;
      for (const o of olds) {
        if (o.document_id === n.document_id && o.id >= n.id) continue;
        if (!comparable(n, o)) continue;
        const [aId, bId] = n.id < o.id ? [n.id, o.id] : [o.id, n.id];
        if (apart.has(`${aId}|${bId}`)) continue;
        const s = textSimilarity(textTokens(n.text), textTokens(o.text));
        if (s >= SIMILARITY_THRESHOLD && (!best || s > best.similarity)) best = { aId: o.id, bId: n.id, similarity: Math.round(s * 1000) / 1000 };
      }
      if (best) out.push(best);
    }
    return out;
  };

  it('visits only records that can be comparable and still finds what comparing every record finds', async () => {
    const texts = [
      'Ratify the Convention against Torture and its Optional Protocol',
      'Ratify the Convention against Torture and its Optional Protocol.',
      'ratify the convention against torture and its optional protocol as soon as possible',
      'Abolish the death penalty',
      'Abolish the death penalty and commute all sentences',
      'Protect the rights of migrant workers',
    ];
    for (const seed of [1, 2, 3]) {
      let x = seed;
      const rnd = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
      const make = (i: number): Candidate => ({
        id: `r${String(rnd(1000)).padStart(4, '0')}-${i}`,
        document_id: `d${rnd(4)}`,
        country: ['Kuwait', 'kuwait', 'Oman', null][rnd(4)]!,
        upr_cycle: [1, 2, null][rnd(3)]!,
        kind: ['recommendation', 'pledge'][rnd(2)]!,
        paragraph: [null, '1', '2'][rnd(3)]!,
        states: [[], ['France'], ['France', 'Chile'], ['Chile']][rnd(4)]!,
        text: texts[rnd(texts.length)]!,
      });
      const olds = Array.from({ length: 300 }, (_, i) => make(i));
      const news = Array.from({ length: 100 }, (_, i) => make(1000 + i));
      const apart = new Set(olds.slice(0, 20).map((o, i) => (o.id < news[i]!.id ? `${o.id}|${news[i]!.id}` : `${news[i]!.id}|${o.id}`)));
      const expected = bruteForce(news, olds, apart);
      expect(expected.length, 'the sample finds pairs').toBeGreaterThan(10);
      expect(await bestMatches(news, olds, apart)).toEqual(expected);
    }
  });
});
