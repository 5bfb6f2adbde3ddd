import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../server/context.ts';
import { sessionSchema, setLocale, toPublicUser } from '../users/index.ts';
import { requireUser } from './guards.ts';
import { secureCookie, setSessionCookie } from './cookies.ts';
import { oidcRoutes } from './oidc.routes.ts';
import { DEVICE_COOKIE, listSessions, login, logout, revokeSession, SESSION_COOKIE } from './session.service.ts';
import { secretKeysFor } from './secret-box.ts';
import { twoFactorRoutes } from './two-factor.routes.ts';
import { setupPending } from './two-factor.service.ts';

const DEVICE_COOKIE_DAYS = 365;

/** The signed-in user's sessions, by a handle derived from the stored id; `current` marks this one. */
const sessionListSchema = z.object({ items: z.array(z.object({ id: z.string(), created_at: z.string(), expires_at: z.string(), current: z.boolean() })) });

async function sessionPayload(ctx: AppContext, request: FastifyRequest) {
  if (!request.auth) return { user: null, csrfToken: null, twoFactorSetupRequired: false, passwordChangeRequired: false };
  return {
    user: toPublicUser(request.auth.user),
    csrfToken: request.auth.csrfToken,
    twoFactorSetupRequired: await setupPending(ctx.db, request.auth.user),
    passwordChangeRequired: Boolean(request.auth.user.password_change_required_at),
  };
}

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/auth/login',
    {
      config: { anonymous: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password, and the two-factor code when the user has turned it on (401 two_factor_required asks for it); sets the session cookie',
        body: z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(200), code: z.string().max(64).optional() }),
        response: { 200: sessionSchema },
      },
    },
    async (request, reply) => {
      const result = await login(ctx.db, {
        ...request.body,
        ip: request.ip,
        sessionDays: ctx.config.sessionDays,
        deviceToken: request.cookies[DEVICE_COOKIE],
        secretKeys: secretKeysFor(ctx.config),
      });
      if (result.deviceToken) {
        reply.setCookie(DEVICE_COOKIE, result.deviceToken, {
          path: '/api/auth/login',
          httpOnly: true,
          sameSite: 'strict',
          secure: secureCookie(ctx, request),
          maxAge: DEVICE_COOKIE_DAYS * 86_400,
        });
      }
      setSessionCookie(ctx, request, reply, result);
      return {
        user: toPublicUser(result.user),
        csrfToken: result.csrfToken,
        twoFactorSetupRequired: await setupPending(ctx.db, result.user),
        passwordChangeRequired: Boolean(result.user.password_change_required_at),
      };
    },
  );

  r.post('/api/auth/logout', { config: { duringTwoFactorSetup: true, openToStakeholders: true, duringPasswordChange: true }, schema: { tags: ['auth'], summary: 'Sign out', response: { 200: z.object({ ok: z.boolean() }) } } }, async (request, reply) => {
    const user = requireUser(request);
    await logout(ctx.db, request.auth!.sessionId, user.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  r.get('/api/auth/sessions', { schema: { tags: ['auth'], summary: "The signed-in user's sessions (not expired), newest first; `current` marks this one", response: { 200: sessionListSchema } } }, async (request) => {
    const user = requireUser(request);
    return { items: await listSessions(ctx.db, user.id, request.auth!.sessionId) };
  });
  r.delete(
    '/api/auth/sessions/:id',
    { schema: { tags: ['auth'], summary: 'End one of your own sessions (ending the current one signs this browser out)', params: z.object({ id: z.string().regex(/^[0-9a-f]{32}$/) }), response: { 200: z.object({ ok: z.boolean(), current: z.boolean() }) } } },
    async (request, reply) => {
      const user = requireUser(request);
      const ended = await revokeSession(ctx.db, user.id, request.params.id);
      const current = ended.sessionId === request.auth!.sessionId;
      if (current) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true, current };
    },
  );

  r.get('/api/auth/session', { config: { anonymous: true }, schema: { tags: ['auth'], summary: 'The current user and the CSRF token', response: { 200: sessionSchema } } }, async (request) =>
    sessionPayload(ctx, request),
  );

  r.put(
    '/api/auth/locale',
    {
      config: { duringTwoFactorSetup: true, openToStakeholders: true, duringPasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Remember the interface language for the current user',
        body: z.object({ locale: z.enum(['ar', 'en']) }),
        response: { 200: z.object({ locale: z.enum(['ar', 'en']) }) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await setLocale(ctx.db, user.id, request.body.locale);
      return { locale: request.body.locale };
    },
  );

  twoFactorRoutes(app, ctx);
  oidcRoutes(app, ctx);
}
