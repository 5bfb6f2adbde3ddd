import type { FastifyInstance } from 'fastify';
import type { Role } from '../db/schema.ts';
import { AppError, badRequest, forbidden, unauthorized } from './errors.ts';

/** JSON bodies: a few megabytes at most (bulk lists of ids fit; anything larger is 413). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const JSON_BODY_LIMIT = 5 * 1024 * 1024;

/**
 * How request bodies are read. Only JSON is accepted by default. A route that takes a file opts in with
 * `config: { rawBody: { roles } }` and its own `bodyLimit`; for every other route, and for callers who may not
 * use the route, the request is refused from its headers (415, 401 or 403) before a byte of the body is read.
 * State-changing requests without a session are refused (401) before their body is read too, unless the route
 * is marked `config: { anonymous: true }` (signing in).
 */
export function registerBodyParsing(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.addHook('preParsing', async (request, _reply, payload) => {
    if (request.is404 || SAFE_METHODS.has(request.method)) return payload;
    const config = request.routeOptions.config;
    if (!request.auth && !config.anonymous) throw unauthorized();
    const raw = config.rawBody;
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === 'application/octet-stream') {
      if (!raw) throw new AppError(415, 'unsupported_media_type', 'This route takes JSON (content-type application/json).');
      if (raw.roles && !raw.roles.includes(request.auth!.user.role)) throw forbidden();
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
    /** the route takes a file as raw bytes (application/octet-stream), from users with one of these roles */
    rawBody?: { roles?: Role[] };
    /** the route may be called without a session */
    anonymous?: boolean;
  }
}
