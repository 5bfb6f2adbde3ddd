import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { portalDataStamp } from './data-stamp.ts';
import { etagOf, PageCache, sendPage, type CachedPage } from './page-cache.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../server/context.ts';
import { AppError } from '../shared/errors.ts';
import { TokenBuckets } from './rate-limit.ts';
import { idParams, publicDetailSchema, publicListQuerySchema, publicListSchema } from './portal.schema.ts';
import { publicList, publicRecommendation } from './portal.service.ts';

/**
 * The public API: anonymous, read-only, published content only, rate-limited per address. The response
 * schemas are whitelists too: a field not named in them is never sent. Answers are kept in memory like the portal's
 * pages (src/portal/page-cache.ts), per address and per state of the portal's data (data-stamp.ts), and carry an
 * ETag (304 on If-None-Match) and `Cache-Control: public, no-cache`.
 */
export function portalApiRoutes(app: FastifyInstance, ctx: AppContext): void {
  const cache = new PageCache(ctx.config.publicPageCacheEntries);
  const dataStamp = portalDataStamp(ctx);
  /** The answer at this address for the current data: from the cache, or made, checked against its schema and kept. */
  async function cachedJson<S extends z.ZodType>(request: FastifyRequest, reply: FastifyReply, schema: S, make: () => Promise<z.input<S>>) {
    const enabled = ctx.config.publicPageCacheEntries > 0;
    // the stamp is taken before the data is read: a change committed meanwhile leaves this answer under an old stamp
    const stamp = enabled ? await dataStamp() : '';
    let answer = enabled ? cache.get(request.url, stamp) : undefined;
    reply.header('x-cache', answer ? 'hit' : 'miss');
    if (!answer) {
      // the schema as a whitelist (unknown keys dropped), as the route's serializer would
      const body = JSON.stringify(schema.parse(await make()));
      answer = { stamp, status: 200, type: 'application/json; charset=utf-8', body, etag: etagOf(body) } satisfies CachedPage;
      if (enabled) cache.set(request.url, answer);
    }
    return sendPage(request, reply, answer, cache);
  }

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
    async (request, reply) => cachedJson(request, reply, publicListSchema, () => publicList(ctx.db, ctx.dialect, request.query)),
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
    async (request, reply) => cachedJson(request, reply, publicDetailSchema, () => publicRecommendation(ctx.db, ctx.dialect, request.params.id)),
  );
}
