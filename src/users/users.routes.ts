import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/guards.ts';
import { authorize, canManageUser } from '../auth/permissions.ts';
import { notFound } from '../shared/errors.ts';
import type { AppContext } from '../server/context.ts';
import { changeOwnPassword, createUser, listUsers, parseRole, resetPassword, ROLES, setUserDisabled, unlockSignIn } from './users.service.ts';

export function usersRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/admin/users', { config: { roles: ['admin'] }, schema: { tags: ['admin'], summary: 'List users (admin)' } }, async () => {
    return { items: await listUsers(ctx.db) };
  });
  r.post(
    '/api/admin/users',
    {
      config: { roles: ['admin'] },
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
      const admin = requireUser(request);
      const user = await createUser(ctx.db, { ...request.body, role: parseRole(request.body.role) }, admin.id);
      return reply.status(201).send(user);
    },
  );
  r.post(
    '/api/admin/users/:id/disable',
    { config: { roles: ['admin'] }, schema: { tags: ['admin'], summary: 'Disable a user (admin)', params: z.object({ id: z.string() }) } },
    async (request) => {
      const admin = requireUser(request);
      return setUserDisabled(ctx.db, request.params.id, true, admin.id);
    },
  );

  r.post(
    '/api/admin/users/:id/unlock',
    { config: { roles: ['admin'] }, schema: { tags: ['admin'], summary: 'Lift the sign-in lock that failed attempts put on an account (admin)', params: z.object({ id: z.string() }) } },
    async (request) => {
      const admin = requireUser(request);
      return unlockSignIn(ctx.db, request.params.id, admin.id);
    },
  );

  r.post(
    '/api/admin/users/:id/password',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: "Set a new password for a user and end their sessions (admin)",
        params: z.object({ id: z.string() }),
        body: z.object({ password: z.string().max(200) }),
      },
    },
    async (request) => {
      const admin = requireUser(request);
      await resetPassword(ctx.db, request.params.id, request.body.password, admin.id);
      return { ok: true };
    },
  );
  r.post(
    '/api/auth/password',
    {
      config: { duringTwoFactorSetup: true },
      schema: {
        tags: ['auth'],
        summary: 'Change my own password (the current one is required); my other sessions end',
        body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().max(200) }),
      },
    },
    async (request) => {
      const user = requireUser(request);
      await changeOwnPassword(ctx.db, user.id, request.body, request.auth!.sessionId);
      return { ok: true };
    },
  );

  // A focal point manages the contributors of their own entity (SPEC §1); admins may use these too.
  r.get('/api/entity-users', { schema: { tags: ['users'], summary: "Users of my entity (focal points) — all users for admins" } }, async (request) => {
    const user = requireUser(request);
    const all = await listUsers(ctx.db);
    if (user.role === 'admin') return { items: all };
    authorize(user.role === 'focal_point' && user.entity_id !== null);
    return { items: all.filter((u) => u.entity_id === user.entity_id) };
  });
  r.post(
    '/api/entity-users',
    {
      schema: {
        tags: ['users'],
        summary: 'A focal point adds a contributor to their own entity',
        body: z.object({ email: z.string(), password: z.string(), name: z.string().max(200).optional(), locale: z.enum(['ar', 'en']).optional() }),
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      authorize(canManageUser(user, { role: 'contributor', entity_id: user.entity_id }));
      const created = await createUser(ctx.db, { ...request.body, role: 'contributor', entityId: user.entity_id }, user.id);
      return reply.status(201).send(created);
    },
  );
  r.post(
    '/api/entity-users/:id/disable',
    { schema: { tags: ['users'], summary: "A focal point disables one of their entity's contributors", params: z.object({ id: z.string().max(100) }) } },
    async (request) => {
      const user = requireUser(request);
      const target = (await listUsers(ctx.db)).find((u) => u.id === request.params.id);
      if (!target) throw notFound('User');
      authorize(canManageUser(user, target));
      return setUserDisabled(ctx.db, target.id, true, user.id);
    },
  );
}
