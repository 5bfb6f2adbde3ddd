/**
 * Every import and preview parses its file in a worker thread (parse-worker-job.ts, started through
 * src/shared/ts-worker.mjs), for two reasons:
 *  - isolation: the worker has its own heap with a limit (`resourceLimits.maxOldGenerationSizeMb`), so a file that
 *    would need gigabytes to parse ends that worker only, and the import fails with the coded error
 *    `file_too_complex` while the server goes on answering; a stack overflow in a parser becomes the same error;
 *  - overlap: the worker parses and analyses each record's texts for the search index (`analysed`) while the main
 *    thread writes (two cores: one parses, one writes). Records come in batches; at most WINDOW batches are in
 *    flight, so memory stays bounded.
 * The mapping editor's sample reading (csv/xlsx header and first rows) runs in a worker the same way.
 *
 * `parseInWorker` (main thread) yields the records, reports bytes read, and rethrows a parse error
 * (ImportParseError with its issues) as the in-thread parser would.
 */
import { WorkerPool } from '../shared/worker-pool.ts';
import type { FormatOptions, ParseFormat } from './formats.ts';
import { unpackRecords, type RecordBatch } from './record-batch.ts';
import type { SampleTable } from './sample.ts';
import type { TextEncodingName } from './tabular.ts';
import { ImportParseError, type ImportIssue, type ImportRecord, type ParseReport } from './types.ts';

/** Heap of one parse worker. Generous for real files (a 200 MB upload), small beside the server's memory. */
export const PARSE_WORKER_HEAP_MB = 1024;
/** Parse workers running at once in this process; more imports wait for a turn. */
export const MAX_PARSE_WORKERS = 2;

/** Messages from the worker (parse-worker-job.ts). The main thread sends a job, and answers each batch with 'more'. */
export type ToWorker = { type: 'job'; job: Job } | { type: 'more' };

export type ToMain =
  /** a batch of records laid out flat (record-batch.ts: a structured clone of the objects cost the main thread more) */
  | { type: 'records'; batch: RecordBatch }
  | { type: 'bytes'; bytesRead: number }
  | { type: 'report'; report: ParseReport }
  | { type: 'sample'; table: SampleTable }
  | { type: 'end' }
  | { type: 'error'; message: string; issues: ImportIssue[]; total?: number };

/** What the worker is asked to do: parse a stored file into records, or read a sample's first rows. */
export type Job =
  | { kind: 'records'; format: ParseFormat; file: string; options: Omit<FormatOptions, 'onBytes' | 'onReport' | 'worker' | 'heapMb'> }
  | { kind: 'sample'; bytes: Uint8Array; format: 'csv' | 'xlsx'; encoding?: TextEncodingName };

export function tooComplex(detail: string): ImportParseError {
  return new ImportParseError([
    {
      code: 'file_too_complex',
      message: `The file is too large or too complex to read (${detail}): split it, or remove the extra columns and very long cells`,
    },
  ]);
}

/**
 * The pool: at most MAX_PARSE_WORKERS workers, each running one job at a time and kept for 30 s after its job, since
 * starting one costs most of a second (loading the parsers).
 */
const pool = new WorkerPool<ToMain>({
  entry: new URL('./parse-worker-job.ts', import.meta.url),
  idleMs: 30_000,
  maxIdle: MAX_PARSE_WORKERS,
  maxLive: MAX_PARSE_WORKERS,
  errorDetail: (e, heapMb) =>
    e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `reading it needs more than ${heapMb} MB of memory` : `the reader stopped: ${e.message.slice(0, 120)}`,
  exitDetail: (code) => `the reader stopped (exit code ${code})`,
});

/** Runs one job on a pooled worker; yields its messages; the worker's death is a coded error. */
async function* runJob(job: Job, heapMb: number): AsyncGenerator<ToMain, void, undefined> {
  const pw = await pool.acquire(heapMb);
  const inbox: ToMain[] = [];
  let wake: (() => void) | undefined;
  const push = (m: ToMain) => {
    inbox.push(m);
    wake?.();
  };
  pw.onMessage = push;
  pw.onDeath = (detail) => {
    const e = tooComplex(detail);
    push({ type: 'error', message: e.message, issues: e.issues });
  };
  let clean = false;
  try {
    pw.worker.postMessage({ type: 'job', job });
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const m = inbox.shift()!;
      if (m.type === 'records') pw.worker.postMessage({ type: 'more' });
      const last = m.type === 'end' || m.type === 'error' || m.type === 'sample';
      if (last) clean = !pw.dead;
      yield m;
      if (last) return;
    }
  } finally {
    pool.release(pw, clean);
  }
}

function rethrow(m: Extract<ToMain, { type: 'error' }>): never {
  throw new ImportParseError(m.issues, m.message, m.total);
}

/** The records of a stored file, parsed (and pre-analysed) in a worker thread. */
export async function* parseInWorker(format: ParseFormat, file: string, o: FormatOptions = {}): AsyncGenerator<ImportRecord> {
  const { onBytes, onReport, worker: _worker, heapMb, ...options } = o;
  void _worker;
  for await (const m of runJob({ kind: 'records', format, file, options }, heapMb ?? PARSE_WORKER_HEAP_MB)) {
    if (m.type === 'records') yield* unpackRecords<ImportRecord>(m.batch);
    else if (m.type === 'bytes') onBytes?.(m.bytesRead);
    else if (m.type === 'report') onReport?.(m.report);
    else if (m.type === 'error') rethrow(m);
  }
}

/** A csv/xlsx sample's header and first rows (sample.ts), read in a worker thread. */
export async function sampleInWorker(bytes: Uint8Array, format: 'csv' | 'xlsx', encoding?: TextEncodingName, heapMb = PARSE_WORKER_HEAP_MB): Promise<SampleTable> {
  for await (const m of runJob({ kind: 'sample', bytes, format, ...(encoding ? { encoding } : {}) }, heapMb)) {
    if (m.type === 'sample') return m.table;
    if (m.type === 'error') rethrow(m);
  }
  throw tooComplex('the reader stopped');
}
