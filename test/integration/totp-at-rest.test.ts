import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { open } from '../../src/auth/secret-box.ts';
import { newSecret, totp } from '../../src/auth/totp.ts';
import { loadConfig } from '../../src/config/config.ts';
import { buildApp } from '../../src/server/app.ts';
import { createUser } from '../../src/users/index.ts';
import { closeHarness, createHarness, describeEachEngine, TEST_PASSWORD, type Harness } from '../helpers/http.ts';

// Two-factor secrets are stored encrypted (AES-256-GCM under SECRET_KEY), and those an earlier version stored
// in clear are encrypted at the next start (issue 14). On both engines.
describeEachEngine('two-factor secrets at rest', (engine) => {
  const key = randomBytes(32);
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine, { SECRET_KEY: key.toString('hex') });
  });
  afterAll(() => closeHarness(h));

  const stored = async (email: string) => (await h.database.db.selectFrom('users').select('totp_secret').where('email', '=', email).executeTakeFirstOrThrow()).totp_secret;
  const signIn = (app: Harness['app'], email: string, code?: string) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: TEST_PASSWORD, ...(code ? { code } : {}) } });

  it('a new secret is stored sealed; the codes it gives still sign in', async () => {
    const email = `sealed.${engine}.${Date.now()}@test.example`;
    const c = await h.loginAs('coordinator', { email });
    const { secret } = (await c.request({ method: 'POST', url: '/api/auth/two-factor/setup' })).json() as { secret: string };
    const row = (await stored(email))!;
    expect(row.startsWith('v1:')).toBe(true);
    expect(row).not.toContain(secret);
    expect(open(key, row)).toBe(secret);
    expect((await c.request({ method: 'POST', url: '/api/auth/two-factor/confirm', payload: { code: totp(secret, Date.now() - 30_000) } })).statusCode).toBe(200);
    expect((await signIn(h.app, email, totp(secret))).statusCode).toBe(200);
  });

  it('a secret left in clear by an earlier version is sealed at the next start, and keeps working', async () => {
    const email = `legacy.${engine}.${Date.now()}@test.example`;
    await createUser(h.database.db, { email, password: TEST_PASSWORD, role: 'admin' });
    const secret = newSecret();
    await h.database.db.updateTable('users').set({ totp_secret: secret, totp_enabled_at: new Date().toISOString() }).where('email', '=', email).execute();
    const restarted = await buildApp({ db: h.database.db, dialect: h.database.dialect, config: h.config }, { logger: false, webDist: '/nonexistent' });
    try {
      const row = (await stored(email))!;
      expect(row.startsWith('v1:')).toBe(true);
      expect(open(key, row)).toBe(secret);
      expect((await signIn(restarted, email, totp(secret))).statusCode).toBe(200);
    } finally {
      await restarted.close();
    }
  });

  it('a server with another SECRET_KEY says so instead of accepting or refusing the code', async () => {
    const email = `otherkey.${engine}.${Date.now()}@test.example`;
    const c = await h.loginAs('coordinator', { email });
    const { secret } = (await c.request({ method: 'POST', url: '/api/auth/two-factor/setup' })).json() as { secret: string };
    await c.request({ method: 'POST', url: '/api/auth/two-factor/confirm', payload: { code: totp(secret, Date.now() - 30_000) } });
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite::memory:', SECRET_KEY: randomBytes(32).toString('base64') });
    const other = await buildApp({ db: h.database.db, dialect: h.database.dialect, config }, { logger: false, webDist: '/nonexistent' });
    try {
      const res = await signIn(other, email, totp(secret));
      expect(res.statusCode).toBe(500);
      expect(res.json().error.code).toBe('secret_key_mismatch');
      expect(res.cookies.find((x) => x.name === 'rasd_session')).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
