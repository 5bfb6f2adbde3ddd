/** The parse worker's side (see parse-worker.ts). */
import { parentPort, workerData } from 'node:worker_threads';
// search.text.ts directly: the search capability's index.ts would load its routes and database code into the worker
import { analyseSource } from '../search/search.text.ts';
import { parseUhriJson } from './uhri-json.ts';
import type { Job, ToMain } from './parse-worker.ts';
import { rowTexts } from './row-texts.ts';
import { ImportParseError, type ImportRecord } from './types.ts';

const BATCH = 500;
/** batches sent and not yet taken by the main thread */
const WINDOW = 4;

async function runJob(port: NonNullable<typeof parentPort>, job: Job): Promise<void> {
  let credit = WINDOW;
  let resume: (() => void) | undefined;
  port.on('message', () => {
    credit += 1;
    resume?.();
  });
  const post = (m: ToMain) => port.postMessage(m);
  try {
    const records = parseUhriJson(job.file, { ...job.options, onProgress: (bytesRead) => post({ type: 'bytes', bytesRead }) });
    let batch: ImportRecord[] = [];
    const send = async () => {
      while (credit === 0) await new Promise<void>((r) => (resume = r));
      credit -= 1;
      post({ type: 'records', records: batch });
      batch = [];
    };
    for await (const r of records) {
      r.analysed = analyseSource(rowTexts(r));
      batch.push(r);
      if (batch.length === BATCH) await send();
    }
    if (batch.length) await send();
    post({ type: 'end' });
  } catch (e) {
    post(e instanceof ImportParseError ? { type: 'error', message: e.message, issues: e.issues } : { type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

if (parentPort) await runJob(parentPort, (workerData as { job: Job }).job);
