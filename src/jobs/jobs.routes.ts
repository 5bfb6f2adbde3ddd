import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { jobSchema } from './jobs.schema.ts';
import { getJob } from './jobs.service.ts';

export function jobsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/jobs/:id',
    { schema: { tags: ['jobs'], summary: 'A background job: status, phase, progress/total, result or error', params: z.object({ id: z.string().min(1).max(100) }), response: { 200: jobSchema } } },
    async (request) => {
      requireUser(request);
      return getJob(ctx.db, request.params.id);
    },
  );
}
