import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CURATORS, requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { keepApart, listDuplicateCandidates, listMerges, mergeRecommendations, unmergeRecommendations } from './merge.service.ts';
import { duplicateCandidatesSchema, mergeListSchema, mergeResultSchema, unmergeResultSchema } from './recommendations.schema.ts';

const id = z.string().min(1).max(100);

/** One record per recommendation: candidate pairs from different sources, merge, keep apart, unmerge. */
export function mergeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/recommendations/duplicates',
    {
      config: { roles: CURATORS },
      schema: {
        tags: ['recommendations'],
        summary: 'Candidate pairs: the same recommendation from two sources (same state, cycle, kind; near-identical text; a recommending state in common)',
        querystring: z.object({ country: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: duplicateCandidatesSchema },
      },
    },
    async (request) => listDuplicateCandidates(ctx.db, ctx.dialect, { ...(request.query.country ? { country: request.query.country } : {}), limit: request.query.limit }),
  );
  r.post(
    '/api/recommendations/merge',
    {
      config: { roles: CURATORS },
      schema: {
        tags: ['recommendations'],
        summary: "Merge a record into another (the survivor keeps both sources' ids and all local work); send the versions read",
        body: z.object({ survivorId: id, survivorVersion: z.number().int().min(1), mergedId: id, mergedVersion: z.number().int().min(1) }),
        response: { 200: mergeResultSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return mergeRecommendations(ctx.db, request.body, user.id);
    },
  );
  r.post(
    '/api/recommendations/duplicates/keep-apart',
    { config: { roles: CURATORS }, schema: { tags: ['recommendations'], summary: 'Keep a candidate pair apart (it is no longer proposed); 204 without a body', body: z.object({ aId: id, bId: id }), response: { 204: z.null() } } },
    async (request, reply) => {
      const user = requireUser(request);
      await keepApart(ctx.db, request.body.aId, request.body.bId, user.id);
      return reply.status(204).send(null);
    },
  );
  r.get(
    '/api/recommendations/:id/merges',
    { config: { roles: CURATORS }, schema: { tags: ['recommendations'], summary: 'The records merged into this one (each can be unmerged)', params: z.object({ id }), response: { 200: mergeListSchema } } },
    async (request) => ({ items: await listMerges(ctx.db, request.params.id) }),
  );
  r.post(
    '/api/recommendations/merges/:id/unmerge',
    { config: { roles: CURATORS }, schema: { tags: ['recommendations'], summary: 'Undo a merge: both records back, each with its own local work', params: z.object({ id }), response: { 200: unmergeResultSchema } } },
    async (request) => {
      const user = requireUser(request);
      return unmergeRecommendations(ctx.db, request.params.id, user.id);
    },
  );
}
