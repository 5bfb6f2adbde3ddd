/**
 * Suggested clusters: recommendations that ask for the same thing (near-duplicates and
 * same-demand texts), in any language held.
 *
 * 1. Per-language TF-IDF vectors over normalised, stemmed content terms (src/search similarity);
 *    terms present in more than `maxDfRatio` of the register are dropped (they say nothing about
 *    the demand: "state", "ensure", "rights" in a human-rights register).
 * 2. All pairs with cosine ≥ `linkThreshold` in a shared language, found through an inverted
 *    index (no n² scan); a bilingual record links its Arabic and English neighbours.
 * 3. Greedy average-linkage agglomeration: edges in decreasing similarity; two groups merge when
 *    the edge is ≥ `threshold` and the mean similarity over all cross pairs is ≥ `linkThreshold`
 *    (pairs below the link threshold count as 0), up to `maxClusterSize`. This avoids the chaining
 *    of plain union-find (A~B, B~C but A≁C).
 * Output: groups of at least two, with their mean pairwise similarity and a medoid (the member
 * most similar to the others, used for the title).
 */
import { documentFrequencies, similarity, termCounts, unitVectors, type TermCounts, type TextsByLang, type UnitVectors } from '../search/index.ts';
import { yielder } from '../shared/yielder.ts';

export interface ClusterInput extends TextsByLang {
  id: string;
}

export interface ClusterOptions {
  /** similarity needed for the edge that joins two groups */
  threshold?: number;
  /** mean similarity needed between the two groups (average linkage) */
  linkThreshold?: number;
  maxClusterSize?: number;
  maxDfRatio?: number;
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

export interface SuggestedCluster {
  members: string[];
  medoid: string;
  score: number;
}

export const DEFAULT_CLUSTER_OPTIONS = { threshold: 0.5, linkThreshold: 0.35, maxClusterSize: 60, maxDfRatio: 0.2 } as const;

/**
 * The run runs in the server's process (a job): every step lets other requests in every 25 ms. At 250,000
 * recommendations the steps before the first comparison took about 20 s in one stretch, during which the server
 * answered no one.
 */
export async function suggestClusters(docs: readonly ClusterInput[], options: ClusterOptions = {}): Promise<SuggestedCluster[]> {
  const o = { ...DEFAULT_CLUSTER_OPTIONS, ...options };
  const n = docs.length;
  if (n < 2) return [];
  const slice = yielder(25);
  // (the clock read every 64 steps: a step can be a single edge)
  let steps = 0;
  const due = () => (++steps & 63) === 0;
  const counts: TermCounts[] = [];
  for (const d of docs) {
    if (due()) await slice();
    counts.push(termCounts(d));
  }
  const df = new Map<string, number>();
  for (let a = 0; a < n; a += 1000) {
    await slice();
    for (const [k, f] of documentFrequencies(counts.slice(a, a + 1000))) df.set(k, (df.get(k) ?? 0) + f);
  }
  const drop = new Set<string>();
  const cap = Math.max(10, o.maxDfRatio * n);
  for (const [k, f] of df) if (f > cap) drop.add(k);
  const vectors: UnitVectors[] = [];
  for (const c of counts) {
    if (due()) await slice();
    vectors.push(unitVectors(c, df, n, drop));
  }

  // Inverted index: "lang:term" → [doc, weight] pairs.
  const postings = new Map<string, { doc: number; w: number }[]>();
  for (const [doc, v] of vectors.entries()) {
    if (due()) await slice();
    for (const [lang, m] of Object.entries(v)) {
      for (const [t, w] of m!) {
        const k = `${lang}:${t}`;
        let p = postings.get(k);
        if (!p) postings.set(k, (p = []));
        p.push({ doc, w });
      }
    }
  }

  // Pairwise similarities ≥ linkThreshold, per language accumulated then maxed.
  const sims = new Map<number, number>(); // key i*n+j (i<j)
  const acc = new Float64Array(n);
  const touched: number[] = [];
  for (let i = 0; i < n; i++) {
    const best = new Map<number, number>();
    for (const [lang, m] of Object.entries(vectors[i]!)) {
      for (const [t, w] of m!) {
        for (const p of postings.get(`${lang}:${t}`)!) {
          if (p.doc <= i) continue;
          if (acc[p.doc] === 0) touched.push(p.doc);
          acc[p.doc] = acc[p.doc]! + w * p.w;
        }
      }
      for (const j of touched) {
        if (acc[j]! > (best.get(j) ?? 0)) best.set(j, acc[j]!);
        acc[j] = 0;
      }
      touched.length = 0;
    }
    for (const [j, s] of best) if (s >= o.linkThreshold) sims.set(i * n + j, Math.min(1, s));
    if (i % 250 === 249) await o.onProgress?.(i + 1, n);
    await slice();
  }
  await o.onProgress?.(n, n);

  // Greedy average-linkage agglomeration.
  const edges = [...sims.entries()].filter(([, s]) => s >= o.threshold).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const groupOf = new Int32Array(n).map((_, i) => i);
  const groups = new Map<number, number[]>(docs.map((_, i) => [i, [i]]));
  const sim = (a: number, b: number) => (a === b ? 1 : (sims.get(a < b ? a * n + b : b * n + a) ?? 0));
  for (const [key] of edges) {
    if (due()) await slice();
    const i = Math.floor(key / n);
    const j = key % n;
    const gi = groupOf[i]!;
    const gj = groupOf[j]!;
    if (gi === gj) continue;
    const A = groups.get(gi)!;
    const B = groups.get(gj)!;
    if (A.length + B.length > o.maxClusterSize) continue;
    let total = 0;
    for (const a of A) for (const b of B) total += sim(a, b);
    if (total / (A.length * B.length) < o.linkThreshold) continue;
    const [keep, gone] = A.length >= B.length ? [gi, gj] : [gj, gi];
    const into = groups.get(keep)!;
    for (const m of groups.get(gone)!) {
      into.push(m);
      groupOf[m] = keep;
    }
    groups.delete(gone);
  }

  const out: SuggestedCluster[] = [];
  for (const members of groups.values()) {
    if (due()) await slice();
    if (members.length < 2) continue;
    let pairSum = 0;
    let medoid = members[0]!;
    let medoidSum = -1;
    for (const a of members) {
      let s = 0;
      for (const b of members) if (a !== b) s += sim(a, b);
      pairSum += s;
      if (s > medoidSum) [medoid, medoidSum] = [a, s];
    }
    const pairs = members.length * (members.length - 1);
    out.push({ members: members.map((m) => docs[m]!.id), medoid: docs[medoid]!.id, score: Math.round((pairSum / pairs) * 1000) / 1000 });
  }
  return out.sort((a, b) => b.members.length - a.members.length || b.score - a.score);
}

/** Similarity of two single records (tests and diagnostics). */
export function pairSimilarity(a: TextsByLang, b: TextsByLang): number {
  const ca = termCounts(a);
  const cb = termCounts(b);
  const df = documentFrequencies([ca, cb]);
  return similarity(unitVectors(ca, df, 2), unitVectors(cb, df, 2));
}
