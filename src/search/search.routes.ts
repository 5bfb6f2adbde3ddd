import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { z } from 'zod';
import { createViewBody, idParams, savedViewListSchema, savedViewSchema, similarListSchema, similarQuery } from './search.schema.ts';
import { similarRecommendations } from './similar.service.ts';
import { createView, deleteView, listViews } from './views.service.ts';

/** Similar recommendations and saved views (the search itself is GET /api/recommendations?q=). */
export function searchRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/recommendations/:id/similar',
    {
      schema: {
        tags: ['recommendations'],
        summary: 'Recommendations asking for similar things (any mechanism, cycle or language), with a 0..1 score',
        params: idParams,
        querystring: similarQuery,
        response: { 200: similarListSchema },
      },
    },
    async (request) => {
      requireUser(request);
      return similarRecommendations(ctx.db, ctx.dialect.search, request.params.id, { limit: request.query.limit });
    },
  );
  r.get('/api/views', { schema: { tags: ['views'], summary: 'My saved views', response: { 200: savedViewListSchema } } }, async (request) => {
    const user = requireUser(request);
    return { items: await listViews(ctx.db, user) };
  });
  r.post('/api/views', { schema: { tags: ['views'], summary: 'Save the current list search as a view', body: createViewBody, response: { 201: savedViewSchema } } }, async (request, reply) => {
    const user = requireUser(request);
    return reply.status(201).send(await createView(ctx.db, user, request.body));
  });
  r.delete('/api/views/:id', { schema: { tags: ['views'], summary: 'Delete one of my saved views', params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    const user = requireUser(request);
    await deleteView(ctx.db, user, request.params.id);
    return reply.status(204).send(null);
  });
}
