import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/create-db.ts';
import type { DB } from '../db/schema.ts';
import { recordAudit } from '../audit/index.ts';
import { createJob, type InProcessJobs } from '../jobs/index.ts';
import { conflict } from '../shared/errors.ts';
import { createBackup, type BackupProgress, type BackupResult } from './backup.service.ts';

/** The job kind of a backup run, nightly (job runner) or asked for by an admin (in-process). */
export const BACKUP_JOB = 'backup';

/** Archives the job writes: rasd-backup-20261205T020000Z.zip (sorting by name sorts by time). */
const ARCHIVE = /^rasd-backup-\d{8}T\d{6}(\d{3})?Z\.zip$/;

export interface BackupJobResult extends BackupResult {
  /** archives deleted to keep BACKUP_KEEP */
  pruned: string[];
}

export interface BackupFile {
  name: string;
  size: number;
  modified_at: string;
}

/** The archives in the backup folder, newest first. */
export function listBackups(dir: string): BackupFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => ARCHIVE.test(n))
    .sort()
    .reverse()
    .map((name) => {
      const st = fs.statSync(path.join(dir, name));
      return { name, size: st.size, modified_at: st.mtime.toISOString() };
    });
}

/**
 * One backup into `dir`, named by its time, then the oldest archives deleted so that `keep` remain (none when `keep` is 0). Only files named like the job's own archives are ever deleted.
 */
export async function runBackupJob(
  database: Database,
  opts: { dir: string; keep: number; dataDir: string; now: Date; progress?: BackupProgress },
): Promise<BackupJobResult> {
  fs.mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const stamp = opts.now.toISOString().replace(/[-:]/g, '').replace('.', '');
  let name = `rasd-backup-${stamp.slice(0, 15)}Z.zip`;
  if (fs.existsSync(path.join(opts.dir, name))) name = `rasd-backup-${stamp}`.replace(/Z$/, '') + 'Z.zip';
  const result = await createBackup(database, { out: path.join(opts.dir, name), dataDir: opts.dataDir, progress: opts.progress });
  const pruned: string[] = [];
  // keep = 0 (no nightly run): an archive asked for by hand deletes nothing
  // the new archive always stays (even if a clock put older-looking names beside it), with the newest keep - 1 others
  for (const old of opts.keep > 0 ? listBackups(opts.dir).filter((f) => f.name !== name).slice(opts.keep - 1) : []) {
    await fs.promises.rm(path.join(opts.dir, old.name), { force: true });
    pruned.push(old.name);
  }
  return { ...result, pruned };
}

export interface LastBackup {
  job_id: string;
  ok: boolean;
  finished_at: string;
  file: string | null;
  size: number | null;
  error: string | null;
}

/** The last backup run that ended (succeeded or failed), and the one running now, from the jobs table. */
export async function backupStatus(db: Kysely<DB>): Promise<{ last: LastBackup | null; running: { job_id: string; phase: string | null; progress: number; total: number } | null }> {
  const last = await db
    .selectFrom('jobs')
    .select(['id', 'status', 'finished_at', 'result', 'error'])
    .where('kind', '=', BACKUP_JOB)
    .where('status', 'in', ['succeeded', 'failed'])
    .where('finished_at', 'is not', null)
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const staleBefore = new Date(Date.now() - 15 * 60_000).toISOString();
  const running = await db
    .selectFrom('jobs')
    .select(['id', 'phase', 'progress', 'total'])
    .where('kind', '=', BACKUP_JOB)
    .where('status', '=', 'running')
    .where('updated_at', '>', staleBefore)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  let view: LastBackup | null = null;
  if (last) {
    const result = last.result ? (JSON.parse(last.result) as Partial<BackupJobResult> | null) : null;
    const error = last.error ? (JSON.parse(last.error) as { message?: string }) : null;
    view = {
      job_id: last.id,
      ok: last.status === 'succeeded',
      finished_at: last.finished_at!,
      file: result?.file ?? null,
      size: typeof result?.size === 'number' ? result.size : null,
      error: error?.message ?? null,
    };
  }
  return {
    last: view,
    running: running ? { job_id: running.id, phase: running.phase, progress: Number(running.progress), total: Number(running.total) } : null,
  };
}

/**
 * An admin's "back up now": refused while another backup runs (409 `backup_running`); otherwise a `backup` job
 * row (run in this process by `runner`, never by the queue: no run_at) and an audit entry, then the run starts.
 * The web page follows it at /api/jobs/:id.
 */
export async function requestBackup(
  database: Database,
  runner: InProcessJobs,
  opts: { dir: string; keep: number; dataDir: string; actorId: string },
): Promise<{ jobId: string }> {
  const { db } = database;
  if ((await backupStatus(db)).running) throw conflict('backup_running', 'A backup is running now; wait for it to end.');
  const jobId = await db.transaction().execute(async (trx) => {
    const id = await createJob(trx, BACKUP_JOB, { manual: true }, opts.actorId);
    await recordAudit(trx, { actorId: opts.actorId, action: 'backup.run', subjectType: 'backup', subjectId: id, after: { dir: opts.dir } });
    return id;
  });
  runner.start(jobId, (progress) =>
    runBackupJob(database, { dir: opts.dir, keep: opts.keep, dataDir: opts.dataDir, now: new Date(), progress: (phase, done, total) => progress(phase, done, total) }),
  );
  return { jobId };
}
