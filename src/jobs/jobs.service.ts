/**
 * Background jobs recorded in the database (`jobs`): any instance can report a job's progress;
 * the instance that started a job runs it in-process (async, yielding to the event loop) and
 * writes its progress, result or error to the row.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB, JobStatus } from '../db/schema.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';

export interface JobView {
  id: string;
  kind: string;
  status: JobStatus;
  phase: string | null;
  progress: number;
  total: number;
  /** 0..100 */
  percent: number;
  params: unknown;
  result: unknown;
  error: { code: string; message: string } | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export async function createJob(db: Kysely<DB> | Transaction<DB>, kind: string, params: unknown, createdBy: string | null): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('jobs')
    .values({ id, kind, status: 'queued', params: JSON.stringify(params ?? {}), progress: 0, total: 0, phase: null, result: null, error: null, created_by: createdBy, created_at: now, updated_at: now, finished_at: null })
    .execute();
  return id;
}

export async function getJob(db: Kysely<DB>, id: string): Promise<JobView> {
  const j = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!j) throw notFound('Job');
  const total = Number(j.total);
  const progress = Number(j.progress);
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    phase: j.phase,
    progress,
    total,
    percent: j.status === 'succeeded' ? 100 : total > 0 ? Math.min(100, Math.floor((progress / total) * 100)) : 0,
    params: JSON.parse(j.params) as unknown,
    result: j.result ? (JSON.parse(j.result) as unknown) : null,
    error: j.error ? (JSON.parse(j.error) as { code: string; message: string }) : null,
    created_by: j.created_by,
    created_at: j.created_at,
    updated_at: j.updated_at,
    finished_at: j.finished_at,
  };
}

export type ProgressFn = (phase: string, progress: number, total: number) => Promise<void>;

/** Runs jobs in this process and keeps track of them (so the app can wait for them on close). */
export class InProcessJobs {
  readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly onUnexpected: (err: unknown) => void = () => undefined,
  ) {}

  /** Starts `work` for the job row `id` without waiting; progress writes are throttled. */
  start(id: string, work: (progress: ProgressFn) => Promise<unknown>): void {
    const db = this.db;
    let lastWrite = 0;
    const progress: ProgressFn = async (phase, done, total) => {
      const now = Date.now();
      if (now - lastWrite < 250 && done < total) return;
      lastWrite = now;
      await db.updateTable('jobs').set({ phase, progress: done, total, updated_at: nowIso() }).where('id', '=', id).execute();
    };
    const run = (async () => {
      await db.updateTable('jobs').set({ status: 'running', updated_at: nowIso() }).where('id', '=', id).execute();
      try {
        const result = await work(progress);
        const now = nowIso();
        await db
          .updateTable('jobs')
          .set({ status: 'succeeded', phase: 'done', result: JSON.stringify(result ?? null), updated_at: now, finished_at: now })
          .where('id', '=', id)
          .execute();
      } catch (err) {
        const error = err instanceof AppError ? { code: err.code, message: err.message } : { code: 'job_failed', message: err instanceof Error ? err.message : String(err) };
        if (!(err instanceof AppError)) this.onUnexpected(err);
        const now = nowIso();
        await db.updateTable('jobs').set({ status: 'failed', error: JSON.stringify(error), updated_at: now, finished_at: now }).where('id', '=', id).execute();
      }
    })()
      .catch((err: unknown) => this.onUnexpected(err))
      .finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, run);
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }
}
