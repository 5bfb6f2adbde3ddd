/**
 * The model in use predicts in a worker thread (suggest-worker-job.ts, started through src/shared/ts-worker.mjs):
 * the model is tens of megabytes of JSON at 250,000 training documents (its nearest-neighbour index holds every
 * training document), and parsing and indexing it took this thread 0.7 s at 120,000 recommendations, during which every
 * request of anyone waited; predicting a preview's hundreds of texts is CPU work too. This thread reads the model's
 * JSON from the database (one row, as a string) only when the worker does not hold that model yet, and posts it over.
 *
 * One worker per process, kept for ten minutes after its last use (WorkerPool); requests for suggestions take turns.
 */
import { AppError } from '../shared/errors.ts';
import { WorkerPool } from '../shared/worker-pool.ts';
import type { Prediction } from './model.ts';

export type ToSuggestWorker = { type: 'load'; json: string } | { type: 'predict'; texts: readonly string[]; limit: number };
export type FromSuggestWorker = { type: 'predictions'; items: Prediction[] } | { type: 'failed'; message: string };

const pool = new WorkerPool<FromSuggestWorker>({
  entry: new URL('./suggest-worker-job.ts', import.meta.url),
  idleMs: 10 * 60_000,
  maxIdle: 1,
  maxLive: 1,
  errorDetail: (e) => (e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'the suggestion thread ran out of memory' : `the suggestion thread failed: ${e.message.slice(0, 200)}`),
  exitDetail: (code) => `the suggestion thread stopped, exit code ${code}`,
});

/** the model each live worker holds, with the generation it was loaded in (`forgetLoadedModels` starts a new one) */
const holds = new WeakMap<object, string>();
let generation = 0;

const failed = (why: string) => new AppError(500, 'tagger_suggest_failed', `Suggesting tags failed (${why}).`);

/**
 * The model `modelId`'s predictions (the best `limit` labels per kind) for each text. `modelJson` reads the model's
 * JSON, only when the worker does not hold that model; null when the model is gone (replaced by a retraining
 * meanwhile), and then so is the answer.
 */
export async function predictInWorker(modelId: string, modelJson: () => Promise<string | null>, texts: readonly string[], limit: number): Promise<Prediction[] | null> {
  const lease = await pool.acquire();
  let clean = false;
  try {
    const key = `${generation}:${modelId}`;
    if (holds.get(lease.worker) !== key) {
      holds.delete(lease.worker);
      const json = await modelJson();
      if (json === null) {
        clean = true;
        return null;
      }
      lease.worker.postMessage({ type: 'load', json } satisfies ToSuggestWorker);
      holds.set(lease.worker, key);
    }
    return await new Promise<Prediction[]>((resolve, reject) => {
      if (lease.dead) return reject(failed('the suggestion thread stopped'));
      lease.onMessage = (m) => {
        clean = m.type === 'predictions';
        if (m.type === 'predictions') resolve(m.items);
        else reject(failed(m.message));
      };
      lease.onDeath = (detail) => reject(failed(detail));
      lease.worker.postMessage({ type: 'predict', texts, limit } satisfies ToSuggestWorker);
    });
  } finally {
    pool.release(lease, clean && !lease.dead);
  }
}

/** The next prediction loads its model again (as after a restart). */
export function forgetLoadedModels(): void {
  generation += 1;
}
