/**
 * UHRI Excel export (.xlsx): one header row with the columns below (spelling as UHRI prints them,
 * "Reccomending" sic; the correct spelling is accepted too), then one row per annotation.
 * Multi-valued cells are newline lists with "- " bullets; the publication date is an Excel serial.
 *
 * The archive passes the zip-bomb guard first (src/imports/zip-guard.ts), then is read with
 * exceljs' streaming reader (rows are handled one at a time; shared strings are cached).
 *
 * The Excel export has no AnnotationType column: UPR rows are recommendations; for other bodies the
 * kind is guessed from the wording ("is concerned" without "recommends"/"urges" → observation).
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ImportParseError } from './types.ts';
import type { ImportIssue, ImportRecord, Lang, RecommendationKind } from './types.ts';
import type { ZipLimits } from './zip-guard.ts';
import { inspectXlsx } from './ooxml-guard.ts';
import { checkHeader, xlsxFailure } from './tabular.ts';
import {
  bodyCode,
  cleanList,
  documentTypeOf,
  isoDate,
  langFromFilename,
  makeFilter,
  parseIntLoose,
  parseSdgs,
  positionOf,
  splitParagraph,
  stripUprAttribution,
} from './uhri-shared.ts';
import type { UhriFilter } from './uhri-shared.ts';

export const UHRI_XLSX_REQUIRED_COLUMNS = [
  'Text',
  'Countries Concerned',
  'Reccomending Body',
  'UPR Session',
  'Document Symbol',
  'UPR Reccomending States',
  'UPR Position',
  'Themes',
  'Affected Persons',
  'Sdgs',
  'Document Publication Date',
  'OHCHR Annotation Id',
] as const;

export type UhriXlsxColumn = (typeof UHRI_XLSX_REQUIRED_COLUMNS)[number];

export interface UhriXlsxOptions extends UhriFilter {
  /** Language of the texts. Default: from `filename` (or the path), else 'en'. */
  lang?: Lang;
  filename?: string;
  zipLimits?: ZipLimits;
  /** Worksheet to read (name or 1-based index). Default: the first sheet that has the header. */
  sheet?: string | number;
}

function normHeader(s: string): string {
  return s
    .toLowerCase()
    .replace(/reccomend/g, 'recommend')
    .replace(/[^a-z]/g, '');
}

/** Plain text of an exceljs cell value (rich text, hyperlinks, formulas, dates…). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((t) => t.text ?? '').join('');
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return '';
  }
  return String(v);
}

function rawValue(v: unknown): unknown {
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as Record<string, unknown>;
    if ('result' in o) return o.result;
    return cellText(v);
  }
  return v;
}

function guessKind(body: string, text: string): RecommendationKind {
  if (body === 'UPR') return 'recommendation';
  const concern = /\b(is|are|remains?|being) (?:\w+ )?concerned\b|\bnotes with (?:deep |serious |grave )?concern\b|\bregrets\b/i.test(text);
  const asks = /\b(recommends?|urges?|calls? (?:up)?on|requests?|encourages?|invites?)\b/i.test(text);
  return concern && !asks ? 'observation' : 'recommendation';
}

/**
 * Stream the records of a UHRI Excel export (file path or Buffer).
 * Throws ImportParseError: zip_bomb / invalid_zip, missing_column (one issue per missing column), missing_field, no_sheet.
 */
export async function* parseUhriXlsx(input: string | Buffer, options: UhriXlsxOptions = {}): AsyncGenerator<ImportRecord> {
  await inspectXlsx(input, options.zipLimits);
  try {
    yield* readUhriXlsx(input, options);
  } catch (err) {
    throw xlsxFailure(err);
  }
}

async function* readUhriXlsx(input: string | Buffer, options: UhriXlsxOptions): AsyncGenerator<ImportRecord> {
  const lang: Lang =
    options.lang ?? langFromFilename(options.filename) ?? (typeof input === 'string' ? langFromFilename(input) : undefined) ?? 'en';
  const keep = makeFilter(options);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(typeof input === 'string' ? input : Readable.from([input]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache', // needed to recognise date-formatted cells
    worksheets: 'emit',
    entries: 'ignore',
  });

  let sheetNo = 0;
  let found = false;
  let bestMissing: UhriXlsxColumn[] | undefined;
  for await (const ws of reader) {
    sheetNo++;
    const wsName = (ws as unknown as { name?: string }).name;
    if (options.sheet !== undefined && options.sheet !== sheetNo && options.sheet !== wsName) {
      for await (const row of ws) void row; // drain
      continue;
    }
    let col: Map<UhriXlsxColumn, number> | undefined;
    for await (const row of ws) {
      const values = row.values as unknown[];
      if (!col) {
        // the header: the first non-empty row
        const heads = new Map<string, number>();
        if (values.some((v) => cellText(v).trim())) checkHeader(values.slice(1).map(cellText), row.number);
        values.forEach((v, i) => {
          const h = normHeader(cellText(v));
          if (h && !heads.has(h)) heads.set(h, i);
        });
        if (heads.size === 0) continue;
        const map = new Map<UhriXlsxColumn, number>();
        const missing: UhriXlsxColumn[] = [];
        for (const c of UHRI_XLSX_REQUIRED_COLUMNS) {
          const i = heads.get(normHeader(c));
          if (i === undefined) missing.push(c);
          else map.set(c, i);
        }
        if (missing.length) {
          if (!bestMissing || missing.length < bestMissing.length) bestMissing = missing;
          break; // not the export sheet (or a broken one): try the next sheet
        }
        col = map;
        found = true;
        continue;
      }
      const get = (c: UhriXlsxColumn) => values[col!.get(c) as number];
      const text = cellText(get('Text')).trim();
      const symbol = cellText(get('Document Symbol')).trim();
      const id = cellText(get('OHCHR Annotation Id')).trim();
      if (!text && !symbol && !id && values.every((v) => !cellText(v).trim())) continue; // blank row
      const rowNo = row.number;
      const problems: ImportIssue[] = [];
      if (!text) problems.push({ row: rowNo, field: 'Text', code: 'missing_field', message: `row ${rowNo} has no Text` });
      if (!symbol) problems.push({ row: rowNo, field: 'Document Symbol', code: 'missing_field', message: `row ${rowNo} has no Document Symbol` });
      if (!id) problems.push({ row: rowNo, field: 'OHCHR Annotation Id', code: 'missing_field', message: `row ${rowNo} has no OHCHR Annotation Id` });
      if (problems.length) throw new ImportParseError(problems);

      const body = bodyCode(cellText(get('Reccomending Body')) || 'UNKNOWN');
      const split = splitParagraph(text);
      const countries = cleanList(cellText(get('Countries Concerned')));
      const states = cleanList(cellText(get('UPR Reccomending States')));
      const document: ImportRecord['document'] = { symbol, body };
      const type = documentTypeOf(body, symbol);
      if (type) document.type = type;
      const date = isoDate(rawValue(get('Document Publication Date')));
      if (date) document.date = date;
      const session = parseIntLoose(cellText(get('UPR Session')));
      if (session !== undefined) document.uprSession = session;
      if (countries[0]) document.country = countries[0];
      const rec: ImportRecord = {
        sourceRow: rowNo,
        externalId: id,
        document,
        texts: { [lang]: body === 'UPR' ? stripUprAttribution(split.text, states) : split.text },
        kind: guessKind(body, split.text),
      };
      if (split.paragraph) rec.paragraph = split.paragraph;
      if (states.length) rec.recommendingStates = states;
      const position = positionOf(cellText(get('UPR Position')).split(/\r?\n/));
      if (position) rec.position = position;
      const themes = cleanList(cellText(get('Themes')));
      if (themes.length) rec.themes = themes;
      const persons = cleanList(cellText(get('Affected Persons')));
      if (persons.length) rec.affectedPersons = persons;
      const sdgs = parseSdgs(cellText(get('Sdgs')));
      if (sdgs.length) rec.sdgs = sdgs;
      if (keep(rec, countries)) yield rec;
    }
    if (found) return;
  }
  if (bestMissing) {
    throw new ImportParseError(
      bestMissing.map((c) => ({ row: 1, field: c, code: 'missing_column', message: `the sheet has no column "${c}"` })),
    );
  }
  throw new ImportParseError([
    { code: sheetNo === 0 ? 'no_sheet' : 'missing_column', message: sheetNo === 0 ? 'the workbook has no worksheet' : 'no sheet has a header row' },
  ]);
}

export async function parseUhriXlsxToArray(input: string | Buffer, options: UhriXlsxOptions = {}): Promise<ImportRecord[]> {
  const out: ImportRecord[] = [];
  for await (const r of parseUhriXlsx(input, options)) out.push(r);
  return out;
}
