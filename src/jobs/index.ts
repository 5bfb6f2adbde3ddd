import type { Kysely } from 'kysely';
import type { AppConfig } from '../config/config.ts';
import type { DB } from '../db/schema.ts';
import { createMailer, type Mailer } from '../notifications/index.ts';
import { JobRunner, type JobHandler, type JobRunnerOptions } from './job-runner.ts';
import { runReminders } from './reminders.ts';
import { runObligationReminders } from '../reports/index.ts';
import { TRAIN_JOB, trainAndSuggest } from '../tagging/index.ts';

export { JobRunner, type Job, type JobHandler, type JobRunnerOptions } from './job-runner.ts';
export { runReminders, type RemindersOptions, type RemindersResult } from './reminders.ts';

/** The handlers of the scheduled jobs Rasd runs. */
export function jobHandlers(config: AppConfig, mailer: Mailer, log?: JobRunnerOptions['log']): Record<string, JobHandler> {
  return {
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
    // retraining queued after imports and accepted suggestions (src/tagging scheduleRetrain)
    [TRAIN_JOB]: (job, ctx) =>
      trainAndSuggest(ctx.db, {
        actorId: job.created_by,
        jobId: job.id,
        progress: async (phase, progress, total) => {
          await ctx.db.updateTable('jobs').set({ phase, progress, total, updated_at: new Date().toISOString() }).where('id', '=', job.id).execute();
        },
      }),
  };
}

/** The runner `rasd serve` starts: polls every JOBS_POLL_SECONDS, assignment and reporting-deadline reminders daily at REMINDER_HOUR_UTC. */
export function createJobRunner(db: Kysely<DB>, config: AppConfig, opts: { log?: JobRunnerOptions['log']; mailer?: Mailer } = {}) {
  const mailer = opts.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom });
  const runner = new JobRunner(db, jobHandlers(config, mailer, opts.log), {
    pollMs: config.jobsPollMs,
    daily: [
      { kind: 'reminders', hourUtc: config.reminderHourUtc },
      { kind: 'obligation_reminders', hourUtc: config.reminderHourUtc },
    ],
    log: opts.log,
  });
  return { runner, mailer };
}
export { jobsRoutes } from './jobs.routes.ts';
export { createJob, getJob, InProcessJobs, type JobView, type ProgressFn } from './jobs.service.ts';
