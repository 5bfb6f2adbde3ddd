import type { FastifyInstance } from 'fastify';
import type { Role } from '../db/schema.ts';
import { SAFE_METHODS } from '../auth/auth.plugin.ts';
import { AppError, badRequest } from '../shared/errors.ts';
import { parseMultipart, parseUrlEncoded } from './form-body.ts';

/** JSON bodies: a few megabytes at most (bulk lists of ids fit; anything larger is 413). */
export const JSON_BODY_LIMIT = 5 * 1024 * 1024;

/**
 * How request bodies are read. Only JSON is accepted by default. A route that takes a file opts in with
 * `config: { rawBody: true }` and its own `bodyLimit`; for every other route the request is refused from its
 * headers (415) before a byte of the body is read. (The auth hook has already refused, from the headers too,
 * a request without a session to a route not marked `config.anonymous` (401) and a role the route's
 * `config.roles` leaves out (403).)
 */
export function registerBodyParsing(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  // HTML forms, only for the server-rendered pages that take them (`config.form`).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseUrlEncoded(String(body)));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (req, body, done) => {
    try {
      done(null, parseMultipart(body as Buffer, String(req.headers['content-type'] ?? '')));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    if (request.is404 || SAFE_METHODS.has(request.method)) return payload;
    const config = request.routeOptions.config;
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === 'application/octet-stream' && !config.rawBody) {
      throw new AppError(415, 'unsupported_media_type', 'This route takes JSON (content-type application/json).');
    }
    if ((type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') && !config.form) {
      throw new AppError(415, 'unsupported_media_type', 'This route takes JSON (content-type application/json).');
    }
    return payload;
  });

  // Text no engine can store (NUL: PostgreSQL refuses it) and structures nested past any real use are client
  // mistakes: 400 before a route sees them.
  app.addHook('preValidation', async (request) => {
    const problem = checkInput(request.body, 0) ?? checkInput(request.query, 0) ?? checkInput(request.params, 0);
    if (problem) throw badRequest(problem, problem === 'nul_character' ? 'Text may not contain NUL (\\u0000) characters.' : `The request nests deeper than ${MAX_DEPTH} levels.`);
  });
}

const MAX_DEPTH = 64;

function checkInput(value: unknown, depth: number): 'nul_character' | 'too_deep' | null {
  if (typeof value === 'string') return value.includes('\0') ? 'nul_character' : null;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  if (depth >= MAX_DEPTH) return 'too_deep';
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\0')) return 'nul_character';
    const found = checkInput(item, depth + 1);
    if (found) return found;
  }
  return null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the route takes a file as raw bytes (application/octet-stream) */
    rawBody?: boolean;
    /** only users with one of these roles may call the route (checked in the auth hook, before the body is read) */
    roles?: readonly Role[];
    /** the route may be called without a session (every other /api route answers 401 without one) */
    anonymous?: boolean;
    /** a server-rendered page's HTML form (urlencoded or multipart): the handler checks the `_csrf` field itself */
    form?: boolean;
    /** open to stakeholders too (they reach only routes whose roles name them, anonymous ones, and these) */
    openToStakeholders?: boolean;
    /** the route stays open to a signed-in user who must still set up two-factor sign-in (see two-factor.service.ts) */
    duringTwoFactorSetup?: boolean;
    /** the route stays open to a signed-in user who must first replace a temporary password (see password-reset.service.ts) */
    duringPasswordChange?: boolean;
  }
}
