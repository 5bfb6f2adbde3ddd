/**
 * How a route's answer is written when it declares a zod response schema (`schema.response[200]`): the schema both
 * documents the answer (OpenAPI, the web app's generated types) and serialises it, so a property the schema lacks is
 * dropped from the answer and a value of the wrong type is refused (500).
 *
 * In production a dropped property is accepted silently (the schema is a whitelist: the portal relies on it). Under
 * test (`strict`, set by buildApp when NODE_ENV is `test`) the serialiser refuses any answer from which the schema
 * would drop a property, naming the route and the property, so a service returning a field the schema lacks fails the
 * integration tests instead of the field silently disappearing from the web app.
 */
import type { FastifyInstance, FastifySerializerCompiler } from 'fastify';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { safeEncode, type ZodType } from 'zod';
import { AppError } from '../shared/errors.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The first property present in `input` (as JSON would write it) but absent from `output`, as a path; null if none. */
export function droppedProperty(input: Json, output: Json, at = ''): string | null {
  if (Array.isArray(input)) {
    if (!Array.isArray(output)) return null;
    for (let i = 0; i < input.length && i < output.length; i++) {
      const found = droppedProperty(input[i]!, output[i]!, `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (input === null || typeof input !== 'object' || output === null || typeof output !== 'object' || Array.isArray(output)) return null;
  for (const key of Object.keys(input)) {
    const path = at ? `${at}.${key}` : key;
    if (!Object.prototype.hasOwnProperty.call(output, key)) return path;
    const found = droppedProperty(input[key]!, output[key]!, path);
    if (found) return found;
  }
  return null;
}

const asJson = (value: unknown): Json => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json));

function zodSchemaOf(maybeSchema: unknown): ZodType {
  const s = maybeSchema as { properties?: unknown };
  if (s && typeof s === 'object' && 'properties' in s && s.properties && typeof (s.properties as ZodType).safeParse === 'function') return s.properties as ZodType;
  return maybeSchema as ZodType;
}

/** The serializer compiler for zod response schemas; `strict`: refuse answers the schema would cut (tests). */
export function responseSerializerCompiler(strict: boolean): FastifySerializerCompiler<unknown> {
  return ({ schema: maybeSchema, method, url }) => {
    const schema = zodSchemaOf(maybeSchema);
    return (data: unknown) => {
      const result = safeEncode(schema, data);
      if (result.error) {
        if (strict) {
          throw new AppError(500, 'response_schema_drift', `${method} ${url}: the answer does not match its response schema.`, {
            issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })).slice(0, 10),
          });
        }
        throw new ResponseSerializationError(method, url, { cause: result.error });
      }
      if (strict) {
        const dropped = droppedProperty(asJson(data), asJson(result.data));
        if (dropped) {
          throw new AppError(500, 'response_schema_drift', `${method} ${url}: the answer holds "${dropped}", which its response schema lacks (it would be dropped silently).`, {
            property: dropped,
          });
        }
      }
      return JSON.stringify(result.data);
    };
  };
}

/**
 * Under test, an answer a route sends as JSON text it wrote itself (a kept page of the register's list) is checked
 * against the route's response schema too: the serializer is not called for text, so it would otherwise escape.
 */
export function registerStrictTextAnswers(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' || reply.statusCode !== 200) return payload;
    const declared = (request.routeOptions.schema?.response as Record<string, unknown> | undefined)?.['200'];
    if (!declared) return payload;
    const check = responseSerializerCompiler(true)({ schema: declared, method: request.method, url: request.routeOptions.url ?? request.url, httpStatus: '200' });
    check(JSON.parse(payload) as unknown);
    return payload;
  });
}
