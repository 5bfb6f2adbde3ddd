/**
 * A large CSV matrix is read and formatted by worker threads, each with its own connection to the database
 * (matrix-csv-worker-job.ts, started through src/shared/ts-worker.mjs): worker k takes batches k, k + PARTS,
 * k + 2·PARTS… and this thread only writes their text out in order. Two reasons:
 *  - speed: reading (the engine) and formatting (JavaScript) of the batches run on both cores at once;
 *  - the server's own thread stays free: with SQLite, reading 250,000 rows in this thread would hold every other
 *    request up for seconds.
 * Each worker has at most WINDOW chunks sent and not yet written, so memory stays flat whatever the size.
 */
import { Worker } from 'node:worker_threads';
import type { DatabaseTarget } from '../config/config.ts';
import type { MatrixLang } from './matrix-labels.ts';
import { MATRIX_BATCH } from './matrix.service.ts';
import { csvHeader } from './matrix.writers.ts';

/** Workers reading one export. */
export const PARTS = 2;
/** Chunks a worker may send ahead of the writer. */
export const WINDOW = 3;

export type CsvJob = { target: DatabaseTarget; ids: readonly string[]; lang: MatrixLang; part: number; of: number };
export type ToCsvWorker = { type: 'job'; job: CsvJob } | { type: 'more' };
export type FromCsvWorker = { type: 'chunk'; csv: string; rows: number } | { type: 'error'; message: string };

/** One worker's chunks, taken in order. */
function startPart(job: CsvJob) {
  const worker = new Worker(new URL('../shared/ts-worker.mjs', import.meta.url), {
    workerData: { entry: new URL('./matrix-csv-worker-job.ts', import.meta.url).href },
  });
  const queue: Extract<FromCsvWorker, { type: 'chunk' }>[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const stir = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: FromCsvWorker) => {
    if (m.type === 'chunk') queue.push(m);
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
  worker.postMessage({ type: 'job', job } satisfies ToCsvWorker);
  return {
    async next() {
      while (!queue.length) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      worker.postMessage({ type: 'more' } satisfies ToCsvWorker);
      return queue.shift()!;
    },
    stop: () => worker.terminate(),
  };
}

/** The CSV text of `ids`' matrix rows, chunk by chunk, read by PARTS workers; the first chunk is the header. */
export async function* csvFromWorkers(target: DatabaseTarget, ids: readonly string[], lang: MatrixLang, counter: { rows: number }): AsyncGenerator<string> {
  yield csvHeader(lang);
  const parts = Array.from({ length: PARTS }, (_, part) => startPart({ target, ids, lang, part, of: PARTS }));
  try {
    const batches = Math.ceil(ids.length / MATRIX_BATCH);
    for (let b = 0; b < batches; b++) {
      const chunk = await parts[b % PARTS]!.next();
      counter.rows += chunk.rows;
      yield chunk.csv;
    }
  } finally {
    await Promise.all(parts.map((p) => p.stop()));
  }
}
