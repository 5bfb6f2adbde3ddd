import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import { workersCanRead } from '../db/create-db.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import type { ListFilters } from '../recommendations/index.ts';
import type { MatrixLang } from './matrix-labels.ts';
import { matrixRows, selectMatrixIds } from './matrix.service.ts';
import { csvFromWorkers, rowsFromWorkers } from './matrix-csv-workers.ts';
import { matrixCsv, writeMatrixXlsx } from './matrix.writers.ts';

export type MatrixFormat = 'xlsx' | 'csv';

export const CONTENT_TYPES: Record<MatrixFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

export interface MatrixExport {
  /** recommendations selected (one row each, after the header row) */
  count: number;
  filename: string;
  contentType: string;
  /** Streams the file into `out` (and ends it); resolves with the number of rows written. */
  write(out: Writable): Promise<number>;
}

/** From this many rows, the matrix is read (and a CSV formatted) by worker threads (matrix-csv-workers.ts). */
export const WORKERS_FROM = 20_000;

/**
 * The implementation matrix of a list selection (the list's filters, search and sort). The selection is
 * made first, so that an empty one fails with `empty_selection` before any byte of a file is sent.
 */
export async function exportMatrix(
  db: Kysely<DB>,
  dialect: EngineDialect,
  filters: ListFilters,
  format: MatrixFormat,
  lang: MatrixLang,
  { workersFrom = WORKERS_FROM } = {},
): Promise<MatrixExport> {
  const ids = await selectMatrixIds(db, dialect, filters);
  const date = new Date().toISOString().slice(0, 10);
  return {
    count: ids.length,
    filename: `rasd-matrix-${lang}-${date}.${format}`,
    contentType: CONTENT_TYPES[format],
    async write(out) {
      const inWorkers = ids.length >= workersFrom && workersCanRead(dialect.target);
      if (format === 'xlsx') return writeMatrixXlsx(out, inWorkers ? rowsFromWorkers(dialect.target, ids, lang) : matrixRows(db, ids, lang), lang);
      const counter = { rows: 0 };
      const chunks = inWorkers ? csvFromWorkers(dialect.target, ids, lang, counter) : matrixCsv(matrixRows(db, ids, lang), lang, counter);
      await pipeline(Readable.from(chunks), out);
      return counter.rows;
    },
  };
}
