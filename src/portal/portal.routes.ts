import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../server/context.ts';
import { AppError } from '../shared/errors.ts';
import { TokenBuckets } from './rate-limit.ts';
import { idParams, publicDetailSchema, publicListQuerySchema, publicListSchema } from './portal.schema.ts';
import { publicList, publicRecommendation } from './portal.service.ts';

/**
 * The public API: anonymous, read-only, published content only, rate-limited per address. The response
 * schemas are whitelists too: a field not named in them is never sent.
 */
export function portalApiRoutes(app: FastifyInstance, ctx: AppContext): void {
  const buckets = new TokenBuckets(ctx.config.publicApiRatePerMinute, 60_000);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/public/')) return;
    const wait = buckets.take(request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      throw new AppError(429, 'rate_limited', 'Too many requests from this address. Wait a moment and try again.', { retryAfterSeconds: Math.ceil(wait / 1000) });
    }
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['public'];
  r.get(
    '/api/public/recommendations',
    {
      config: { anonymous: true },
      schema: {
        tags,
        summary: 'Published recommendations: search, facets (counted over published ones only) and paging; anonymous, rate-limited',
        querystring: publicListQuerySchema,
        response: { 200: publicListSchema },
      },
    },
    async (request) => publicList(ctx.db, ctx.dialect, request.query),
  );
  r.get(
    '/api/public/recommendations/:id',
    {
      config: { anonymous: true },
      schema: {
        tags,
        summary: 'One published recommendation: texts, source, position, status with date, approved public updates, responsible entities (404 when unpublished)',
        params: idParams,
        response: { 200: publicDetailSchema },
      },
    },
    async (request) => publicRecommendation(ctx.db, ctx.dialect, request.params.id),
  );
}
