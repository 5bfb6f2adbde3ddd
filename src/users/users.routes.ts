import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/guards.ts';
import { authorize, canManageUser } from '../auth/permissions.ts';
import { notFound } from '../shared/errors.ts';
import type { AppContext } from '../server/context.ts';
import { createMailer } from '../notifications/mailer.ts';
import { checkResetLink, issueTemporaryPassword, redeemResetLink, sendResetLink } from './password-reset.service.ts';
import { changeOwnPassword, createUser, listUsers, parseRole, resetPassword, ROLES, setUserDisabled, unlockSignIn } from './users.service.ts';
import {
  adminUserSchema,
  okSchema,
  passwordResetDoneSchema,
  publicUserSchema,
  resetLinkCheckSchema,
  resetLinkSentSchema,
  temporaryPasswordSchema,
  userListSchema,
} from './users.schema.ts';

export function usersRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/admin/users', { config: { roles: ['admin'] }, schema: { tags: ['admin'], summary: 'List users (admin)', response: { 200: userListSchema } } }, async () => {
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
        response: { 201: publicUserSchema },
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
    { config: { roles: ['admin'] }, schema: { tags: ['admin'], summary: 'Disable a user (admin)', params: z.object({ id: z.string() }), response: { 200: publicUserSchema } } },
    async (request) => {
      const admin = requireUser(request);
      return setUserDisabled(ctx.db, request.params.id, true, admin.id);
    },
  );

  r.post(
    '/api/admin/users/:id/unlock',
    { config: { roles: ['admin'] }, schema: { tags: ['admin'], summary: 'Lift the sign-in lock that failed attempts put on an account (admin)', params: z.object({ id: z.string() }), response: { 200: adminUserSchema } } },
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
        response: { 200: okSchema },
      },
    },
    async (request) => {
      const admin = requireUser(request);
      await resetPassword(ctx.db, request.params.id, request.body.password, admin.id);
      return { ok: true };
    },
  );
  // Administrators' resets: a single-use link by e-mail, or a temporary password to be changed at the next sign-in.
  const mailer = createMailer({ smtpUrl: ctx.config.smtpUrl, from: ctx.config.mailFrom });
  app.addHook('onClose', async () => mailer.close());
  const resetToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Not a reset link token');
  r.post(
    '/api/admin/users/:id/reset-link',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: "E-mail the user a single-use link to choose a new password (valid 24 hours; a newer link replaces it); their sessions end (admin)",
        params: z.object({ id: z.string().max(100) }),
        response: { 200: resetLinkSentSchema },
      },
    },
    async (request) => {
      const admin = requireUser(request);
      return sendResetLink(ctx.db, mailer, { userId: request.params.id, actorId: admin.id, publicUrl: ctx.config.publicUrl });
    },
  );
  r.post(
    '/api/admin/users/:id/temporary-password',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin'],
        summary: 'Give the user a temporary password, shown this once, that they must change at their next sign-in; their sessions end (admin)',
        params: z.object({ id: z.string().max(100) }),
        response: { 200: temporaryPasswordSchema },
      },
    },
    async (request) => {
      const admin = requireUser(request);
      return issueTemporaryPassword(ctx.db, request.params.id, admin.id);
    },
  );
  r.post(
    '/api/auth/password-reset/check',
    {
      config: { anonymous: true },
      schema: { tags: ['auth'], summary: 'Whether a reset link can still be used, and for which account', body: z.object({ token: resetToken }), response: { 200: resetLinkCheckSchema } },
    },
    async (request) => checkResetLink(ctx.db, request.body.token),
  );
  r.post(
    '/api/auth/password-reset',
    {
      config: { anonymous: true },
      schema: {
        tags: ['auth'],
        summary: "Choose a new password with a reset link's token (works once); every session of the account ends",
        body: z.object({ token: resetToken, password: z.string().max(200) }),
        response: { 200: passwordResetDoneSchema },
      },
    },
    async (request) => {
      const done = await redeemResetLink(ctx.db, request.body.token, request.body.password);
      return { ok: true, email: done.email };
    },
  );

  r.post(
    '/api/auth/password',
    {
      config: { duringTwoFactorSetup: true, duringPasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Change my own password (the current one is required); my other sessions end',
        body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().max(200) }),
        response: { 200: okSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await changeOwnPassword(ctx.db, user.id, request.body, request.auth!.sessionId);
      return { ok: true };
    },
  );

  // A focal point manages the contributors of their own entity (SPEC §1); admins may use these too.
  r.get('/api/entity-users', { schema: { tags: ['users'], summary: "Users of my entity (focal points) — all users for admins", response: { 200: userListSchema } } }, async (request) => {
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
        response: { 201: publicUserSchema },
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
    { schema: { tags: ['users'], summary: "A focal point disables one of their entity's contributors", params: z.object({ id: z.string().max(100) }), response: { 200: publicUserSchema } } },
    async (request) => {
      const user = requireUser(request);
      const target = (await listUsers(ctx.db)).find((u) => u.id === request.params.id);
      if (!target) throw notFound('User');
      authorize(canManageUser(user, target));
      return setUserDisabled(ctx.db, target.id, true, user.id);
    },
  );
}
