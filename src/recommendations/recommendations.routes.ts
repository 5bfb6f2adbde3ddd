import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CURATORS, requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { curationResultSchema, listQuerySchema, recommendationDetailSchema, recommendationListSchema, updateSchema } from './recommendations.schema.ts';
import { getRecommendation, searchRecommendationsJson, updateRecommendation } from './recommendations.service.ts';

const idParams = z.object({ id: z.string().min(1).max(100) });

export function recommendationsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/recommendations',
    { schema: { tags: ['recommendations'], summary: 'Search and list recommendations with facets', querystring: listQuerySchema, response: { 200: recommendationListSchema } } },
    async (request, reply) => {
      const user = requireUser(request);
      // JSON text already (the first pages are kept serialised per register version): sent as it is, checked against
      // the response schema under test (src/server/response-serializer.ts)
      const json = await searchRecommendationsJson(ctx.db, ctx.dialect, request.query, user.id);
      return reply.type('application/json; charset=utf-8').send(json as never);
    },
  );
  r.get(
    '/api/recommendations/:id',
    { schema: { tags: ['recommendations'], summary: 'One recommendation with its terms and history', params: idParams, response: { 200: recommendationDetailSchema } } },
    async (request) => {
      requireUser(request);
      return getRecommendation(ctx.db, request.params.id);
    },
  );
  r.patch(
    '/api/recommendations/:id',
    {
      config: { roles: CURATORS },
      schema: {
        tags: ['recommendations'],
        summary: 'Curate a recommendation (optimistic concurrency: send the version you read)',
        params: idParams,
        body: updateSchema,
        response: { 200: curationResultSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return updateRecommendation(ctx.db, request.params.id, request.body, user);
    },
  );
}
