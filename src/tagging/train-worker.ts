/**
 * The CPU-heavy part of a retraining runs in a worker thread (train-worker-job.ts, started through
 * src/shared/ts-worker.mjs), so that the server's own thread keeps answering requests while a model is learned: this
 * thread reads the training data from the database and posts it in slices, the worker trains the model and scores
 * the recommendations lacking a kind of label, and posts back progress, the suggestions in slices and the serialised
 * model. If the worker fails (an exception, running out of memory, exiting) the promise rejects with the coded error
 * `tagger_training_failed` and nothing is written, so the previous model stays in use.
 */
import { Worker } from 'node:worker_threads';
import type { TermKind } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import type { TagKind } from './labels.ts';
import type { Seed, TrainDoc } from './model.ts';

/** Items posted per message (each message is copied on this thread, so slices keep every copy short). */
export const SLICE = 2000;

/** A recommendation to suggest for: its text and the kinds of label it lacks. */
export interface SuggestFor {
  id: string;
  text: string;
  missing: TagKind[];
}
export interface SuggestionRow {
  recommendation_id: string;
  /** the label's key; this thread maps it onto a term */
  key: string;
  kind: TermKind;
  /** 0..1000 */
  confidence: number;
}

export type ToTrainWorker =
  | { type: 'docs'; docs: TrainDoc[] }
  | { type: 'recommendations'; recommendations: SuggestFor[] }
  | { type: 'train'; seeds: Seed[]; trainedAt: string; keepPerKind: number; minConfidence: number };
export type FromTrainWorker =
  | { type: 'progress'; phase: 'training' | 'suggesting'; done: number; total: number }
  | { type: 'rows'; rows: SuggestionRow[] }
  | { type: 'done'; model: string; labels: Record<TagKind, number> }
  | { type: 'error'; message: string };

export interface WorkerTraining {
  /** the model as JSON text (TaggerModel.toJSON) */
  model: string;
  labels: Record<TagKind, number>;
  rows: SuggestionRow[];
}

export interface TrainWorkerOptions {
  /** the worker's heap limit in MB (Node's default when absent) */
  heapMb?: number;
  onProgress?: (phase: 'training' | 'suggesting', done: number, total: number) => void;
}

const failed = (why: string) => new AppError(500, 'tagger_training_failed', `Training the tagger failed (${why}); the previous model stays in use.`);
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Trains in a worker thread; this thread only copies the data over in slices and collects the answer. */
export async function trainInWorker(
  input: { docs: readonly TrainDoc[]; seeds: readonly Seed[]; recommendations: readonly SuggestFor[]; trainedAt: string; keepPerKind: number; minConfidence: number },
  opts: TrainWorkerOptions = {},
): Promise<WorkerTraining> {
  const worker = new Worker(new URL('../shared/ts-worker.mjs', import.meta.url), {
    workerData: { entry: new URL('./train-worker-job.ts', import.meta.url).href },
    ...(opts.heapMb ? { resourceLimits: { maxOldGenerationSizeMb: opts.heapMb, maxYoungGenerationSizeMb: Math.max(1, Math.floor(opts.heapMb / 4)) } } : {}),
  });
  const rows: SuggestionRow[] = [];
  const answer = new Promise<WorkerTraining>((resolve, reject) => {
    worker.on('message', (m: FromTrainWorker) => {
      if (m.type === 'progress') opts.onProgress?.(m.phase, m.done, m.total);
      else if (m.type === 'rows') for (const r of m.rows) rows.push(r);
      else if (m.type === 'done') resolve({ model: m.model, labels: m.labels, rows });
      else reject(failed(m.message));
    });
    worker.on('error', (e) => reject(failed(e.message)));
    worker.on('exit', (code) => reject(failed(`the worker stopped with exit code ${code}`)));
  });
  // an early failure is kept until awaited below
  answer.catch(() => undefined);
  try {
    for (let i = 0; i < input.docs.length; i += SLICE) {
      worker.postMessage({ type: 'docs', docs: input.docs.slice(i, i + SLICE) } satisfies ToTrainWorker);
      await tick();
    }
    for (let i = 0; i < input.recommendations.length; i += SLICE) {
      worker.postMessage({ type: 'recommendations', recommendations: input.recommendations.slice(i, i + SLICE) } satisfies ToTrainWorker);
      await tick();
    }
    worker.postMessage({ type: 'train', seeds: [...input.seeds], trainedAt: input.trainedAt, keepPerKind: input.keepPerKind, minConfidence: input.minConfidence } satisfies ToTrainWorker);
    return await answer;
  } finally {
    await worker.terminate();
  }
}
