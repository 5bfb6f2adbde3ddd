import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, isUniqueViolation } from '../shared/errors.ts';
import { ARABIC_MESSAGES } from './errors.ts';

function prefersArabic(request: FastifyRequest): boolean {
  const lang = request.auth?.user.locale ?? request.headers['accept-language'];
  return typeof lang === 'string' && lang.toLowerCase().startsWith('ar');
}

/** The Arabic message is general: where the details name a row or a field, it says which, as the English one does. */
function located(ar: string, details: unknown): string {
  if (!details || typeof details !== 'object') return ar;
  const { row, field } = details as { row?: unknown; field?: unknown };
  const where = [typeof row === 'number' ? `الصف ${row}` : null, typeof field === 'string' ? `الحقل «${field}»` : null].filter(Boolean);
  return where.length ? `${ar} (${where.join('، ')})` : ar;
}

function send(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  const body: { error: { code: string; message: string; message_ar?: string; details?: unknown } } = {
    error: { code, message },
  };
  const ar = ARABIC_MESSAGES[code] ? located(ARABIC_MESSAGES[code], details) : undefined;
  if (ar) body.error.message_ar = ar;
  if (ar && prefersArabic(request)) body.error.message = ar;
  if (details !== undefined) body.error.details = details;
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/** One handler producing `{ error: { code, message, details } }` for every failure. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) return send(request, reply, err.status, err.code, err.message, err.details);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: `${err.validationContext ?? ''}${v.instancePath || ''}`.replace(/\//g, '.'),
        message: v.message,
      }));
      return send(request, reply, 400, 'validation_failed', 'The request is not valid.', details);
    }
    if (isUniqueViolation(err)) return send(request, reply, 409, 'duplicate', 'A record with the same value already exists.');
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err.statusCode === 400 && err instanceof SyntaxError)) {
      return send(request, reply, 400, 'invalid_json', 'The request body is not valid JSON.');
    }
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return send(request, reply, 400, 'invalid_json', 'The JSON body is empty.');
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(request, reply, 413, 'payload_too_large', 'The request body is too large.');
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return send(request, reply, 415, 'unsupported_media_type', 'This content type is not supported.');
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      const code = err.statusCode === 429 ? 'too_many_attempts' : 'bad_request';
      return send(request, reply, err.statusCode, code, err.message);
    }
    request.log.error({ err }, 'unhandled error');
    return send(request, reply, 500, 'internal_error', 'Internal error. It has been logged.');
  });

  app.setNotFoundHandler((request, reply) =>
    send(request, reply, 404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`),
  );
}
