/**
 * The writing half of an import run (everything after the upload: parsing, the one all-or-nothing transaction that
 * writes recommendations, sources, terms, postings, duplicate matching and the change log) runs in a worker thread
 * with its own connection to the database (commit-worker-job.ts, started through src/shared/ts-worker.mjs): on
 * SQLite (better-sqlite3 answers synchronously) every INSERT, every posting and the duplicate matching would
 * otherwise run on the server's thread, and each request of anyone else would wait behind a slice of import work.
 *
 * It is exactly what a `rasd import` beside a running server does: the server's in-memory register picks the import
 * up through the change feed like any other connection's write (register-index.ts; the importer's own next lists wait
 * for it: ImportRuns.onCommitted). On SQLite this thread holds its writer's turn meanwhile (EngineDialect.holdWriter),
 * so that its own writes wait for the import as they did when it ran here, instead of failing with `database_busy`.
 * The worker parses through its own parse worker (parse-worker.ts), so parsing and writing still overlap.
 *
 * The outcome comes back as it would in this thread: the counts, or the same coded errors (ImportParseError with its
 * row- and field-precise issues, ImportRejected with its outcome, AppError). A worker that dies (killed, out of
 * memory) fails the run with `import_worker_stopped`; its transaction never committed, so nothing of it is written.
 * An in-memory database has no second connection: its imports keep running in this thread (`importInThread`).
 */
import type { Worker } from 'node:worker_threads';
import type { DatabaseTarget } from '../config/config.ts';
import type { Kysely } from 'kysely';
import type { BulkLoad } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import { WorkerPool } from '../shared/worker-pool.ts';
import { parseFile, type FormatOptions, type ParseFormat } from './formats.ts';
import { importRecords, ImportRejected, type ImportOutcome } from './import.service.ts';
import { ImportParseError, type ImportIssue, type ImportRecord, type ParseReport, type ParserResult } from './types.ts';

const PREVIEW = 300;

export interface PreviewRecord {
  row: number;
  paragraph?: string;
  symbol: string;
  /** the record's texts by language, each cut to 600 characters (the page shows its own language first) */
  texts: Partial<Record<string, string>>;
  recommendingStates?: string[];
  position?: string;
  kind: string;
}

function toPreview(r: ImportRecord): PreviewRecord {
  const texts = Object.fromEntries(
    Object.entries(r.texts)
      .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')
      .map(([lang, text]) => [lang, text.length > 600 ? `${text.slice(0, 600)}…` : text]),
  );
  return {
    row: r.sourceRow,
    paragraph: r.paragraph,
    symbol: r.document.symbol,
    texts,
    recommendingStates: r.recommendingStates,
    position: r.position,
    kind: r.kind,
  };
}

/** Keeps the first records for the review screen while they stream through. */
async function* capture(records: ParserResult, into: PreviewRecord[]): AsyncGenerator<ImportRecord> {
  for await (const r of records) {
    if (into.length < PREVIEW) into.push(toPreview(r));
    yield r;
  }
}

/** What one run asks to import: serialisable, so that a worker thread can be given it. */
export interface ImportJob {
  format: ParseFormat;
  /** the stored file */
  file: string;
  /** the parser's options (no callbacks) */
  options: Omit<FormatOptions, 'onBytes' | 'onReport'>;
  dryRun: boolean;
  actorId: string;
  /** label for the audit log */
  source: string;
  /** the import run, marked succeeded in the import's transaction (ImportOptions.runId) */
  runId?: string;
}

export interface ImportHooks {
  /** filled with the first records for the review screen, whether the import succeeds or fails */
  preview: PreviewRecord[];
  onBytes(read: number): void;
  onReport(report: ParseReport): void;
  onProgress(processed: number): void;
}


/** A failed import, as a worker posts it (structured-clone safe). */
export type ImportFailure =
  | { kind: 'parse'; message: string; issues: ImportIssue[]; total: number }
  | { kind: 'rejected'; outcome: ImportOutcome }
  | { kind: 'app'; status: number; code: string; message: string; details: unknown }
  | { kind: 'bug'; message: string; stack?: string };

/** Messages from the worker (commit-worker-job.ts); it is sent one `job` message. */
export type FromCommitWorker =
  | { type: 'bytes'; read: number }
  | { type: 'report'; report: ParseReport }
  | { type: 'progress'; processed: number }
  | { type: 'done'; outcome: ImportOutcome; preview: PreviewRecord[] }
  | { type: 'failed'; failure: ImportFailure; preview: PreviewRecord[] };
export interface ToCommitWorker {
  type: 'job';
  target: DatabaseTarget;
  job: ImportJob;
  /** whether the engine's bulk path may be taken for a first import */
  bulk: boolean;
}

/** Parses and imports one run's file on this thread's connection: the same code in the worker and in this thread. */
export async function runImportJob(db: Kysely<DB>, bulkLoad: BulkLoad | undefined, job: ImportJob, hooks: ImportHooks): Promise<ImportOutcome> {
  const records = await parseFile(job.format, job.file, { ...job.options, onBytes: hooks.onBytes, onReport: hooks.onReport });
  return importRecords(db, capture(records, hooks.preview), {
    dryRun: job.dryRun,
    actorId: job.actorId,
    source: job.source,
    onProgress: hooks.onProgress,
    bulkLoad,
    runId: job.runId,
  });
}

/** Plain data for postMessage: details are JSON (a structured clone refuses functions and class instances). */
const plain = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

export function toFailure(err: unknown): ImportFailure {
  if (err instanceof ImportParseError) return { kind: 'parse', message: err.message, issues: plain(err.issues) as ImportIssue[], total: err.total };
  if (err instanceof ImportRejected) return { kind: 'rejected', outcome: plain(err.outcome) as ImportOutcome };
  if (err instanceof AppError) return { kind: 'app', status: err.status, code: err.code, message: err.message, details: plain(err.details) };
  const e = err instanceof Error ? err : new Error(String(err));
  return { kind: 'bug', message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
}

/** The error as this thread would have thrown it. */
export function fromFailure(f: ImportFailure): Error {
  switch (f.kind) {
    case 'parse':
      return new ImportParseError(f.issues, f.message, f.total);
    case 'rejected':
      return new ImportRejected(f.outcome);
    case 'app':
      return new AppError(f.status, f.code, f.message, f.details);
    default: {
      const e = new Error(f.message);
      if (f.stack) e.stack = f.stack;
      return e;
    }
  }
}

/** The worker thread ended before it answered: coded, and reported as a bug too (ImportRuns). */
export class ImportWorkerStopped extends AppError {
  constructor(detail: string) {
    super(500, 'import_worker_stopped', `The import stopped unexpectedly (${detail}); nothing of it was written. Start it again.`);
  }
}

/**
 * Import workers are kept warm: loading the import's code into a new thread takes seconds (the parsers, the search
 * analysis, the duplicate matching), so a worker whose job ended cleanly stays for a minute, and the next import
 * takes it. Each job opens and closes its own connection.
 */
const pool = new WorkerPool<FromCommitWorker>({
  entry: new URL('./commit-worker-job.ts', import.meta.url),
  idleMs: 60_000,
  maxIdle: 1,
  errorDetail: (e) => (e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'the import thread ran out of memory' : `the import thread failed: ${e.message.slice(0, 200)}`),
  exitDetail: (code) => `the import thread stopped, exit code ${code}`,
});

/**
 * Runs the job in a worker thread with its own connection to `target`. `started` is given the worker as soon as it
 * has the job (shutdown and tests may end it). Resolves with the outcome, or rejects with the coded error.
 */
export async function importInWorker(target: DatabaseTarget, bulk: boolean, job: ImportJob, hooks: ImportHooks, started?: (worker: Worker) => void): Promise<ImportOutcome> {
  const pw = await pool.acquire();
  let clean = false;
  try {
    return await new Promise<ImportOutcome>((resolve, reject) => {
      pw.onMessage = (m) => {
        if (m.type === 'bytes') hooks.onBytes(m.read);
        else if (m.type === 'report') hooks.onReport(m.report);
        else if (m.type === 'progress') hooks.onProgress(m.processed);
        else {
          // the job's last message: the worker is free again (a coded failure included)
          clean = true;
          hooks.preview.push(...m.preview);
          if (m.type === 'done') resolve(m.outcome);
          else reject(fromFailure(m.failure));
        }
      };
      pw.onDeath = (detail) => reject(new ImportWorkerStopped(detail));
      pw.worker.postMessage({ type: 'job', target, job, bulk } satisfies ToCommitWorker);
      started?.(pw.worker);
    });
  } finally {
    pool.release(pw, clean && !pw.dead);
  }
}
