import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../auth/guards.ts';
import type { AppContext } from '../server/context.ts';
import { createUser, listUsers, parseRole, ROLES, setUserDisabled } from './users.service.ts';

export function usersRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/admin/users', { schema: { tags: ['admin'], summary: 'List users (admin)' } }, async (request) => {
    requireRole(request, 'admin');
    return { items: await listUsers(ctx.db) };
  });
  r.post(
    '/api/admin/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a user (admin)',
        body: z.object({
          email: z.string(),
          password: z.string(),
          name: z.string().max(200).optional(),
          role: z.string().refine((v) => (ROLES as readonly string[]).includes(v.replace(/-/g, '_')), 'Unknown role'),
          entityId: z.string().nullable().optional(),
          locale: z.enum(['ar', 'en']).optional(),
        }),
      },
    },
    async (request, reply) => {
      const admin = requireRole(request, 'admin');
      const user = await createUser(ctx.db, { ...request.body, role: parseRole(request.body.role) }, admin.id);
      return reply.status(201).send(user);
    },
  );
  r.post(
    '/api/admin/users/:id/disable',
    { schema: { tags: ['admin'], summary: 'Disable a user (admin)', params: z.object({ id: z.string() }) } },
    async (request) => {
      const admin = requireRole(request, 'admin');
      return setUserDisabled(ctx.db, request.params.id, true, admin.id);
    },
  );
}
