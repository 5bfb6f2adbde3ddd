/**
 * Parsing in a worker thread (parse-worker-job.ts, started through src/shared/ts-worker.mjs), so that it overlaps with the
 * database writes of the import service (two cores: one parses and analyses, one writes). Used for
 * large UHRI JSON files (the streamed format). The worker runs `parseUhriJson` and, for each record,
 * the search-index analysis of its own texts (`analysed`, used when the record becomes a new row),
 * and sends the records in batches; at most WINDOW batches are in flight, so memory stays bounded.
 *
 * `parseUhriJsonInWorker` (main thread) yields the records, reports bytes read, and rethrows a parse error
 * (ImportParseError with its issues) as the in-thread parser would.
 */
import { Worker } from 'node:worker_threads';
import { ImportParseError, type ImportIssue, type ImportRecord } from './types.ts';
import type { UhriJsonOptions } from './uhri-json.ts';

/** Messages from the worker (parse-worker-job.ts). The main thread answers each batch with 'more'. */
export type ToMain =
  | { type: 'records'; records: ImportRecord[] }
  | { type: 'bytes'; bytesRead: number }
  | { type: 'end' }
  | { type: 'error'; message: string; issues?: ImportIssue[] };

export interface Job {
  file: string;
  options: Omit<UhriJsonOptions, 'onProgress'>;
}

/** The records of a UHRI JSON file (parseUhriJson), parsed and pre-analysed in a worker thread. */
export async function* parseUhriJsonInWorker(file: string, o: UhriJsonOptions = {}): AsyncGenerator<ImportRecord> {
  const { onProgress, ...options } = o;
  const job: Job = { file, options };
  const worker = new Worker(new URL('../shared/ts-worker.mjs', import.meta.url), {
    workerData: { entry: new URL('./parse-worker-job.ts', import.meta.url).href, job },
  });
  const inbox: ToMain[] = [];
  let wake: (() => void) | undefined;
  const push = (m: ToMain) => {
    inbox.push(m);
    wake?.();
  };
  worker.on('message', push);
  worker.on('error', (e: Error) => push({ type: 'error', message: e.message }));
  worker.on('exit', (code) => push({ type: 'error', message: `the parse worker stopped (exit code ${code})` }));
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const m = inbox.shift()!;
      if (m.type === 'records') {
        worker.postMessage('more');
        yield* m.records;
      } else if (m.type === 'bytes') onProgress?.(m.bytesRead);
      else if (m.type === 'end') return;
      else throw m.issues ? new ImportParseError(m.issues, m.message) : new Error(m.message);
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
