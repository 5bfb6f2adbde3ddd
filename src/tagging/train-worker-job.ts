/**
 * The training worker's side (see train-worker.ts): collects the slices of training data, trains the model, scores
 * the recommendations lacking a kind of label and posts progress, the suggestions in slices and the model's JSON.
 */
import { parentPort } from 'node:worker_threads';
import { TAG_KINDS, type TagKind } from './labels.ts';
import { TaggerModel, type TrainDoc } from './model.ts';
import type { FromTrainWorker, SuggestFor, SuggestionRow, ToTrainWorker } from './train-worker.ts';

const port = parentPort!;
const docs: TrainDoc[] = [];
const recommendations: SuggestFor[] = [];
const post = (m: FromTrainWorker) => port.postMessage(m);
/** progress messages at most this often (ms) */
const EVERY = 100;
/** suggestion rows per message */
const ROWS = 2000;

function run(m: Extract<ToTrainWorker, { type: 'train' }>) {
  let last = 0;
  const model = TaggerModel.train(docs, m.seeds, {
    trainedAt: m.trainedAt,
    onProgress: (done, total) => {
      const now = Date.now();
      if (now - last < EVERY && done < total) return;
      last = now;
      post({ type: 'progress', phase: 'training', done, total });
    },
  });
  let rows: SuggestionRow[] = [];
  for (const [i, r] of recommendations.entries()) {
    if (i % 500 === 0) post({ type: 'progress', phase: 'suggesting', done: i, total: recommendations.length });
    const p = model.predict(r.text, m.keepPerKind);
    for (const kind of r.missing) {
      for (const s of p[kind]) {
        if (s.confidence >= m.minConfidence) rows.push({ recommendation_id: r.id, key: s.key, kind, confidence: Math.round(s.confidence * 1000) });
      }
    }
    if (rows.length >= ROWS) {
      post({ type: 'rows', rows });
      rows = [];
    }
  }
  if (rows.length) post({ type: 'rows', rows });
  post({ type: 'progress', phase: 'suggesting', done: recommendations.length, total: recommendations.length });
  const labels = Object.fromEntries(TAG_KINDS.map((k) => [k, model.labels(k).length])) as Record<TagKind, number>;
  post({ type: 'done', model: JSON.stringify(model.toJSON()), labels });
}

port.on('message', (m: ToTrainWorker) => {
  if (m.type === 'docs') for (const d of m.docs) docs.push(d);
  else if (m.type === 'recommendations') for (const r of m.recommendations) recommendations.push(r);
  else {
    try {
      run(m);
    } catch (e) {
      post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }
});
