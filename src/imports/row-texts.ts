import type { ImportRecord } from './types.ts';

/** Paragraph and texts as a new recommendation row stores them (trimmed, empty → null), with its document symbol. */
export interface RowTexts {
  paragraph: string | null;
  document_symbol: string;
  text_ar: string | null;
  text_en: string | null;
  text_fr: string | null;
}

/** Shared by the import service (what it writes) and the parse worker (what it pre-analyses for the search index). */
export function rowTexts(r: ImportRecord): RowTexts {
  return {
    paragraph: r.paragraph?.trim() || null,
    document_symbol: r.document.symbol.trim(),
    text_ar: r.texts.ar?.trim() || null,
    text_en: r.texts.en?.trim() || null,
    text_fr: r.texts.fr?.trim() || null,
  };
}
