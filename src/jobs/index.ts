import type { Kysely } from 'kysely';
import { BACKUP_JOB, runBackupJob } from '../backup/index.ts';
import type { AppConfig } from '../config/config.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import { createMailer, type Mailer } from '../notifications/index.ts';
import { JobRunner, type Job, type JobHandler, type JobHandlerContext, type JobRunnerOptions } from './job-runner.ts';
import { runReminders } from './reminders.ts';
import { runObligationReminders } from '../reports/index.ts';
import { retrain, TRAIN_JOB, trainAndSuggest } from '../tagging/index.ts';

export { JobRunner, type Job, type JobHandler, type JobRunnerOptions } from './job-runner.ts';
export { runReminders, type RemindersOptions, type RemindersResult } from './reminders.ts';

/** The handlers of the scheduled jobs Rasd runs. */
export function jobHandlers(config: AppConfig, mailer: Mailer, log?: JobRunnerOptions['log'], dialect?: EngineDialect): Record<string, JobHandler> {
  return {
    // the nightly backup: needs the engine for its snapshot; an instance with BACKUP_KEEP=0 neither schedules nor
    // claims it (with several instances, only those whose BACKUP_DIR should receive the archives run it)
    ...(dialect && config.backup.keep > 0
      ? {
          [BACKUP_JOB]: (_job: Job, ctx: JobHandlerContext) =>
            runBackupJob({ db: ctx.db, dialect, destroy: async () => undefined }, { dir: config.backup.dir, keep: config.backup.keep, dataDir: config.dataDir, now: ctx.now }),
        }
      : {}),
    reminders: (job, ctx) => {
      const params = JSON.parse(job.params || '{}') as { date?: string };
      const today = params.date ?? ctx.now.toISOString().slice(0, 10);
      return runReminders(ctx.db, { today, reminderDays: config.reminderDays, mailer, publicUrl: config.publicUrl, log });
    },
    obligation_reminders: (job, ctx) => {
      const params = JSON.parse(job.params || '{}') as { date?: string };
      const today = params.date ?? ctx.now.toISOString().slice(0, 10);
      return runObligationReminders(ctx.db, { today, reminderDays: config.reminderDays, mailer, publicUrl: config.publicUrl, log });
    },
    // retraining queued after imports and accepted suggestions (src/tagging scheduleRetrain): in a worker thread with
    // its own connection, given the engine
    [TRAIN_JOB]: (job, ctx) => {
      const progress = async (phase: string, progress: number, total: number) => {
        await ctx.db.updateTable('jobs').set({ phase, progress, total, updated_at: new Date().toISOString() }).where('id', '=', job.id).execute();
      };
      const run = { actorId: job.created_by, jobId: job.id };
      return dialect ? retrain(ctx.db, dialect, run, progress) : trainAndSuggest(ctx.db, { ...run, progress });
    },
  };
}

/**
 * The runner `rasd serve` starts: polls every JOBS_POLL_SECONDS, assignment and reporting-deadline reminders daily
 * at REMINDER_HOUR_UTC, and (given the engine, and unless BACKUP_KEEP is 0) a backup into BACKUP_DIR daily at
 * BACKUP_HOUR_UTC.
 */
export function createJobRunner(db: Kysely<DB>, config: AppConfig, opts: { log?: JobRunnerOptions['log']; mailer?: Mailer; dialect?: EngineDialect } = {}) {
  const mailer = opts.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom });
  const runner = new JobRunner(db, jobHandlers(config, mailer, opts.log, opts.dialect), {
    pollMs: config.jobsPollMs,
    daily: [
      { kind: 'reminders', hourUtc: config.reminderHourUtc },
      { kind: 'obligation_reminders', hourUtc: config.reminderHourUtc },
      ...(opts.dialect && config.backup.keep > 0 ? [{ kind: BACKUP_JOB, hourUtc: config.backup.hourUtc }] : []),
    ],
    log: opts.log,
  });
  return { runner, mailer };
}
export { jobsRoutes } from './jobs.routes.ts';
export { createJob, getJob, InProcessJobs, type JobView, type ProgressFn } from './jobs.service.ts';
export { jobStartedSchema } from './job-started.schema.ts';
