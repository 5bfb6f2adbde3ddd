import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../server/context.ts';
import { SESSION_COOKIE } from './session.service.ts';

export function secureCookie(ctx: AppContext, request: FastifyRequest): boolean {
  if (ctx.config.cookieSecure === 'auto') return request.protocol === 'https';
  return ctx.config.cookieSecure === 'true';
}

/** The session cookie: sent on every same-site request and on top-level navigations from elsewhere (Lax). */
export function setSessionCookie(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, session: { cookieToken: string; expiresAt: Date }) {
  reply.setCookie(SESSION_COOKIE, session.cookieToken, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookie(ctx, request),
    expires: session.expiresAt,
  });
}
