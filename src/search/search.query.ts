/** Turning the search box into an engine condition, and highlighting results. */
import type { RawBuilder } from 'kysely';
import type { SearchDialect, SearchHitRow } from '../db/dialect/types.ts';
import { highlight, isEmptyQuery, parseQuery, type HighlightSegment, type ParsedQuery } from '../text/index.ts';

export interface TextSearch {
  pq: ParsedQuery;
  /** (recommendation_id, score) of the hits; see SearchDialect.hits */
  hits: RawBuilder<SearchHitRow>;
}

/**
 * The text condition for a user query, or null when the query holds nothing searchable (empty,
 * only operators/punctuation/quotes): then the list is not filtered by text. Never throws.
 */
export function textSearch(search: SearchDialect, q: string | undefined | null): TextSearch | null {
  if (!q || !q.trim()) return null;
  const pq = parseQuery(q);
  if (isEmptyQuery(pq)) return null;
  return { pq, hits: search.hits(pq) };
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
