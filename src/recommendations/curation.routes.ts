import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CURATORS, requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { bulkUpdate, setTerms } from './curation.service.ts';
import { bulkResultSchema, termsSetSchema } from './recommendations.schema.ts';

const bulkBody = z.object({
  ids: z.array(z.string().max(100)).min(1).max(5000),
  op: z.discriminatedUnion('action', [
    z.object({ action: z.literal('add_terms'), termIds: z.array(z.string().max(100)).min(1).max(100) }),
    z.object({ action: z.literal('remove_terms'), termIds: z.array(z.string().max(100)).min(1).max(100) }),
    z.object({ action: z.literal('set_position'), position: z.enum(['supported', 'noted', 'partially_supported']).nullable() }),
    z.object({ action: z.literal('set_priority'), priority: z.enum(['high', 'medium', 'low']).nullable() }),
    z.object({ action: z.literal('publish') }),
    z.object({ action: z.literal('unpublish') }),
  ]),
});

export function curationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.put(
    '/api/recommendations/:id/terms',
    {
      config: { roles: CURATORS },
      schema: {
        tags: ['recommendations'],
        summary: 'Replace the themes, affected persons, SDGs and tags of a recommendation',
        params: z.object({ id: z.string().max(100) }),
        body: z.object({ version: z.number().int().min(1), termIds: z.array(z.string().max(100)).max(200) }),
        response: { 200: termsSetSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return setTerms(ctx.db, request.params.id, request.body.version, request.body.termIds, user);
    },
  );
  r.post(
    '/api/recommendations/bulk',
    { config: { roles: CURATORS }, schema: { tags: ['recommendations'], summary: 'Tag, set position or priority, publish or unpublish a selection (all or nothing)', body: bulkBody, response: { 200: bulkResultSchema } } },
    async (request) => {
      const user = requireUser(request);
      return bulkUpdate(ctx.db, request.body.ids, request.body.op, user);
    },
  );
}
