import {
  AlignmentType,
  BorderStyle,
  Document,
  FootnoteReferenceRun,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import { readZipEntries } from '../imports/index.ts';
import { bidiRuns, docxFont, packDocx, paragraphDirection, tableDirection } from '../shared/docx-rtl.ts';
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

const LATIN_FONT = 'Times New Roman';
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV', 'XV', 'XVI', 'XVII', 'XVIII', 'XIX', 'XX'];
const roman = (n: number) => ROMAN[n - 1] ?? String(n);
/** Arabic UN documents number their chapters with ordinal words (أولاً، ثانياً…). */
const AR_ORDINALS = ['أولاً', 'ثانياً', 'ثالثاً', 'رابعاً', 'خامساً', 'سادساً', 'سابعاً', 'ثامناً', 'تاسعاً', 'عاشراً', 'حادي عشر', 'ثاني عشر', 'ثالث عشر', 'رابع عشر', 'خامس عشر', 'سادس عشر', 'سابع عشر', 'ثامن عشر', 'تاسع عشر', 'عشرون'];

const LABELS = {
  ar: { un: 'الأمم المتحدة', draft: 'مسودة', distr: 'التوزيع: عام', original: 'الأصل: العربية', status: 'حالة الوثيقة' },
  en: { un: 'United Nations', draft: 'Draft', distr: 'Distr.: General', original: 'Original: English', status: 'Document status' },
};

const FONT = docxFont(LATIN_FONT);
/** Runs for one stretch of text, each with its font and language (docx-rtl.ts: Arabic right to left, symbols and numbers left to right). */
const runs = (text: string, lang: 'ar' | 'en', opts: { bold?: boolean; size?: number } = {}) => bidiRuns(text, lang, { ...opts, font: FONT });

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
      ...paragraphDirection(r.lang),
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
      ...tableDirection(r.lang),
      rows: [
        new TableRow({
          children: [
            cell([para(runs(L.un, r.lang, { bold: true, size: 28 }))]),
            cell([para([new TextRun({ text: r.symbol ?? L.draft, bold: true, size: 24, font: FONT, rightToLeft: !r.symbol && rtl })], { alignment: AlignmentType.END })]),
          ],
        }),
      ],
    }),
  );
  body.push(para(runs(r.bodyName, r.lang), { spacingAfter: 0 }));
  body.push(para(runs(L.distr, r.lang), { spacingAfter: 0, alignment: AlignmentType.END }));
  body.push(para([new TextRun({ text: r.date, font: FONT })], { spacingAfter: 0, alignment: AlignmentType.END }));
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
        footnotes[String(footnoteId)] = { children: [new Paragraph({ children: runs(m[1] ?? '', r.lang, { size: 18 }), ...paragraphDirection(r.lang) })] };
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
    styles: { default: { document: { run: { font: FONT, size: 24, sizeComplexScript: 28, rightToLeft: rtl }, paragraph: {} } } },
    footnotes,
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1418, bottom: 1418, left: 1134, right: 1134 } } }, children: body }],
  });
  // one pack; an Arabic document's section is made right-to-left first (docx-rtl.ts)
  return packDocx(doc, r.lang);
}

/** Reads one entry of a zip held in memory as UTF-8 text. */
export async function readZipText(buf: Buffer, name: string): Promise<string> {
  const data = (await readZipEntries(buf, (n) => n === name)).get(name);
  if (!data) throw new Error(`${name} not found in the archive`);
  return data.toString('utf8');
}
