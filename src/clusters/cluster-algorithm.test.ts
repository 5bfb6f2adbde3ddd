import { describe, expect, it } from 'vitest';
import { documentFrequencies, similarity, termCounts, unitVectors } from '../search/index.ts';
import { DEFAULT_CLUSTER_OPTIONS, PairList, suggestClusters, type ClusterInput, type SuggestedCluster } from './cluster-algorithm.ts';

const TOPICS = ['torture prevention detention', 'freedom of expression journalists', 'domestic workers labour protection', 'statelessness nationality children', 'death penalty moratorium abolition', 'women discrimination personal status'];

/** `n` English texts: each topic's demand in a few wordings, with a running number so that no two are the same. */
function texts(n: number): ClusterInput[] {
  return Array.from({ length: n }, (_, k) => {
    const topic = TOPICS[k % TOPICS.length]!;
    return { id: `r${String(k).padStart(5, '0')}`, text_en: `Take measures on ${topic} and ensure ${topic.split(' ')[k % 3]} in law and practice, item ${k}`, text_ar: null, text_fr: null };
  });
}

const EN = 'torture detention prison journalists expression assembly association migrant domestic workers trafficking women girls violence marriage nationality statelessness children education health disability poverty housing water death penalty moratorium abolition judiciary corruption police refugees asylum minorities religion belief elections privacy surveillance'.split(' ');
const AR = 'التعذيب الاحتجاز السجون الصحفيين التعبير التجمع الجمعيات المهاجرين العمال المنزليين الاتجار النساء الفتيات العنف الزواج الجنسية الأطفال التعليم الصحة الإعاقة الفقر السكن المياه الإعدام القضاء الفساد الشرطة اللاجئين الأقليات الدين'.split(' ');

/** A register with the mess of real ones: skewed word use, exact and near copies, Arabic, English and bilingual records. */
function messy(n: number, seed: number): ClusterInput[] {
  let a = seed;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // each text on one of 12 demands: most words from the demand's six, some from the whole pool (the frequent first)
  const words = (pool: string[], k: number, demand: number) =>
    Array.from({ length: k }, () => (rand() < 0.6 ? pool[(demand * 6 + Math.floor(rand() * 6)) % pool.length]! : pool[Math.floor(pool.length * rand() ** 2)]!)).join(' ');
  const out: ClusterInput[] = [];
  for (let k = 0; k < n; k++) {
    const id = `m${String(k).padStart(4, '0')}`;
    const r = rand();
    if (k > 10 && r < 0.15) {
      const copy = out[Math.floor(rand() * k)]!;
      out.push({ ...copy, id, text_en: copy.text_en && rand() < 0.5 ? `${copy.text_en} ${words(EN, 1, 0)}` : copy.text_en });
      continue;
    }
    const length = 3 + Math.floor(rand() * 10);
    const lang = rand();
    const demand = Math.floor(rand() * 12);
    out.push({ id, text_en: lang < 0.75 ? words(EN, length, demand) : null, text_ar: lang > 0.55 ? words(AR, length, demand) : null, text_fr: null });
  }
  return out;
}

/** The clusters as the first version worked them out: every pair compared through the search's own vectors. */
function reference(docs: ClusterInput[], options: { threshold: number; linkThreshold: number; maxClusterSize: number; maxDfRatio: number }): SuggestedCluster[] {
  const n = docs.length;
  const counts = docs.map(termCounts);
  const df = documentFrequencies(counts);
  const cap = Math.max(10, options.maxDfRatio * n);
  const drop = new Set([...df].filter(([, f]) => f > cap).map(([k]) => k));
  const vectors = counts.map((c) => unitVectors(c, df, n, drop));
  const sims = new Map<number, number>();
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const s = Math.round(similarity(vectors[i]!, vectors[j]!) * 1e12) / 1e12;
      if (s >= options.linkThreshold) sims.set(i * n + j, s);
    }
  const sim = (a: number, b: number) => (a === b ? 1 : (sims.get(a < b ? a * n + b : b * n + a) ?? 0));
  const edges = [...sims.entries()].filter(([, s]) => s >= options.threshold).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const groupOf = Array.from({ length: n }, (_, i) => i);
  const groups = new Map(docs.map((_, i) => [i, [i]]));
  for (const [key] of edges) {
    const [gi, gj] = [groupOf[Math.floor(key / n)]!, groupOf[key % n]!];
    if (gi === gj) continue;
    const [A, B] = [groups.get(gi)!, groups.get(gj)!];
    if (A.length + B.length > options.maxClusterSize) continue;
    let total = 0;
    for (const x of A) for (const y of B) total += sim(x, y);
    if (total / (A.length * B.length) < options.linkThreshold) continue;
    const [keep, gone] = A.length >= B.length ? [gi, gj] : [gj, gi];
    for (const m of groups.get(gone)!) {
      groups.get(keep)!.push(m);
      groupOf[m] = keep;
    }
    groups.delete(gone);
  }
  const out: SuggestedCluster[] = [];
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    let [pairSum, medoid, medoidSum] = [0, members[0]!, -1];
    for (const x of members) {
      let s = 0;
      for (const y of members) if (x !== y) s += sim(x, y);
      pairSum += s;
      if (s > medoidSum) [medoid, medoidSum] = [x, s];
    }
    out.push({ members: members.map((m) => docs[m]!.id), medoid: docs[medoid]!.id, score: Math.round((pairSum / (members.length * (members.length - 1))) * 1000) / 1000 });
  }
  return out.sort((a, b) => b.members.length - a.members.length || b.score - a.score);
}

describe('suggestClusters', () => {
  it('groups texts of one demand, and lets the event loop turn before its first comparison', async () => {
    // the steps before the comparisons (terms, frequencies, vectors, index) ran in one stretch: at 250,000 about 20 s
    // during which the server answered no one; here, the loop must turn during them (it did not before)
    let turns = 0;
    let counting = true;
    const spin = () => {
      if (!counting) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    let turnsAtFirstProgress = -1;
    const clusters = await suggestClusters(texts(6000), {
      onProgress: () => {
        if (turnsAtFirstProgress < 0) turnsAtFirstProgress = turns;
      },
    });
    counting = false;
    expect(turnsAtFirstProgress).toBeGreaterThan(1);
    expect(clusters.length).toBeGreaterThan(0);
    // every cluster holds one topic's texts only
    for (const c of clusters) expect(new Set(c.members.map((id) => Number(id.slice(1)) % TOPICS.length)).size).toBe(1);
  });

  it('finds the same clusters as comparing every pair, on messy bilingual registers', async () => {
    // the pairs are found through an index that leaves each vector's most frequent terms out (exact by a bound):
    // a wrong bound or a missed pair changes which groups merge
    const settings = [DEFAULT_CLUSTER_OPTIONS, { threshold: 0.3, linkThreshold: 0.2, maxClusterSize: 8, maxDfRatio: 0.5 }, { threshold: 0.6, linkThreshold: 0.45, maxClusterSize: 60, maxDfRatio: 0.3 }];
    for (const [k, options] of settings.entries()) {
      const docs = messy(700, 11 + k);
      const expected = reference(docs, options);
      expect(expected.length).toBeGreaterThan(20);
      expect(await suggestClusters(docs, options)).toEqual(expected);
    }
  });

  it('keeps pairs without their first record or similarity, and puts them in order by working the similarity out again', async () => {
    // pairs come as the search finds them: by first record, last first, each record's pairs in decreasing second
    // record; similarities with few values (ties), a few bands (many pairs in one) and more than a million pairs (two
    // of the list's blocks)
    const n = 1800;
    const sim = (i: number, j: number) => 0.5 + ((i * 7919 + j * 104729) % 37) / 72;
    const pairs = new PairList(0.5, sim, 8);
    const expected: [number, number][] = [];
    for (let i = n - 1; i >= 0; i--) {
      for (let j = n - 1; j > i; j--) {
        if ((i + j) % 3 === 0 || i % 97 === 5) continue;
        pairs.push(i, j, sim(i, j));
        expected.push([i, j]);
      }
    }
    expect(pairs.size).toBe(expected.length);
    expect(pairs.size).toBeGreaterThan(1 << 20);
    // every pair in turn (each run's first pair follows the last of the run before), then every pair in the order made
    expect(Array.from({ length: pairs.size }, (_, p) => [pairs.i(p), pairs.j(p)])).toEqual(expected);
    expected.sort((a, b) => sim(b[0], b[1]) - sim(a[0], a[1]) || a[0] - b[0] || a[1] - b[1]);
    const order = await pairs.order(async () => undefined);
    expect(Array.from(order, (p) => [pairs.i(p), pairs.j(p)])).toEqual(expected);
  });
});
