/** A csv/xlsx sample's header and first rows, for the mapping editor. Pure; run in the parse worker (parse-worker.ts). */
import { readCsv, readXlsx, type Table, type TextEncodingName } from './tabular.ts';

const SAMPLE_ROWS = 5;
const SAMPLE_CELL_CHARS = 200;

export interface SampleTable {
  format: 'csv' | 'xlsx';
  /** the file's column names, in order */
  columns: string[];
  /** the first data rows, cells cut to 200 characters */
  rows: Record<string, string>[];
  /** data rows in the file */
  rowCount: number;
  encoding: string | null;
}

/** Reads a sample with the importer's own readers (and so under the same caps); throws ImportParseError. */
export async function sampleTable(bytes: Uint8Array, format: 'csv' | 'xlsx', encoding?: TextEncodingName): Promise<SampleTable> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const table: Table = format === 'xlsx' ? await readXlsx(buf) : readCsv(buf, encoding ? { encoding } : {});
  const cut = (v: string) => (v.length > SAMPLE_CELL_CHARS ? `${v.slice(0, SAMPLE_CELL_CHARS)}…` : v);
  return {
    format,
    columns: table.header,
    rows: table.rows.slice(0, SAMPLE_ROWS).map((r) => Object.fromEntries(table.header.map((h) => [h, cut(r.cells[h] ?? '')]))),
    rowCount: table.rows.length,
    encoding: table.encoding ?? null,
  };
}
