import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/index.ts';
import { closeHarness, createHarness, describeEachEngine, TEST_PASSWORD, type Harness } from '../helpers/http.ts';

describeEachEngine('foundation', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
    await seedDemo(h.database.db);
  });
  afterAll(() => closeHarness(h));

  it('reports the engine and migration state on /api/health', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.engine).toBe(engine);
    expect(body.status).toBe('ok');
    expect(body.migrations.pending).toEqual([]);
    expect(body.migrations.applied.length).toBeGreaterThan(0);
  });

  it('sets strict security headers', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('publishes an OpenAPI document listing the API', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/auth/login', '/api/recommendations', '/api/recommendations/{id}']));
  });

  it('signs in a demo user with a secure session cookie', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'coordinator@rasd.example', password: 'Rasd-Demo-2026' },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'rasd_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(res.json().user.password_hash).toBeUndefined();
  });


  it('rejects a wrong password with 401 and a code, then throttles with 429', async () => {
    const email = 'admin@rasd.example';
    const bad = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'wrong-password' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('invalid_credentials');
    expect(bad.json().error.message_ar).toBeTruthy();
    for (let i = 0; i < 4; i++) await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'wrong' } });
    const blocked = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'Rasd-Demo-2026' } });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('too_many_attempts');
  });

  it('answers malformed JSON with 400 and unknown routes with a JSON 404', async () => {
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.c", ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_json');
    const missing = await h.app.inject({ method: 'GET', url: '/api/does-not-exist' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('route_not_found');
  });

  it('validates bodies with field-precise details', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'x@y.z' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(JSON.stringify(res.json().error.details)).toContain('password');
  });

  it('requires the CSRF token on state-changing requests made with a session', async () => {
    const c = await h.loginAs('coordinator');
    const without = await c.request({ method: 'PUT', url: '/api/auth/locale', payload: { locale: 'en' }, csrf: false });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('csrf_failed');
    const wrong = await c.request({ method: 'PUT', url: '/api/auth/locale', payload: { locale: 'en' }, csrf: false, headers: { 'x-csrf-token': 'nope' } });
    expect(wrong.statusCode).toBe(403);
    const ok = await c.request({ method: 'PUT', url: '/api/auth/locale', payload: { locale: 'en' } });
    expect(ok.statusCode).toBe(200);
    const session = await c.request({ method: 'GET', url: '/api/auth/session' });
    expect(session.json().user.locale).toBe('en');
    expect(session.json().csrfToken).toBe(c.csrf);
  });

  it('keeps admin endpoints for admins only', async () => {
    const anon = await h.app.inject({ method: 'GET', url: '/api/admin/users' });
    expect(anon.statusCode).toBe(401);
    const coordinator = await h.loginAs('coordinator');
    expect((await coordinator.request({ method: 'GET', url: '/api/admin/users' })).statusCode).toBe(403);
    const admin = await h.loginAs('admin');
    const list = await admin.request({ method: 'GET', url: '/api/admin/users' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(list.json())).not.toContain('argon2');
  });

  it('ends the session on logout', async () => {
    const c = await h.loginAs('viewer');
    expect((await c.request({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(200);
    const after = await c.request({ method: 'GET', url: '/api/recommendations' });
    expect(after.statusCode).toBe(401);
  });

  it('lists demo recommendations with totals, pagination and facets', async () => {
    const c = await h.loginAs('viewer');
    const res = await c.request({ method: 'GET', url: '/api/recommendations?pageSize=10&page=2' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(10);
    expect(body.total).toBeGreaterThan(200);
    const mech = Object.fromEntries(body.facets.mechanism.map((f: { value: string; count: number }) => [f.value, f.count]));
    expect(Object.keys(mech).sort()).toEqual(['REG', 'SP', 'TB', 'UPR', 'VP']);
    expect(Object.values(mech).reduce((a, b) => (a as number) + (b as number), 0)).toBe(body.total);
    const cedaw = await c.request({ method: 'GET', url: '/api/recommendations?body=CEDAW&pageSize=100' });
    expect(cedaw.json().total).toBe(body.facets.body.find((f: { value: string }) => f.value === 'CEDAW').count);
    expect(cedaw.json().items.every((i: { body_code: string }) => i.body_code === 'CEDAW')).toBe(true);
    const themed = await c.request({ method: 'GET', url: '/api/recommendations?theme=torture&pageSize=1' });
    expect(themed.json().total).toBe(body.facets.theme.find((f: { value: string }) => f.value === 'torture').count);
  });

  it('counts each facet under the other selections but not its own', async () => {
    const c = await h.loginAs('viewer');
    const all = (await c.request({ method: 'GET', url: '/api/recommendations?pageSize=1' })).json();
    const res = (await c.request({ method: 'GET', url: '/api/recommendations?pageSize=1&status=in_progress&mechanism=UPR' })).json();
    const sum = (f: { count: number }[]) => f.reduce((s, x) => s + x.count, 0);
    expect(sum(res.facets.body)).toBe(res.total);
    expect(sum(res.facets.kind)).toBe(res.total);
    // status ignores its own selection: its counts are those of mechanism=UPR alone
    const upr = (await c.request({ method: 'GET', url: '/api/recommendations?pageSize=1&mechanism=UPR' })).json();
    expect(res.facets.status).toEqual(upr.facets.status);
    expect(sum(res.facets.status)).toBe(upr.total);
    // mechanism ignores its own selection: its counts are those of status=in_progress alone
    const inProgress = (await c.request({ method: 'GET', url: '/api/recommendations?pageSize=1&status=in_progress' })).json();
    expect(res.facets.mechanism).toEqual(inProgress.facets.mechanism);
    expect(sum(all.facets.year)).toBe(all.total);
  });

  it('filters by text in Arabic and English', async () => {
    const c = await h.loginAs('viewer');
    const en = await c.request({ method: 'GET', url: `/api/recommendations?q=${encodeURIComponent('kafala')}` });
    const ar = await c.request({ method: 'GET', url: `/api/recommendations?q=${encodeURIComponent('الكفالة')}` });
    expect(en.json().total).toBeGreaterThan(0);
    expect(ar.json().total).toBe(en.json().total);
  });

  it('returns one recommendation with both languages, terms and history; 404 for unknown ids', async () => {
    const c = await h.loginAs('viewer');
    const list = await c.request({ method: 'GET', url: '/api/recommendations?theme=torture&pageSize=1' });
    const id = list.json().items[0].id;
    const res = await c.request({ method: 'GET', url: `/api/recommendations/${id}` });
    expect(res.statusCode).toBe(200);
    const rec = res.json();
    expect(rec.text_ar).toMatch(/[\u0600-\u06FF]/);
    expect(rec.text_en).toMatch(/[a-z]/);
    expect(rec.terms.some((t: { kind: string; code: string }) => t.kind === 'theme' && t.code === 'torture')).toBe(true);
    const missing = await c.request({ method: 'GET', url: '/api/recommendations/00000000-0000-0000-0000-000000000000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
  });

  it('applies one of two concurrent edits and answers the other with 409', async () => {
    const c = await h.loginAs('coordinator');
    const list = await c.request({ method: 'GET', url: '/api/recommendations?pageSize=1' });
    const { id, version } = list.json().items[0];
    const [a, b] = await Promise.all([
      c.request({ method: 'PATCH', url: `/api/recommendations/${id}`, payload: { version, notes: 'edit A' } }),
      c.request({ method: 'PATCH', url: `/api/recommendations/${id}`, payload: { version, notes: 'edit B' } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().error.code).toBe('version_conflict');
    const rec = (await c.request({ method: 'GET', url: `/api/recommendations/${id}` })).json();
    expect(rec.version).toBe(version + 1);
    expect(['edit A', 'edit B']).toContain(rec.notes);
    expect(rec.history[0].action).toBe('recommendation.update');
  });

  it('records status changes in the status history and forbids curation by viewers', async () => {
    const viewer = await h.loginAs('viewer');
    const coordinator = await h.loginAs('coordinator');
    const rec = (await viewer.request({ method: 'GET', url: '/api/recommendations?status=not_started&pageSize=1' })).json().items[0];
    const denied = await viewer.request({ method: 'PATCH', url: `/api/recommendations/${rec.id}`, payload: { version: rec.version, status: 'in_progress' } });
    expect(denied.statusCode).toBe(403);
    const ok = await coordinator.request({
      method: 'PATCH',
      url: `/api/recommendations/${rec.id}`,
      payload: { version: rec.version, status: 'in_progress', statusReason: 'Draft law sent to parliament' },
    });
    expect(ok.statusCode).toBe(200);
    const detail = (await viewer.request({ method: 'GET', url: `/api/recommendations/${rec.id}` })).json();
    expect(detail.status).toBe('in_progress');
    expect(detail.statusHistory[0]).toMatchObject({ from_status: 'not_started', to_status: 'in_progress', reason: 'Draft law sent to parliament' });
    const unknown = await coordinator.request({ method: 'PATCH', url: `/api/recommendations/${rec.id}`, payload: { version: detail.version, status: 'done-ish' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('unknown_status');
  });

  it('gives the home page real counts', async () => {
    const c = await h.loginAs('viewer');
    const res = (await c.request({ method: 'GET', url: '/api/dashboard/summary' })).json();
    const total = (await c.request({ method: 'GET', url: '/api/recommendations?pageSize=1' })).json().total;
    expect(res.counts.recommendations).toBe(total);
    expect(res.byStatus.reduce((s: number, x: { count: number }) => s + x.count, 0)).toBe(total);
    expect(res.demo).toBeTruthy();
  });

  it('rejects a duplicate e-mail with 409 and a bad role with 400', async () => {
    const admin = await h.loginAs('admin');
    const dup = await admin.request({
      method: 'POST',
      url: '/api/admin/users',
      payload: { email: 'viewer@rasd.example', password: TEST_PASSWORD, role: 'viewer' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('email_taken');
    const role = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { email: 'n@x.example', password: TEST_PASSWORD, role: 'king' } });
    expect(role.statusCode).toBe(400);
  });

  it('creates a user (201) and answers the user without the password hash or two-factor secret', async () => {
    const admin = await h.loginAs('admin');
    const made = await admin.request({ method: 'POST', url: '/api/admin/users', payload: { email: 'new.viewer@x.example', password: TEST_PASSWORD, name: 'New viewer', role: 'viewer', locale: 'en' } });
    expect(made.statusCode).toBe(201);
    const user = made.json();
    expect(user).toMatchObject({ email: 'new.viewer@x.example', name: 'New viewer', role: 'viewer', locale: 'en', disabled_at: null, totp_enabled_at: null });
    expect(Object.keys(user)).not.toContain('password_hash');
    expect(Object.keys(user)).not.toContain('totp_secret');
    const list = (await admin.request({ method: 'GET', url: '/api/admin/users' })).json().items as { id: string }[];
    expect(list.map((u) => u.id)).toContain(user.id);
  });
});

describeEachEngine('entity users', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  });
  afterAll(() => closeHarness(h));

  it('lets a focal point manage the contributors of their own entity only', async () => {
    const fp = await h.loginAs('focal_point');
    const other = await h.loginAs('focal_point');
    const created = await fp.request({ method: 'POST', url: '/api/entity-users', payload: { email: 'helper@ministry.example', password: TEST_PASSWORD } });
    expect(created.statusCode).toBe(201);
    expect(created.json().role).toBe('contributor');
    const mine = (await fp.request({ method: 'GET', url: '/api/entity-users' })).json().items;
    expect(mine.map((u: { email: string }) => u.email)).toContain('helper@ministry.example');
    const theirs = (await other.request({ method: 'GET', url: '/api/entity-users' })).json().items;
    expect(theirs.map((u: { email: string }) => u.email)).not.toContain('helper@ministry.example');
    expect((await other.request({ method: 'POST', url: `/api/entity-users/${created.json().id}/disable` })).statusCode).toBe(403);
    const contributor = await h.loginAs('contributor');
    expect((await contributor.request({ method: 'POST', url: '/api/entity-users', payload: { email: 'x@y.example', password: TEST_PASSWORD } })).statusCode).toBe(403);
    expect((await fp.request({ method: 'POST', url: `/api/entity-users/${created.json().id}/disable` })).json().disabled_at).toBeTruthy();
  });
});
