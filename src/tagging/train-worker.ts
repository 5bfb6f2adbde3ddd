/**
 * A retraining of the tagger in a server runs whole in a worker thread with its own connection to the database
 * (train-worker-job.ts, started through src/shared/ts-worker.mjs): reading the labelled recommendations, learning the
 * model, scoring the recommendations that lack a kind of label, and the one transaction that stores the model and the
 * suggestions. The server's thread only relays progress. At 250,000 recommendations the same work in this thread (the
 * reads, the suggestions crossing back as half a million objects, their inserts) held it for seconds at a time.
 *
 * On SQLite this thread holds its writer's turn while the worker's transaction runs (EngineDialect.holdWriter, asked
 * for by the worker just before it writes), so that this process's own writes wait for it instead of failing with
 * `database_busy`. If the worker fails (an exception, running out of memory, exiting), the job fails with the coded
 * error `tagger_training_failed` and nothing is written, so the previous model stays in use. An in-memory database
 * has no second connection: there the retraining runs in this thread (`trainAndSuggest`).
 */
import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { DatabaseTarget } from '../config/config.ts';
import { workersCanRead } from '../db/create-db.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import type { ProgressFn } from '../jobs/index.ts';
import { AppError } from '../shared/errors.ts';
import { forgetCachedModel, trainAndSuggest, type TrainResult } from './tagging.service.ts';

export interface RetrainJob {
  actorId: string | null;
  jobId: string | null;
}

export type ToTrainWorker = { type: 'job'; target: DatabaseTarget; job: RetrainJob } | { type: 'held' };
export type FromTrainWorker =
  | { type: 'progress'; phase: string; done: number; total: number }
  | { type: 'hold' }
  | { type: 'release' }
  | { type: 'done'; result: TrainResult }
  | { type: 'failed'; status: number; code: string; message: string };

const failed = (why: string) => new AppError(500, 'tagger_training_failed', `Training the tagger failed (${why}); the previous model stays in use.`);

/** Runs one retraining in a new worker thread on `target`; resolves with its result or rejects with a coded error. */
export async function trainInWorker(
  target: DatabaseTarget,
  job: RetrainJob,
  opts: { progress?: ProgressFn; holdWriter?: EngineDialect['holdWriter']; /** the worker's heap limit (MB) */ heapMb?: number } = {},
): Promise<TrainResult> {
  const worker = new Worker(new URL('../shared/ts-worker.mjs', import.meta.url), {
    workerData: { entry: new URL('./train-worker-job.ts', import.meta.url).href },
    ...(opts.heapMb ? { resourceLimits: { maxOldGenerationSizeMb: opts.heapMb, maxYoungGenerationSizeMb: Math.max(1, Math.floor(opts.heapMb / 4)) } } : {}),
  });
  // progress is written in order, one at a time; the answer waits for the last of it
  let tick = Promise.resolve();
  // the writer's turn while the worker writes (SQLite): released when it says so, or when it ends
  let release: (() => void) | null = null;
  let ended = false;
  const letGo = () => {
    release?.();
    release = null;
  };
  try {
    return await new Promise<TrainResult>((resolve, reject) => {
      worker.on('message', (m: FromTrainWorker) => {
        if (m.type === 'progress') {
          const { phase, done, total } = m;
          tick = tick.then(() => opts.progress?.(phase, done, total)).catch(() => undefined);
        } else if (m.type === 'hold') {
          if (!opts.holdWriter) worker.postMessage({ type: 'held' } satisfies ToTrainWorker);
          else
            void opts.holdWriter(
              () =>
                new Promise<void>((free) => {
                  // the turn came after the worker ended (it failed meanwhile): given back at once
                  if (ended) return free();
                  release = free;
                  worker.postMessage({ type: 'held' } satisfies ToTrainWorker);
                }),
            );
        } else if (m.type === 'release') letGo();
        else if (m.type === 'done') resolve(m.result);
        else reject(m.code === 'tagger_training_failed' || m.status >= 500 ? failed(m.message) : new AppError(m.status, m.code, m.message));
      });
      worker.on('error', (e) => reject(failed((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'the training thread ran out of memory' : e.message.slice(0, 200))));
      worker.on('exit', (code) => reject(failed(`the training thread stopped with exit code ${code}`)));
      worker.postMessage({ type: 'job', target, job } satisfies ToTrainWorker);
    });
  } finally {
    ended = true;
    letGo();
    await worker.terminate();
    await tick;
    // the model just stored is the one in use: this thread reads it again when suggestions need it
    forgetCachedModel();
  }
}

/**
 * A retraining as the server runs it: in a worker thread on its own connection, unless the database is in memory.
 */
export function retrain(db: Kysely<DB>, dialect: EngineDialect, job: RetrainJob, progress?: ProgressFn): Promise<TrainResult> {
  if (!workersCanRead(dialect.target)) return trainAndSuggest(db, { ...job, ...(progress ? { progress } : {}) });
  return trainInWorker(dialect.target, job, { ...(progress ? { progress } : {}), ...(dialect.holdWriter ? { holdWriter: dialect.holdWriter } : {}) });
}
