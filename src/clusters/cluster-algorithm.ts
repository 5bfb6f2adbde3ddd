/**
 * Suggested clusters: recommendations that ask for the same thing (near-duplicates and
 * same-demand texts), in any language held.
 *
 * 1. Per-language TF-IDF vectors over normalised, stemmed content terms (src/search similarity);
 *    terms present in more than `maxDfRatio` of the register are dropped (they say nothing about
 *    the demand: "state", "ensure", "rights" in a human-rights register).
 * 2. All pairs with cosine ≥ `threshold` in a shared language, exactly, through an inverted index of each
 *    vector's rarer terms (`similarPairs`: no n² scan, and frequent terms' long lists left out by a bound); a
 *    bilingual record links its Arabic and English neighbours.
 * 3. Greedy average-linkage agglomeration: those pairs in decreasing similarity; two groups merge when the mean
 *    similarity over all cross pairs is ≥ `linkThreshold` (pairs below it count as 0; each worked out when asked),
 *    up to `maxClusterSize`. This avoids the chaining of plain union-find (A~B, B~C but A≁C).
 * Output: groups of at least two, with their mean pairwise similarity and a medoid (the member
 * most similar to the others, used for the title).
 */
import { documentFrequencies, idf, similarity, SIM_LANGS, termCounts, unitVectors, type TextsByLang } from '../search/index.ts';
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

  const vectors = await weightedVectors(docs, o.maxDfRatio, due, slice);
  const cosines = new Cosines(vectors, n);
  const edges = await similarPairs(cosines, o.threshold, slice, o.onProgress);
  await o.onProgress?.(n, n);
  // the similarity of any two records, worked out when asked (below the link threshold it counts as 0): every pair
  // above the link threshold, kept before, was most of the run's memory (2.8 million pairs for UPR Info's 42,000)
  const sim = (a: number, b: number) => {
    const s = cosines.between(a, b);
    return s >= o.linkThreshold ? s : 0;
  };

  // Greedy average-linkage agglomeration, edges in decreasing similarity (ties by the pair's records).
  const groupOf = new Int32Array(n).map((_, i) => i);
  const groups = new Map<number, number[]>(); // groups of two or more, by the number their group kept
  const membersOf = (g: number) => groups.get(g) ?? [g];
  for (const e of await edges.order(slice)) {
    if (due()) await slice();
    const gi = groupOf[edges.i(e)]!;
    const gj = groupOf[edges.j(e)]!;
    if (gi === gj) continue;
    const A = membersOf(gi);
    const B = membersOf(gj);
    if (A.length + B.length > o.maxClusterSize) continue;
    let total = 0;
    for (const a of A) for (const b of B) total += sim(a, b);
    if (total / (A.length * B.length) < o.linkThreshold) continue;
    const [keep, gone] = A.length >= B.length ? [gi, gj] : [gj, gi];
    const into = membersOf(keep);
    for (const m of membersOf(gone)) {
      into.push(m);
      groupOf[m] = keep;
    }
    groups.set(keep, into);
    groups.delete(gone);
  }

  const out: SuggestedCluster[] = [];
  for (const g of [...groups.keys()].sort((a, b) => a - b)) {
    if (due()) await slice();
    const members = groups.get(g)!;
    let pairSum = 0;
    let medoid = members[0]!;
    let medoidSum = -1;
    for (const a of members) {
      let s = 0;
      for (const b of members) if (a !== b) s += sim(a, b);
      pairSum += s;
      if (s > medoidSum) [medoid, medoidSum] = [a, s];
    }
    const count = members.length * (members.length - 1);
    out.push({ members: members.map((m) => docs[m]!.id), medoid: docs[medoid]!.id, score: Math.round((pairSum / count) * 1000) / 1000 });
  }
  return out.sort((a, b) => b.members.length - a.members.length || b.score - a.score);
}

/**
 * The records' TF-IDF unit vectors (src/search `unitVectors`' weights), one per record and language held, in flat
 * typed arrays: at 250,000 records a vector per record as a Map of strings, and an inverted index of one object per
 * entry, held 2–2.7 GB. A vector's entries are ordered by the term's document frequency, most frequent first (the
 * order `similarPairs` needs).
 */
interface WeightedVectors {
  /** per vector: its record, and where its entries start (`start[v]` to `start[v + 1]`) */
  doc: Int32Array;
  start: Int32Array;
  term: Int32Array;
  weight: Float64Array;
  terms: number;
}

async function weightedVectors(docs: readonly ClusterInput[], maxDfRatio: number, due: () => boolean, slice: () => Promise<void>): Promise<WeightedVectors> {
  const n = docs.length;
  const ids = new Map<string, number>(); // "lang:term"
  const df: number[] = [];
  const vDoc: number[] = [];
  const vStart: number[] = [0];
  const eTerm: number[] = [];
  const eTf: number[] = [];
  for (let d = 0; d < n; d++) {
    if (due()) await slice();
    const counts = termCounts(docs[d]!);
    for (const lang of SIM_LANGS) {
      const m = counts[lang];
      if (!m) continue;
      for (const [t, tf] of m) {
        const k = `${lang}:${t}`;
        let id = ids.get(k);
        if (id === undefined) ids.set(k, (id = df.push(0) - 1));
        df[id]!++;
        eTerm.push(id);
        eTf.push(tf);
      }
      vDoc.push(d);
      vStart.push(eTerm.length);
    }
  }
  // Terms in more than maxDfRatio of the records say nothing of the demand ("state", "ensure", "rights").
  const cap = Math.max(10, maxDfRatio * n);
  const idfOf = Float64Array.from(df, (f) => (f > cap ? 0 : idf(n, f)));
  const doc: number[] = [];
  const start: number[] = [0];
  const term: number[] = [];
  const weight: number[] = [];
  const order: number[] = [];
  for (let v = 0; v < vDoc.length; v++) {
    if (due()) await slice();
    order.length = 0;
    let norm = 0;
    for (let e = vStart[v]!; e < vStart[v + 1]!; e++) {
      const w = idfOf[eTerm[e]!]!;
      if (w === 0) continue;
      order.push(e);
      eTf[e] = (1 + Math.log(eTf[e]!)) * w;
      norm += eTf[e]! * eTf[e]!;
    }
    if (norm === 0) continue;
    order.sort((a, b) => df[eTerm[b]!]! - df[eTerm[a]!]! || eTerm[a]! - eTerm[b]!);
    const len = Math.sqrt(norm);
    for (const e of order) {
      term.push(eTerm[e]!);
      weight.push(eTf[e]! / len);
    }
    doc.push(vDoc[v]!);
    start.push(term.length);
  }
  return { doc: Int32Array.from(doc), start: Int32Array.from(start), term: Int32Array.from(term), weight: Float64Array.from(weight), terms: df.length };
}

/** Pairs of records, i < j, whose similarity (their most similar shared language's cosine) reaches a threshold. */
interface SimilarPairs {
  size: number;
  i: (pair: number) => number;
  j: (pair: number) => number;
  /** the pairs in decreasing similarity, ties by (i, j) */
  order: (slice: () => Promise<void>) => Promise<Int32Array>;
}

/**
 * Every pair of records with a cosine of at least `t` in a shared language, exactly, without comparing each record
 * with every other through all its terms. A vector's entries are in decreasing document frequency; its first
 * entries, while their norm stays under t, are left out of the inverted index (the "prefix"). Two unit vectors reach
 * t only if the rarest term they share is outside both prefixes: everything they share is at most as rare, so their
 * cosine is at most the product of their norms up to that term (Cauchy–Schwarz), under t if it is in a prefix. So a
 * record is looked up only through its indexed terms, rarest first, among the records after it (already indexed):
 * one met first at a term where that product is under t is dropped unseen; the others get their exact cosine.
 * Frequent terms, whose posting lists made the old scan quadratic, are mostly in prefixes. The records are taken
 * from the last to the first, each compared with those after it, then indexed.
 */
async function similarPairs(
  cosines: Cosines,
  t: number,
  slice: () => Promise<void>,
  onProgress?: (done: number, total: number) => void | Promise<void>,
): Promise<SimilarPairs> {
  const { v, first } = cosines;
  const n = first.length - 1;
  const vectors = v.doc.length;
  // each vector's prefix: where its indexed entries begin
  const from = new Int32Array(vectors);
  const bound = t * t * (1 - 1e-9);
  const listStart = new Int32Array(v.terms + 1);
  // each entry's vector's norm up to and including it (1 at its last entry)
  const norm = new Float64Array(v.weight.length);
  for (let x = 0; x < vectors; x++) {
    let sq = 0;
    let e = v.start[x]!;
    const end = v.start[x + 1]!;
    for (let f = e; f < end; f++) norm[f] = Math.sqrt((sq += v.weight[f]! * v.weight[f]!));
    while (e < end && norm[e]! * norm[e]! < bound) e++;
    from[x] = e;
    for (; e < end; e++) listStart[v.term[e]! + 1]!++;
  }
  for (let k = 0; k < v.terms; k++) listStart[k + 1]! += listStart[k]!;
  const listEnd = listStart.slice(0, v.terms); // grows as records are indexed
  const listVector = new Int32Array(listStart[v.terms]!);
  const listNorm = new Float64Array(listStart[v.terms]!);
  await slice();

  const seen = new Uint8Array(vectors);
  const best = new Float64Array(n);
  const touched: number[] = [];
  const met: number[] = [];
  const near: number[] = [];
  const found = new PairList(t, (a, b) => cosines.between(a, b));
  for (let i = n - 1; i >= 0; i--) {
    // (a vector meets only vectors of its own language: their terms are the language's)
    for (let x = first[i]!; x < first[i + 1]!; x++) {
      for (let e = v.start[x + 1]! - 1; e >= from[x]!; e--) {
        const list = v.term[e]!;
        const upTo = norm[e]!;
        for (let k = listStart[list]!; k < listEnd[list]!; k++) {
          const y = listVector[k]!;
          if (seen[y] === 1) continue;
          seen[y] = 1;
          met.push(y);
          if (upTo * listNorm[k]! >= t - 1e-9) touched.push(y);
        }
      }
    }
    for (const y of met) seen[y] = 0;
    met.length = 0;
    cosines.load(i);
    for (const y of touched) {
      const s = cosines.dot(y);
      const j = v.doc[y]!;
      if (s > best[j]!) {
        if (best[j] === 0) near.push(j);
        best[j] = s;
      }
    }
    touched.length = 0;
    near.sort((a, b) => b - a); // (the pairs' list read backwards is then in record order: see `order`)
    for (const j of near) {
      if (best[j]! >= t) found.push(i, j, settled(best[j]!));
      best[j] = 0;
    }
    near.length = 0;
    // then this record's vectors join the index
    for (let y = first[i]!; y < first[i + 1]!; y++) {
      for (let e = from[y]!; e < v.start[y + 1]!; e++) {
        const k = listEnd[v.term[e]!]!++;
        listVector[k] = y;
        listNorm[k] = norm[e]!;
      }
    }
    if ((n - i) % 250 === 0) await onProgress?.(n - i, n);
    await slice();
  }
  return found;
}

/**
 * A cosine rounded to 12 decimals (and at most 1), so that the same two vectors give the same value whatever order
 * their products were added in: ties between edges are then broken by the records' order, not by the last bit.
 */
const settled = (s: number) => Math.min(1, Math.round(s * 1e12) / 1e12);

/**
 * Pairs as they are found. A whole register can hold tens of millions (38 million at 250,000 templated texts), so a
 * pair keeps only what `order` needs, in typed arrays of a million each (none doubled and copied as it grows):
 * - its second record `j`;
 * - its band of similarity (65,536 bands from 1 down to the least similarity pushed);
 * - its first record `i` not at all: the pairs come by record, so a record's pairs are one run, found by a binary search;
 * - its similarity not at all: worked out again from the vectors where a band has to be sorted (the same products
 *   added in the same order: the same value). Keeping both took 10 bytes more a pair (16 against 6): 380 MB at 38
 *   million.
 */
export class PairList implements SimilarPairs {
  private static readonly BITS = 20;
  private static readonly MASK = (1 << PairList.BITS) - 1;
  private readonly js: Int32Array[] = [];
  private readonly bandOf: Uint16Array[] = [];
  /** the records with pairs, in the order they came, and where each one's run of pairs starts */
  private readonly runRecord: number[] = [];
  private readonly runStart: number[] = [];
  private lastRun = 0;
  size = 0;

  /**
   * @param min the least similarity pushed
   * @param similarity the pair's similarity worked out again, exactly the value pushed
   * @param bands bands of similarity (fewer only in tests, to put many pairs in one)
   */
  constructor(
    min: number,
    private readonly similarity: (i: number, j: number) => number,
    private readonly bands = 1 << 16,
  ) {
    this.width = Math.max(1e-9, 1 - min);
  }

  /** the similarities' range, from the least pushed to 1 */
  private readonly width: number;

  push(i: number, j: number, s: number): void {
    const k = this.size & PairList.MASK;
    if (k === 0) {
      this.js.push(new Int32Array(1 << PairList.BITS));
      this.bandOf.push(new Uint16Array(1 << PairList.BITS));
    }
    if (this.runRecord[this.runRecord.length - 1] !== i) {
      this.runRecord.push(i);
      this.runStart.push(this.size);
    }
    const c = this.size >>> PairList.BITS;
    this.js[c]![k] = j;
    this.bandOf[c]![k] = Math.max(0, Math.min(this.bands - 1, Math.floor(((1 - s) / this.width) * this.bands)));
    this.size++;
  }

  i(p: number): number {
    const starts = this.runStart;
    // (the last run found first: a band's pairs are read in (i, j) order)
    let lo = this.lastRun;
    if (starts[lo]! > p || (lo + 1 < starts.length && starts[lo + 1]! <= p)) {
      lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (starts[mid]! <= p) lo = mid;
        else hi = mid - 1;
      }
      this.lastRun = lo;
    }
    return this.runRecord[lo]!;
  }

  j(p: number): number {
    return this.js[p >>> PairList.BITS]![p & PairList.MASK]!;
  }

  private band(p: number): number {
    return this.bandOf[p >>> PairList.BITS]![p & PairList.MASK]!;
  }

  /**
   * The pairs in decreasing similarity, ties by (i, j): spread into their bands first, each band then sorted alone
   * (one sort of tens of millions with a comparator took seconds and a copy of them all). The pairs come by record,
   * last record first, each record's pairs in decreasing j: read backwards they are in (i, j) order, so each band is
   * too, and a band whose similarities already decrease (the ties of copies of one text: millions in a templated
   * register) is left as it is.
   */
  async order(slice: () => Promise<void>): Promise<Int32Array> {
    const bands = this.bands;
    const start = new Int32Array(bands + 1);
    for (let p = 0; p < this.size; p++) {
      if ((p & 0xffff) === 0) await slice();
      start[this.band(p) + 1]!++;
    }
    for (let b = 0; b < bands; b++) start[b + 1]! += start[b]!;
    const fill = start.slice(0, bands);
    const out = new Int32Array(this.size);
    for (let p = this.size - 1; p >= 0; p--) {
      if ((p & 0xffff) === 0) await slice();
      out[fill[this.band(p)]!++] = p;
    }
    const similarity = (k: number) => this.similarity(this.i(out[k]!), this.j(out[k]!));
    for (let b = 0; b < bands; b++) {
      const [from, to] = [start[b]!, start[b + 1]!];
      let sorted = true;
      for (let k = from + 1, last = to - from > 1 ? similarity(from) : 0; k < to && sorted; k++) {
        if ((k & 0xfff) === 0) await slice();
        const s = similarity(k);
        sorted = s <= last;
        last = s;
      }
      if (sorted) continue;
      await slice();
      // by similarity, then by place in the band: (i, j) order (a band out of order is small: its similarities differ
      // by less than a 65,536th of the range, and the large ones are ties)
      const s = new Float64Array(to - from);
      const place = new Int32Array(to - from);
      for (let k = 0; k < place.length; k++) [s[k], place[k]] = [similarity(from + k), k];
      place.sort((x, y) => s[y]! - s[x]! || x - y);
      const pairs = out.slice(from, to);
      for (let k = 0; k < place.length; k++) out[from + k] = pairs[place[k]!]!;
    }
    return out;
  }
}

/**
 * The similarity of two records from their vectors: the first record's vectors are spread by term (kept while the
 * same first record is asked about), the second's entries looked up in them. Vectors of one language share no term
 * with another's, so each of the second's vectors meets only the first's vector of its language.
 */
class Cosines {
  private readonly dense: Float64Array;
  /** each record's vectors: `first[d]` to `first[d + 1]` */
  readonly first: Int32Array;
  private loaded = -1;

  constructor(
    readonly v: WeightedVectors,
    n: number,
  ) {
    this.dense = new Float64Array(v.terms);
    this.first = new Int32Array(n + 1);
    for (const d of v.doc) this.first[d + 1]!++;
    for (let d = 0; d < n; d++) this.first[d + 1]! += this.first[d]!;
  }

  /** spreads record `a`'s vectors by term */
  load(a: number): void {
    if (this.loaded === a) return;
    const { v, dense, first } = this;
    if (this.loaded >= 0) for (let e = v.start[first[this.loaded]!]!; e < v.start[first[this.loaded + 1]!]!; e++) dense[v.term[e]!] = 0;
    for (let e = v.start[first[a]!]!; e < v.start[first[a + 1]!]!; e++) dense[v.term[e]!] = v.weight[e]!;
    this.loaded = a;
  }

  /** the cosine of vector `y` with the loaded record's vector of its language */
  dot(y: number): number {
    const { v, dense } = this;
    let s = 0;
    for (let e = v.start[y]!; e < v.start[y + 1]!; e++) s += v.weight[e]! * dense[v.term[e]!]!;
    return s;
  }

  between(a: number, b: number): number {
    if (a === b) return 1;
    this.load(a);
    let best = 0;
    for (let y = this.first[b]!; y < this.first[b + 1]!; y++) best = Math.max(best, this.dot(y));
    return settled(best);
  }
}

/** Similarity of two single records (tests and diagnostics). */
export function pairSimilarity(a: TextsByLang, b: TextsByLang): number {
  const ca = termCounts(a);
  const cb = termCounts(b);
  const df = documentFrequencies([ca, cb]);
  return similarity(unitVectors(ca, df, 2), unitVectors(cb, df, 2));
}
