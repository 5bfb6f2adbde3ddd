/**
 * Tabular input for importers: byte decoding (UTF-8 / Mac Roman / Latin-1 detection), CSV reading
 * (csv-parse: quoted multi-line cells, CR / LF / CRLF line ends), XLSX reading (exceljs streaming
 * reader, behind the zip-bomb guard of zip-guard.ts), and the generic "CSV/XLSX + column mapping"
 * importer. Pure: bytes in, rows / ImportRecords out, no database.
 *
 * Row numbers are 1-based as a spreadsheet user counts them: the header is row 1, the first data row
 * is row 2 (for CSV: the record number, so a multi-line quoted cell still counts as one row).
 */
import { Readable } from 'node:stream';
import { parse as parseCsvSync } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { ImportParseError, type ImportIssue, type ImportRecord } from './types.ts';
import type { ZipLimits } from './zip-guard.ts';
import { applyMapping, mappingColumns, type ColumnMapping } from './generic-mapping.ts';
import { checkCellSize, headerTooLarge, MAX_COLUMNS, MAX_HEADER_BYTES, MAX_ROW_BYTES, rowTooLarge, someNames, tooManyColumns } from './limits.ts';
import { inspectXlsx } from './ooxml-guard.ts';

export { MAX_CELL_BYTES } from './limits.ts';

// ---------------------------------------------------------------------------------------------
// Bytes → text

export type TextEncodingName = 'utf8' | 'macroman' | 'latin1';

export interface DecodeOptions {
  /** Force an encoding. Without it: valid UTF-8 → utf8, else Mac Roman vs Latin-1 by heuristic. */
  encoding?: TextEncodingName;
}

export interface DecodedText {
  text: string;
  encoding: TextEncodingName | 'utf16le' | 'utf16be';
  /** true when the encoding was detected rather than given */
  detected: boolean;
}

const ICONV_NAME: Record<Exclude<TextEncodingName, 'utf8'>, string> = {
  macroman: 'macintosh',
  // As browsers do (WHATWG), a "Latin-1" file is read as Windows-1252, its superset in 0x80–0x9F.
  latin1: 'windows-1252',
};

function toBuffer(bytes: Uint8Array | ArrayBuffer): Buffer {
  if (Buffer.isBuffer(bytes)) return bytes;
  if (bytes instanceof ArrayBuffer) return Buffer.from(bytes);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Collect a byte stream (bounded) into one Buffer. */
export async function collectBytes(input: AsyncIterable<Uint8Array | string>, maxBytes = 512 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of input) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : toBuffer(chunk);
    total += b.length;
    if (total > maxBytes) {
      throw new ImportParseError([{ code: 'file_too_large', message: `File is larger than ${Math.round(maxBytes / 1048576)} MB` }]);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Score how plausible a decoding is for Western-European text: common accented lower-case letters
 * and typographic punctuation count for it; C1 controls, and upper-case accented letters wedged
 * between lower-case letters ("countryÕs", the Latin-1 reading of a Mac Roman apostrophe), count
 * against it.
 */
function plausibility(text: string): number {
  const typographic = new Set('\u2018\u2019\u201c\u201d\u2013\u2014\u2022\u2026\u00ab\u00bb\u00b0\u00a0\u20ac\u00a7\u00a9\u00ae\u2122');
  let score = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    const ch = text[i]!;
    const prev = text[i - 1] ?? ' ';
    const next = text[i + 1] ?? ' ';
    if (c < 0xa0 || ch === '\ufffd') score -= 5; // C1 control / undefined byte
    else if (typographic.has(ch)) score += 1;
    else if (/\p{Ll}/u.test(ch)) score += /\p{L}/u.test(prev) || /\p{L}/u.test(next) ? 2 : 0.5;
    else if (/\p{Lu}/u.test(ch)) {
      if (/\p{Ll}/u.test(prev)) score -= 3; // "KuwaitÕs"
      else if (/\p{Ll}/u.test(next)) score += 0.5; // "État"
      else if (/\p{Lu}/u.test(next) && /\s/.test(prev)) score -= 1; // "ÒThe"
    } else score -= 1; // other symbols: ¥ ¶ ∂ ...
  }
  return score;
}

/** Guess between Mac Roman and Latin-1 (Windows-1252) for bytes that are not valid UTF-8. */
export function guessSingleByteEncoding(bytes: Uint8Array): 'macroman' | 'latin1' {
  const buf = toBuffer(bytes);
  const mac = plausibility(iconv.decode(buf, ICONV_NAME.macroman));
  const latin = plausibility(iconv.decode(buf, ICONV_NAME.latin1));
  return mac > latin ? 'macroman' : 'latin1';
}

function looksBinary(text: string): boolean {
  let controls = 0;
  const n = Math.min(text.length, 1 << 20);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) controls++;
  }
  return n > 0 && controls / n > 0.01;
}

/** Decode a text file. Throws ImportParseError('bad_encoding') for forced-UTF-8 mismatches and binary data. */
export function decodeBytes(bytes: Uint8Array | ArrayBuffer, options: DecodeOptions = {}): DecodedText {
  const buf = toBuffer(bytes);
  // UTF-16 with BOM (Excel's "Unicode text")
  if (!options.encoding && buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const le = buf[0] === 0xff;
    return { text: iconv.decode(buf.subarray(2), le ? 'utf16le' : 'utf16be'), encoding: le ? 'utf16le' : 'utf16be', detected: true };
  }
  let result: DecodedText;
  if (!options.encoding || options.encoding === 'utf8') {
    let text: string | undefined;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      result = { text, encoding: 'utf8', detected: !options.encoding };
    } else if (options.encoding === 'utf8') {
      throw new ImportParseError([{ code: 'bad_encoding', message: 'The file is not valid UTF-8; choose its encoding (Mac Roman or Latin-1) and try again' }]);
    } else {
      const enc = guessSingleByteEncoding(buf);
      result = { text: iconv.decode(buf, ICONV_NAME[enc]), encoding: enc, detected: true };
    }
  } else {
    result = { text: iconv.decode(buf, ICONV_NAME[options.encoding]), encoding: options.encoding, detected: false };
  }
  if (looksBinary(result.text)) {
    throw new ImportParseError([{ code: 'bad_encoding', message: 'The file does not decode to text (it looks binary: wrong file type or encoding)' }]);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Rows

export interface TableRow {
  /** 1-based, header = row 1 */
  rowNumber: number;
  cells: Record<string, string>;
}

export interface Table {
  header: string[];
  /** row number of the header (1 for CSV; the first non-empty row for XLSX) */
  headerRow: number;
  rows: TableRow[];
  encoding?: DecodedText['encoding'];
}

function emptyFile(what = 'The file'): ImportParseError {
  return new ImportParseError([{ code: 'empty_file', message: `${what} is empty: no header row and no data` }]);
}

function checkCell(value: string, row: number, field: string): void {
  checkCellSize(value, row, field);
}

/** The caps on a header row: columns, total length, each name. */
export function checkHeader(names: readonly string[], row: number): void {
  if (names.length > MAX_COLUMNS) tooManyColumns(names.length, row);
  let bytes = 0;
  names.forEach((h, i) => {
    checkCell(h, row, `column ${i + 1}`);
    bytes += Buffer.byteLength(h, 'utf8') + 1;
  });
  if (bytes > MAX_HEADER_BYTES) headerTooLarge(bytes);
}

function normaliseHeader(header: string[]): string[] {
  return header.map((h, i) => (h ?? '').replace(/^\ufeff/, '').trim() || `column_${i + 1}`);
}

function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, 65536).split(/\r\n|\r|\n/, 1)[0] ?? '';
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    // count delimiters outside quotes
    let n = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === d) n++;
    }
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

export interface CsvReadOptions extends DecodeOptions {
  /** Field delimiter; detected from the header line when absent (, ; tab |). */
  delimiter?: string;
}

/** Read CSV bytes (or already-decoded text) into a header and rows. */
export function readCsv(input: Uint8Array | ArrayBuffer | string, options: CsvReadOptions = {}): Table {
  let text: string;
  let encoding: DecodedText['encoding'] | undefined;
  if (typeof input === 'string') text = input;
  else {
    const buf = toBuffer(input);
    if (buf.length === 0) throw emptyFile();
    const d = decodeBytes(buf, options);
    text = d.text;
    encoding = d.encoding;
  }
  text = text.replace(/^\ufeff/, '');
  if (text.trim() === '') throw emptyFile();
  const delimiter = options.delimiter ?? detectDelimiter(text);
  let records: string[][];
  let headerBytes = 0;
  try {
    records = parseCsvSync(text, {
      delimiter,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // the caps, checked as each field ends (before the row is assembled, let alone mapped)
      max_record_size: MAX_ROW_BYTES,
      cast: (value: string, ctx: { index: number; records: number }) => {
        const row = ctx.records + 1;
        if (ctx.index >= MAX_COLUMNS) tooManyColumns(`more than ${MAX_COLUMNS}`, row);
        if (ctx.records === 0) {
          headerBytes += Buffer.byteLength(value, 'utf8') + 1;
          if (headerBytes > MAX_HEADER_BYTES) headerTooLarge(`more than ${MAX_HEADER_BYTES / 1024} KB`);
        }
        return value;
      },
    }) as string[][];
  } catch (err) {
    if (err instanceof ImportParseError) throw err;
    const e = err as { message?: string; code?: string; lines?: number; records?: number };
    const row = typeof e.records === 'number' ? e.records + 1 : undefined;
    if (e.code === 'CSV_MAX_RECORD_SIZE') rowTooLarge(row);
    throw new ImportParseError([{ row, code: 'bad_csv', message: `CSV could not be read: ${(e.message ?? String(err)).slice(0, 300)}` }]);
  }
  const [first, ...rest] = records;
  if (!first || first.every((h) => h.trim() === '')) throw emptyFile();
  checkHeader(first, 1);
  const header = normaliseHeader(first);
  const rows: TableRow[] = [];
  rest.forEach((rec, idx) => {
    const rowNumber = idx + 2;
    if (rec.every((v) => v.trim() === '')) return;
    const cells: Record<string, string> = {};
    header.forEach((h, i) => {
      const v = rec[i] ?? '';
      checkCell(v, rowNumber, h);
      cells[h] = v;
    });
    for (let i = header.length; i < rec.length; i++) {
      if ((rec[i] ?? '').trim() !== '') {
        throw new ImportParseError([
          { row: rowNumber, code: 'bad_csv', message: `Row ${rowNumber} has ${rec.length} cells but the header has ${header.length} columns` },
        ]);
      }
    }
    rows.push({ rowNumber, cells });
  });
  return { header, headerRow: 1, rows, encoding };
}

// ---------------------------------------------------------------------------------------------
// XLSX

export interface XlsxReadOptions extends ZipLimits {
  /** 1-based worksheet position; default 1 (the first worksheet). */
  sheet?: number;
}

function cellToString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string; hyperlink?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return cellToString(v.text);
    if ('result' in v) return cellToString(v.result);
    if (v.error) return '';
    if (v.hyperlink) return v.hyperlink;
  }
  return String(value);
}

/** An exception from exceljs (after inspectXlsx, only for damage it does not see) as a coded error. */
export function xlsxFailure(err: unknown): ImportParseError {
  if (err instanceof ImportParseError) return err;
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
  // exceljs reads the archive entry by entry from the start: damage between entries that the directory-based
  // guard did not need to read shows up here
  if (/invalid signature|FILE_ENDED|unexpected end of file|invalid (?:stored|distance|code|block)/i.test(message)) {
    return new ImportParseError([{ code: 'invalid_zip', message: `The .xlsx archive is damaged (${message})` }]);
  }
  return new ImportParseError([{ code: 'bad_xlsx', message: `The .xlsx could not be read: ${message}` }]);
}

/** Read the first (or chosen) worksheet of an .xlsx into a header and rows; guards against zip bombs first. */
export async function readXlsx(bytes: Uint8Array | ArrayBuffer, options: XlsxReadOptions = {}): Promise<Table> {
  const buf = toBuffer(bytes);
  if (buf.length === 0) throw emptyFile();
  await inspectXlsx(buf, options);
  const wanted = options.sheet ?? 1;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let header: string[] | undefined;
  let headerRow = 0;
  const rows: TableRow[] = [];
  let sheetNo = 0;
  try {
    for await (const ws of reader) {
      sheetNo++;
      if (sheetNo !== wanted) {
        // drain the sheet we skip
        for await (const _row of ws) void _row;
        continue;
      }
      for await (const row of ws) {
        const values = (row.values as unknown[]) ?? [];
        const cellsRaw: string[] = [];
        for (let i = 1; i < values.length; i++) cellsRaw.push(cellToString(values[i]));
        if (!header) {
          if (cellsRaw.every((v) => v.trim() === '')) continue;
          checkHeader(cellsRaw, row.number);
          header = normaliseHeader(cellsRaw);
          headerRow = row.number;
          continue;
        }
        if (cellsRaw.every((v) => v.trim() === '')) continue;
        const cells: Record<string, string> = {};
        header.forEach((h, i) => {
          const v = cellsRaw[i] ?? '';
          checkCell(v, row.number, h);
          cells[h] = v;
        });
        rows.push({ rowNumber: row.number, cells });
      }
    }
  } catch (err) {
    throw xlsxFailure(err);
  }
  if (!header) throw emptyFile(sheetNo < wanted ? `Worksheet ${wanted}` : 'The worksheet');
  return { header, headerRow, rows };
}

// ---------------------------------------------------------------------------------------------
// Generic CSV / XLSX import with a column mapping

export type TabularFormat = 'csv' | 'xlsx';

export interface TabularImportOptions extends CsvReadOptions, XlsxReadOptions {
  format?: TabularFormat;
  mapping: ColumnMapping;
}

/** Sniff the format: zip magic → xlsx, otherwise csv. */
export function detectTabularFormat(bytes: Uint8Array): TabularFormat {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04 ? 'xlsx' : 'csv';
}

/** Check that every column the mapping names exists in the header (ImportParseError 'missing_column'). */
export function assertMappingColumns(table: Table, mapping: ColumnMapping): void {
  const have = new Set(table.header);
  const issues: ImportIssue[] = mappingColumns(mapping)
    .filter((c) => !have.has(c.column))
    .map((c) => ({
      row: table.headerRow,
      field: c.column,
      code: 'missing_column',
      message: `Column "${c.column}" (needed for ${c.usedFor}) is missing from the header; found: ${someNames(table.header)}`,
    }));
  if (issues.length) throw new ImportParseError(issues);
}

/** Read a table and map it; everything in memory, so the result is an array. */
export async function parseTabular(bytes: Uint8Array | ArrayBuffer, options: TabularImportOptions): Promise<ImportRecord[]> {
  const buf = toBuffer(bytes);
  if (buf.length === 0) throw emptyFile();
  const format = options.format ?? detectTabularFormat(buf);
  const table = format === 'xlsx' ? await readXlsx(buf, options) : readCsv(buf, options);
  return mapTable(table, options.mapping);
}

/** Apply a mapping to an already-read table. */
export function mapTable(table: Table, mapping: ColumnMapping): ImportRecord[] {
  assertMappingColumns(table, mapping);
  if (table.rows.length === 0) {
    throw new ImportParseError([{ code: 'empty_file', message: 'The file has a header row but no data rows' }]);
  }
  return applyMapping(table.rows, mapping);
}

export const parseMappedCsv = (bytes: Uint8Array | ArrayBuffer, mapping: ColumnMapping, options: CsvReadOptions = {}): ImportRecord[] =>
  mapTable(readCsv(bytes, options), mapping);

export const parseMappedXlsx = async (bytes: Uint8Array | ArrayBuffer, mapping: ColumnMapping, options: XlsxReadOptions = {}): Promise<ImportRecord[]> =>
  mapTable(await readXlsx(bytes, options), mapping);
