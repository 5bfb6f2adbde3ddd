import { hostname } from 'node:os';
import type { Kysely, Selectable } from 'kysely';
import type { DB, JobsTable } from '../db/schema.ts';
import { newId } from '../shared/ids.ts';

export type Job = Selectable<JobsTable>;
export interface JobHandlerContext {
  db: Kysely<DB>;
  /** the runner's clock (tests pass a fixed one) */
  now: Date;
}
export type JobHandler = (job: Job, ctx: JobHandlerContext) => Promise<unknown>;

export interface JobRunnerOptions {
  /** identifies this instance in locked_by */
  instanceId?: string;
  pollMs?: number;
  /** how long a claim lasts; a job whose runner died is claimed again after it */
  leaseMs?: number;
  maxAttempts?: number;
  now?: () => Date;
  /** run every day at this UTC hour: kinds enqueued once per day (id `<kind>:<date>`, so instances agree) */
  daily?: { kind: string; hourUtc: number }[];
  log?: { info(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
}

/**
 * The database job queue. Several app instances may run a runner on the same database: a job is
 * claimed with one conditional UPDATE (`… where id = ? and status = 'queued' and run_at <= now`, or a
 * running job whose lease expired), and only the runner whose UPDATE changed the row runs it. On
 * PostgreSQL the second UPDATE waits for the first and then finds the condition false; SQLite
 * serialises writers. Only jobs with a `run_at` and a registered kind are claimed, so jobs that other
 * modules run in-process (run_at null) are never touched.
 */
export class JobRunner {
  readonly instanceId: string;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly clock: () => Date;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly handlers: Record<string, JobHandler>,
    private readonly opts: JobRunnerOptions = {},
  ) {
    this.instanceId = opts.instanceId ?? `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;
    this.pollMs = opts.pollMs ?? 15_000;
    this.leaseMs = opts.leaseMs ?? 10 * 60_000;
    this.maxAttempts = opts.maxAttempts ?? 3;
    this.clock = opts.now ?? (() => new Date());
  }

  /** Adds a job; with an `id`, adding the same job twice (e.g. from two instances) keeps one. */
  async enqueue(kind: string, params: unknown, opts: { runAt?: Date; id?: string } = {}): Promise<boolean> {
    const now = this.clock().toISOString();
    const res = await this.db
      .insertInto('jobs')
      .values({
        id: opts.id ?? newId(),
        kind,
        status: 'queued',
        params: JSON.stringify(params ?? {}),
        progress: 0,
        total: 0,
        created_at: now,
        updated_at: now,
        run_at: (opts.runAt ?? this.clock()).toISOString(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** Enqueues today's run of each daily kind (idempotent across instances). */
  async ensureDaily(): Promise<void> {
    const now = this.clock();
    const date = now.toISOString().slice(0, 10);
    for (const d of this.opts.daily ?? []) {
      const runAt = new Date(`${date}T${String(d.hourUtc).padStart(2, '0')}:00:00.000Z`);
      await this.enqueue(d.kind, { date }, { id: `${d.kind}:${date}`, runAt });
    }
  }

  /** Claims one due job, or returns null when none is due or another runner won it. */
  async claimNext(): Promise<Job | null> {
    const kinds = Object.keys(this.handlers);
    if (kinds.length === 0) return null;
    const now = this.clock().toISOString();
    const candidates = await this.db
      .selectFrom('jobs')
      .select(['id', 'status'])
      .where('kind', 'in', kinds)
      .where('run_at', 'is not', null)
      .where('run_at', '<=', now)
      .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)])]))
      .orderBy('run_at')
      .limit(5)
      .execute();
    for (const c of candidates) {
      const lockedUntil = new Date(Date.parse(now) + this.leaseMs).toISOString();
      const res = await this.db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          locked_by: this.instanceId,
          locked_until: lockedUntil,
          attempts: eb('attempts', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', c.id)
        .where('run_at', '<=', now)
        .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)])]))
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) {
        return (await this.db.selectFrom('jobs').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow()) as Job;
      }
    }
    return null;
  }

  /** Runs due jobs until none is left; returns how many this runner ran. */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      const job = await this.claimNext();
      if (!job) return ran;
      ran += 1;
      await this.execute(job);
    }
  }

  private async execute(job: Job): Promise<void> {
    const handler = this.handlers[job.kind]!;
    const mine = (q: any) => q.where('id', '=', job.id).where('locked_by', '=', this.instanceId);
    try {
      const result = await handler(job, { db: this.db, now: this.clock() });
      const now = this.clock().toISOString();
      await mine(
        this.db.updateTable('jobs').set({ status: 'succeeded', result: JSON.stringify(result ?? null), error: null, locked_until: null, updated_at: now, finished_at: now }),
      ).execute();
      this.opts.log?.info({ job: job.id, kind: job.kind }, 'job succeeded');
    } catch (err) {
      const now = this.clock();
      const error = JSON.stringify({ message: (err as Error).message ?? String(err) });
      const retry = job.attempts < this.maxAttempts;
      await mine(
        this.db.updateTable('jobs').set({
          status: retry ? 'queued' : 'failed',
          error,
          locked_until: null,
          run_at: retry ? new Date(now.getTime() + 60_000 * 2 ** job.attempts).toISOString() : job.run_at,
          updated_at: now.toISOString(),
          finished_at: retry ? null : now.toISOString(),
        }),
      ).execute();
      this.opts.log?.error({ job: job.id, kind: job.kind, err }, retry ? 'job failed; will retry' : 'job failed');
    }
  }

  /** Polls the queue until stop(); ticks never overlap. */
  start(): void {
    if (this.timer) return;
    const tick = async () => {
      try {
        await this.ensureDaily();
        await this.runDue();
      } catch (err) {
        this.opts.log?.error({ err }, 'job runner tick failed');
      }
    };
    const loop = () => {
      this.running = tick().finally(() => {
        this.running = null;
        if (this.timer) this.timer = setTimeout(loop, this.pollMs);
      });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
