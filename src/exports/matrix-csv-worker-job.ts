/** A matrix export worker's side (see matrix-csv-workers.ts): its share of the batches, as CSV text or rows, in order. */
import { parentPort } from 'node:worker_threads';
import { createDb } from '../db/create-db.ts';
import type { FromMatrixWorker, MatrixJob, ToMatrixWorker } from './matrix-csv-workers.ts';
import { WINDOW } from './matrix-csv-workers.ts';
import { matrixRows } from './matrix.service.ts';
import { csvLines } from './matrix.writers.ts';

const port = parentPort!;
let credit = WINDOW;
let resume: (() => void) | null = null;

async function run(job: MatrixJob) {
  const database = createDb(job.target);
  try {
    for await (const rows of matrixRows(database.db, job.ids, job.lang, { part: job.part, of: job.of })) {
      while (credit === 0) await new Promise<void>((resolve) => (resume = resolve));
      credit -= 1;
      port.postMessage((job.as === 'csv' ? { type: 'chunk', csv: csvLines(rows), rows: rows.length } : { type: 'batch', batch: rows }) satisfies FromMatrixWorker);
    }
  } catch (e) {
    port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies FromMatrixWorker);
  } finally {
    await database.destroy();
  }
}

port.on('message', (m: ToMatrixWorker) => {
  if (m.type === 'job') void run(m.job);
  else {
    credit += 1;
    resume?.();
    resume = null;
  }
});
