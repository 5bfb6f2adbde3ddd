import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CURATORS, requireUser } from '../auth/guards.ts';
import { createJob, InProcessJobs, jobStartedSchema } from '../jobs/index.ts';
import type { AppContext } from '../server/context.ts';
import {
  acceptAboveBody,
  acceptBody,
  acceptedAboveSchema,
  idParams,
  queueQuery,
  recommendationSuggestionsSchema,
  suggestBody,
  suggestionAcceptedSchema,
  suggestionRejectedSchema,
  taggerStatusSchema,
  tagQueueSchema,
  textSuggestionsSchema,
} from './tagging.schema.ts';
import { acceptAbove, acceptSuggestion, recommendationSuggestions, rejectSuggestion, reviewQueue, suggestForTexts, taggerStatus, TRAIN_JOB } from './tagging.service.ts';
import { retrain } from './train-worker.ts';

/** Tag suggestions: training as a background job, the review queue, a recommendation's suggestions and decisions. */
export function taggingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const runner = new InProcessJobs(ctx.db, (err) => app.log.error({ err }, 'tagger training failed unexpectedly'));
  app.addHook('onClose', () => runner.drain());
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/tagging', { config: { roles: CURATORS }, schema: { tags: ['tagging'], summary: 'The tagger model in use and how many suggestions wait for a decision', response: { 200: taggerStatusSchema } } }, async (request) => {
    requireUser(request);
    return taggerStatus(ctx.db);
  });
  r.post(
    '/api/tagging/train',
    { config: { roles: CURATORS }, schema: { tags: ['tagging'], summary: 'Train the tagger and refresh the suggestions in the background (202 with the job id; follow it at /api/jobs/:id)', response: { 202: jobStartedSchema } } },
    async (request, reply) => {
      const user = requireUser(request);
      const jobId = await createJob(ctx.db, TRAIN_JOB, {}, user.id);
      runner.start(jobId, (progress) => retrain(ctx.db, ctx.dialect, { actorId: user.id, jobId }, progress));
      return reply.status(202).send({ jobId });
    },
  );
  r.get('/api/tagging/queue', { config: { roles: CURATORS }, schema: { tags: ['tagging'], summary: 'Recommendations with pending suggestions, best first', querystring: queueQuery, response: { 200: tagQueueSchema } } }, async (request) => {
    requireUser(request);
    const q = request.query;
    return reviewQueue(ctx.db, { page: q.page, pageSize: q.pageSize, minConfidence: q.minConfidence, ...(q.kind ? { kind: q.kind } : {}), ...(q.document ? { documentId: q.document } : {}) });
  });
  r.post(
    '/api/tagging/suggest',
    { config: { roles: CURATORS }, schema: { tags: ['tagging'], summary: 'Suggestions for texts not in the register (an import preview): nothing is stored', body: suggestBody, response: { 200: textSuggestionsSchema } } },
    async (request) => {
      requireUser(request);
      return suggestForTexts(ctx.db, ctx.dialect, request.body.texts);
    },
  );
  r.get('/api/tagging/recommendations/:id', { schema: { tags: ['tagging'], summary: "A recommendation's pending suggestions with their confidence", params: idParams, response: { 200: recommendationSuggestionsSchema } } }, async (request) => {
    requireUser(request);
    return recommendationSuggestions(ctx.db, request.params.id);
  });
  r.post(
    '/api/tagging/suggestions/:id/accept',
    { config: { roles: CURATORS }, schema: { tags: ['tagging'], summary: "Accept a suggestion: the term is added to the recommendation (send the recommendation's version; 409 when stale)", params: idParams, body: acceptBody, response: { 200: suggestionAcceptedSchema } } },
    async (request) => {
      const user = requireUser(request);
      return acceptSuggestion(ctx.db, request.params.id, request.body.version, user);
    },
  );
  r.post('/api/tagging/suggestions/:id/reject', { config: { roles: CURATORS }, schema: { tags: ['tagging'], summary: 'Reject a suggestion (it is not suggested again)', params: idParams, response: { 200: suggestionRejectedSchema } } }, async (request) => {
    const user = requireUser(request);
    return rejectSuggestion(ctx.db, request.params.id, user);
  });
  r.post(
    '/api/tagging/accept',
    { config: { roles: CURATORS }, schema: { tags: ['tagging'], summary: 'Accept every pending suggestion at or above a confidence for the selected recommendations', body: acceptAboveBody, response: { 200: acceptedAboveSchema } } },
    async (request) => {
      const user = requireUser(request);
      return acceptAbove(ctx.db, request.body, user);
    },
  );
}
