/**
 * The suggestion worker's side (see suggest-worker.ts): keeps the model it was last sent and answers each `predict`
 * with the model's predictions for the texts, or with why it cannot (a model that does not load).
 */
import { parentPort } from 'node:worker_threads';
import { TaggerModel, type ModelJson } from './model.ts';
import type { FromSuggestWorker, ToSuggestWorker } from './suggest-worker.ts';

const port = parentPort!;
const post = (m: FromSuggestWorker) => port.postMessage(m);
let model: TaggerModel | null = null;
let loadError: string | null = null;

port.on('message', (m: ToSuggestWorker) => {
  try {
    if (m.type === 'load') {
      model = null;
      loadError = null;
      model = TaggerModel.fromJSON(JSON.parse(m.json) as ModelJson);
    } else if (!model) post({ type: 'failed', message: loadError ?? 'no model loaded' });
    else post({ type: 'predictions', items: m.texts.map((t) => model!.predict(t, m.limit)) });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (m.type === 'load') loadError = `the model did not load: ${message}`;
    else post({ type: 'failed', message });
  }
});
