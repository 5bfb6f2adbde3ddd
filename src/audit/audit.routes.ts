import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/guards.ts';
import { authorize, canReadAudit } from '../auth/permissions.ts';
import type { AppContext } from '../server/context.ts';
import { auditPageSchema } from './audit.schema.ts';
import { searchAudit } from './audit.service.ts';

export const auditQuerySchema = z.object({
  actor: z.string().max(100).optional(),
  /** exact action, or a prefix ending in "." (e.g. "update.") */
  action: z.string().max(100).optional(),
  subjectType: z.string().max(100).optional(),
  subjectId: z.string().max(100).optional(),
  /** ISO date or date-time, inclusive */
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}/).optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}/).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/admin/audit',
    { schema: { tags: ['admin'], summary: 'The audit log with filters (admins only)', querystring: auditQuerySchema, response: { 200: auditPageSchema } } },
    async (request) => {
      const user = requireUser(request);
      authorize(canReadAudit(user));
      return searchAudit(ctx.db, request.query);
    },
  );
}
