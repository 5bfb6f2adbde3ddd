import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeHarness, createHarness, describeEachEngine, TEST_PASSWORD, type Harness } from '../helpers/http.ts';

interface SessionView {
  id: string;
  created_at: string;
  expires_at: string;
  current: boolean;
}

describeEachEngine('session list with revoke', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  });
  afterAll(() => closeHarness(h));

  it('a user sees their own sessions and ends another one; that browser is signed out, this one is not', async () => {
    const first = await h.loginAs('focal_point');
    const email = (await h.database.db.selectFrom('users').select('email').where('id', '=', first.userId).executeTakeFirstOrThrow()).email;
    const second = await h.login(email, TEST_PASSWORD);
    const someoneElse = await h.loginAs('viewer');

    const list = await first.request({ method: 'GET', url: '/api/auth/sessions' });
    expect(list.statusCode).toBe(200);
    const items = (list.json() as { items: SessionView[] }).items;
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    // the stored session id (sha256 of the cookie token) is never shown
    const stored = await h.database.db.selectFrom('sessions').select('id').where('user_id', '=', first.userId).execute();
    for (const s of items) expect(stored.map((r) => r.id)).not.toContain(s.id);

    const other = items.find((s) => !s.current)!;
    // another user cannot end it
    expect((await someoneElse.request({ method: 'DELETE', url: `/api/auth/sessions/${other.id}` })).statusCode).toBe(404);
    expect((await second.request({ method: 'GET', url: '/api/auth/sessions' })).statusCode).toBe(200);
    // without the CSRF token: refused
    expect((await first.request({ method: 'DELETE', url: `/api/auth/sessions/${other.id}`, csrf: false })).statusCode).toBe(403);

    const end = await first.request({ method: 'DELETE', url: `/api/auth/sessions/${other.id}` });
    expect(end.statusCode).toBe(200);
    expect(end.json()).toEqual({ ok: true, current: false });
    expect((await second.request({ method: 'GET', url: '/api/auth/sessions' })).statusCode).toBe(401);
    const after = (await first.request({ method: 'GET', url: '/api/auth/sessions' })).json() as { items: SessionView[] };
    expect(after.items.map((s) => s.current)).toEqual([true]);
    const audit = await h.database.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'auth.session_revoke').execute();
    expect(audit).toEqual([{ actor_id: first.userId }]);
    // ending it twice: gone
    expect((await first.request({ method: 'DELETE', url: `/api/auth/sessions/${other.id}` })).statusCode).toBe(404);

    // ending the current session signs this browser out
    const self = after.items[0]!;
    const out = await first.request({ method: 'DELETE', url: `/api/auth/sessions/${self.id}` });
    expect(out.json()).toEqual({ ok: true, current: true });
    expect(out.cookies.find((c) => c.name === 'rasd_session')?.value).toBe('');
    expect((await first.request({ method: 'GET', url: '/api/auth/sessions' })).statusCode).toBe(401);
    expect((await someoneElse.request({ method: 'GET', url: '/api/auth/sessions' })).statusCode).toBe(200);
  });

  it('an admin disabling a user ends all of that user\'s sessions', async () => {
    const admin = await h.loginAs('admin');
    const user = await h.loginAs('contributor');
    const email = (await h.database.db.selectFrom('users').select('email').where('id', '=', user.userId).executeTakeFirstOrThrow()).email;
    const again = await h.login(email, TEST_PASSWORD);
    expect(((await user.request({ method: 'GET', url: '/api/auth/sessions' })).json() as { items: unknown[] }).items).toHaveLength(2);
    const res = await admin.request({ method: 'POST', url: `/api/admin/users/${user.userId}/disable` });
    expect(res.statusCode, res.body).toBe(200);
    expect((await user.request({ method: 'GET', url: '/api/auth/sessions' })).statusCode).toBe(401);
    expect((await again.request({ method: 'GET', url: '/api/auth/sessions' })).statusCode).toBe(401);
    expect(await h.database.db.selectFrom('sessions').select('id').where('user_id', '=', user.userId).execute()).toEqual([]);
  });
});
