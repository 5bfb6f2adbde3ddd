/** Turning the search box into an engine condition, and highlighting results. */
import type { HitList } from '../db/dialect/hit-list.ts';
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

/** Several searches' hits as one: a row found by any of them, with its best score (the glossary's alternatives). */
export function unionHitLists(lists: readonly HitList[]): HitList {
  if (lists.length === 1) return lists[0]!;
  const ranked = lists.every((l) => l.scores !== null);
  const best = new Map<number, number>();
  for (const l of lists) {
    for (let k = 0; k < l.rowids.length; k++) {
      const id = l.rowids[k]!;
      const score = ranked ? l.scores![k]! : 0;
      const prior = best.get(id);
      if (prior === undefined || score > prior) best.set(id, score);
    }
  }
  const rowids = new Int32Array(best.size);
  const scores = ranked ? new Float64Array(best.size) : null;
  let n = 0;
  for (const [id, score] of best) {
    rowids[n] = id;
    if (scores) scores[n] = score;
    n++;
  }
  return { rowids, scores };
}
