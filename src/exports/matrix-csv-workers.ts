/**
 * A large matrix is read (and, as CSV, formatted) by worker threads, each with its own connection to the database
 * (matrix-csv-worker-job.ts, started through src/shared/ts-worker.mjs): worker k takes batches k, k + PARTS,
 * k + 2·PARTS… and this thread only takes their chunks in order: CSV text to write out, or rows for the XLSX
 * workbook (which is built on this thread, between turns of its event loop). Two reasons:
 *  - speed: reading (the engine) and formatting (JavaScript) of the batches run on both cores at once;
 *  - the server's own thread stays free: with SQLite, reading 250,000 rows in this thread would hold every other
 *    request up for seconds.
 * Each worker has at most WINDOW chunks sent and not yet taken, so memory stays flat whatever the size.
 */
import { Worker } from 'node:worker_threads';
import type { DatabaseTarget } from '../config/config.ts';
import type { MatrixLang } from './matrix-labels.ts';
import { MATRIX_BATCH, type MatrixRow } from './matrix.service.ts';
import { csvHeader } from './matrix.writers.ts';

/** Workers reading one export. */
export const PARTS = 2;
/** Chunks a worker may send ahead of the writer. */
export const WINDOW = 3;

/** `as`: each batch sent as CSV lines, or as the rows themselves */
export type MatrixJob = { target: DatabaseTarget; ids: readonly string[]; lang: MatrixLang; part: number; of: number; as: 'csv' | 'rows' };
export type ToMatrixWorker = { type: 'job'; job: MatrixJob } | { type: 'more' };
type Chunk = { type: 'chunk'; csv: string; rows: number } | { type: 'batch'; batch: MatrixRow[] };
export type FromMatrixWorker = Chunk | { type: 'error'; message: string };

/** One worker's chunks, taken in order. */
function startPart(job: MatrixJob) {
  const worker = new Worker(new URL('../shared/ts-worker.mjs', import.meta.url), {
    workerData: { entry: new URL('./matrix-csv-worker-job.ts', import.meta.url).href },
  });
  const queue: Chunk[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const stir = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: FromMatrixWorker) => {
    if (m.type !== 'error') queue.push(m);
    else failure = new Error(m.message);
    stir();
  });
  worker.on('error', (e) => {
    failure ??= e;
    stir();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`The export's reader stopped (exit code ${code}).`);
    stir();
  });
  worker.postMessage({ type: 'job', job } satisfies ToMatrixWorker);
  return {
    async next() {
      while (!queue.length) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      worker.postMessage({ type: 'more' } satisfies ToMatrixWorker);
      return queue.shift()!;
    },
    stop: () => worker.terminate(),
  };
}

/** `ids`' matrix chunks in order, read by PARTS workers. */
async function* inOrder(target: DatabaseTarget, ids: readonly string[], lang: MatrixLang, as: MatrixJob['as']): AsyncGenerator<Chunk> {
  const parts = Array.from({ length: PARTS }, (_, part) => startPart({ target, ids, lang, part, of: PARTS, as }));
  try {
    const batches = Math.ceil(ids.length / MATRIX_BATCH);
    for (let b = 0; b < batches; b++) yield await parts[b % PARTS]!.next();
  } finally {
    await Promise.all(parts.map((p) => p.stop()));
  }
}

/** The CSV text of `ids`' matrix rows, chunk by chunk, read by PARTS workers; the first chunk is the header. */
export async function* csvFromWorkers(target: DatabaseTarget, ids: readonly string[], lang: MatrixLang, counter: { rows: number }): AsyncGenerator<string> {
  yield csvHeader(lang);
  for await (const chunk of inOrder(target, ids, lang, 'csv')) {
    if (chunk.type !== 'chunk') continue;
    counter.rows += chunk.rows;
    yield chunk.csv;
  }
}

/** `ids`' matrix rows, batch by batch in order, read by PARTS workers (as `matrixRows` reads them in this thread). */
export async function* rowsFromWorkers(target: DatabaseTarget, ids: readonly string[], lang: MatrixLang): AsyncGenerator<MatrixRow[]> {
  for await (const chunk of inOrder(target, ids, lang, 'rows')) if (chunk.type === 'batch') yield chunk.batch;
}
