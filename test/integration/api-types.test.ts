/**
 * The web app's API types (web/src/api/schema.gen.ts) are generated from the server's OpenAPI document by
 * `npm run gen:api`; this fails when the committed file no longer matches the routes' schemas.
 */
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypesSource } from '../../scripts/gen-api.ts';
import { closeHarness, createHarness } from '../helpers/http.ts';

it('the committed web API types are those generated from /api/openapi.json (else run npm run gen:api)', async () => {
  const h = await createHarness('sqlite');
  try {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as object;
    const generated = await apiTypesSource(doc);
    expect(generated).toContain('"/api/recommendations/{id}"');
    expect(fs.readFileSync(API_TYPES_FILE, 'utf8') === generated, 'web/src/api/schema.gen.ts is stale: run npm run gen:api').toBe(true);
  } finally {
    await closeHarness(h);
  }
}, 60_000);
