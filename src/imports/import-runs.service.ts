import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { BulkLoad } from '../db/dialect/types.ts';
import type { DB, ImportRunsTable } from '../db/schema.ts';
import { AppError, badRequest, notFound } from '../shared/errors.ts';
import { ARABIC_MESSAGES } from '../server/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { resolvePresetMapping, type FormatOptions, type ImportFormat } from './formats.ts';
import { downloadAllowed, downloadTo, hostNotAllowedMessage } from './download.ts';
import type { DownloadLimits } from '../config/config.ts';
import type { ColumnMapping } from './generic-mapping.ts';
import { ImportRejected, type ImportOutcome } from './import.service.ts';
import { importInWorker, ImportWorkerStopped, runImportJob, type ImportHooks, type ImportJob, type PreviewRecord } from './commit-worker.ts';
import { reportParseError } from './import-errors.ts';
import { getSavedMapping } from './mappings.ts';
import { PARSE_WORKER_HEAP_MB } from './parse-worker.ts';
import { scheduleRetrain } from '../tagging/index.ts';
import { copyFromDatabase, type FileStorage, inDatabase, putInDatabase, removeFromDatabase } from '../files/file-store.ts';
import { createHash } from 'node:crypto';
import { ImportParseError, type ParseReport } from './types.ts';
import type { Worker } from 'node:worker_threads';
import type { DatabaseTarget } from '../config/config.ts';

export type { PreviewRecord } from './commit-worker.ts';

/** What a user may set on the upload page (and the API); serialisable. */
export interface RunOptions {
  country?: string;
  body?: string;
  lang?: FormatOptions['lang'];
  encoding?: FormatOptions['encoding'];
  symbol?: string;
  uprCycle?: number;
  uprSession?: number;
  /** preset or saved mapping name (csv/xlsx) */
  mapping?: string;
  /** uhri-url: the address */
  url?: string;
}

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

export function presentRun(row: ImportRunsTable) {
  return {
    id: row.id,
    format: row.format as ImportFormat,
    filename: row.filename,
    options: JSON.parse(row.options) as RunOptions,
    dryRun: row.dry_run === 1,
    status: row.status,
    processed: row.processed,
    bytesTotal: row.bytes_total,
    bytesRead: row.bytes_read,
    result: row.result ? (JSON.parse(row.result) as ImportOutcome & { preview: PreviewRecord[]; report?: ParseReport }) : null,
    error: row.error ? (JSON.parse(row.error) as { status?: number; code: string; message: string; message_ar?: string; details?: unknown }) : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** An upload's name in the file store: its file name under DATA_DIR/imports (`<run id>.<ext>`), the same on every instance. */
const fileKey = (storedPath: string) => path.basename(storedPath);

const arabic = (code: string) => (ARABIC_MESSAGES[code] ? { message_ar: ARABIC_MESSAGES[code] } : {});

type Progress = Partial<Pick<ImportRunsTable, 'processed' | 'bytes_read' | 'bytes_total'>>;

export class ImportRuns {
  /** runs in flight in this process, so tests and shutdown can wait for them */
  readonly inFlight = new Map<string, Promise<void>>();
  /**
   * Told, with the id of the user who started it, once a run's writes are committed (or it failed), before its
   * status says so: app.ts notes the write, so that every later list of that user waits for the register that holds
   * it, even one answered before a poll sees `succeeded`.
   */
  onCommitted: ((actorId: string) => void) | null = null;
  /**
   * Their latest progress. Also written to the run's row (for other instances), but on SQLite those writes
   * wait for the import's transaction to end; this process answers from here meanwhile.
   */
  private readonly live = new Map<string, Progress>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly dataDir: string,
    /** the engine's path for a first import into an empty register */
    private readonly bulkLoad: BulkLoad | undefined,
    /** unexpected failures (bugs) are recorded on the run and reported here, never thrown into the void */
    private readonly onBug: (err: unknown) => void = () => undefined,
    /** heap limit of the parse worker (IMPORT_WORKER_HEAP_MB) */
    readonly workerHeapMb: number = PARSE_WORKER_HEAP_MB,
    /** where and how much a UHRI download may fetch */
    private readonly downloadLimits: DownloadLimits = { allowedHosts: [], maxBytes: 0, timeoutMs: 0 },
    /**
     * FILE_STORAGE: with `database`, an uploaded file is also kept in the file store (kind `import`, named like its
     * file under DATA_DIR/imports), so that any instance can commit a preview made on another: the committing
     * instance copies it to its own DATA_DIR/imports for the parser. The database copy is the one that counts.
     */
    private readonly fileStorage: FileStorage = 'disk',
    /**
     * Where a run's parsing and writing happen (commit-worker.ts): in a worker thread with its own connection to this
     * database (`target`), the default for a SQLite file and PostgreSQL, with `holdWriter` on SQLite; or, null, in
     * this thread (an in-memory database, or IMPORT_COMMIT_THREAD=main).
     */
    private readonly commitWorker: { target: DatabaseTarget; holdWriter?: <T>(fn: () => Promise<T>) => Promise<T> } | null = null,
  ) {}

  /** the worker threads of the runs committing in one, by run id (shutdown ends them; tests stop one mid-commit) */
  readonly workers = new Map<string, Worker>();

  private dir() {
    const d = path.join(this.dataDir, 'imports');
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  /** Stores an uploaded file and starts a run (a dry run unless `dryRun` is false). */
  async start(input: { format: ImportFormat; filename: string; bytes?: Buffer; options: RunOptions; dryRun: boolean; actorId: string }) {
    const id = newId();
    const safeName = path.basename(input.filename).replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200) || 'upload';
    const stored = path.join(this.dir(), `${id}${path.extname(safeName).slice(0, 10)}`);
    if (input.format === 'uhri-url') {
      if (!input.options.url) throw badRequest('url_required', 'Give the address of the UHRI export.');
      let u: URL;
      try {
        u = new URL(input.options.url);
        if (!['http:', 'https:'].includes(u.protocol)) throw new Error('protocol');
      } catch {
        throw badRequest('invalid_url', `"${input.options.url}" is not an http(s) address.`);
      }
      if (!downloadAllowed(u, this.downloadLimits)) throw badRequest('download_host_not_allowed', hostNotAllowedMessage(u));
    } else {
      if (!input.bytes || input.bytes.length === 0) throw badRequest('empty_file', 'The uploaded file is empty.');
    }
    return this.create(id, input.format, safeName, stored, input.options, input.dryRun, input.actorId, input.bytes?.length ?? 0, input.bytes);
  }

  /** Commits a previewed run: the same stored file and options, for real. */
  async commit(previewId: string, actorId: string) {
    const prior = await this.db.selectFrom('import_runs').selectAll().where('id', '=', previewId).executeTakeFirst();
    if (!prior) throw notFound('Import');
    if (prior.dry_run !== 1 || prior.status !== 'succeeded') {
      throw new AppError(409, 'not_committable', 'Only a successful preview (dry run) can be committed.');
    }
    const result = prior.result ? (JSON.parse(prior.result) as ImportOutcome) : null;
    if (result && result.invalid > 0) throw new AppError(409, 'not_committable', 'The preview found invalid records; fix the file first.');
    let stored = prior.stored_path;
    if (prior.format !== 'uhri-url') {
      // In the file store (any instance may have taken the upload): copied to this instance's DATA_DIR/imports.
      const key = fileKey(prior.stored_path);
      if (await inDatabase(this.db, key)) {
        stored = path.join(this.dir(), key);
        if (!fs.existsSync(stored) && !(await copyFromDatabase(this.db, key, stored))) stored = '';
      } else if (this.fileStorage === 'database' || !fs.existsSync(prior.stored_path)) {
        stored = '';
      }
      if (!stored) throw new AppError(409, 'not_committable', 'This preview was already imported, or its file has expired; upload the file again.');
    }
    return this.create(newId(), prior.format as ImportFormat, prior.filename, stored, JSON.parse(prior.options) as RunOptions, false, actorId, prior.bytes_total);
  }

  /**
   * Records the run, then stores its file (`bytes`), then starts it: a process killed in between leaves a run that
   * the start-up marks `interrupted` (and whose file it deletes), never a file that no run names.
   */
  private async create(id: string, format: ImportFormat, filename: string, stored: string, options: RunOptions, dryRun: boolean, actorId: string, size: number, bytes?: Buffer) {
    const now = nowIso();
    const row: ImportRunsTable = {
      id,
      format,
      filename,
      stored_path: stored,
      options: JSON.stringify(options),
      dry_run: dryRun ? 1 : 0,
      status: 'running',
      processed: 0,
      bytes_total: size,
      bytes_read: 0,
      result: null,
      error: null,
      created_by: actorId,
      created_at: now,
      updated_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('import_runs').values(row).execute();
      if (bytes && this.fileStorage === 'database') {
        await putInDatabase(trx, { id: fileKey(stored), kind: 'import', bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
      }
    });
    if (bytes) {
      try {
        fs.writeFileSync(stored, bytes);
      } catch (err) {
        await this.finish(id, 'failed', null, { status: 500, code: 'internal_error', message: 'The uploaded file could not be stored; nothing was changed.', ...arabic('internal_error') });
        throw err;
      }
    }
    let told = false;
    const settle = () => {
      if (told) return;
      told = true;
      this.onCommitted?.(actorId);
    };
    const work = this.execute(row, actorId, settle).finally(() => {
      settle();
      this.inFlight.delete(id);
      this.live.delete(id);
    });
    this.inFlight.set(id, work);
    return presentRun(row);
  }

  async get(id: string) {
    const row = await this.db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Import');
    return presentRun(this.withLiveProgress(row));
  }

  async list(limit = 50) {
    const rows = await this.db.selectFrom('import_runs').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
    return rows.map((r) => presentRun(this.withLiveProgress(r)));
  }

  /**
   * A run in flight here is shown running until `finish`, even once its transaction has marked it succeeded: its
   * preview and parse report are added after, and its user's later reads must first wait for the register to hold it.
   */
  private withLiveProgress(row: ImportRunsTable): ImportRunsTable {
    if (this.inFlight.has(row.id)) return { ...row, status: 'running', result: null, error: null, ...this.live.get(row.id) };
    const live = row.status === 'running' ? this.live.get(row.id) : undefined;
    return live ? { ...row, ...live } : row;
  }

  private async resolveMapping(name: string | undefined): Promise<ColumnMapping | undefined> {
    if (!name) return undefined;
    return resolvePresetMapping(name) ?? (await getSavedMapping(this.db, name)) ?? undefined;
  }

  private async execute(row: ImportRunsTable, actorId: string, committed: () => void): Promise<void> {
    const options = JSON.parse(row.options) as RunOptions;
    let lastWrite = 0;
    const progress = (patch: Progress) => {
      this.live.set(row.id, { ...this.live.get(row.id), ...patch });
      const t = Date.now();
      if (t - lastWrite < 500) return;
      lastWrite = t;
      // (on SQLite this write waits for the import's transaction; it must not then overwrite the finished run)
      void this.db
        .updateTable('import_runs')
        .set({ ...patch, updated_at: nowIso() })
        .where('id', '=', row.id)
        .where('status', '=', 'running')
        .execute()
        .catch(() => undefined);
    };
    const preview: PreviewRecord[] = [];
    let report: ParseReport | undefined;
    try {
      let format = row.format as ImportFormat;
      if (format === 'uhri-url') {
        await downloadTo(options.url!, row.stored_path, this.downloadLimits, (read, total) => progress({ bytes_read: read, bytes_total: total ?? read }));
        format = 'uhri-json';
      }
      const fo: FormatOptions = { filename: row.filename, heapMb: this.workerHeapMb };
      if (options.country) fo.country = options.country;
      if (options.body) fo.body = options.body;
      if (options.lang) fo.lang = options.lang;
      if (options.encoding) fo.encoding = options.encoding;
      if (options.symbol) fo.symbol = options.symbol;
      if (options.uprCycle) fo.uprCycle = options.uprCycle;
      if (options.uprSession) fo.uprSession = options.uprSession;
      if (format === 'csv' || format === 'xlsx') {
        fo.mapping = await this.resolveMapping(options.mapping);
        if (!fo.mapping) throw badRequest('mapping_required', options.mapping ? `No mapping named "${options.mapping}".` : 'Choose a column mapping for this file.');
      }
      const total = fs.statSync(row.stored_path).size;
      const outcome = await this.run(
        row.id,
        { format: format as Exclude<ImportFormat, 'uhri-url'>, file: row.stored_path, options: fo, dryRun: row.dry_run === 1, actorId, source: `${row.format} ${row.filename}`, runId: row.id },
        { preview, onBytes: (read) => progress({ bytes_read: read, bytes_total: total }), onReport: (r) => (report = r), onProgress: (n) => progress({ processed: n }) },
      );
      committed();
      await this.finish(row.id, outcome.invalid > 0 ? 'failed' : 'succeeded', { ...outcome, preview, ...(report ? { report } : {}) }, outcome.invalid > 0 ? { code: 'import_invalid', message: `${outcome.invalid} invalid record(s).` } : null);
      // new labelled or unlabelled recommendations: the tagger learns again and suggests for them (job runner)
      if (row.dry_run !== 1 && outcome.invalid === 0) await scheduleRetrain(this.db, actorId);
    } catch (err) {
      const error =
        err instanceof ImportParseError
          ? reportParseError(err)
          : err instanceof AppError // ImportRejected included
            ? { status: err.status, code: err.code, message: err.message, ...arabic(err.code), details: err.details }
            : { status: 500, code: 'internal_error', message: 'The import failed unexpectedly; nothing was changed.', ...arabic('internal_error') };
      const result = err instanceof ImportRejected ? { ...err.outcome, preview, ...(report ? { report } : {}) } : null;
      committed();
      await this.finish(row.id, 'failed', result, error);
      if (!(err instanceof ImportParseError || err instanceof AppError) || err instanceof ImportWorkerStopped) this.onBug(err);
    }
  }

  /** Parses and imports in the worker thread (its writer's turn held on SQLite), else in this thread. */
  private async run(id: string, job: ImportJob, hooks: ImportHooks): Promise<ImportOutcome> {
    const w = this.commitWorker;
    if (!w) return runImportJob(this.db, this.bulkLoad, job, hooks);
    const inWorker = () =>
      importInWorker(w.target, this.bulkLoad !== undefined, job, hooks, (worker) => this.workers.set(id, worker)).finally(() => this.workers.delete(id));
    return w.holdWriter ? w.holdWriter(inWorker) : inWorker();
  }

  /**
   * Runs left "running" by a process that stopped (killed or crashed mid-import) are marked failed with the code
   * `interrupted`: their transaction never committed, so nothing of them is in the register. On SQLite only this
   * process imports, so every such run is stale; on PostgreSQL another instance may be importing, so only runs
   * whose progress stopped `staleAfterMs` ago count. Also deletes the files of previews older than a week.
   */
  async recoverInterrupted(staleAfterMs: number, opts: { cleanOldPreviews?: boolean } = { cleanOldPreviews: true }): Promise<number> {
    const before = new Date(Date.now() - staleAfterMs).toISOString();
    const stale = await this.db.selectFrom('import_runs').select(['id', 'stored_path', 'dry_run']).where('status', '=', 'running').where('updated_at', '<=', before).execute();
    for (const run of stale) {
      if (this.inFlight.has(run.id)) continue;
      await this.db
        .updateTable('import_runs')
        .set({
          status: 'failed',
          error: JSON.stringify({ status: 409, code: 'interrupted', message: 'The import was interrupted (the server stopped); nothing of it was written. Start it again.', ...arabic('interrupted') }),
          updated_at: nowIso(),
        })
        .where('id', '=', run.id)
        .where('status', '=', 'running')
        .execute();
      // an interrupted preview cannot be committed either: its file goes too
      await this.discard(run.stored_path);
    }
    if (!opts.cleanOldPreviews) return stale.length;
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const old = await this.db.selectFrom('import_runs').select('stored_path').where('dry_run', '=', 1).where('created_at', '<', weekAgo).execute();
    for (const run of old) await this.discard(run.stored_path);
    return stale.length;
  }

  /** Deletes an uploaded file: from this instance's disk and from the file store (the stored path's name is its key). */
  private async discard(storedPath: string) {
    fs.rmSync(storedPath, { force: true });
    fs.rmSync(path.join(this.dataDir, 'imports', fileKey(storedPath)), { force: true });
    await removeFromDatabase(this.db, [fileKey(storedPath)]);
  }

  private watchTimers: NodeJS.Timeout[] = [];

  /**
   * Several instances (PostgreSQL): every `staleAfterMs / 4` this process marks its runs in flight as alive
   * (`updated_at`), and every `staleAfterMs / 2` it marks failed (`interrupted`) the runs of any instance whose
   * heartbeat stopped `staleAfterMs` ago: an instance killed mid-import has its run settled by the others, or by
   * itself once restarted, within about 1.5 × `staleAfterMs` (IMPORT_STALE_SECONDS).
   */
  watch(staleAfterMs: number): void {
    this.unwatch();
    const beat = setInterval(() => {
      const ids = [...this.inFlight.keys()];
      if (ids.length === 0) return;
      void this.db.updateTable('import_runs').set({ updated_at: nowIso() }).where('id', 'in', ids).where('status', '=', 'running').execute().catch(() => undefined);
    }, Math.max(250, Math.round(staleAfterMs / 4)));
    const sweep = setInterval(() => {
      void this.recoverInterrupted(staleAfterMs, { cleanOldPreviews: false }).catch((err: unknown) => this.onBug(err));
    }, Math.max(500, Math.round(staleAfterMs / 2)));
    beat.unref();
    sweep.unref();
    this.watchTimers = [beat, sweep];
  }

  unwatch(): void {
    for (const t of this.watchTimers) clearInterval(t);
    this.watchTimers = [];
  }

  private async finish(id: string, status: 'succeeded' | 'failed', result: unknown, error: unknown) {
    await this.db
      .updateTable('import_runs')
      .set({
        ...this.live.get(id),
        status,
        result: result ? JSON.stringify(result) : null,
        error: error ? JSON.stringify(error) : null,
        processed: (result as { total?: number } | null)?.total ?? 0,
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .execute();
    // The file is kept only while a successful preview may still be committed.
    const run = await this.db.selectFrom('import_runs').select(['stored_path', 'dry_run']).where('id', '=', id).executeTakeFirst();
    if (run && (run.dry_run !== 1 || status === 'failed')) await this.discard(run.stored_path);
  }
}
