import {
  AlignmentType,
  Bookmark,
  InternalHyperlink,
  PageReference,
  Tab,
  TabStopPosition,
  TabStopType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/permissions.ts';
import type { DB } from '../db/schema.ts';
import { bidiRuns, DOC_LANGUAGES, docxFont, ltrRun, packDocx, paragraphDirection, tableDirection, type DocLang } from '../shared/docx-rtl.ts';
import { getPlanTree } from './plan-read.service.ts';

export type { DocLang };

/** The document's own words, in both languages (the web app's strings live in its i18n files). */
const WORDS = {
  ar: {
    plan: 'الخطة الوطنية لحقوق الإنسان',
    period: 'المدة',
    version: 'الإصدار',
    status: { draft: 'مسودة', consultation: 'قيد التشاور', adopted: 'معتمدة', archived: 'مؤرشفة' },
    exported: 'تاريخ الإصدار',
    toc: 'المحتويات',
    progress: 'نسبة التقدم',
    noData: 'لا بيانات',
    objective: 'الهدف',
    objectiveIndicators: 'مؤشرات الهدف',
    col: { action: 'الإجراء', lead: 'الجهة الرئيسية', partners: 'الجهات الشريكة', timeline: 'المدة الزمنية', indicators: 'المؤشرات', recs: 'التوصيات المستجاب لها' },
    actionStatus: { not_started: 'لم يبدأ', on_track: 'يسير وفق الخطة', delayed: 'متأخر', completed: 'مكتمل', cancelled: 'ملغى' },
    indicatorType: { structure: 'هيكلي', process: 'عملية', outcome: 'نتيجة' },
    baseline: 'خط الأساس',
    target: 'المستهدف',
    latest: 'آخر قيمة معتمدة',
    annex: 'ملحق: التوصيات التي تستجيب لها الخطة',
    annexIntro: 'تُدرج التوصيات برمز وثيقتها ورقم فقرتها، مع رموز الإجراءات التي تستجيب لها.',
    source: 'المصدر',
    text: 'نص التوصية',
    actions: 'الإجراءات',
    none: '—',
    page: 'صفحة',
    noActions: 'لا إجراءات تحت هذا الهدف.',
    units: { persons: 'شخصاً', campaigns: 'حملة', stages: 'مراحل', cases: 'حالة', reports: 'تقريراً', laws: 'قانوناً', days: 'يوماً' } as Record<string, string>,
  },
  en: {
    plan: 'National human rights action plan',
    period: 'Period',
    version: 'Version',
    status: { draft: 'Draft', consultation: 'In consultation', adopted: 'Adopted', archived: 'Archived' },
    exported: 'Issued on',
    toc: 'Contents',
    progress: 'Progress',
    noData: 'no data',
    objective: 'Objective',
    objectiveIndicators: 'Objective indicators',
    col: { action: 'Action', lead: 'Lead entity', partners: 'Partners', timeline: 'Timeline', indicators: 'Indicators', recs: 'Recommendations answered' },
    actionStatus: { not_started: 'Not started', on_track: 'On track', delayed: 'Delayed', completed: 'Completed', cancelled: 'Cancelled' },
    indicatorType: { structure: 'Structure', process: 'Process', outcome: 'Outcome' },
    baseline: 'baseline',
    target: 'target',
    latest: 'latest approved value',
    annex: 'Annex: recommendations the plan answers',
    annexIntro: 'Each recommendation is listed with its document symbol and paragraph, and the codes of the actions that answer it.',
    source: 'Source',
    text: 'Recommendation',
    actions: 'Actions',
    none: '—',
    page: 'Page',
    noActions: 'No action under this objective.',
    units: {} as Record<string, string>,
  },
} as const;

const LATIN_FONT = 'Liberation Serif';
/** the paragraph style of table cells' small text */
const SMALL = 'RasdSmall';
const SMALL_SIZE = 16;
const BASE_SIZE = 22;

export function docxFileName(plan: { version_number: number }, lang: DocLang): string {
  return `action-plan-v${plan.version_number}-${lang}.docx`;
}

/**
 * The plan document: cover page, table of contents, one chapter per pillar with its objectives and an action table
 * (action, lead, partners, timeline, indicators, recommendations answered), and an annex of the recommendations the
 * plan answers with their source symbols. Right to left in Arabic through src/shared/docx-rtl.ts: a right-to-left
 * section, bidi paragraphs, right-to-left runs and tables, Noto Naskh Arabic, and symbols, numbers and dates in
 * left-to-right runs isolated with LRM marks (also inside titles and texts).
 */
export async function planDocx(db: Kysely<DB>, planId: string, lang: DocLang, actor: Actor): Promise<{ buffer: Buffer; fileName: string }> {
  const plan = await getPlanTree(db, planId, actor);
  const w = WORDS[lang];
  const rtl = lang === 'ar';
  const pick = (ar: string | null | undefined, en: string | null | undefined) => (rtl ? ar || en : en || ar) ?? '';
  const stateRow = await db.selectFrom('settings').select('value').where('key', '=', 'state_name').executeTakeFirst();
  const state = stateRow ? (JSON.parse(stateRow.value) as { ar?: string; en?: string }) : {};
  const fmtDate = (d: string | null) =>
    d ? new Intl.DateTimeFormat(rtl ? 'ar-u-nu-latn' : 'en-GB', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`)) : w.none;

  const font = docxFont(LATIN_FONT);
  // the small text of table cells (size 8 pt, little space after) is the paragraph style SMALL's: its runs carry no size
  const sized = (size: number | undefined, small: boolean) => (!small ? size : size === SMALL_SIZE ? undefined : (size ?? BASE_SIZE));
  const text = (t: string, o: { bold?: boolean; size?: number; color?: string } = {}, small = false) =>
    // the font and the languages come from the document defaults (smaller XML: a large plan packs faster)
    new TextRun({ text: t, rightToLeft: rtl, bold: o.bold, boldComplexScript: o.bold, size: sized(o.size, small), sizeComplexScript: sized(o.size, small), color: o.color });
  /** a symbol, number or date: a left-to-right run (the default direction of a run), isolated inside Arabic text */
  const ltr = (t: string, o: { bold?: boolean; size?: number } = {}, small = false) => ltrRun(t, lang, { bold: o.bold, size: sized(o.size, small) });
  /** text written by people (titles, names, recommendations): Latin words, numbers and symbols in it are left-to-right runs */
  const content = (t: string, o: { bold?: boolean; size?: number; color?: string } = {}, small = false) => {
    const out = bidiRuns(t, lang, { bold: o.bold, size: sized(o.size, small), color: o.color });
    return out.length ? out : [text('', o, small)];
  };
  const sc = (t: string, o: { bold?: boolean; size?: number; color?: string } = {}) => content(t, o, true);
  /** runs of a small paragraph (its style gives them the small size) */
  const st = (t: string, o: { bold?: boolean; size?: number; color?: string } = {}) => text(t, o, true);
  const sl = (t: string, o: { bold?: boolean; size?: number } = {}) => ltr(t, o, true);
  const para = (children: (TextRun | Bookmark)[], o: { heading?: (typeof HeadingLevel)[keyof typeof HeadingLevel]; align?: 'center'; spacingAfter?: number; pageBreakBefore?: boolean; style?: string } = {}) =>
    new Paragraph({
      children,
      heading: o.heading,
      style: o.style,
      // a small paragraph's direction is its style's (one w:bidi in styles.xml, not one in each of ~30,000 table-cell paragraphs)
      ...(o.style === SMALL ? {} : paragraphDirection(lang)),
      // no alignment = the paragraph's start: the right edge in a bidi (Arabic) paragraph, the left one in English
      alignment: o.align === 'center' ? AlignmentType.CENTER : undefined,
      spacing: o.style ? undefined : { after: o.spacingAfter ?? 120 },
      pageBreakBefore: o.pageBreakBefore,
    });
  const pct = (n: number | null) => (n === null ? w.noData : `${n}%`);
  // borders and cell margins are the table's (one set per table, not one per cell: a 600-action plan has ~20,000 cells)
  const border = { style: BorderStyle.SINGLE, size: 4, color: '9AA5B1' };
  const borders = { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border };
  const margins = { marginUnitType: WidthType.DXA, top: 60, bottom: 60, left: 80, right: 80 };
  const headerShading = { type: ShadingType.CLEAR, color: 'auto', fill: 'E6EEF5' };
  const empty = () => [para([text('')])];
  const cell = (children: Paragraph[], o: { header?: boolean; width?: number } = {}) =>
    new TableCell({
      children: children.length ? children : empty(),
      // the header row names each column's width; the rows below follow the table's grid
      width: o.width ? { size: o.width, type: WidthType.PERCENTAGE } : undefined,
      shading: o.header ? headerShading : undefined,
    });
  const table = (header: string[], widths: number[], rows: Paragraph[][][]) =>
    new Table({
      ...tableDirection(lang),
      width: { size: 100, type: WidthType.PERCENTAGE },
      borders,
      margins,
      // the grid in twips: the A4 text width (11906 − 2 × 1100) shared as the widths say
      columnWidths: widths.map((p) => Math.round((9706 * p) / 100)),
      rows: [
        new TableRow({ tableHeader: true, children: header.map((h, i) => cell([para([text(h, { bold: true, size: 18 })], { spacingAfter: 0 })], { header: true, width: widths[i] })) }),
        ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) })),
      ],
    });
  const small = (runs: TextRun[]) => para(runs, { style: SMALL });

  // cover
  const title = pick(plan.title_ar, plan.title_en);
  const cover = [
    para(content(pick(state.ar, state.en), { size: 28, color: '44546A' }), { align: 'center', spacingAfter: 2400 }),
    para([text(w.plan, { size: 28, color: '44546A' })], { align: 'center', spacingAfter: 240 }),
    para(content(title, { bold: true, size: 48, color: '1F3864' }), { align: 'center', spacingAfter: 480 }),
    para([text(`${w.period}: `, { size: 26 }), ltr(`${plan.period_start.slice(0, 4)}–${plan.period_end.slice(0, 4)}`, { size: 26 })], { align: 'center' }),
    para([text(`${w.version} `, { size: 24 }), ltr(String(plan.version_number), { size: 24 }), text(` — ${w.status[plan.status]}`, { size: 24 })], { align: 'center' }),
    para([text(`${w.exported}: `, { size: 22 }), text(fmtDate(new Date().toISOString().slice(0, 10)), { size: 22 })], { align: 'center' }),
  ];

  // chapters
  const annexRecs = new Map<string, { symbol: string; paragraph: string | null; actions: string[] }>();
  const chapters: (Paragraph | Table)[] = [];
  const tocEntries: { title: string; level: number; anchor: string }[] = [];
  const bookmarked = (anchor: string, t: string) => new Bookmark({ id: anchor, children: content(t) });
  for (const p of plan.pillars) {
    const heading = `${p.code} — ${pick(p.title_ar, p.title_en)}`;
    const anchor = `pillar_${tocEntries.length + 1}`;
    tocEntries.push({ title: heading, level: 1, anchor });
    chapters.push(para([bookmarked(anchor, heading)], { heading: HeadingLevel.HEADING_1, pageBreakBefore: true }));
    chapters.push(para([text(`${w.progress}: `), ltr(pct(p.progress))]));
    for (const o of p.objectives) {
      const oh = `${o.code} — ${pick(o.title_ar, o.title_en)}`;
      const oAnchor = `objective_${tocEntries.length + 1}`;
      tocEntries.push({ title: oh, level: 2, anchor: oAnchor });
      chapters.push(para([bookmarked(oAnchor, oh)], { heading: HeadingLevel.HEADING_2 }));
      chapters.push(para([text(`${w.progress}: `), ltr(pct(o.progress))]));
      if (o.indicators.length) {
        chapters.push(para([text(`${w.objectiveIndicators}:`, { bold: true })]));
        for (const i of o.indicators) chapters.push(small([st('• '), ...sc(pick(i.name_ar, i.name_en)), st(` (${w.indicatorType[i.type]})`)]));
      }
      if (!o.actions.length) {
        chapters.push(para([text(w.noActions, { color: '666666' })]));
        continue;
      }
      const rows = o.actions.map((a) => {
        for (const r of a.recommendations) {
          const entry = annexRecs.get(r.id) ?? { symbol: r.symbol, paragraph: r.paragraph, actions: [] };
          entry.actions.push(a.code);
          annexRecs.set(r.id, entry);
        }
        const entityName = (e: { name_ar: string | null; name_en: string | null }) => pick(e.name_ar, e.name_en);
        return [
          [small([sl(a.code, { bold: true })]), small(sc(pick(a.title_ar, a.title_en), { size: 18 })), small([st(w.actionStatus[a.status], { size: 16, color: '555555' })])],
          [small(a.lead_entity_id ? sc(entityName({ name_ar: a.lead_name_ar, name_en: a.lead_name_en }), { size: 18 }) : [st(w.none, { size: 18 })])],
          a.partners.length ? a.partners.map((e) => small(sc(entityName(e), { size: 18 }))) : [small([st(w.none, { size: 18 })])],
          [small([sl(a.start_date ?? '…', { size: 18 })]), small([sl(a.end_date ?? '…', { size: 18 })])],
          a.indicators.length
            ? a.indicators.map((i) =>
                small([
                  ...sc(pick(i.name_ar, i.name_en), { size: 16 }),
                  st(`: ${w.baseline} `, { size: 16 }),
                  sl(i.baseline_value ?? w.none, { size: 16 }),
                  st(` → ${w.target} `, { size: 16 }),
                  sl(i.target_value ?? w.none, { size: 16 }),
                  st(` ${i.unit ? (w.units[i.unit] ?? i.unit) : ''}`, { size: 16 }),
                  ...(i.latest ? [st(` (${w.latest} `, { size: 16 }), sl(i.latest.value, { size: 16 }), st(')', { size: 16 })] : []),
                ]),
              )
            : [small([st(w.none, { size: 18 })])],
          a.recommendations.length
            ? [small(a.recommendations.slice(0, 12).flatMap((r, idx) => [...(idx ? [st(rtl ? '، ' : ', ', { size: 16 })] : []), sl(`${r.symbol} ¶${r.paragraph ?? ''}`, { size: 16 })])),
              ...(a.recommendations.length > 12 ? [small([st('+', { size: 16 }), sl(String(a.recommendations.length - 12), { size: 16 })])] : [])]
            : [small([st(w.none, { size: 18 })])],
        ];
      });
      chapters.push(table([w.col.action, w.col.lead, w.col.partners, w.col.timeline, w.col.indicators, w.col.recs], [22, 12, 12, 14, 20, 20], rows));
      chapters.push(para([text('')]));
    }
  }

  // annex: the recommendations answered, with their texts in the document's language
  const ids = [...annexRecs.keys()];
  const texts = new Map<string, { text_ar: string | null; text_en: string | null }>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const r of await db.selectFrom('recommendations').select(['id', 'text_ar', 'text_en']).where('id', 'in', ids.slice(i, i + 500)).execute()) texts.set(r.id, r);
  }
  // one collator each (localeCompare with options builds one per call: thousands of rows)
  const bySymbol = new Intl.Collator();
  const byParagraph = new Intl.Collator('en', { numeric: true });
  const annexRows = [...annexRecs.entries()]
    .sort(([, x], [, y]) => bySymbol.compare(x.symbol, y.symbol) || byParagraph.compare(x.paragraph ?? '', y.paragraph ?? ''))
    .map(([id, r]) => [
      [small([sl(`${r.symbol} ¶${r.paragraph ?? ''}`, { size: 16 })])],
      [small(sc(pick(texts.get(id)?.text_ar, texts.get(id)?.text_en), { size: 16 }))],
      [small([sl([...new Set(r.actions)].join(', '), { size: 16 })])],
    ]);
  tocEntries.push({ title: w.annex, level: 1, anchor: 'annex' });
  const annex: (Paragraph | Table)[] = [
    para([bookmarked('annex', w.annex)], { heading: HeadingLevel.HEADING_1, pageBreakBefore: true }),
    para([text(w.annexIntro)]),
    table([w.source, w.text, w.actions], [22, 63, 15], annexRows),
  ];

  const headingRun = { font, color: '1F3864', bold: true, boldComplexScript: true };
  const doc = new Document({
    creator: 'Rasd',
    title,
    description: w.plan,
    features: { updateFields: true },
    styles: {
      default: {
        document: { run: { font, size: BASE_SIZE, sizeComplexScript: BASE_SIZE, language: DOC_LANGUAGES } },
        heading1: { run: { ...headingRun, size: 34, sizeComplexScript: 34 }, paragraph: { spacing: { before: 240, after: 180 } } },
        heading2: { run: { ...headingRun, size: 28, sizeComplexScript: 28 }, paragraph: { spacing: { before: 240, after: 120 } } },
      },
      paragraphStyles: [{ id: SMALL, name: 'Rasd small', basedOn: 'Normal', run: { size: SMALL_SIZE, sizeComplexScript: SMALL_SIZE }, paragraph: { spacing: { after: 40 }, ...paragraphDirection(lang) } }],
    },
    sections: [
      {
        properties: { page: { margin: { top: 1200, bottom: 1200, left: 1100, right: 1100 } } },
        footers: {
          default: new Footer({
            children: [new Paragraph({ ...paragraphDirection(lang), alignment: AlignmentType.CENTER, children: [text(`${w.page} `, { size: 18 }), new TextRun({ children: [PageNumber.CURRENT], size: 18 })] })],
          }),
        },
        children: [
          ...cover,
          new Paragraph({ children: [new PageBreak()], ...paragraphDirection(lang) }),
          para([text(w.toc, { bold: true, size: 34, color: '1F3864' })]),
          // the contents: bidi paragraphs linking to each heading, with its page number (a PAGEREF field)
          ...tocEntries.map(
            (e) =>
              new Paragraph({
                ...paragraphDirection(lang),
                indent: e.level === 2 ? { start: 400 } : undefined,
                spacing: { after: 60 },
                tabStops: [{ type: TabStopType.RIGHT, position: TabStopPosition.MAX, leader: 'dot' }],
                children: [
                  new InternalHyperlink({ anchor: e.anchor, children: content(e.title, { bold: e.level === 1 }) }),
                  new TextRun({ children: [new Tab()], rightToLeft: rtl }),
                  new PageReference(e.anchor),
                ],
              }),
          ),
          ...chapters,
          ...annex,
        ],
      },
    ],
  });
  const buffer = await packDocx(doc, lang);
  return { buffer, fileName: docxFileName(plan, lang) };
}
