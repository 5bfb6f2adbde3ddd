import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CURATORS, requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { listQuerySchema, updateSchema } from './recommendations.schema.ts';
import { getRecommendation, searchRecommendationsJson, updateRecommendation } from './recommendations.service.ts';

const idParams = z.object({ id: z.string().min(1).max(100) });

export function recommendationsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/recommendations',
    { schema: { tags: ['recommendations'], summary: 'Search and list recommendations with facets', querystring: listQuerySchema } },
    async (request, reply) => {
      const user = requireUser(request);
      // JSON text already (the first pages are kept serialised per register version)
      void reply.type('application/json; charset=utf-8');
      return searchRecommendationsJson(ctx.db, ctx.dialect, request.query, user.id);
    },
  );
  r.get(
    '/api/recommendations/:id',
    { schema: { tags: ['recommendations'], summary: 'One recommendation with its terms and history', params: idParams } },
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
      },
    },
    async (request) => {
      const user = requireUser(request);
      return updateRecommendation(ctx.db, request.params.id, request.body, user);
    },
  );
}
