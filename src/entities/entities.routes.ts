import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CURATORS, requireRole, requireUser } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { createEntity, listEntities } from './entities.service.ts';

export function entitiesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/entities', { schema: { tags: ['entities'], summary: 'Ministries and state bodies' } }, async (request) => {
    requireUser(request);
    return { items: await listEntities(ctx.db) };
  });
  r.post(
    '/api/entities',
    {
      schema: {
        tags: ['entities'],
        summary: 'Create an entity',
        body: z.object({
          code: z.string().trim().min(1).max(40),
          name_ar: z.string().trim().min(1).max(300),
          name_en: z.string().trim().min(1).max(300),
          parent_id: z.string().nullable().optional(),
        }),
      },
    },
    async (request, reply) => {
      const user = requireRole(request, ...CURATORS);
      return reply.status(201).send(await createEntity(ctx.db, request.body, user.id));
    },
  );
}
