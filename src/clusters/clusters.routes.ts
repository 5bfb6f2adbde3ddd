import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CURATORS, requireUser } from '../auth/guards.ts';
import { createJob, InProcessJobs, jobStartedSchema } from '../jobs/index.ts';
import type { AppContext } from '../server/context.ts';
import { z } from 'zod';
import {
  clusterAcceptedSchema,
  clusterDetailSchema,
  clusterListSchema,
  clusterMergedSchema,
  clusterRenamedSchema,
  clusterSplitSchema,
  idParams,
  listClustersQuery,
  memberParams,
  memberRemovedSchema,
  mergeBody,
  renameBody,
  splitBody,
  suggestBody,
  versionBody,
} from './clusters.schema.ts';
import {
  acceptCluster,
  deleteCluster,
  getCluster,
  listClusters,
  mergeClusters,
  removeMember,
  renameCluster,
  runSuggestion,
  splitCluster,
} from './clusters.service.ts';

export function clustersRoutes(app: FastifyInstance, ctx: AppContext): void {
  const runner = new InProcessJobs(ctx.db, (err) => app.log.error({ err }, 'cluster suggestion failed unexpectedly'));
  app.addHook('onClose', () => runner.drain());
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/clusters', { schema: { tags: ['clusters'], summary: 'Clusters with member counts and status breakdown', querystring: listClustersQuery, response: { 200: clusterListSchema } } }, async (request) => {
    requireUser(request);
    return listClusters(ctx.db, request.query);
  });
  r.get('/api/clusters/:id', { schema: { tags: ['clusters'], summary: 'A cluster and its members with their status', params: idParams, response: { 200: clusterDetailSchema } } }, async (request) => {
    requireUser(request);
    return getCluster(ctx.db, request.params.id);
  });
  r.post(
    '/api/clusters/suggest',
    { config: { roles: CURATORS }, schema: { tags: ['clusters'], summary: 'Start a background suggestion run (202 with the job id; follow it at /api/jobs/:id)', body: suggestBody, response: { 202: jobStartedSchema } } },
    async (request, reply) => {
      const user = requireUser(request);
      const params = request.body ?? {};
      const jobId = await createJob(ctx.db, 'cluster.suggest', params, user.id);
      runner.start(jobId, (progress) => runSuggestion(ctx.db, params, { jobId, actorId: user.id, progress, dialect: ctx.dialect }));
      return reply.status(202).send({ jobId });
    },
  );
  r.post('/api/clusters/merge', { config: { roles: CURATORS }, schema: { tags: ['clusters'], summary: 'Merge clusters into one (accepted)', body: mergeBody, response: { 200: clusterMergedSchema } } }, async (request) => {
    const user = requireUser(request);
    return mergeClusters(ctx.db, request.body, user);
  });
  r.post('/api/clusters/:id/accept', { config: { roles: CURATORS }, schema: { tags: ['clusters'], summary: 'Accept a suggested cluster', params: idParams, body: versionBody, response: { 200: clusterAcceptedSchema } } }, async (request) => {
    const user = requireUser(request);
    return acceptCluster(ctx.db, request.params.id, request.body?.version, user);
  });
  r.patch(
    '/api/clusters/:id',
    { config: { roles: CURATORS }, schema: { tags: ['clusters'], summary: 'Rename a cluster (send the version you read; 409 when stale)', params: idParams, body: renameBody, response: { 200: clusterRenamedSchema } } },
    async (request) => {
      const user = requireUser(request);
      return renameCluster(ctx.db, request.params.id, request.body, user);
    },
  );
  r.post(
    '/api/clusters/:id/split',
    { config: { roles: CURATORS }, schema: { tags: ['clusters'], summary: 'Move some members into a new cluster', params: idParams, body: splitBody, response: { 201: clusterSplitSchema } } },
    async (request, reply) => {
      const user = requireUser(request);
      return reply.status(201).send(await splitCluster(ctx.db, request.params.id, request.body, user));
    },
  );
  r.delete(
    '/api/clusters/:id/members/:recommendationId',
    { config: { roles: CURATORS }, schema: { tags: ['clusters'], summary: 'Take a recommendation out of a cluster (an emptied cluster is deleted)', params: memberParams, response: { 200: memberRemovedSchema } } },
    async (request) => {
      const user = requireUser(request);
      return removeMember(ctx.db, request.params.id, request.params.recommendationId, user);
    },
  );
  r.delete('/api/clusters/:id', { config: { roles: CURATORS }, schema: { tags: ['clusters'], summary: 'Dissolve a cluster (members become unclustered); 204 without a body', params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    const user = requireUser(request);
    await deleteCluster(ctx.db, request.params.id, user);
    return reply.status(204).send(null);
  });
}
