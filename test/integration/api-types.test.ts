/**
 * The web app's API types (web/src/api/schema.gen.ts) are generated from the server's OpenAPI document by
 * `npm run gen:api`; this fails when the committed file no longer matches the routes' schemas.
 * It also pins the routes that still declare no response schema (test/routes-without-response-schema.json): a new
 * route must declare its answer, and a route given one must leave the list, so the list can only shrink.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypesSource } from '../../scripts/gen-api.ts';
import { closeHarness, createHarness } from '../helpers/http.ts';

const PENDING_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../routes-without-response-schema.json');

type OpenApi = { paths: Record<string, Record<string, { responses?: Record<string, { content?: unknown }> }>> };

/**
 * "METHOD /path" of every documented route whose 2xx answers declare no JSON schema. A route answering 204 declares
 * `204: z.null()`, which the document writes as a 204 without content (a route that declares nothing gets only
 * Fastify's default 200): that counts as declared.
 */
export function routesWithoutResponseSchema(doc: OpenApi): string[] {
  const out: string[] = [];
  for (const [url, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const declared = Object.entries(op.responses ?? {}).some(([status, r]) => status === '204' || (status.startsWith('2') && r.content !== undefined));
      if (!declared) out.push(`${method.toUpperCase()} ${url}`);
    }
  }
  return out.sort();
}

it('the committed web API types are those generated from /api/openapi.json (else run npm run gen:api)', async () => {
  const h = await createHarness('sqlite');
  try {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenApi;
    const generated = await apiTypesSource(doc);
    expect(generated).toContain('"/api/recommendations/{id}"');
    expect(fs.readFileSync(API_TYPES_FILE, 'utf8') === generated, 'web/src/api/schema.gen.ts is stale: run npm run gen:api').toBe(true);

    const missing = routesWithoutResponseSchema(doc);
    const pinned = JSON.parse(fs.readFileSync(PENDING_FILE, 'utf8')) as string[];
    expect(missing.length).toBeGreaterThan(0);
    const added = missing.filter((r) => !pinned.includes(r));
    expect(added, 'these routes declare no response schema: give them one (a new route may not join the list)').toEqual([]);
    const gone = pinned.filter((r) => !missing.includes(r));
    expect(gone, 'these routes now declare a response schema (or are gone): remove them from test/routes-without-response-schema.json').toEqual([]);
  } finally {
    await closeHarness(h);
  }
}, 60_000);
