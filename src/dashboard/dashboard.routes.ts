import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { homeSummary } from './dashboard.service.ts';
import { homeSummarySchema, overdueSchema, statusBySchema, trendSchema } from './dashboard.schema.ts';
import { overdueDashboard, statusBy, STATUS_DIMENSIONS, trend } from './followup.service.ts';

export function dashboardRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/dashboard/summary', { schema: { tags: ['dashboard'], summary: 'Counts for the home page', response: { 200: homeSummarySchema } } }, async (request) => {
    requireUser(request);
    return homeSummary(ctx.db, ctx.dialect);
  });
  r.get(
    '/api/dashboard/status',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Recommendations per status by mechanism, body, cycle, theme, SDG or entity; each row has the list filter it opens',
        querystring: z.object({ by: z.enum(STATUS_DIMENSIONS).default('mechanism') }),
        response: { 200: statusBySchema },
      },
    },
    async (request) => {
      requireUser(request);
      return statusBy(ctx.db, ctx.dialect, request.query.by);
    },
  );
  r.get('/api/dashboard/overdue', { schema: { tags: ['dashboard'], summary: 'Overdue assignments, with counts per entity', response: { 200: overdueSchema } } }, async (request) => {
    requireUser(request);
    return overdueDashboard(ctx.db);
  });
  r.get(
    '/api/dashboard/trend',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Status changes and approved updates per month',
        querystring: z.object({ months: z.coerce.number().int().min(1).max(120).default(24) }),
        response: { 200: trendSchema },
      },
    },
    async (request) => {
      requireUser(request);
      return trend(ctx.db, request.query.months);
    },
  );
}
