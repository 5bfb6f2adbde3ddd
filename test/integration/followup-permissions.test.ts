import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assign } from '../../src/assignments/index.ts';
import type { Actor } from '../../src/auth/permissions.ts';
import type { UpdateStatus } from '../../src/db/schema.ts';
import { createEntity } from '../../src/entities/index.ts';
import { createNotifications } from '../../src/notifications/index.ts';
import { addEvidence, createUpdate, transitionUpdate } from '../../src/updates/index.ts';
import { makeRecommendations, tinyPdf } from '../helpers/followup.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

/**
 * The permission matrix of the follow-up API: every route × every role × own versus other entity.
 * "own" users belong to entity A, which owns every fixture; "other" users belong to entity B.
 * `ok` = any 2xx. Each case gets fresh fixtures, so state-changing routes are tested from a clean start.
 */
type ActorName = 'anon' | 'admin' | 'coordinator' | 'viewer' | 'focalOwn' | 'focalOther' | 'contribOwn' | 'contribOther';
type Expect = 'ok' | 400 | 401 | 403 | 404;
const ACTORS: ActorName[] = ['anon', 'admin', 'coordinator', 'viewer', 'focalOwn', 'focalOther', 'contribOwn', 'contribOther'];

interface Fixture {
  assignmentId: string;
  updateId: string;
  evidenceId: string;
  recommendationId: string;
  entityA: string;
  notificationId: string;
}
interface Case {
  name: string;
  /** the update's status when the case starts */
  state?: UpdateStatus;
  request(f: Fixture, actorName: ActorName): { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: unknown; headers?: Record<string, string> };
  expect: Record<Exclude<ActorName, 'anon'>, Expect>;
}

const ALL_OK = { admin: 'ok', coordinator: 'ok', viewer: 'ok', focalOwn: 'ok', focalOther: 'ok', contribOwn: 'ok', contribOther: 'ok' } as const;
const CURATORS_ONLY = { admin: 'ok', coordinator: 'ok', viewer: 403, focalOwn: 403, focalOther: 403, contribOwn: 403, contribOther: 403 } as const;
/** drafting: curators and the owning entity's focal point and contributor */
const DRAFTERS = { admin: 'ok', coordinator: 'ok', viewer: 403, focalOwn: 'ok', focalOther: 403, contribOwn: 'ok', contribOther: 403 } as const;
/** reading unapproved work: same people as drafting */
const OWN_WORK_READERS = DRAFTERS;
const pdf = tinyPdf();

const CASES: Case[] = [
  { name: 'POST /api/assignments', request: (f) => ({ method: 'POST', url: '/api/assignments', payload: { recommendationIds: [f.recommendationId], entityId: f.entityA, role: 'supporting', dueDate: '2030-01-01' } }), expect: CURATORS_ONLY },
  { name: 'GET /api/assignments', request: (f) => ({ method: 'GET', url: `/api/assignments?entity=${f.entityA}&overdue=false` }), expect: ALL_OK },
  { name: 'GET /api/assignments/:id', request: (f) => ({ method: 'GET', url: `/api/assignments/${f.assignmentId}` }), expect: ALL_OK },
  {
    name: 'DELETE /api/assignments/:id (no updates)',
    state: undefined,
    request: (f) => ({ method: 'DELETE', url: `/api/assignments/${f.assignmentId}` }),
    expect: CURATORS_ONLY,
  },
  { name: 'GET /api/workspace', request: () => ({ method: 'GET', url: '/api/workspace' }), expect: { ...ALL_OK, viewer: 400 } },
  { name: 'GET /api/workspace?entity=A', request: (f) => ({ method: 'GET', url: `/api/workspace?entity=${f.entityA}` }), expect: { ...ALL_OK, focalOther: 403, contribOther: 403 } },
  { name: 'GET /api/assignments/:id/updates', state: 'draft', request: (f) => ({ method: 'GET', url: `/api/assignments/${f.assignmentId}/updates` }), expect: ALL_OK },
  { name: 'POST /api/assignments/:id/updates', request: (f) => ({ method: 'POST', url: `/api/assignments/${f.assignmentId}/updates`, payload: { text_en: 'x' } }), expect: DRAFTERS },
  { name: 'GET /api/updates/:id (draft)', state: 'draft', request: (f) => ({ method: 'GET', url: `/api/updates/${f.updateId}` }), expect: OWN_WORK_READERS },
  { name: 'GET /api/updates/:id (submitted)', state: 'submitted', request: (f) => ({ method: 'GET', url: `/api/updates/${f.updateId}` }), expect: OWN_WORK_READERS },
  { name: 'GET /api/updates/:id (returned)', state: 'returned', request: (f) => ({ method: 'GET', url: `/api/updates/${f.updateId}` }), expect: OWN_WORK_READERS },
  { name: 'GET /api/updates/:id (approved)', state: 'approved', request: (f) => ({ method: 'GET', url: `/api/updates/${f.updateId}` }), expect: ALL_OK },
  { name: 'PATCH /api/updates/:id (draft)', state: 'draft', request: (f) => ({ method: 'PATCH', url: `/api/updates/${f.updateId}`, payload: { version: 1, text_en: 'edited' } }), expect: DRAFTERS },
  { name: 'DELETE /api/updates/:id (draft)', state: 'draft', request: (f) => ({ method: 'DELETE', url: `/api/updates/${f.updateId}` }), expect: DRAFTERS },
  {
    name: 'POST /api/updates/:id/submit (draft)',
    state: 'draft',
    request: (f) => ({ method: 'POST', url: `/api/updates/${f.updateId}/submit`, payload: {} }),
    expect: { ...DRAFTERS, contribOwn: 403 },
  },
  { name: 'POST /api/updates/:id/return (submitted)', state: 'submitted', request: (f) => ({ method: 'POST', url: `/api/updates/${f.updateId}/return`, payload: { comment: 'please add figures' } }), expect: CURATORS_ONLY },
  { name: 'POST /api/updates/:id/approve (submitted)', state: 'submitted', request: (f) => ({ method: 'POST', url: `/api/updates/${f.updateId}/approve`, payload: {} }), expect: CURATORS_ONLY },
  {
    name: 'POST /api/updates/:id/evidence (draft)',
    state: 'draft',
    request: (f) => ({ method: 'POST', url: `/api/updates/${f.updateId}/evidence`, headers: { 'content-type': 'application/octet-stream', 'x-filename': 'e.pdf' }, payload: pdf }),
    expect: DRAFTERS,
  },
  { name: 'GET /api/evidence/:id (draft)', state: 'draft', request: (f) => ({ method: 'GET', url: `/api/evidence/${f.evidenceId}` }), expect: OWN_WORK_READERS },
  { name: 'GET /api/evidence/:id (submitted)', state: 'submitted', request: (f) => ({ method: 'GET', url: `/api/evidence/${f.evidenceId}` }), expect: OWN_WORK_READERS },
  { name: 'GET /api/evidence/:id (approved)', state: 'approved', request: (f) => ({ method: 'GET', url: `/api/evidence/${f.evidenceId}` }), expect: ALL_OK },
  { name: 'DELETE /api/evidence/:id (draft)', state: 'draft', request: (f) => ({ method: 'DELETE', url: `/api/evidence/${f.evidenceId}` }), expect: DRAFTERS },
  { name: 'GET /api/notifications', request: () => ({ method: 'GET', url: '/api/notifications' }), expect: ALL_OK },
  { name: "POST /api/notifications/:id/read (someone else's)", request: (f) => ({ method: 'POST', url: `/api/notifications/${f.notificationId}/read`, payload: {} }), expect: { admin: 404, coordinator: 404, viewer: 404, focalOwn: 404, focalOther: 404, contribOwn: 404, contribOther: 404 } },
  { name: 'GET /api/dashboard/status?by=entity', request: () => ({ method: 'GET', url: '/api/dashboard/status?by=entity' }), expect: ALL_OK },
  { name: 'GET /api/dashboard/overdue', request: () => ({ method: 'GET', url: '/api/dashboard/overdue' }), expect: ALL_OK },
  { name: 'GET /api/dashboard/trend', request: () => ({ method: 'GET', url: '/api/dashboard/trend' }), expect: ALL_OK },
  { name: 'GET /api/admin/audit', request: () => ({ method: 'GET', url: '/api/admin/audit' }), expect: { ...CURATORS_ONLY, coordinator: 403 } },
];

describeEachEngine('follow-up permission matrix', (engine) => {
  let h: Harness;
  let dataDir: string;
  let entityA: string;
  let curator: Actor;
  const clients = {} as Record<Exclude<ActorName, 'anon'>, TestClient>;
  let nobody: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-perm-'));
    h = await createHarness(engine, { DATA_DIR: dataDir });
    entityA = (await createEntity(h.database.db, { code: 'A', name_ar: 'الجهة أ', name_en: 'Entity A' })).id;
    const entityB = (await createEntity(h.database.db, { code: 'B', name_ar: 'الجهة ب', name_en: 'Entity B' })).id;
    clients.admin = await h.loginAs('admin');
    clients.coordinator = await h.loginAs('coordinator');
    clients.viewer = await h.loginAs('viewer');
    clients.focalOwn = await h.loginAs('focal_point', { entityId: entityA });
    clients.focalOther = await h.loginAs('focal_point', { entityId: entityB });
    clients.contribOwn = await h.loginAs('contributor', { entityId: entityA });
    clients.contribOther = await h.loginAs('contributor', { entityId: entityB });
    curator = { id: clients.admin.userId, role: 'admin', entity_id: null };
    nobody = (await h.loginAs('viewer')).userId; // owns the notification nobody else may touch
  });
  afterAll(async () => {
    await closeHarness(h);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function fixture(state: UpdateStatus | undefined): Promise<Fixture> {
    const db = h.database.db;
    const [recommendationId, otherRec] = await makeRecommendations(db, 2);
    const { ids } = await assign(db, { recommendationIds: [recommendationId!], entityId: entityA, role: 'lead', dueDate: '2026-01-01' }, curator);
    const assignmentId = ids[0]!;
    let updateId = '';
    let evidenceId = '';
    if (state) {
      updateId = (await createUpdate(db, assignmentId, { text_en: 'draft', proposed_status: 'in_progress' }, curator)).id;
      evidenceId = (await addEvidence(db, updateId, { fileName: 'f.pdf', bytes: pdf }, curator, { dataDir, fileStorage: 'disk' })).id;
      if (state !== 'draft') await transitionUpdate(db, updateId, 'submit', {}, curator);
      if (state === 'returned') await transitionUpdate(db, updateId, 'return', { comment: 'more' }, curator);
      if (state === 'approved') await transitionUpdate(db, updateId, 'approve', {}, curator);
    }
    await createNotifications(db, [{ user_id: nobody, kind: 'test', title_ar: 'ت', title_en: 't', body_ar: null, body_en: null, link: null }]);
    const notificationId = (await db.selectFrom('notifications').select('id').where('user_id', '=', nobody).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
    return { assignmentId, updateId, evidenceId, recommendationId: otherRec!, entityA, notificationId };
  }

  it('covers every follow-up route', () => {
    const paths = new Set(CASES.map((c) => c.name.split(' ').slice(0, 2).join(' ')));
    for (const route of [
      'POST /api/assignments',
      'GET /api/assignments',
      'GET /api/assignments/:id',
      'DELETE /api/assignments/:id',
      'GET /api/workspace',
      'GET /api/assignments/:id/updates',
      'POST /api/assignments/:id/updates',
      'GET /api/updates/:id',
      'PATCH /api/updates/:id',
      'DELETE /api/updates/:id',
      'POST /api/updates/:id/submit',
      'POST /api/updates/:id/return',
      'POST /api/updates/:id/approve',
      'POST /api/updates/:id/evidence',
      'GET /api/evidence/:id',
      'DELETE /api/evidence/:id',
      'GET /api/notifications',
      'POST /api/notifications/:id/read',
      'GET /api/dashboard/status?by=entity',
      'GET /api/dashboard/overdue',
      'GET /api/dashboard/trend',
      'GET /api/admin/audit',
    ]) {
      expect(paths.has(route), route).toBe(true);
    }
  });

  it.each(CASES)('$name', async (c) => {
    const failures: string[] = [];
    for (const actor of ACTORS) {
      const f = await fixture(c.state);
      const req = c.request(f, actor);
      const res =
        actor === 'anon'
          ? await h.app.inject({ method: req.method, url: req.url, payload: req.payload as any, headers: req.headers })
          : await clients[actor].request({ method: req.method, url: req.url, payload: req.payload as any, headers: req.headers });
      const want: Expect = actor === 'anon' ? 401 : c.expect[actor];
      const ok = want === 'ok' ? res.statusCode >= 200 && res.statusCode < 300 : res.statusCode === want;
      if (!ok) failures.push(`${actor}: expected ${want}, got ${res.statusCode} ${res.body.slice(0, 160)}`);
      if (res.statusCode === 204 && (res.body !== '' || res.headers['content-type'] !== undefined)) failures.push(`${actor}: a 204 carried a body or a content-type`);
    }
    expect(failures).toEqual([]);
  });
});
