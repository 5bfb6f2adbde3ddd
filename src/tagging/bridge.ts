/**
 * Fourteenth tagger session: another source's labelled recommendations as evidence for a list's names, through a
 * bridge learned from the recommendations both carry.
 *
 * UPR Info labels about 42,000 UPR recommendations with its own 56 issues; the OHCHR thematic lists of the same
 * reviews carry many of the same recommendations with their themes. A recommendation present in a training list and
 * in the other source (matched by its normalised text, `textKeys`) pairs the source's issues with the list's names.
 * From those pairs `estimateBridge` counts P(name | issue); `BridgedNeighbours` then reads a new text against every
 * recommendation of the source (TF-IDF cosine, its k most similar that are not excluded) and gives each name
 *
 *   score(T) = Σ over the k neighbours of sim · mean over the neighbour's issues i of P(T | i)  /  Σ sim
 *
 * i.e. the source's recommendations act as extra training examples labelled through the bridge. How much weight this
 * gets in a list's ranking is chosen by the cross-validation inside the training lists (`VocabularyParams.bridge`),
 * 0 allowed. Nothing here knows which recommendation is under test: what must be left out (the held-out review, its
 * copies) is the caller's `excluded` mask.
 */
import { contentTerms } from '../text/index.ts';

/** An evidence recommendation: its text, its issues (the source's own labels) and its source document. */
export interface EvidenceDoc {
  text: string;
  issues: readonly string[];
  group?: string;
}

/** P(name | issue), per issue. */
export type Bridge = Map<string, Map<string, number>>;

/** Letters only, lower case (any script): spacing, punctuation, digits and case do not separate copies. */
export function normalisedText(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}]+/gu, '');
}

/** Shortest normalised piece that counts as a recommendation of its own (shorter pieces are state names, "and"…) */
const MIN_PIECE = 20;

/**
 * The keys a text is matched by: its whole normalised text, and the normalised pieces of a record that joins several
 * recommendations ("Ratify the ICCPR (New Zealand); Accelerate the ratification of the ICCPR"): split at a
 * parenthesis (the recommending state) or a semicolon, pieces of at least 20 letters.
 */
export function textKeys(text: string): string[] {
  const keys = new Set<string>();
  const whole = normalisedText(text);
  if (whole) keys.add(whole);
  for (const piece of text.split(/\([^)]*\)\s*;?|;/)) {
    const k = normalisedText(piece);
    if (k.length >= MIN_PIECE) keys.add(k);
  }
  return [...keys];
}

/** Evidence recommendations by each of their keys. */
export function keyIndex(evidence: readonly EvidenceDoc[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  evidence.forEach((e, i) => {
    for (const k of textKeys(e.text)) {
      const l = index.get(k);
      if (l) l.push(i);
      else index.set(k, [i]);
    }
  });
  return index;
}

/** Indices of the evidence recommendations sharing a key with any of the texts. */
export function matchingEvidence(texts: Iterable<string>, index: ReadonlyMap<string, readonly number[]>): Set<number> {
  const out = new Set<number>();
  for (const t of texts) for (const k of textKeys(t)) for (const i of index.get(k) ?? []) out.add(i);
  return out;
}

/**
 * P(name | issue) from the pairs of (issues, names) of the recommendations both sources carry. Each labelled
 * document counts once per evidence recommendation it matches (not excluded), with all of its names.
 */
export function estimateBridge(docs: readonly { text: string; names: readonly string[] }[], evidence: readonly EvidenceDoc[], index: ReadonlyMap<string, readonly number[]>, excluded?: Uint8Array): Bridge {
  const pairs = new Map<string, Map<string, number>>();
  const perIssue = new Map<string, number>();
  for (const d of docs) {
    if (!d.names.length) continue;
    const matched = new Set<number>();
    for (const k of textKeys(d.text)) for (const i of index.get(k) ?? []) if (!excluded?.[i]) matched.add(i);
    for (const i of matched) {
      for (const issue of new Set(evidence[i]!.issues)) {
        perIssue.set(issue, (perIssue.get(issue) ?? 0) + 1);
        let m = pairs.get(issue);
        if (!m) pairs.set(issue, (m = new Map()));
        for (const name of new Set(d.names)) m.set(name, (m.get(name) ?? 0) + 1);
      }
    }
  }
  const bridge: Bridge = new Map();
  for (const [issue, m] of pairs) bridge.set(issue, new Map([...m].map(([name, n]) => [name, n / perIssue.get(issue)!])));
  return bridge;
}

/** TF-IDF nearest neighbours over the evidence recommendations, their issues carried onto names by a bridge. */
export class BridgedNeighbours {
  private readonly postings = new Map<string, { ids: Int32Array; w: Float64Array }>();
  private readonly df = new Map<string, number>();
  private readonly acc: Float64Array;
  /** a text's most similar evidence recommendations (before any exclusion), cached: the same texts are read by every fold */
  private readonly cache = new Map<string, { ids: Int32Array; sims: Float64Array }>();

  constructor(
    private readonly evidence: readonly EvidenceDoc[],
    /** neighbours kept per text before exclusion: enough for k after leaving a review and its copies out */
    private readonly depth = 200,
  ) {
    const counts = evidence.map((e) => BridgedNeighbours.tf(e.text));
    for (const c of counts) for (const t of c.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    const lists = new Map<string, { ids: number[]; w: number[] }>();
    counts.forEach((c, i) => {
      for (const [t, w] of this.vector(c)) {
        let l = lists.get(t);
        if (!l) lists.set(t, (l = { ids: [], w: [] }));
        l.ids.push(i);
        l.w.push(w);
      }
    });
    for (const [t, l] of lists) this.postings.set(t, { ids: Int32Array.from(l.ids), w: Float64Array.from(l.w) });
    this.acc = new Float64Array(evidence.length);
  }

  private static tf(text: string): Map<string, number> {
    const m = new Map<string, number>();
    for (const t of contentTerms(text)) if (t.length > 1 && !/^\d+$/.test(t)) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  }

  /** sublinear TF, smoothed IDF, unit length; terms seen in one evidence recommendation only are dropped */
  private vector(c: ReadonlyMap<string, number>): Map<string, number> {
    const n = this.evidence.length;
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, x] of c) {
      const f = this.df.get(t) ?? 0;
      if (f < 2) continue;
      const w = (1 + Math.log(x)) * (Math.log((n + 1) / (f + 1)) + 1);
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  }

  /** The text's most similar evidence recommendations, best first (at most `depth`). */
  neighbours(text: string): { ids: Int32Array; sims: Float64Array } {
    const hit = this.cache.get(text);
    if (hit) return hit;
    const acc = this.acc;
    const touched: number[] = [];
    for (const [t, x] of this.vector(BridgedNeighbours.tf(text))) {
      const p = this.postings.get(t);
      if (!p) continue;
      for (let j = 0; j < p.ids.length; j += 1) {
        const i = p.ids[j]!;
        if (acc[i] === 0) touched.push(i);
        acc[i] = acc[i]! + x * p.w[j]!;
      }
    }
    const best = touched.sort((a, b) => acc[b]! - acc[a]! || a - b).slice(0, this.depth);
    const out = { ids: Int32Array.from(best), sims: Float64Array.from(best.map((i) => acc[i]!)) };
    for (const i of touched) acc[i] = 0;
    this.cache.set(text, out);
    return out;
  }

  /** score(T) for the names the bridge reaches, from the text's k nearest evidence recommendations not excluded. */
  scores(text: string, bridge: Bridge, k: number, excluded?: Uint8Array): Map<string, number> {
    const { ids, sims } = this.neighbours(text);
    const out = new Map<string, number>();
    let total = 0;
    let taken = 0;
    for (let j = 0; j < ids.length && taken < k; j += 1) {
      const i = ids[j]!;
      if (excluded?.[i]) continue;
      taken += 1;
      const s = sims[j]!;
      total += s;
      const issues = this.evidence[i]!.issues;
      if (!issues.length) continue;
      for (const issue of issues) {
        for (const [name, p] of bridge.get(issue) ?? []) out.set(name, (out.get(name) ?? 0) + (s * p) / issues.length);
      }
    }
    if (total > 0) for (const [name, v] of out) out.set(name, v / total);
    return out;
  }
}
