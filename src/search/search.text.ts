/**
 * What the search index holds for one recommendation, computed from its texts alone. Kept apart from
 * search.index.ts (no database code) so that the import's parse worker can load it cheaply.
 */
import { indexDocument } from '../text/index.ts';

export interface SearchSource {
  id: string;
  paragraph: string | null;
  document_symbol: string | null;
  text_ar: string | null;
  text_en: string | null;
  text_fr: string | null;
}

/**
 * The text indexed for one recommendation: paragraph number, document symbol, then the Arabic,
 * English and French texts (so a query in any language, a paragraph like `128.26` or a symbol
 * like `CAT/C/KWT/CO/3` finds it). One line per field.
 */
export function searchableText(r: Omit<SearchSource, 'id'>): string {
  return [r.paragraph, r.document_symbol, r.text_ar, r.text_en, r.text_fr].filter((s): s is string => Boolean(s && s.trim())).join('\n');
}

/** The index columns (src/text indexDocument) of one recommendation's searchable text. */
export function analyseSource(s: Omit<SearchSource, 'id'>): SearchColumns {
  return indexDocument(searchableText(s));
}

export interface SearchColumns {
  terms: string;
  words: string;
}
