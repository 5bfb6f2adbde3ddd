/**
 * Size caps every importer applies to its input, checked while reading and before any per-cell work, so that a
 * small hostile file (a 1 MB CSV with a 100,000-column header, a 60 MB text cell) is refused with a short coded
 * error instead of driving the parse to gigabytes. Pure helpers; the parsers call them.
 */
import { ImportParseError, type ImportIssue, type ImportRecord } from './types.ts';

/** Most columns a table (CSV, XLSX) may have, in the header or in any row. */
export const MAX_COLUMNS = 500;
/** Largest header row (the column names together), in UTF-8 bytes. */
export const MAX_HEADER_BYTES = 64 * 1024;
/** Largest cell (and largest text of one record), in UTF-8 bytes. */
export const MAX_CELL_BYTES = 1024 * 1024;
/** Largest row of a CSV, or record of a JSON export, in bytes. */
export const MAX_ROW_BYTES = 16 * 1024 * 1024;
/** How many names a message lists before "… and N more". */
const LIST_NAMES = 10;

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

/** "a", "b", "c" … and 99,990 more: a bounded list of names for a message. */
export function someNames(names: readonly string[], max = LIST_NAMES): string {
  const shown = names.slice(0, max).map((n) => `"${n.length > 60 ? `${n.slice(0, 60)}…` : n}"`);
  const more = names.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` … and ${more.toLocaleString('en')} more` : ''}`;
}

/** Where a problem is: "row 12 of xl/worksheets/sheet1.xml", "row 3", "word/document.xml". */
function where(row: number | undefined, part: string | undefined): string {
  if (row !== undefined && part) return `row ${row} of ${part}`;
  if (row !== undefined) return `row ${row}`;
  return part ?? 'the file';
}

function fail(issue: ImportIssue): never {
  throw new ImportParseError([issue]);
}

export function tooManyColumns(count: number | string, row: number | undefined, part?: string): never {
  return fail({
    ...(row !== undefined ? { row } : {}),
    ...(part ? { field: part } : {}),
    code: 'too_many_columns',
    message: `${row === undefined || row <= 1 ? 'The header' : `Row ${row}`}${part ? ` (${part})` : ''} has ${typeof count === 'number' ? count.toLocaleString('en') : count} columns; the limit is ${MAX_COLUMNS}`,
  });
}

export function headerTooLarge(bytes: number | string, part?: string): never {
  return fail({
    row: 1,
    ...(part ? { field: part } : {}),
    code: 'header_too_large',
    message: `The header row${part ? ` (${part})` : ''} is ${typeof bytes === 'number' ? `${Math.round(bytes / 1024)} KB` : bytes} long; the limit is ${MAX_HEADER_BYTES / 1024} KB`,
  });
}

export function cellTooLarge(bytes: number, row: number | undefined, field: string | undefined, part?: string): never {
  return fail({
    ...(row !== undefined ? { row } : {}),
    ...(field ?? part ? { field: field ?? part } : {}),
    code: 'cell_too_large',
    message: `A cell in ${where(row, part)}${field ? `, column "${field.slice(0, 60)}"` : ''} holds ${mb(bytes)}; the limit is 1 MB per cell`,
  });
}

export function rowTooLarge(row: number | undefined, what = 'Row'): never {
  return fail({
    ...(row !== undefined ? { row } : {}),
    code: 'row_too_large',
    message: `${what}${row !== undefined ? ` ${row}` : ''} is larger than ${MAX_ROW_BYTES / 1048576} MB`,
  });
}

/** Throw cell_too_large when a string is over MAX_CELL_BYTES (cheap for short strings). */
export function checkCellSize(value: string, row: number | undefined, field: string | undefined, part?: string): void {
  // a string of n UTF-16 units takes at most 3n bytes in UTF-8
  if (value.length * 3 <= MAX_CELL_BYTES) return;
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_CELL_BYTES) cellTooLarge(bytes, row, field, part);
}

/**
 * Every parser's records pass here (in the parse worker) before their texts are analysed for the search index:
 * no text over MAX_CELL_BYTES, whatever the format (UHRI JSON, .docx and report text have no cells of their own).
 */
export function checkRecordSizes(r: ImportRecord): void {
  for (const [lang, text] of Object.entries(r.texts)) {
    if (typeof text === 'string') checkCellSize(text, r.sourceRow, `text (${lang})`);
  }
  for (const list of [r.recommendingStates, r.themes, r.affectedPersons, r.tags, r.entities]) {
    for (const item of list ?? []) checkCellSize(item, r.sourceRow, 'list');
  }
}
