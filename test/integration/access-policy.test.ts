import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../../src/db/schema.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

/**
 * Who may reach which route, pinned: every route in the OpenAPI document is called by an anonymous client and
 * by a user of each role, with no body and made-up ids, and the answer is recorded as refused (401, 403) or
 * let through (anything else: the route then validated, looked up or answered). The matrix is committed in
 * test/access-matrix.json; loosening or tightening any rule changes it and fails this test
 * (UPDATE_ACCESS_MATRIX=1 rewrites it after a deliberate change).
 */
const MATRIX = path.join(path.dirname(fileURLToPath(import.meta.url)), '../access-matrix.json');
const ROLES: Role[] = ['admin', 'coordinator', 'focal_point', 'contributor', 'viewer', 'stakeholder'];
/** The only routes a stakeholder (an outside account: NHRI, civil society) gets through to, besides anonymous ones. */
const STAKEHOLDER_ROUTES = new Set([
  'GET /api/auth/session',
  'PUT /api/auth/locale',
  'GET /api/consultations',
  'GET /api/consultations/{id}',
  'POST /api/consultations/{id}/comments',
  'GET /api/consultation-comments/{id}/attachment',
]);
/** routes that would end the caller's own session or change their password */
const SKIP = new Set(['POST /api/auth/logout', 'POST /api/auth/password', 'POST /api/auth/login']);
const ID = '00000000-0000-4000-8000-000000000000';

type Verdict = 'refused:401' | 'refused:403' | 'through';
const verdict = (status: number): Verdict => (status === 401 ? 'refused:401' : status === 403 ? 'refused:403' : 'through');

describeEachEngine('one access policy', (engine) => {
  let h: Harness;
  const clients = new Map<Role, TestClient>();
  beforeAll(async () => {
    h = await createHarness(engine);
    for (const role of ROLES) clients.set(role, await h.loginAs(role));
  });
  afterAll(() => closeHarness(h));

  it('answers every route for every role as the committed matrix says', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .filter((r) => !SKIP.has(r) && !r.includes('/public/') && !r.includes('/calendar/feed/'))
      .sort();
    const seen: Record<string, Record<string, Verdict>> = {};
    for (const route of routes) {
      const [method, pattern] = route.split(' ') as [string, string];
      const url = pattern.replace(/\{[^}]+\}/g, ID);
      const row: Record<string, Verdict> = {};
      row.anonymous = verdict((await h.app.inject({ method: method as 'GET', url })).statusCode);
      for (const role of ROLES) row[role] = verdict((await clients.get(role)!.request({ method: method as 'GET', url })).statusCode);
      seen[route] = row;
    }
    if (process.env.UPDATE_ACCESS_MATRIX === '1' && engine === 'sqlite') fs.writeFileSync(MATRIX, JSON.stringify(seen, null, 2) + '\n');
    const pinned = JSON.parse(fs.readFileSync(MATRIX, 'utf8')) as typeof seen;
    expect(seen).toEqual(pinned);
    // A stakeholder sees nothing internal: every route but the consultation ones (and anonymous ones) is 403.
    for (const [route, row] of Object.entries(seen)) {
      if (row.anonymous === 'through') continue;
      expect(row.stakeholder, route).toBe(STAKEHOLDER_ROUTES.has(route) ? 'through' : 'refused:403');
    }
    // The curator-only parts of the register answer 403 to every other role, before the body is read.
    for (const route of ['GET /api/imports', 'POST /api/imports', 'POST /api/clusters/merge', 'POST /api/entities', 'PATCH /api/recommendations/{id}']) {
      expect(seen[route], route).toMatchObject({ anonymous: 'refused:401', viewer: 'refused:403', focal_point: 'refused:403', contributor: 'refused:403', coordinator: 'through', admin: 'through' });
    }
  });
});
