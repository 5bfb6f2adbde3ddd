import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireUser } from '../auth/guards.ts';
import { InProcessJobs, jobStartedSchema } from '../jobs/index.ts';
import type { AppContext } from '../server/context.ts';
import { backupStatus, listBackups, requestBackup } from './backup-job.ts';
import { backupStatusSchema } from './backup.schema.ts';

/** The admin page's backups: where they go, the last result, the archives kept, and "back up now". */
export function backupRoutes(app: FastifyInstance, ctx: AppContext): void {
  const runner = new InProcessJobs(ctx.db, (err) => app.log.error({ err }, 'backup failed unexpectedly'));
  app.addHook('onClose', () => runner.drain());
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { dir, keep, hourUtc } = ctx.config.backup;

  r.get(
    '/api/admin/backups',
    { config: { roles: ['admin'] }, schema: { tags: ['admin'], summary: 'Backups (admin): folder, schedule, last result, the running one, archives kept', response: { 200: backupStatusSchema } } },
    async () => {
      const status = await backupStatus(ctx.db);
      return { dir, keep, hour_utc: hourUtc, nightly: keep > 0, ...status, files: listBackups(dir) };
    },
  );
  r.post(
    '/api/admin/backups',
    { config: { roles: ['admin'] }, schema: { tags: ['admin'], summary: 'Back up now (admin): 202 with the job id; follow it at /api/jobs/:id; 409 backup_running', response: { 202: jobStartedSchema } } },
    async (request, reply) => {
      const user = requireUser(request);
      const out = await requestBackup({ db: ctx.db, dialect: ctx.dialect, destroy: async () => undefined }, runner, { dir, keep, dataDir: ctx.config.dataDir, actorId: user.id });
      return reply.status(202).send(out);
    },
  );
}
