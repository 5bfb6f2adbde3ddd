/**
 * Twelfth tagger session (issue 17): one centroid per label over character n-grams (3 to 5 characters) of the
 * normalised, stemmed words of a text, hashed into a fixed space of 2^18 features and weighted by TF-IDF (sublinear
 * term frequency, smoothed IDF, features seen in one recommendation only dropped). Words that differ a little
 * between list generations or by their morphology ("discrimination" / "discriminatory", Arabic forms the light stemmer
 * leaves apart) share most of their n-grams, where the model's word vectors share nothing. A label's score for a
 * text is the cosine of the text's unit vector with the label's centroid (the sum of the unit vectors of the
 * recommendations carrying it). Used only when mapping onto a list's own names (`vocabulary.ts`, `charWeight`, chosen
 * by the cross-validation inside the training lists); the app's suggestions do not use it.
 */
import { contentTerms } from '../text/index.ts';
import type { TagKind } from './labels.ts';
import type { TrainDoc } from './model.ts';

export const CHARGRAM_BITS = 18;
const MASK = (1 << CHARGRAM_BITS) - 1;

/** FNV-1a over the UTF-16 code units, folded into the hashed space */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & MASK;
}

/** The hashed character n-grams (min..max characters, the word padded with ^ and $) of a text's content words, counted. */
export function charGrams(text: string, min = 3, max = 5): Map<number, number> {
  const c = new Map<number, number>();
  for (const w of contentTerms(text)) {
    if (w.length < 2 || /^\d+$/.test(w)) continue;
    const padded = `^${w}$`;
    for (let n = min; n <= max; n += 1) {
      for (let i = 0; i + n <= padded.length; i += 1) {
        const g = hash(padded.slice(i, i + n));
        c.set(g, (c.get(g) ?? 0) + 1);
      }
    }
  }
  return c;
}

export class CharCentroids {
  private constructor(
    private readonly idf: Map<number, number>,
    /** per feature: the labels whose centroid holds it, and the centroid's (unit) weight */
    private readonly postings: Map<number, { labels: number[]; w: number[] }>,
    private readonly labels: string[],
  ) {}

  static train(docs: readonly TrainDoc[], kind: TagKind): CharCentroids {
    const labelled = docs.filter((d) => (d.labels[kind]?.length ?? 0) > 0);
    const counts = labelled.map((d) => charGrams(d.text));
    const df = new Map<number, number>();
    for (const c of counts) for (const f of c.keys()) df.set(f, (df.get(f) ?? 0) + 1);
    const idf = new Map<number, number>();
    for (const [f, n] of df) if (n >= 2) idf.set(f, Math.log((counts.length + 1) / (n + 1)) + 1);
    const labels = [...new Set(labelled.flatMap((d) => d.labels[kind] ?? []))].sort();
    const labelId = new Map(labels.map((l, i) => [l, i]));
    const sums = labels.map(() => new Map<number, number>());
    labelled.forEach((d, i) => {
      const v = unit(counts[i]!, idf);
      for (const l of new Set(d.labels[kind] ?? [])) {
        const s = sums[labelId.get(l)!]!;
        for (const [f, x] of v) s.set(f, (s.get(f) ?? 0) + x);
      }
    });
    const postings = new Map<number, { labels: number[]; w: number[] }>();
    sums.forEach((s, l) => {
      let norm = 0;
      for (const x of s.values()) norm += x * x;
      norm = Math.sqrt(norm) || 1;
      for (const [f, x] of s) {
        let p = postings.get(f);
        if (!p) postings.set(f, (p = { labels: [], w: [] }));
        p.labels.push(l);
        p.w.push(x / norm);
      }
    });
    return new CharCentroids(idf, postings, labels);
  }

  /** The cosine of a text with each label's centroid (labels with no shared feature left out). */
  scores(text: string): Map<string, number> {
    const acc = new Float64Array(this.labels.length);
    for (const [f, x] of unit(charGrams(text), this.idf)) {
      const p = this.postings.get(f);
      if (!p) continue;
      for (let j = 0; j < p.labels.length; j += 1) acc[p.labels[j]!]! += x * p.w[j]!;
    }
    const out = new Map<string, number>();
    acc.forEach((v, l) => {
      if (v > 0) out.set(this.labels[l]!, v);
    });
    return out;
  }
}

/** A count vector weighted by sublinear TF × IDF (features without an IDF dropped), as a unit vector. */
function unit(c: ReadonlyMap<number, number>, idf: ReadonlyMap<number, number>): Map<number, number> {
  const v = new Map<number, number>();
  let norm = 0;
  for (const [f, n] of c) {
    const w = idf.get(f);
    if (w === undefined) continue;
    const x = (1 + Math.log(n)) * w;
    v.set(f, x);
    norm += x * x;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [f, x] of v) v.set(f, x / norm);
  return v;
}
