import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../server/context.ts';
import { AppError } from '../shared/errors.ts';
import { secureCookie, setSessionCookie } from './cookies.ts';
import { OidcSignIn } from './oidc.service.ts';

const STATE_COOKIE = 'rasd_oidc_state';
const COOKIE_PATH = '/api/auth/oidc';
const notConfigured = () => new AppError(404, 'sso_not_configured', 'Sign-in through an identity provider is not set up on this instance.');

/**
 * GET /api/auth/oidc/start sends the browser to the identity provider; the provider sends it back to
 * GET /api/auth/oidc/callback, which opens the session and goes home, or goes to the sign-in page with
 * `?sso_error=CODE` (shown there in the reader's language).
 */
export function oidcRoutes(app: FastifyInstance, ctx: AppContext): void {
  const oidc = ctx.config.oidc ? new OidcSignIn(ctx.config.oidc, `${ctx.config.publicUrl}/api/auth/oidc/callback`) : null;

  app.get('/api/auth/oidc/start', { config: { anonymous: true }, schema: { tags: ['auth'], summary: 'Sign in through the identity provider: redirects to it (404 sso_not_configured when not set up)' } }, async (request, reply) => {
    if (!oidc) throw notConfigured();
    const { url, state } = await oidc.start(ctx.db);
    // Lax: the provider's redirect back is a top-level navigation, which carries it.
    reply.setCookie(STATE_COOKIE, state, { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure: secureCookie(ctx, request), maxAge: 600 });
    return reply.redirect(url, 302);
  });

  app.get('/api/auth/oidc/callback', { config: { anonymous: true }, schema: { tags: ['auth'], summary: "The identity provider's return address: opens the session, then redirects home" } }, async (request, reply) => {
    if (!oidc) throw notConfigured();
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    reply.clearCookie(STATE_COOKIE, { path: COOKIE_PATH });
    try {
      const session = await oidc.finish(ctx.db, query, request.cookies[STATE_COOKIE], ctx.config.sessionDays);
      setSessionCookie(ctx, request, reply, session);
      return reply.redirect('/', 302);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      request.log.warn({ code: err.code, message: err.message }, 'identity provider sign-in refused');
      return reply.redirect(`/?sso_error=${encodeURIComponent(err.code)}`, 302);
    }
  });
}
