import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../server/context.ts';
import { AppError, forbidden, unauthorized } from '../shared/errors.ts';
import { resolveSession, safeEqual, SESSION_COOKIE } from './session.service.ts';
import { setupPending } from './two-factor.service.ts';

/** Methods that change nothing: no CSRF token, and no body to read. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Requests that may change state without a CSRF token: there is no session yet. */
const CSRF_EXEMPT = new Set(['/api/auth/login']);

/**
 * Loads the session from the cookie, enforces the route's roles (`config.roles`), and CSRF on every
 * state-changing request made with a session.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    request.auth = null;
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.auth = await resolveSession(ctx.db, token);
    // The one access rule: every API route needs a session unless marked `config.anonymous`, and a route with
    // `config.roles` only admits those roles; both checked here, before the query, params or body are read.
    if (!request.is404 && request.url.startsWith('/api/')) {
      const { anonymous, roles, duringTwoFactorSetup, duringPasswordChange, openToStakeholders } = request.routeOptions.config;
      if (!request.auth && !anonymous) throw unauthorized();
      // A stakeholder (NHRI, civil society: an outside account) reaches only the routes made for them.
      if (request.auth?.user.role === 'stakeholder' && !anonymous && !openToStakeholders && !roles?.includes('stakeholder')) throw forbidden();
      if (request.auth?.user.password_change_required_at && !anonymous && !duringPasswordChange) {
        throw forbidden('Choose a new password first: an administrator gave you a temporary one.', 'password_change_required');
      }
      if (request.auth && !anonymous && !duringTwoFactorSetup && (await setupPending(ctx.db, request.auth.user))) {
        throw forbidden('Set up two-factor sign-in first: your role requires it.', 'two_factor_setup_required');
      }
      if (roles && !roles.includes(request.auth!.user.role)) throw forbidden();
    }
    if (SAFE_METHODS.has(request.method) || !request.auth) return;
    const path = request.url.split('?')[0]!;
    if (CSRF_EXEMPT.has(path)) return;
    // Server-rendered forms carry the token in a `_csrf` field, checked by the route (see checkFormCsrf).
    if (request.routeOptions.config.form && !path.startsWith('/api/')) return;
    const header = request.headers['x-csrf-token'];
    if (typeof header !== 'string' || !safeEqual(header, request.auth.csrfToken)) {
      throw new AppError(403, 'csrf_failed', 'Missing or invalid CSRF token (send the x-csrf-token header from GET /api/auth/session).');
    }
  });
}

/** For `config.form` routes: a signed-in browser's form must carry the session's CSRF token in its `_csrf` field. */
export function checkFormCsrf(request: import('fastify').FastifyRequest, field: string | undefined): void {
  if (!request.auth) return;
  if (typeof field !== 'string' || !safeEqual(field, request.auth.csrfToken)) {
    throw new AppError(403, 'csrf_failed', 'Missing or invalid CSRF token (reload the page and send the form again).');
  }
}
