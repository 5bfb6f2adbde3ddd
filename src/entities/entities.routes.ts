import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CURATORS, requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { entityImportResultSchema, entityListSchema, entitySchema } from './entities.schema.ts';
import { createEntity, importEntitiesCsv, listEntities, updateEntity } from './entities.service.ts';

export function entitiesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/entities',
    {
      schema: {
        tags: ['entities'],
        summary: 'Ministries and state bodies',
        querystring: z.object({ archived: z.enum(['true', 'false']).default('false') }),
        response: { 200: entityListSchema },
      },
    },
    async (request) => {
      requireUser(request);
      return { items: await listEntities(ctx.db, request.query.archived === 'true') };
    },
  );
  r.patch(
    '/api/entities/:id',
    {
      config: { roles: CURATORS },
      schema: {
        tags: ['entities'],
        summary: 'Edit, archive or restore an entity (send the version you read)',
        params: z.object({ id: z.string().max(100) }),
        body: z.object({
          version: z.number().int().min(1),
          name_ar: z.string().trim().min(1).max(300).optional(),
          name_en: z.string().trim().min(1).max(300).optional(),
          parent_id: z.string().max(100).nullable().optional(),
          archived: z.boolean().optional(),
        }),
        response: { 200: entitySchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return updateEntity(ctx.db, request.params.id, request.body, user.id);
    },
  );
  r.post(
    '/api/entities/import',
    {
      bodyLimit: 5 * 1024 * 1024,
      config: { roles: CURATORS, rawBody: true },
      schema: {
        tags: ['entities'],
        summary: 'Import entities from CSV (code,name_ar,name_en[,parent_code]) sent as application/octet-stream',
        querystring: z.object({ dryRun: z.enum(['true', 'false']).default('false') }),
        response: { 200: entityImportResultSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      return importEntitiesCsv(ctx.db, body, { dryRun: request.query.dryRun === 'true', actorId: user.id });
    },
  );
  r.post(
    '/api/entities',
    {
      config: { roles: CURATORS },
      schema: {
        tags: ['entities'],
        summary: 'Create an entity',
        body: z.object({
          code: z.string().trim().min(1).max(40),
          name_ar: z.string().trim().min(1).max(300),
          name_en: z.string().trim().min(1).max(300),
          parent_id: z.string().nullable().optional(),
        }),
        response: { 201: entitySchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      return reply.status(201).send(await createEntity(ctx.db, request.body, user.id));
    },
  );
}
