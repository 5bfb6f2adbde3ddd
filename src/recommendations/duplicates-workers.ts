/**
 * The duplicates page of a large register is worked out in a worker thread with its own connection
 * (duplicates-worker-job.ts, started through src/shared/ts-worker.mjs). At 250,000 recommendations, reading every
 * record's text and grouping the records held the server's thread for 1.7–2.1 s at once (the read, then the garbage
 * it left); the matching itself already let other requests in every 8 ms. One worker at a time: the register's texts
 * are held once, however many coordinators open the page together.
 */
import { Worker } from 'node:worker_threads';
import type { DatabaseTarget } from '../config/config.ts';
import type { DuplicateCandidates, DuplicatesOptions } from './merge.service.ts';

export type DuplicatesJob = { target: DatabaseTarget; opts: DuplicatesOptions };
export type FromDuplicatesWorker = { type: 'done'; result: DuplicateCandidates } | { type: 'error'; message: string };

let queue: Promise<unknown> = Promise.resolve();

async function inWorker(job: DuplicatesJob): Promise<DuplicateCandidates> {
  const worker = new Worker(new URL('../shared/ts-worker.mjs', import.meta.url), {
    workerData: { entry: new URL('./duplicates-worker-job.ts', import.meta.url).href },
  });
  try {
    return await new Promise<DuplicateCandidates>((resolve, reject) => {
      worker.on('message', (m: FromDuplicatesWorker) => (m.type === 'done' ? resolve(m.result) : reject(new Error(m.message))));
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`The duplicates reader stopped (exit code ${code}).`)));
      worker.postMessage(job);
    });
  } finally {
    await worker.terminate();
  }
}

/** The candidate pairs, worked out in a worker thread, after any other coordinator's before it. */
export function duplicatesFromWorker(job: DuplicatesJob): Promise<DuplicateCandidates> {
  const turn = queue.then(() => inWorker(job));
  queue = turn.catch(() => undefined);
  return turn;
}
