import { Packer, TextRun, XmlComponent, type Document, type IRunOptions } from 'docx';

/**
 * Right-to-left Word documents done one way, for every DOCX Rasd writes (the plan document, the reports):
 * - the section is right-to-left (`w:bidi` in `w:sectPr`, which the docx package has no option for: added to
 *   the section's properties before the one and only pack, see `packDocx`);
 * - paragraphs are bidi (`paragraphDirection`), tables are laid out right to left (`tableDirection`);
 * - an Arabic-capable font for complex script (`docxFont`: Noto Naskh Arabic, installed for LibreOffice too);
 * - Arabic text is written in right-to-left runs, and the Latin words, numbers and document symbols inside it in
 *   left-to-right runs of their own (`bidiRuns`), optionally isolated with left-to-right marks (`ltrRun`) where a
 *   run starts or ends with neutral characters (a "¶", a dash) that would otherwise take the paragraph's direction.
 */
export type DocLang = 'ar' | 'en';

export const ARABIC_FONT = 'Noto Naskh Arabic';
/** The fonts of a run: a Latin font for Latin script, the Arabic-capable one for complex script. */
export const docxFont = (latin: string) => ({ ascii: latin, hAnsi: latin, cs: ARABIC_FONT, eastAsia: latin });
/** The document default languages: English for Latin script, Arabic for complex script. */
export const DOC_LANGUAGES = { value: 'en-GB', bidirectional: 'ar-SA' } as const;

export const paragraphDirection = (lang: DocLang) => ({ bidirectional: lang === 'ar' });
export const tableDirection = (lang: DocLang) => ({ visuallyRightToLeft: lang === 'ar' });

const LRM = '\u200E';
const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;
/** A left-to-right stretch inside Arabic text: Latin words, digits and document symbols (A/HRC/59/98, 156.23, Law No. 12). */
const LTR_RUN = /[A-Za-z0-9](?:[A-Za-z0-9/.\-:,' ]*[A-Za-z0-9])?/g;
/** A stretch marked left-to-right with Unicode isolates (LRI … PDI). */
const ISOLATED = /\u2066([^\u2069]*)\u2069/g;
const MARKS = /[\u2066-\u2069\u200e\u200f]/g;

export interface RunStyle {
  bold?: boolean;
  size?: number;
  color?: string;
  /**
   * give each run its font, its language and an explicit direction, left-to-right included (for documents whose
   * default run is right-to-left); otherwise these come from the document defaults and a left-to-right run carries
   * no direction at all (smaller XML: a large plan packs faster)
   */
  font?: ReturnType<typeof docxFont>;
}

function run(text: string, rtl: boolean, s: RunStyle): TextRun {
  const o: IRunOptions = {
    text,
    rightToLeft: rtl || (s.font ? false : undefined),
    bold: s.bold,
    boldComplexScript: s.bold,
    size: s.size,
    sizeComplexScript: s.size,
    color: s.color,
    ...(s.font ? { font: s.font, language: rtl ? { bidirectional: DOC_LANGUAGES.bidirectional } : { value: DOC_LANGUAGES.value } } : {}),
  };
  return new TextRun(o);
}

/** A symbol, number or date as a left-to-right run; in an Arabic document isolated with left-to-right marks. */
export function ltrRun(text: string, lang: DocLang, s: RunStyle = {}): TextRun {
  return run(lang === 'ar' ? `${LRM}${text}${LRM}` : text, false, s);
}

/**
 * The runs of one stretch of text. In an Arabic document: right-to-left runs, with the Latin words, numbers and
 * document symbols in left-to-right runs of their own (a stretch Rasd marked with Unicode isolates stays whole;
 * the marks are dropped, the run does their job). In an English document: left-to-right, with Arabic-script
 * stretches (a name, a quoted text) in right-to-left runs.
 */
export function bidiRuns(text: string, lang: DocLang, s: RunStyle = {}): TextRun[] {
  const out: TextRun[] = [];
  if (lang === 'ar' && text.includes('\u2066')) {
    let at = 0;
    for (const m of text.matchAll(ISOLATED)) {
      out.push(...bidiRuns(text.slice(at, m.index), lang, s));
      const inner = m[1]!.replace(MARKS, '');
      if (inner) out.push(run(inner, false, s));
      at = m.index + m[0].length;
    }
    out.push(...bidiRuns(text.slice(at), lang, s));
    return out;
  }
  const clean = text.replace(MARKS, '');
  const push = (t: string, rtl: boolean) => {
    if (t) out.push(run(t, rtl, s));
  };
  if (lang === 'en') {
    let buf = '';
    let rtl = false;
    for (const ch of clean) {
      const isAr = ARABIC.test(ch);
      const neutral = /[\s.,;:()\-–—]/.test(ch);
      if (buf && !neutral && isAr !== rtl) {
        push(buf, rtl);
        buf = '';
      }
      if (!neutral) rtl = isAr;
      buf += ch;
    }
    push(buf, rtl);
    return out;
  }
  let last = 0;
  for (const m of clean.matchAll(LTR_RUN)) {
    push(clean.slice(last, m.index), true);
    push(m[0], false);
    last = m.index + m[0].length;
  }
  push(clean.slice(last), true);
  return out;
}

/** `<w:bidi/>` in a section's properties: the section (page layout, columns, gutter) is right-to-left. */
class SectionBidi extends XmlComponent {
  constructor() {
    super('w:bidi');
  }
}

/**
 * Packs the document once; an Arabic one first gets `w:bidi` in its section properties, before `w:docGrid` (the
 * schema's order: … textDirection, bidi, rtlGutter, docGrid …). The docx package keeps the body's section
 * properties in `Body.sections` until it serialises them; if that ever changes this throws rather than writing a
 * left-to-right section.
 */
export async function packDocx(doc: Document, lang: DocLang): Promise<Buffer> {
  if (lang === 'ar') {
    const body = doc.Document.View.Body as unknown as { sections?: { root?: unknown[] }[] };
    const sections = body.sections;
    if (!Array.isArray(sections) || sections.length === 0) throw new Error('docx: the section properties were not found (section bidi)');
    for (const section of sections) {
      const root = section.root;
      if (!Array.isArray(root)) throw new Error('docx: the section properties were not found (section bidi)');
      const grid = root.findIndex((c) => (c as { rootKey?: string }).rootKey === 'w:docGrid');
      root.splice(grid < 0 ? root.length : grid, 0, new SectionBidi());
    }
  }
  return Packer.toBuffer(doc);
}
