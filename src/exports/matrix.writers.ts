/**
 * The matrix as CSV (UTF-8 with BOM, RFC 4180, safe against formula injection) and as XLSX (exceljs's
 * streaming writer: frozen header, autofilter, right-to-left sheet in Arabic). Both stream: rows arrive in
 * batches and leave as they are written, with back-pressure, so memory stays flat whatever the size.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { MATRIX_LABELS, type MatrixLang } from './matrix-labels.ts';
import { MATRIX_COLUMNS, type MatrixColumn, type MatrixRow } from './matrix.service.ts';

/** Excel's limit for the text of one cell. */
const MAX_CELL = 32_767;

const CSV_BOM = '\ufeff';

/** A value a spreadsheet would read as a formula (=, +, -, @, or a leading tab/carriage return) gets a leading quote. */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: string): string {
  const v = neutraliseFormula(value);
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function cellText(row: MatrixRow, column: MatrixColumn, listSeparator: string): string {
  const v = row[column];
  if (!Array.isArray(v)) return v;
  return v.join(column === 'states' ? ', ' : listSeparator);
}

export function matrixHeaders(lang: MatrixLang): string[] {
  return MATRIX_COLUMNS.map((c) => MATRIX_LABELS[lang].headers[c]);
}

/** The CSV header line, starting with the BOM (Excel then reads the file as UTF-8). */
export const csvHeader = (lang: MatrixLang): string => `${CSV_BOM}${matrixHeaders(lang).map(csvField).join(',')}\r\n`;

/** CSV lines of a batch of rows. */
export function csvLines(rows: MatrixRow[]): string {
  let chunk = '';
  for (const row of rows) chunk += `${MATRIX_COLUMNS.map((c) => csvField(cellText(row, c, '; '))).join(',')}\r\n`;
  return chunk;
}

/** The CSV text, chunk by chunk (one chunk per batch of rows); the first chunk starts with the BOM. */
export async function* matrixCsv(batches: AsyncIterable<MatrixRow[]>, lang: MatrixLang, counter?: { rows: number }): AsyncGenerator<string> {
  yield csvHeader(lang);
  for await (const rows of batches) {
    if (counter) counter.rows += rows.length;
    yield csvLines(rows);
  }
}

/** Waits until `out` wants more (or throws if it closed meanwhile: the reader went away). */
async function drained(out: Writable): Promise<void> {
  if (!out.writableNeedDrain) return;
  const ac = new AbortController();
  await Promise.race([once(out, 'drain', { signal: ac.signal }), once(out, 'close', { signal: ac.signal }).then(() => Promise.reject(new Error('The output closed before the export ended.')))]).finally(() => ac.abort());
}

const WIDTHS: Record<MatrixColumn, number> = {
  symbol: 22,
  paragraph: 10,
  text: 70,
  body: 10,
  states: 24,
  position: 16,
  themes: 30,
  sdgs: 30,
  cluster: 30,
  lead: 28,
  supporting: 28,
  status: 20,
  measures: 50,
  latestUpdate: 60,
};

/**
 * Rows added to the workbook between two turns of the event loop. The workbook's zip compresses in libuv's threads and
 * hands its bytes on in callbacks, so until the loop turns nothing reaches `out` and `drained` never waits: the
 * batches (read in microtasks on SQLite) were all written in one stretch, 250,000 rows holding the server's thread for
 * 20 s (docs/PERFORMANCE.md).
 */
export const XLSX_ROWS_PER_TURN = 250;

/** Writes the XLSX workbook to `out` and resolves with the number of rows once it is complete. */
export async function writeMatrixXlsx(out: Writable, batches: AsyncIterable<MatrixRow[]>, lang: MatrixLang): Promise<number> {
  const L = MATRIX_LABELS[lang];
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Rasd';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(L.sheet, {
    views: [{ rightToLeft: lang === 'ar', state: 'frozen', ySplit: 1, xSplit: 0 }],
  });
  const wrap = { alignment: { wrapText: true, vertical: 'top' as const, readingOrder: lang === 'ar' ? ('rtl' as const) : ('ltr' as const) } };
  sheet.columns = MATRIX_COLUMNS.map((c) => ({ key: c, width: WIDTHS[c], style: wrap }));
  const header = sheet.addRow(matrixHeaders(lang));
  header.font = { bold: true };
  header.commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: MATRIX_COLUMNS.length } };
  let count = 0;
  for await (const rows of batches) {
    for (const row of rows) {
      sheet.addRow(MATRIX_COLUMNS.map((c) => cellText(row, c, '\n').slice(0, MAX_CELL))).commit();
      count += 1;
      if (count % XLSX_ROWS_PER_TURN === 0) await nextTurn();
    }
    await drained(out);
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
