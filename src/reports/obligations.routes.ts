import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { z } from 'zod';
import { createFeed, feedStatus, renderFeed, revokeFeed } from './ical.ts';
import {
  calendarQuery,
  calendarSchema,
  createObligationSchema,
  feedCreatedSchema,
  feedStatusSchema,
  idParams,
  listObligationsQuery,
  obligationDetailSchema,
  obligationListSchema,
  obligationOwnersSchema,
  obligationSuggestionsSchema,
  patchObligationSchema,
  versionBody,
} from './obligations.schema.ts';
import { calendar, createObligation, deleteObligation, getObligation, listObligations, obligationOwners, patchObligation, suggestObligations } from './obligations.service.ts';

export function obligationsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reports'];
  r.get(
    '/api/obligations',
    { schema: { tags, summary: 'Reporting obligations (what is owed to which body by when), with overdue computed', querystring: listObligationsQuery, response: { 200: obligationListSchema } } },
    async (request) => {
      return listObligations(ctx.db, request.query, requireUser(request));
    },
  );
  r.get('/api/obligations/suggestions', { schema: { tags, summary: 'Due dates suggested from the register (UPR cycle, mid-term, treaty follow-up)', response: { 200: obligationSuggestionsSchema } } }, async (request) => {
    requireUser(request);
    return suggestObligations(ctx.db);
  });
  r.get('/api/obligations/owners', { schema: { tags, summary: 'Users who may own an obligation (coordinator)', response: { 200: obligationOwnersSchema } } }, async (request) => obligationOwners(ctx.db, requireUser(request)));
  r.get(
    '/api/calendar',
    { schema: { tags, summary: "Reporting deadlines, assignment due dates and the adopted action plan's action end dates between two dates (filters: body, entity — lead or partner of an action)", querystring: calendarQuery, response: { 200: calendarSchema } } },
    async (request) => {
      requireUser(request);
      return calendar(ctx.db, request.query);
    },
  );
  r.post('/api/obligations', { schema: { tags, summary: 'Add an obligation (coordinator)', body: createObligationSchema, response: { 201: obligationDetailSchema } } }, async (request, reply) => {
    const user = requireUser(request);
    return reply.status(201).send(await createObligation(ctx.db, request.body, user));
  });
  r.get('/api/obligations/:id', { schema: { tags, summary: 'One obligation with its documents and reports', params: idParams, response: { 200: obligationDetailSchema } } }, async (request) => {
    return getObligation(ctx.db, request.params.id, requireUser(request));
  });
  r.patch(
    '/api/obligations/:id',
    { schema: { tags, summary: 'Edit an obligation (send the version you read; stale → 409)', params: idParams, body: patchObligationSchema, response: { 200: obligationDetailSchema } } },
    async (request) => patchObligation(ctx.db, request.params.id, request.body, requireUser(request)),
  );
  r.delete(
    '/api/obligations/:id',
    { schema: { tags, summary: 'Delete an obligation that has no report', params: idParams, body: versionBody, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteObligation(ctx.db, request.params.id, request.body.version, requireUser(request));
      return reply.status(204).send(null);
    },
  );
  r.get('/api/calendar/feed', { schema: { tags, summary: 'Whether I have an iCalendar feed address', response: { 200: feedStatusSchema } } }, async (request) => feedStatus(ctx.db, requireUser(request)));
  r.post('/api/calendar/feed', { schema: { tags, summary: 'Create (or replace) my secret iCalendar feed address; the address is shown once', response: { 201: feedCreatedSchema } } }, async (request, reply) =>
    reply.status(201).send(await createFeed(ctx.db, requireUser(request), ctx.config.publicUrl)),
  );
  r.delete('/api/calendar/feed', { schema: { tags, summary: 'Revoke my iCalendar feed address', response: { 204: z.null() } } }, async (request, reply) => {
    await revokeFeed(ctx.db, requireUser(request));
    return reply.status(204).send(null);
  });
  r.get(
    '/api/calendar/feed/:file',
    { config: { anonymous: true }, schema: { tags, summary: 'The iCalendar (.ics) feed behind a secret address (no session: Outlook and other calendars read it)', params: z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{20,64}\.ics$/) }) } },
    async (request, reply) => {
      const body = await renderFeed(ctx.db, request.params.file.slice(0, -4), ctx.config.publicUrl);
      return reply.header('content-type', 'text/calendar; charset=utf-8').header('cache-control', 'no-store').send(body);
    },
  );
}
