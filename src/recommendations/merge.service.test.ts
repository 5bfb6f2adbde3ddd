import { describe, expect, it } from 'vitest';
import { diceSizeBounds } from './duplicate-matching.ts';
import { bestMatches, type Candidate, type CandidatePair, comparable, duplicatePairs, SIMILARITY_THRESHOLD, sameState, textSimilarity, textTokens } from './merge.service.ts';

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

// The plain definition: every older record, in order, the first of the most similar winning (kept here as the
// reference the indexed matching must agree with).
const tokenCache = new Map<string, Set<string>>();
const tokensOf = (text: string) => {
  let t = tokenCache.get(text);
  if (!t) tokenCache.set(text, (t = textTokens(text)));
  return t;
};
const bruteForce = (news: Candidate[], olds: Candidate[], apart: Set<string>): CandidatePair[] => {
  const out: CandidatePair[] = [];
  for (const n of news) {
    let best: CandidatePair | undefined;
    for (const o of olds) {
      if (o.document_id === n.document_id && o.id >= n.id) continue;
      if (!comparable(n, o)) continue;
      const [aId, bId] = n.id < o.id ? [n.id, o.id] : [o.id, n.id];
      if (apart.has(`${aId}|${bId}`)) continue;
      const s = textSimilarity(tokensOf(n.text), tokensOf(o.text));
      if (s >= SIMILARITY_THRESHOLD && (!best || s > best.similarity)) best = { aId: o.id, bId: n.id, similarity: Math.round(s * 1000) / 1000 };
    }
    if (best) out.push(best);
  }
  return out;
};
// The duplicates page as it was defined: per document (in order of first appearance), its records against the
// records of the documents so far.
const bruteForcePairs = (all: Candidate[], apart: Set<string>): CandidatePair[] => {
  const docs = new Map<string, Candidate[]>();
  for (const c of all) docs.set(c.document_id, [...(docs.get(c.document_id) ?? []), c]);
  const order = [...docs.keys()];
  const pairs: CandidatePair[] = [];
  for (let i = 0; i < order.length; i++) pairs.push(...bruteForce(docs.get(order[i]!)!, order.slice(0, i + 1).flatMap((d) => docs.get(d)!), apart));
  return pairs;
};

describe('finding the most similar comparable record', () => {
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

/** Deterministic random numbers (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}

const WORDS = [
  'ratify', 'convention', 'torture', 'optional', 'protocol', 'death', 'penalty', 'abolish', 'rights', 'child', 'children’s', "women's",
  'migrant', 'workers', 'national', 'institution', 'Paris', 'principles', 'judiciary', 'independence', 'trafficking', 'persons',
  'Disabilities', 'education', 'inclusive', 'domestic', 'violence', 'legislation', 'moratorium', 'ensure', 'strengthen', 'adopt',
  'الاتفاقية', 'التعذيب', 'حقوق', 'حُقُوق', 'الإنسان', 'المرأة', 'الطفل', 'العنف', 'المنزلي', 'التصديق', 'البروتوكول', 'الاختياري', 'عقوبة', 'الإعدام',
  'privée', 'Privee', 'droits', 'l’homme', '2030', '16', 'a', 'و', 'x1', 'CAT', 'cat',
];
const SEPARATORS = [' ', ' ', ' ', ', ', '. ', ' - ', '; ', '\n', ' (', ') '];
const STATES: string[][] = [[], [], ['France'], ['France', 'Chile'], ['Chile'], ['Iran'], ['Iran (Islamic Republic of)'], ['Islamic Republic of Iran', 'Chile'], ['Libya'], ['Libyan Arab Jamahiriya'], ['Republic of Korea']];

/** A set of candidates: near-duplicate texts (words dropped, added, replaced, repeated, cased), ties, empty texts, Arabic. */
function generate(seed: number) {
  const r = random(seed);
  const vocab = WORDS.slice(0, 6 + r.int(WORDS.length - 6));
  // small texts often, so that sizes and overlaps sit on the threshold's edges (4 and 6 words: exactly 0.8)
  const base = () => Array.from({ length: r.next() < 0.5 ? 1 + r.int(8) : r.int(30) }, () => r.pick(vocab));
  const bases = Array.from({ length: 1 + r.int(12) }, base);
  const write = (words: string[]) => words.map((w, i) => (i ? r.pick(SEPARATORS) : '') + w).join('');
  const text = (): string => {
    if (r.next() < 0.06) return r.pick(['', ' ', '—', 'a', '12 .']);
    const words = [...r.pick(bases)];
    for (let e = r.int(4); e > 0; e--) {
      const at = r.int(words.length + 1);
      const op = r.int(5);
      if (op === 0 && words.length) words.splice(at, 1);
      else if (op === 1) words.splice(at, 0, r.pick(vocab));
      else if (op === 2 && words.length) words[at % words.length] = r.pick(vocab);
      else if (op === 3 && words.length) words.push(words[at % words.length]!);
      else if (words.length) words[at % words.length] = words[at % words.length]!.toUpperCase();
    }
    return write(words);
  };
  const docs = Array.from({ length: 1 + r.int(5) }, (_, i) => `d${i}`);
  const make = (i: number): Candidate => ({
    id: `${r.int(1_000_000).toString(36)}-${i}`,
    document_id: r.pick(docs),
    country: r.pick(['Kuwait', 'Kuwait', 'Kuwait', 'kuwait', 'Oman', null, '']),
    upr_cycle: r.pick([1, 1, 2, null, 0]),
    kind: r.next() < 0.85 ? 'recommendation' : 'pledge',
    paragraph: r.pick([null, '', '1', '1', '2']),
    states: r.pick(STATES),
    text: text(),
  });
  const size = r.next() < 0.3 ? 1 + r.int(30) : 40 + r.int(400);
  const olds = Array.from({ length: size }, (_, i) => make(i));
  const news = Array.from({ length: 1 + r.int(80) }, (_, i) => make(size + i));
  // some of each side's matches kept apart (the next best must then win), and some pairs at random
  const apart = new Set<string>();
  const key = (x: string, y: string) => (x < y ? `${x}|${y}` : `${y}|${x}`);
  for (const p of [...bruteForce(news, olds, apart), ...bruteForcePairs(olds, apart)]) if (r.next() < 0.4) apart.add(key(p.aId, p.bId));
  for (let k = r.int(20); k > 0; k--) apart.add(key(r.pick(olds).id, r.pick([...olds, ...news]).id));
  return { olds, news, apart };
}

describe('the indexed matching gives what comparing every record gives', () => {
  it('knows the word counts a set can have to reach the threshold, exactly', () => {
    for (const t of [SIMILARITY_THRESHOLD, 0.5, 0.9, 2 / 3]) {
      for (let a = 1; a <= 300; a++) {
        // the plain definition: the sizes b for which some overlap (at most min(a, b) words) reaches t
        const reach = (b: number) => (2 * Math.min(a, b)) / (a + b) >= t;
        let min = 0;
        while (!reach(min)) min++;
        let max = min;
        while (reach(max + 1)) max++;
        expect(diceSizeBounds(a, t), `t ${t}, ${a} words`).toEqual([min, max]);
      }
    }
  });

  it('finds the same pairs, with the same similarity and the same winner among equals, over generated candidate sets', async () => {
    let pairs = 0;
    let onEdge = 0;
    let apartCount = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { olds, news, apart } = generate(seed);
      const expected = bruteForce(news, olds, apart);
      expect(await bestMatches(news, olds, apart), `seed ${seed}`).toEqual(expected);
      pairs += expected.length;
      onEdge += expected.filter((p) => p.similarity === SIMILARITY_THRESHOLD).length;
      apartCount += apart.size;
    }
    // the samples do reach the cases the index could get wrong
    expect(pairs).toBeGreaterThan(1000);
    expect(onEdge, 'pairs exactly at the threshold').toBeGreaterThan(50);
    expect(apartCount).toBeGreaterThan(1000);
  }, 120_000);

  it('lists the same pairs of a whole register as matching each document against the documents before it', async () => {
    let pairs = 0;
    for (let seed = 1001; seed <= 1200; seed++) {
      const { olds, news, apart } = generate(seed);
      const all = [...olds, ...news];
      const expected = bruteForcePairs(all, apart);
      expect(await duplicatePairs(all, apart), `seed ${seed}`).toEqual(expected);
      pairs += expected.length;
    }
    expect(pairs).toBeGreaterThan(3000);
  }, 120_000);
});
