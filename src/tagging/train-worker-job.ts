/**
 * The training worker's side (see train-worker.ts): opens its own connection to the database (a PostgreSQL pool of
 * two), runs the retraining it is sent (`trainAndSuggest`), asks the server's thread for its writer's turn before it
 * writes, posts progress and the result (or the coded failure), and closes the connection.
 */
import { parentPort } from 'node:worker_threads';
import { createDb } from '../db/create-db.ts';
import { AppError } from '../shared/errors.ts';
import { trainAndSuggest } from './tagging.service.ts';
import type { FromTrainWorker, ToTrainWorker } from './train-worker.ts';

const port = parentPort!;
const post = (m: FromTrainWorker) => port.postMessage(m);
/** progress messages at most this often (ms), the last of a phase always */
const EVERY = 100;

let held: (() => void) | null = null;

async function run(m: Extract<ToTrainWorker, { type: 'job' }>): Promise<FromTrainWorker> {
  const database = createDb(m.target, { poolMax: 2 });
  let last = 0;
  try {
    const result = await trainAndSuggest(database.db, {
      ...m.job,
      progress: async (phase, done, total) => {
        const now = Date.now();
        if (now - last < EVERY && done > 0 && done < total) return;
        last = now;
        post({ type: 'progress', phase, done, total });
      },
      aroundSave: async (write) => {
        await new Promise<void>((resolve) => {
          held = resolve;
          post({ type: 'hold' });
        });
        try {
          return await write();
        } finally {
          post({ type: 'release' });
        }
      },
    });
    return { type: 'done', result };
  } catch (err) {
    if (err instanceof AppError) return { type: 'failed', status: err.status, code: err.code, message: err.message };
    return { type: 'failed', status: 500, code: 'tagger_training_failed', message: err instanceof Error ? err.message : String(err) };
  } finally {
    await database.destroy().catch(() => undefined);
  }
}

port.on('message', (m: ToTrainWorker) => {
  if (m.type === 'held') {
    held?.();
    held = null;
  } else void run(m).then(post);
});
