import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/index.ts';
import { createTestDatabase, ENGINES, pgSkipReason, type TestDatabase } from '../helpers/engines.ts';
import { closeHarness, createHarness, describeEachEngine, TEST_PASSWORD, type Harness, type TestClient } from '../helpers/http.ts';
import { sharedDataPath } from '../helpers/shared-data.ts';
import { createUser } from '../../src/users/index.ts';

/** A real 1×1 PNG and a real 1×1 JPEG (their magic bytes are what the server checks). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

const raw = { 'content-type': 'application/octet-stream' };

async function count(h: Harness, table: 'recommendations' | 'users' | 'documents' | 'plans' | 'obligations' | 'reports' | 'clusters' | 'assignments' | 'entities'): Promise<number> {
  const r = await h.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

describeEachEngine("the state's logo", (engine) => {
  let h: Harness;
  let admin: TestClient;
  let coordinator: TestClient;
  beforeAll(async () => {
    h = await createHarness(engine);
    admin = await h.loginAs('admin');
    coordinator = await h.loginAs('coordinator');
  });
  afterAll(() => closeHarness(h));

  it('refuses SVG, GIF, an empty file, an oversized file and a non-admin, writing nothing', async () => {
    const svg = await admin.request({ method: 'PUT', url: '/api/admin/settings/logo', headers: raw, payload: SVG });
    expect(svg.statusCode).toBe(415);
    expect(svg.json().error.code).toBe('logo_type');
    const gif = await admin.request({ method: 'PUT', url: '/api/admin/settings/logo', headers: raw, payload: Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1') });
    expect(gif.json().error.code).toBe('logo_type');
    // a PNG's name on an SVG's bytes is still an SVG
    const disguised = await admin.request({ method: 'PUT', url: '/api/admin/settings/logo', headers: { ...raw, 'x-filename': 'logo.png' }, payload: SVG });
    expect(disguised.statusCode).toBe(415);
    const empty = await admin.request({ method: 'PUT', url: '/api/admin/settings/logo', headers: raw, payload: Buffer.alloc(0) });
    expect(empty.statusCode).toBe(400);
    const big = await admin.request({ method: 'PUT', url: '/api/admin/settings/logo', headers: raw, payload: Buffer.concat([PNG, Buffer.alloc(600 * 1024)]) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('logo_too_large');
    const notAdmin = await coordinator.request({ method: 'PUT', url: '/api/admin/settings/logo', headers: raw, payload: PNG });
    expect(notAdmin.statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/api/settings/public' })).json().logo).toBeNull();
    expect((await h.app.inject({ method: 'GET', url: '/api/settings/logo' })).statusCode).toBe(404);
  });

  it('sets a PNG, serves it to anyone with an ETag and a year-long cache under its digest, replaces it with a JPEG, removes it', async () => {
    const set = await admin.request({ method: 'PUT', url: '/api/admin/settings/logo', headers: raw, payload: PNG });
    expect(set.statusCode).toBe(200);
    const sha = set.json().sha256 as string;
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(set.json()).toMatchObject({ mime: 'image/png', size: PNG.length });
    const pub = (await h.app.inject({ method: 'GET', url: '/api/settings/public' })).json();
    expect(pub.logo).toBe(sha);

    const got = await h.app.inject({ method: 'GET', url: `/api/settings/logo?v=${sha}` });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['cache-control']).toContain('immutable');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(got.rawPayload, PNG)).toBe(0);
    // the public portal's header carries it too
    const portal = await h.app.inject({ method: 'GET', url: '/public/ar/' });
    expect(portal.statusCode).toBe(200);
    expect(portal.body).toContain(`<img class="logo" src="/api/settings/logo?v=${sha}"`);
    const stale = await h.app.inject({ method: 'GET', url: '/api/settings/logo?v=old' });
    expect(stale.headers['cache-control']).toBe('public, no-cache');
    const again = await h.app.inject({ method: 'GET', url: '/api/settings/logo', headers: { 'if-none-match': got.headers.etag as string } });
    expect(again.statusCode).toBe(304);

    const jpeg = await admin.request({ method: 'PUT', url: '/api/admin/settings/logo', headers: raw, payload: JPEG });
    expect(jpeg.json().mime).toBe('image/jpeg');
    const after = await h.app.inject({ method: 'GET', url: '/api/settings/logo', headers: { 'if-none-match': got.headers.etag as string } });
    expect(after.statusCode).toBe(200);
    expect(after.headers['content-type']).toBe('image/jpeg');

    expect((await coordinator.request({ method: 'DELETE', url: '/api/admin/settings/logo' })).statusCode).toBe(403);
    expect((await admin.request({ method: 'DELETE', url: '/api/admin/settings/logo' })).statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: '/api/settings/public' })).json().logo).toBeNull();
    expect((await h.app.inject({ method: 'GET', url: '/api/settings/logo' })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: '/public/en/' })).body).not.toContain('/api/settings/logo');
    expect((await admin.request({ method: 'DELETE', url: '/api/admin/settings/logo' })).statusCode).toBe(404);

    const audit = await h.database.db.selectFrom('audit_log').select(['action', 'actor_id']).where('subject_id', '=', 'logo').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['settings.logo.set', 'settings.logo.set', 'settings.logo.remove']);
    expect(audit.every((a) => a.actor_id === admin.userId)).toBe(true);
  });
});

describeEachEngine('removing the demo workspace through the API', (engine) => {
  let h: Harness;
  let admin: TestClient;
  let coordinator: TestClient;
  let demoRecs: number;
  let kuwaitRecId: string;
  let moj: string;
  beforeAll(async () => {
    h = await createHarness(engine, { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-demo-rm-')) });
    await seedDemo(h.database.db);
    demoRecs = await count(h, 'recommendations');
    admin = await h.loginAs('admin');
    coordinator = await h.loginAs('coordinator');
    moj = (await h.database.db.selectFrom('entities').select('id').where('code', '=', 'MOJ').executeTakeFirstOrThrow()).id;
    // real work: Kuwait's 2010 recommendations, one of them assigned to a ministry the demo created
    const bytes = fs.readFileSync(sharedDataPath('wg-reports', 'kuwait2010-A_HRC_15_15.txt'));
    const qs = new URLSearchParams({ format: 'report-text', filename: 'kuwait.txt', symbol: 'A/HRC/15/15', dryRun: 'false' });
    const run = await coordinator.request({ method: 'POST', url: `/api/imports?${qs}`, headers: raw, payload: bytes });
    expect(run.statusCode).toBe(202);
    await h.app.importRuns.inFlight.get(run.json().id);
    kuwaitRecId = (await h.database.db.selectFrom('recommendations').select('id').where('external_source', '!=', 'demo').orderBy('paragraph').executeTakeFirstOrThrow()).id;
    const a = await coordinator.request({ method: 'POST', url: '/api/assignments', payload: { recommendationIds: [kuwaitRecId], entityId: moj, role: 'lead', dueDate: null } });
    expect(a.statusCode).toBe(201);
    // and a curator's theme mapping onto one of the demo's themes
    const women = (await h.database.db.selectFrom('terms').select('id').where('kind', '=', 'theme').where('code', '=', 'women-rights').executeTakeFirstOrThrow()).id;
    // the default mapping of this UPR Info issue is seeded (migration 026): change it, with the version read
    const prior = await h.database.db.selectFrom('theme_mappings').select('version').where('source', '=', 'upr-info').where('label', '=', "women's rights").executeTakeFirst();
    const m = await coordinator.request({
      method: 'PUT',
      url: `/api/imports/theme-mappings/upr-info/${encodeURIComponent("Women's rights")}`,
      payload: { termId: women, ...(prior ? { version: prior.version } : {}) },
    });
    expect(m.statusCode, m.body).toBe(200);
  });
  afterAll(() => closeHarness(h));

  it('shows demo logins and names what removal deletes', async () => {
    const pub = (await h.app.inject({ method: 'GET', url: '/api/settings/public' })).json();
    expect(pub.demo).toBe(true);
    expect(pub.demoLogins.length).toBe(5);
    const d = (await admin.request({ method: 'GET', url: '/api/admin/demo' })).json();
    expect(d.exists).toBe(true);
    expect(d.counts).toMatchObject({ users: 5, recommendations: demoRecs, documents: 13, plans: 1 });
    expect(d.counts.obligations).toBeGreaterThan(0);
    expect(d.counts.clusters).toBeGreaterThan(0);
    // MOJ carries a real assignment: it stays, the other nine ministries go
    expect(d.counts.entities).toBe(9);
    expect(d.blockers).toEqual([]);
    expect((await coordinator.request({ method: 'GET', url: '/api/admin/demo' })).statusCode).toBe(403);
  });

  it('is refused to a demo account, and to a coordinator', async () => {
    const demoAdmin = await h.login('admin@rasd.example', DEMO_PASSWORD);
    const own = await demoAdmin.request({ method: 'DELETE', url: '/api/admin/demo' });
    expect(own.statusCode).toBe(409);
    expect(own.json().error.code).toBe('demo_remove_own_account');
    expect((await coordinator.request({ method: 'DELETE', url: '/api/admin/demo' })).statusCode).toBe(403);
    expect(await count(h, 'recommendations')).toBe(demoRecs + 159);
  });

  it('refuses (409 demo_in_use, nothing removed) while a real person has work on a demo recommendation', async () => {
    const demoRec = (await h.database.db.selectFrom('recommendations').select('id').where('external_source', '=', 'demo').executeTakeFirstOrThrow()).id;
    const a = await coordinator.request({ method: 'POST', url: '/api/assignments', payload: { recommendationIds: [demoRec], entityId: moj, role: 'supporting', dueDate: null } });
    expect(a.statusCode).toBe(201);
    const blocked = await admin.request({ method: 'DELETE', url: '/api/admin/demo' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.code).toBe('demo_in_use');
    expect(blocked.json().error.details.blockers).toEqual([{ kind: 'assignments', count: 1 }]);
    expect(await count(h, 'recommendations')).toBe(demoRecs + 159);
    expect(await count(h, 'users')).toBe(7);
    const d = (await admin.request({ method: 'GET', url: '/api/admin/demo' })).json();
    expect(d.blockers).toEqual([{ kind: 'assignments', count: 1 }]);
    // the person takes their work back: the way is clear again
    for (const id of a.json().ids as string[]) expect((await coordinator.request({ method: 'DELETE', url: `/api/assignments/${id}` })).statusCode).toBe(204);
    expect((await admin.request({ method: 'GET', url: '/api/admin/demo' })).json().blockers).toEqual([]);
  });

  it('removes exactly the demo: its accounts, records and follow-up go; the real import, its assignment and its ministry stay', async () => {
    const res = await admin.request({ method: 'DELETE', url: '/api/admin/demo' });
    expect(res.statusCode).toBe(200);
    expect(res.json().removed).toMatchObject({ users: 5, recommendations: demoRecs, documents: 13, entities: 9 });
    const db = h.database.db;
    expect(await count(h, 'recommendations')).toBe(159);
    expect(await db.selectFrom('recommendations').select('id').where('external_source', '=', 'demo').execute()).toEqual([]);
    expect(await count(h, 'documents')).toBe(1);
    for (const t of ['plans', 'obligations', 'reports', 'clusters'] as const) expect(await count(h, t)).toBe(0);
    expect((await db.selectFrom('users').select('email').orderBy('email').execute()).map((u) => u.email).filter((e) => e.endsWith('@rasd.example'))).toEqual([]);
    expect(await count(h, 'users')).toBe(2);
    expect((await db.selectFrom('entities').select('code').execute()).map((e) => e.code).filter((c) => c === 'MOJ' || c === 'MOFA')).toEqual(['MOJ']);
    // the theme a real mapping uses stays (and the mapping with it); the demo's other themes go
    const themes = (await db.selectFrom('terms').select('code').where('kind', '=', 'theme').execute()).map((x) => x.code);
    expect(themes).toContain('women-rights');
    expect(themes).not.toContain('torture');
    // (the seeded default mappings, migration 026, stay too; only the curator's one names a theme of the register)
    expect((await db.selectFrom('theme_mappings').select('label').where('term_id', 'is not', null).execute()).map((x) => x.label)).toEqual(["women's rights"]);
    const kept = await db.selectFrom('assignments').select(['recommendation_id', 'entity_id']).execute();
    expect(kept).toEqual([{ recommendation_id: kuwaitRecId, entity_id: moj }]);
    // the real people still work; the register and the sign-in page know the demo is gone
    const list = await coordinator.request({ method: 'GET', url: '/api/recommendations?pageSize=1' });
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(159);
    const pub = (await h.app.inject({ method: 'GET', url: '/api/settings/public' })).json();
    expect(pub).toMatchObject({ demo: false, demoLogins: [], demoPassword: null, stateName: { ar: '', en: '' } });
    const login = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'admin@rasd.example', password: DEMO_PASSWORD } });
    expect(login.statusCode).toBe(401);
    const audit = await db.selectFrom('audit_log').select(['actor_id', 'before']).where('action', '=', 'demo.remove').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(admin.userId);
    expect(JSON.parse(audit[0]!.before!)).toMatchObject({ users: 5, recommendations: demoRecs });
    expect((await admin.request({ method: 'GET', url: '/api/admin/demo' })).json().exists).toBe(false);
    const twice = await admin.request({ method: 'DELETE', url: '/api/admin/demo' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('no_demo');
  });
});

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/rasd.mjs');

describe('rasd demo --remove', () => {
  for (const engine of ENGINES) {
    const skip = engine === 'postgres' && pgSkipReason;
    (skip ? it.skip : it)(`removes the demo and keeps a real user's account [${engine}]`, async () => {
      const t: TestDatabase = await createTestDatabase(engine);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-demo-cli-'));
      try {
        await seedDemo(t.db);
        await createUser(t.db, { email: 'real.admin@state.example', password: TEST_PASSWORD, role: 'admin' });
        const url = t.target.engine === 'sqlite' ? `sqlite:${t.target.file}` : t.target.url;
        const run = (args: string[]) =>
          spawnSync(process.execPath, [BIN, ...args], { cwd: dataDir, env: { ...process.env, DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 120_000 });
        const r = run(['demo', '--remove']);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(/recommendations\s+\d+/);
        expect((await t.db.selectFrom('users').select('email').execute()).map((u) => u.email)).toEqual(['real.admin@state.example']);
        expect(await t.db.selectFrom('recommendations').select('id').execute()).toEqual([]);
        expect(await t.db.selectFrom('settings').select('key').where('key', '=', 'demo').execute()).toEqual([]);
        const again = run(['demo', '--remove']);
        expect(again.status).not.toBe(0);
        expect(again.stderr).toContain('no demo workspace');
      } finally {
        await t.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }, 180_000);
  }
});
