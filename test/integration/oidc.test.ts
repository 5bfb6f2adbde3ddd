import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEntity } from '../../src/entities/index.ts';
import { createUser } from '../../src/users/index.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness } from '../helpers/http.ts';
import { startTestProvider, type TestProvider } from '../helpers/oidc-provider.ts';

// Sign-in through an OpenID Connect provider (issue 14, identity), against a real provider (oidc-provider)
// on a loopback port: the app's redirect, the provider's sign-in and consent pages, the callback, the session.
const PUBLIC_URL = 'http://rasd.test';
const CALLBACK = `${PUBLIC_URL}/api/auth/oidc/callback`;

describeEachEngine('OpenID Connect sign-in', (engine) => {
  let h: Harness;
  let provider: TestProvider;
  const accounts: Record<string, Record<string, unknown>> = {
    'coord-1': { email: 'Coord.One@Gov.example', name: 'منسق الهوية', roles: ['Staff', 'Rasd.Coordinator'] },
    'focal-1': { email: 'focal.one@gov.example', name: 'Focal One', roles: 'focal_point', rasd_entity: 'MOI-OIDC' },
    'focal-x': { email: 'focal.x@gov.example', name: 'Focal X', roles: 'focal_point', rasd_entity: 'NO-SUCH' },
    'norole': { email: 'nobody@gov.example', name: 'Nobody', roles: ['Staff'] },
    'existing': { email: 'existing@gov.example', name: 'Existing Person', roles: 'Rasd.Admin' },
    'disabled': { email: 'disabled@gov.example', name: 'Disabled', roles: 'viewer' },
    'noemail': { name: 'No Mail', roles: 'viewer' },
  };

  beforeAll(async () => {
    provider = await startTestProvider(CALLBACK, accounts);
    h = await createHarness(engine, {
      PUBLIC_URL,
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_ROLE_MAP: 'Rasd.Coordinator=coordinator,Rasd.Admin=admin',
    });
    await createEntity(h.database.db, { code: 'MOI-OIDC', name_ar: 'وزارة الداخلية', name_en: 'Ministry of Interior' });
  }, 60_000);
  afterAll(async () => {
    await closeHarness(h);
    await provider?.close();
  });

  /** The whole round: start at the app, sign in at the provider, come back; returns the callback's answer. */
  async function signIn(accountId: string) {
    const start = await h.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    expect(start.statusCode).toBe(302);
    const stateCookie = start.cookies.find((c) => c.name === 'rasd_oidc_state')!;
    expect(stateCookie.httpOnly).toBe(true);
    const back = await provider.signInAt(start.headers.location as string, accountId);
    const callback = await h.app.inject({ method: 'GET', url: back.pathname + back.search, headers: { cookie: `rasd_oidc_state=${stateCookie.value}` } });
    return { callback, back, stateCookie };
  }
  const sessionOf = async (res: { cookies: { name: string; value: string }[] }) => {
    const cookie = res.cookies.find((c) => c.name === 'rasd_session');
    if (!cookie) return null;
    return (await h.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: `rasd_session=${cookie.value}` } })).json().user;
  };

  it('creates the user on first sign-in with the role its claims map to, and signs them in', async () => {
    const { callback } = await signIn('coord-1');
    expect(callback.statusCode).toBe(302);
    expect(callback.headers.location).toBe('/');
    const user = await sessionOf(callback);
    expect(user).toMatchObject({ email: 'coord.one@gov.example', role: 'coordinator', name: 'منسق الهوية' });
    const audit = await h.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', user.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['user.create_from_identity_provider', 'auth.login']));
    // the second time, the same user
    const again = await sessionOf((await signIn('coord-1')).callback);
    expect(again.id).toBe(user.id);
  });

  it("gives focal points their entity from the claims, and refuses an unknown entity", async () => {
    const ok = await sessionOf((await signIn('focal-1')).callback);
    const entity = await h.database.db.selectFrom('entities').select('id').where('code', '=', 'MOI-OIDC').executeTakeFirstOrThrow();
    expect(ok).toMatchObject({ role: 'focal_point', entity_id: entity.id });
    const bad = (await signIn('focal-x')).callback;
    expect(bad.headers.location).toBe('/?sso_error=sso_unknown_entity');
    expect(await sessionOf(bad)).toBeNull();
  });

  it('keeps an existing user in step with the claims', async () => {
    const existing = await createUser(h.database.db, { email: 'existing@gov.example', password: 'Existing-Password-1', role: 'viewer', name: 'Old name' });
    const user = await sessionOf((await signIn('existing')).callback);
    expect(user).toMatchObject({ id: existing.id, role: 'admin', name: 'Existing Person' });
    const audit = await h.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', existing.id).execute();
    expect(audit.map((a) => a.action)).toContain('user.update_from_identity_provider');
  });

  it('refuses a person with no role, no e-mail, or a disabled account, with a code and no session', async () => {
    const disabled = await createUser(h.database.db, { email: 'disabled@gov.example', password: 'Disabled-Password-1', role: 'viewer' });
    await h.database.db.updateTable('users').set({ disabled_at: new Date().toISOString() }).where('id', '=', disabled.id).execute();
    for (const [account, code] of [['norole', 'sso_no_role'], ['noemail', 'sso_no_email'], ['disabled', 'account_disabled']] as const) {
      const { callback } = await signIn(account);
      expect(callback.headers.location, account).toBe(`/?sso_error=${code}`);
      expect(await sessionOf(callback)).toBeNull();
    }
  });

  it('refuses a callback without the browser state, and a replayed one', async () => {
    const start = await h.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    const back = await provider.signInAt(start.headers.location as string, 'coord-1');
    const stolen = await h.app.inject({ method: 'GET', url: back.pathname + back.search });
    expect(stolen.headers.location).toBe('/?sso_error=sso_state_mismatch');
    expect(await sessionOf(stolen)).toBeNull();

    const { back: done, stateCookie } = await signIn('coord-1');
    const replay = await h.app.inject({ method: 'GET', url: done.pathname + done.search, headers: { cookie: `rasd_oidc_state=${stateCookie.value}` } });
    expect(replay.headers.location).toBe('/?sso_error=sso_expired');
    expect(await sessionOf(replay)).toBeNull();
  });

  it('says it is on in the public settings', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/settings/public' })).json().sso).toBe(true);
  });
});

describeEachEngine('OpenID Connect sign-in, not set up', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  });
  afterAll(() => closeHarness(h));

  it('answers 404 sso_not_configured and says it is off', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('sso_not_configured');
    expect((await h.app.inject({ method: 'GET', url: '/api/settings/public' })).json().sso).toBe(false);
  });
});
