import { afterAll, beforeAll, expect, it } from 'vitest';
import { totp } from '../../src/auth/totp.ts';
import { closeHarness, createHarness, describeEachEngine, TEST_PASSWORD, type Harness, type TestClient } from '../helpers/http.ts';

// Two-factor sign-in (issue 14, identity) through the HTTP API, on both engines.
describeEachEngine('two-factor sign-in', (engine) => {
  let h: Harness;
  let admin: TestClient;
  beforeAll(async () => {
    h = await createHarness(engine);
    admin = await h.loginAs('admin');
  });
  afterAll(() => closeHarness(h));

  const signIn = (email: string, extra: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: TEST_PASSWORD, ...extra } });

  /** Turns two-factor on for a fresh coordinator; returns its e-mail, secret and recovery codes. */
  async function enrolled() {
    const email = `c2fa.${Date.now()}.${Math.random().toString(36).slice(2)}@test.example`;
    const c = await h.loginAs('coordinator', { email });
    const setup = await c.request({ method: 'POST', url: '/api/auth/two-factor/setup' });
    expect(setup.statusCode).toBe(200);
    const { secret, uri, qrSvg } = setup.json() as { secret: string; uri: string; qrSvg: string };
    expect(uri).toContain(`secret=${secret}`);
    expect(qrSvg).toMatch(/^<svg/);
    const wrong = await c.request({ method: 'POST', url: '/api/auth/two-factor/confirm', payload: { code: totp(secret, Date.now() - 120_000) } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('invalid_two_factor_code');
    // the code used to confirm is spent: sign in with the next step's
    const confirm = await c.request({ method: 'POST', url: '/api/auth/two-factor/confirm', payload: { code: totp(secret, Date.now() - 30_000) } });
    expect(confirm.statusCode).toBe(200);
    const codes = confirm.json().recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    const status = await c.request({ method: 'GET', url: '/api/auth/two-factor' });
    expect(status.json()).toMatchObject({ enabled: true, required: false, recoveryCodesLeft: 10 });
    return { email, secret, codes, client: c };
  }

  it('asks for the code after the right password, accepts a current code once, refuses a wrong one', async () => {
    const { email, secret } = await enrolled();
    const first = await signIn(email);
    expect(first.statusCode).toBe(401);
    expect(first.json().error.code).toBe('two_factor_required');
    expect(first.json().error.message_ar).toBeTruthy();
    expect(first.cookies.find((c) => c.name === 'rasd_session')).toBeUndefined();

    const wrong = await signIn(email, { code: '000000' === totp(secret) ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_two_factor_code');

    const code = totp(secret);
    const ok = await signIn(email, { code });
    expect(ok.statusCode).toBe(200);
    expect(ok.cookies.find((c) => c.name === 'rasd_session')).toBeDefined();
    const replay = await signIn(email, { code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('invalid_two_factor_code');
  });

  it('takes each recovery code once, whatever its case and spacing', async () => {
    const { email, codes, client } = await enrolled();
    const typed = ` ${codes[3]!.toUpperCase().replace('-', ' ')} `;
    expect((await signIn(email, { code: typed })).statusCode).toBe(200);
    expect((await signIn(email, { code: codes[3]! })).statusCode).toBe(401);
    expect((await client.request({ method: 'GET', url: '/api/auth/two-factor' })).json().recoveryCodesLeft).toBe(9);
  });

  it('is turned off by its owner with the password, or cleared by an administrator', async () => {
    const a = await enrolled();
    const bad = await a.client.request({ method: 'POST', url: '/api/auth/two-factor/disable', payload: { password: 'not-the-password' } });
    expect(bad.statusCode).toBe(403);
    const off = await a.client.request({ method: 'POST', url: '/api/auth/two-factor/disable', payload: { password: TEST_PASSWORD } });
    expect(off.statusCode).toBe(200);
    expect((await signIn(a.email)).statusCode).toBe(200);

    const b = await enrolled();
    const userId = b.client.userId;
    const notAdmin = await b.client.request({ method: 'POST', url: `/api/admin/users/${userId}/two-factor/reset` });
    expect(notAdmin.statusCode).toBe(403);
    const reset = await admin.request({ method: 'POST', url: `/api/admin/users/${userId}/two-factor/reset` });
    expect(reset.statusCode).toBe(200);
    expect((await signIn(b.email)).statusCode).toBe(200);
    const again = await admin.request({ method: 'POST', url: `/api/admin/users/${userId}/two-factor/reset` });
    expect(again.json().error.code).toBe('two_factor_not_enabled');
    const audit = await h.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', userId).execute();
    expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['auth.two_factor.enable', 'auth.two_factor.reset']));
  });

  it('when required for a role, lets such a user do nothing but set it up, and not turn it off', async () => {
    const none = await admin.request({ method: 'GET', url: '/api/admin/two-factor-policy' });
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ roles: [], allowed: ['admin', 'coordinator'] });
    const put = await admin.request({ method: 'PUT', url: '/api/admin/two-factor-policy', payload: { roles: ['coordinator'] } });
    expect(put.json().roles).toEqual(['coordinator']);
    expect((await admin.request({ method: 'GET', url: '/api/admin/two-factor-policy' })).json().roles).toEqual(['coordinator']);
    const badRole = await admin.request({ method: 'PUT', url: '/api/admin/two-factor-policy', payload: { roles: ['viewer'] } });
    expect(badRole.statusCode).toBe(400);
    try {
      const c = await h.loginAs('coordinator');
      const session = await c.request({ method: 'GET', url: '/api/auth/session' });
      expect(session.json().twoFactorSetupRequired).toBe(true);
      const list = await c.request({ method: 'GET', url: '/api/recommendations' });
      expect(list.statusCode).toBe(403);
      expect(list.json().error.code).toBe('two_factor_setup_required');
      const setup = await c.request({ method: 'POST', url: '/api/auth/two-factor/setup' });
      const { secret } = setup.json() as { secret: string };
      expect((await c.request({ method: 'POST', url: '/api/auth/two-factor/confirm', payload: { code: totp(secret) } })).statusCode).toBe(200);
      expect((await c.request({ method: 'GET', url: '/api/recommendations' })).statusCode).toBe(200);
      const off = await c.request({ method: 'POST', url: '/api/auth/two-factor/disable', payload: { password: TEST_PASSWORD } });
      expect(off.json().error.code).toBe('two_factor_required_by_policy');
      // other roles are not concerned
      const viewer = await h.loginAs('viewer');
      expect((await viewer.request({ method: 'GET', url: '/api/recommendations' })).statusCode).toBe(200);
    } finally {
      await admin.request({ method: 'PUT', url: '/api/admin/two-factor-policy', payload: { roles: [] } });
    }
  });

  it('never shows the secret in user lists or the session', async () => {
    const { client } = await enrolled();
    const users = await admin.request({ method: 'GET', url: '/api/admin/users' });
    const session = await client.request({ method: 'GET', url: '/api/auth/session' });
    for (const body of [users.body, session.body]) {
      expect(body).not.toContain('totp_secret');
      expect(body).not.toContain('totp_last_step');
    }
  });
});
