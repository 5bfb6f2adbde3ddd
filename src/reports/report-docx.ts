import {
  AlignmentType,
  BorderStyle,
  Document,
  FootnoteReferenceRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import { readZipEntries } from '../imports/index.ts';
import { FOOTNOTE_RE } from './word-count.ts';

export interface DocxReport {
  lang: 'ar' | 'en';
  title: string;
  /** UN document symbol, or null for a draft */
  symbol: string | null;
  /** YYYY-MM-DD */
  date: string;
  bodyName: string;
  status: string;
  sections: { heading: string; text: string }[];
}

const ARABIC_FONT = 'Noto Naskh Arabic';
const LATIN_FONT = 'Times New Roman';
const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;
/** A left-to-right stretch inside Arabic text: Latin words, digits and document symbols (A/HRC/59/98, 156.23, Law No. 12). */
const LTR_RUN = /[A-Za-z0-9](?:[A-Za-z0-9/.\-:,' ]*[A-Za-z0-9])?/g;
/** A stretch Rasd marked left-to-right with Unicode isolates (LRI … PDI). */
const ISOLATED = /\u2066([^\u2069]*)\u2069/g;
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV', 'XV', 'XVI', 'XVII', 'XVIII', 'XIX', 'XX'];
const roman = (n: number) => ROMAN[n - 1] ?? String(n);
/** Arabic UN documents number their chapters with ordinal words (أولاً، ثانياً…). */
const AR_ORDINALS = ['أولاً', 'ثانياً', 'ثالثاً', 'رابعاً', 'خامساً', 'سادساً', 'سابعاً', 'ثامناً', 'تاسعاً', 'عاشراً', 'حادي عشر', 'ثاني عشر', 'ثالث عشر', 'رابع عشر', 'خامس عشر', 'سادس عشر', 'سابع عشر', 'ثامن عشر', 'تاسع عشر', 'عشرون'];

const LABELS = {
  ar: { un: 'الأمم المتحدة', draft: 'مسودة', distr: 'التوزيع: عام', original: 'الأصل: العربية', status: 'حالة الوثيقة' },
  en: { un: 'United Nations', draft: 'Draft', distr: 'Distr.: General', original: 'Original: English', status: 'Document status' },
};

function fontFor(_lang: 'ar' | 'en') {
  return { ascii: LATIN_FONT, hAnsi: LATIN_FONT, cs: ARABIC_FONT, eastAsia: LATIN_FONT };
}

/**
 * Runs for one stretch of text: Arabic-script stretches are right-to-left runs, Latin words, numbers and document
 * symbols left-to-right runs (the Unicode isolates Rasd puts around them are dropped: the run does that job).
 */
function runs(text: string, lang: 'ar' | 'en', opts: { bold?: boolean; size?: number } = {}): TextRun[] {
  const out: TextRun[] = [];
  if (lang === 'ar' && text.includes('\u2066')) {
    let at = 0;
    for (const m of text.matchAll(ISOLATED)) {
      out.push(...runs(text.slice(at, m.index), lang, opts));
      const inner = m[1]!.replace(/[\u2066-\u2069\u200e\u200f]/g, '');
      if (inner) out.push(new TextRun({ text: inner, rightToLeft: false, font: fontFor(lang), bold: opts.bold, boldComplexScript: opts.bold, size: opts.size, sizeComplexScript: opts.size, language: { value: 'en-GB' } }));
      at = m.index + m[0].length;
    }
    out.push(...runs(text.slice(at), lang, opts));
    return out;
  }
  const clean = text.replace(/[\u2066-\u2069\u200e\u200f]/g, '');
  const push = (t: string, rtl: boolean) => {
    if (!t) return;
    out.push(new TextRun({ text: t, rightToLeft: rtl, font: fontFor(lang), bold: opts.bold, boldComplexScript: opts.bold, size: opts.size, sizeComplexScript: opts.size, language: rtl ? { bidirectional: 'ar-SA' } : { value: 'en-GB' } }));
  };
  if (lang === 'en') {
    // an English document: only Arabic-script stretches (a name, a quoted text) are right-to-left
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

/**
 * The DOCX of a report in the UN layout: the symbol and date block, the title, Roman-numbered headings,
 * paragraphs numbered through the document, footnotes (`[^…]` in the text). Arabic: every paragraph and the
 * section are right-to-left (bidi), the header table is visually right-to-left, Arabic runs are marked
 * right-to-left in an Arabic-capable font, and symbols and numbers stay in left-to-right runs.
 */
export async function renderReportDocx(r: DocxReport): Promise<Buffer> {
  const rtl = r.lang === 'ar';
  const L = LABELS[r.lang];
  const footnotes: Record<string, { children: Paragraph[] }> = {};
  let footnoteId = 0;
  let paraNo = 0;
  const body: (Paragraph | Table)[] = [];
  const para = (children: ParagraphChild[], opts: { heading?: boolean; spacingAfter?: number; alignment?: (typeof AlignmentType)[keyof typeof AlignmentType]; indent?: boolean } = {}) =>
    new Paragraph({
      children,
      bidirectional: rtl,
      alignment: opts.alignment,
      keepNext: opts.heading,
      spacing: { after: opts.spacingAfter ?? 120, line: 276 },
      indent: opts.indent ? { start: 1134 } : undefined,
    });

  const noBorder = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const cell = (children: Paragraph[]) =>
    new TableCell({ children, width: { size: 50, type: WidthType.PERCENTAGE }, borders: { top: noBorder, left: noBorder, right: noBorder, bottom: { style: BorderStyle.SINGLE, size: 12, color: '000000' } } });
  body.push(
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      visuallyRightToLeft: rtl,
      rows: [
        new TableRow({
          children: [
            cell([para(runs(L.un, r.lang, { bold: true, size: 28 }))]),
            cell([para([new TextRun({ text: r.symbol ?? L.draft, bold: true, size: 24, font: fontFor(r.lang), rightToLeft: !r.symbol && rtl })], { alignment: AlignmentType.END })]),
          ],
        }),
      ],
    }),
  );
  body.push(para(runs(r.bodyName, r.lang), { spacingAfter: 0 }));
  body.push(para(runs(L.distr, r.lang), { spacingAfter: 0, alignment: AlignmentType.END }));
  body.push(para([new TextRun({ text: r.date, font: fontFor(r.lang) })], { spacingAfter: 0, alignment: AlignmentType.END }));
  body.push(para(runs(L.original, r.lang), { spacingAfter: 360, alignment: AlignmentType.END }));
  body.push(para(runs(r.title, r.lang, { bold: true, size: 32 }), { heading: true, spacingAfter: 360 }));

  r.sections.forEach((s, i) => {
    const number = rtl ? `${AR_ORDINALS[i] ?? String(i + 1)} -\u00a0` : `${roman(i + 1)}.\u00a0`;
    body.push(para(runs(`${number}${s.heading}`, r.lang, { bold: true, size: 26 }), { heading: true, spacingAfter: 160 }));
    const paragraphs = s.text
      .split(/\n\s*\n|\n/)
      .map((p) => p.trim())
      .filter(Boolean);
    for (const p of paragraphs) {
      paraNo += 1;
      const children: ParagraphChild[] = rtl ? [...runs(String(paraNo), r.lang), ...runs('\u00a0-\u00a0', r.lang)] : [...runs(`${paraNo}.\u00a0`, r.lang)];
      let last = 0;
      for (const m of p.matchAll(FOOTNOTE_RE)) {
        children.push(...runs(p.slice(last, m.index), r.lang));
        footnoteId += 1;
        footnotes[String(footnoteId)] = { children: [new Paragraph({ children: runs(m[1] ?? '', r.lang, { size: 18 }), bidirectional: rtl })] };
        children.push(new FootnoteReferenceRun(footnoteId));
        last = m.index + m[0].length;
      }
      children.push(...runs(p.slice(last), r.lang));
      body.push(para(children, { alignment: AlignmentType.BOTH, indent: true }));
    }
  });

  const doc = new Document({
    creator: 'Rasd',
    title: r.title,
    styles: { default: { document: { run: { font: fontFor(r.lang), size: 24, sizeComplexScript: 28, rightToLeft: rtl }, paragraph: {} } } },
    footnotes,
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1418, bottom: 1418, left: 1134, right: 1134 } } }, children: body }],
  });
  const first = await Packer.toBuffer(doc);
  if (!rtl) return first;
  // docx has no option for the section's own direction (w:bidi in w:sectPr): add it to the document part.
  const xml = await readZipText(first, 'word/document.xml');
  const patched = xml.replace(/<w:sectPr([^>]*)>([\s\S]*?)<\/w:sectPr>/g, (_all, attrs: string, inner: string) => {
    if (inner.includes('<w:bidi')) return `<w:sectPr${attrs}>${inner}</w:sectPr>`;
    const at = inner.search(/<w:rtlGutter|<w:docGrid|<w:printerSettings|<w:sectPrChange/);
    const withBidi = at < 0 ? `${inner}<w:bidi/>` : `${inner.slice(0, at)}<w:bidi/>${inner.slice(at)}`;
    return `<w:sectPr${attrs}>${withBidi}</w:sectPr>`;
  });
  return Packer.toBuffer(doc, false, [{ path: 'word/document.xml', data: patched }]);
}

/** Reads one entry of a zip held in memory as UTF-8 text. */
export async function readZipText(buf: Buffer, name: string): Promise<string> {
  const data = (await readZipEntries(buf, (n) => n === name)).get(name);
  if (!data) throw new Error(`${name} not found in the archive`);
  return data.toString('utf8');
}
