/**
 * Text similarity for "similar recommendations" and cluster suggestions: per-language TF-IDF
 * vectors over src/text contentTerms (normalised, stemmed, stopwords removed), compared with
 * cosine. Two recommendations are as similar as their most similar shared language: a
 * recommendation holding Arabic and English texts is compared with an Arabic-only one in Arabic
 * and with an English-only one in English (so bilingual records bridge the languages).
 */
import { contentTerms } from '../text/index.ts';

export const SIM_LANGS = ['ar', 'en', 'fr'] as const;
export type SimLang = (typeof SIM_LANGS)[number];

export interface TextsByLang {
  text_ar: string | null;
  text_en: string | null;
  text_fr: string | null;
}

/** Raw term counts per language present. */
export type TermCounts = Partial<Record<SimLang, Map<string, number>>>;
/** Unit-length TF-IDF vectors per language present. */
export type UnitVectors = Partial<Record<SimLang, Map<string, number>>>;

export function termCounts(r: TextsByLang): TermCounts {
  const out: TermCounts = {};
  for (const lang of SIM_LANGS) {
    const text = r[`text_${lang}`];
    if (!text || !text.trim()) continue;
    const m = new Map<string, number>();
    // Paragraph numbers and other digits carry no meaning for similarity.
    for (const t of contentTerms(text)) if (!/^\d+$/.test(t)) m.set(t, (m.get(t) ?? 0) + 1);
    if (m.size > 0) out[lang] = m;
  }
  return out;
}

/** Document frequency of each language-qualified term ("en:ratifi") over a collection. */
export function documentFrequencies(docs: Iterable<TermCounts>): Map<string, number> {
  const df = new Map<string, number>();
  for (const d of docs) {
    for (const lang of SIM_LANGS) {
      const m = d[lang];
      if (!m) continue;
      for (const t of m.keys()) {
        const k = `${lang}:${t}`;
        df.set(k, (df.get(k) ?? 0) + 1);
      }
    }
  }
  return df;
}

/** Smoothed inverse document frequency. */
export const idf = (n: number, df: number): number => Math.log((n + 1) / (df + 1)) + 1;

/** TF-IDF (sublinear tf), L2-normalised, per language. Terms in `drop` (too common) are left out. */
export function unitVectors(c: TermCounts, df: Map<string, number>, n: number, drop?: Set<string>): UnitVectors {
  const out: UnitVectors = {};
  for (const lang of SIM_LANGS) {
    const m = c[lang];
    if (!m) continue;
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, tf] of m) {
      const k = `${lang}:${t}`;
      if (drop?.has(k)) continue;
      const w = (1 + Math.log(tf)) * idf(n, df.get(k) ?? 0);
      v.set(t, w);
      norm += w * w;
    }
    if (norm === 0) continue;
    const len = Math.sqrt(norm);
    for (const [t, w] of v) v.set(t, w / len);
    out[lang] = v;
  }
  return out;
}

export function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [t, w] of small) {
    const x = big.get(t);
    if (x !== undefined) s += w * x;
  }
  return s;
}

/** Similarity of two recommendations: the best cosine over the languages both hold (0..1). */
export function similarity(a: UnitVectors, b: UnitVectors): number {
  let best = 0;
  for (const lang of SIM_LANGS) {
    const x = a[lang];
    const y = b[lang];
    if (x && y) best = Math.max(best, cosine(x, y));
  }
  return Math.min(1, best);
}
