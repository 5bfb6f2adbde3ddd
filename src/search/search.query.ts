/** Turning the search box into an engine condition, and highlighting results. */
import { highlight, isEmptyQuery, parseQuery, type HighlightSegment, type ParsedQuery } from '../text/index.ts';

export interface TextSearch {
  pq: ParsedQuery;
}

/**
 * The parsed user query, or null when it holds nothing searchable (empty, only
 * operators/punctuation/quotes): then the list is not filtered by text. Never throws.
 */
export function textSearch(q: string | undefined | null): TextSearch | null {
  if (!q || !q.trim()) return null;
  const pq = parseQuery(q);
  if (isEmptyQuery(pq)) return null;
  return { pq };
}

export type Highlights = Partial<Record<'ar' | 'en' | 'fr', HighlightSegment[]>>;

/** Highlighted segments of each language's text that has at least one marked word. */
export function highlightsFor(r: { text_ar: string | null; text_en: string | null; text_fr: string | null }, pq: ParsedQuery): Highlights {
  const out: Highlights = {};
  for (const lang of ['ar', 'en', 'fr'] as const) {
    const text = r[`text_${lang}`];
    if (!text) continue;
    const segs = highlight(text, pq);
    if (segs.some((s) => s.match)) out[lang] = segs;
  }
  return out;
}
