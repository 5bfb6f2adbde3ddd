/**
 * Highlighting in the ORIGINAL text (diacritics, tatweel, case and punctuation untouched): a word
 * is marked when its normalised/stemmed form satisfies a query clause, using exactly the
 * matching rules of the search (see index.ts): equal stem for terms, consecutive stems for
 * phrases (only the words of an actual phrase occurrence are marked), normalised form or stem
 * starting with the prefix for prefixes.
 */
import { analyze, matchPositions, type ParsedQuery } from './analyze.ts';

export interface HighlightSegment {
  readonly text: string;
  readonly match: boolean;
}

export interface HighlightRange {
  /** UTF-16 offsets into the original text, end exclusive. */
  readonly start: number;
  readonly end: number;
}

/** Ranges of the original text to mark, sorted and non-overlapping. */
export function highlightRanges(text: string, pq: ParsedQuery): HighlightRange[] {
  if (typeof text !== 'string' || text.length === 0 || pq.clauses.length === 0) return [];
  const tokens = analyze(text);
  const marked = new Set<number>();
  for (const hits of matchPositions(tokens, pq)) for (const p of hits) marked.add(p);
  const ranges: HighlightRange[] = [];
  for (const t of tokens) {
    if (!marked.has(t.position)) continue;
    const last = ranges[ranges.length - 1];
    // Several tokens may come from one raw word (e.g. "وCERD"): mark the raw word once.
    if (last && last.start === t.start) continue;
    ranges.push({ start: t.start, end: t.end });
  }
  return ranges;
}

/** The original text cut into segments, `match: true` for highlighted words. */
export function highlight(text: string, pq: ParsedQuery): HighlightSegment[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const segments: HighlightSegment[] = [];
  let at = 0;
  for (const r of highlightRanges(text, pq)) {
    if (r.start > at) segments.push({ text: text.slice(at, r.start), match: false });
    segments.push({ text: text.slice(r.start, r.end), match: true });
    at = r.end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), match: false });
  return segments;
}
