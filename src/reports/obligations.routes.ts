import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { calendarQuery, createObligationSchema, idParams, listObligationsQuery, patchObligationSchema, versionBody } from './obligations.schema.ts';
import { calendar, createObligation, deleteObligation, getObligation, listObligations, patchObligation, suggestObligations } from './obligations.service.ts';

export function obligationsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reports'];
  r.get(
    '/api/obligations',
    { schema: { tags, summary: 'Reporting obligations (what is owed to which body by when), with overdue computed', querystring: listObligationsQuery } },
    async (request) => {
      requireUser(request);
      return listObligations(ctx.db, request.query);
    },
  );
  r.get('/api/obligations/suggestions', { schema: { tags, summary: 'Due dates suggested from the register (UPR cycle, mid-term, treaty follow-up)' } }, async (request) => {
    requireUser(request);
    return suggestObligations(ctx.db);
  });
  r.get(
    '/api/calendar',
    { schema: { tags, summary: 'Reporting deadlines and assignment due dates between two dates (filters: body, entity)', querystring: calendarQuery } },
    async (request) => {
      requireUser(request);
      return calendar(ctx.db, request.query);
    },
  );
  r.post('/api/obligations', { schema: { tags, summary: 'Add an obligation (coordinator)', body: createObligationSchema } }, async (request, reply) => {
    const user = requireUser(request);
    return reply.status(201).send(await createObligation(ctx.db, request.body, user));
  });
  r.get('/api/obligations/:id', { schema: { tags, summary: 'One obligation with its documents and reports', params: idParams } }, async (request) => {
    requireUser(request);
    return getObligation(ctx.db, request.params.id);
  });
  r.patch(
    '/api/obligations/:id',
    { schema: { tags, summary: 'Edit an obligation (send the version you read; stale → 409)', params: idParams, body: patchObligationSchema } },
    async (request) => patchObligation(ctx.db, request.params.id, request.body, requireUser(request)),
  );
  r.delete(
    '/api/obligations/:id',
    { schema: { tags, summary: 'Delete an obligation that has no report', params: idParams, body: versionBody } },
    async (request, reply) => {
      await deleteObligation(ctx.db, request.params.id, request.body.version, requireUser(request));
      return reply.status(204).send();
    },
  );
}
