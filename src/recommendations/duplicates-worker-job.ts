/** The duplicates page's worker (duplicates-workers.ts): one register's candidate pairs, on a connection of its own. */
import { parentPort } from 'node:worker_threads';
import { createDb } from '../db/create-db.ts';
import type { DuplicatesJob, FromDuplicatesWorker } from './duplicates-workers.ts';
import { duplicateCandidates } from './merge.service.ts';

const port = parentPort!;

port.once('message', async (job: DuplicatesJob) => {
  const database = createDb(job.target);
  try {
    port.postMessage({ type: 'done', result: await duplicateCandidates(database.db, job.opts) } satisfies FromDuplicatesWorker);
  } catch (e) {
    port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies FromDuplicatesWorker);
  } finally {
    await database.destroy();
  }
});
