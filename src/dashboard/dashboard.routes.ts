import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { homeSummary } from './dashboard.service.ts';

export function dashboardRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/dashboard/summary', { schema: { tags: ['dashboard'], summary: 'Counts for the home page' } }, async (request) => {
    requireUser(request);
    return homeSummary(ctx.db);
  });
}
