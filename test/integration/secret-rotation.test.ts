import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { open } from '../../src/auth/secret-box.ts';
import { totp } from '../../src/auth/totp.ts';
import { loadConfig } from '../../src/config/config.ts';
import { buildApp } from '../../src/server/app.ts';
import { runRasd, urlOf } from '../helpers/cli.ts';
import { closeHarness, createHarness, describeEachEngine, TEST_PASSWORD, type Harness } from '../helpers/http.ts';

// SECRET_KEY rotation (issue 14): `rasd secret rotate` re-encrypts every two-factor secret under a new key in one
// transaction, all or nothing; during the rotation window a server with SECRET_KEY (new) and SECRET_KEY_PREVIOUS
// (old) reads secrets sealed under either. On both engines, through the real CLI.
// every run leaves this process's SECRET_KEY* out: the keys are the ones each case gives
const rasd = (args: string[], env: Record<string, string>) => runRasd(args, env, (name) => name.startsWith('SECRET_KEY'));

describeEachEngine('SECRET_KEY rotation', (engine) => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-rotate-'));
  let h: Harness;
  const users: Record<'enabled' | 'pending' | 'windowed', { email: string; secret: string }> = {
    enabled: { email: '', secret: '' },
    pending: { email: '', secret: '' },
    windowed: { email: '', secret: '' },
  };
  const apps: FastifyInstance[] = [];

  const stored = async () => new Map((await h.database.db.selectFrom('users').select(['email', 'totp_secret']).where('totp_secret', 'is not', null).execute()).map((r) => [r.email, r.totp_secret!]));
  const signIn = (app: FastifyInstance, email: string, code: string) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: TEST_PASSWORD, code } });
  /** A server on the same database with other keys (a restarted instance). */
  const serverWith = async (env: Record<string, string>) => {
    const app = await buildApp({ db: h.database.db, dialect: h.database.dialect, config: loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite::memory:', DATA_DIR: work, ...env }) }, { logger: false, webDist: '/nonexistent' });
    apps.push(app);
    return app;
  };
  /** Each sign-in uses a fresh code: the last step used is forgotten between the steps of this test. */
  const forgetLastStep = () => h.database.db.updateTable('users').set({ totp_last_step: null }).execute();

  beforeAll(async () => {
    h = await createHarness(engine, { SECRET_KEY: oldKey.toString('hex'), DATA_DIR: work });
    for (const kind of ['enabled', 'pending'] as const) {
      const email = `${kind}.${engine}.${Date.now()}@test.example`;
      const c = await h.loginAs('admin', { email });
      const { secret } = (await c.request({ method: 'POST', url: '/api/auth/two-factor/setup' })).json() as { secret: string };
      if (kind === 'enabled') expect((await c.request({ method: 'POST', url: '/api/auth/two-factor/confirm', payload: { code: totp(secret, Date.now() - 30_000) } })).statusCode).toBe(200);
      users[kind] = { email, secret };
    }
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await closeHarness(h);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('a wrong old key refuses the rotation with a coded error and changes nothing', async () => {
    const before = await stored();
    const r = await rasd(['secret', 'rotate'], { DATABASE_URL: urlOf(h.database.target), DATA_DIR: work, SECRET_KEY: randomBytes(32).toString('hex'), SECRET_KEY_NEW: newKey.toString('hex') });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^rasd: secret_key_wrong: 2 encrypted secret\(s\) open with neither/m);
    expect(await stored()).toEqual(before);
    expect(await h.database.db.selectFrom('audit_log').select('id').where('action', '=', 'secrets.rotate').execute()).toEqual([]);
    // the same key as new and old is refused too
    const same = await rasd(['secret', 'rotate'], { DATABASE_URL: urlOf(h.database.target), DATA_DIR: work, SECRET_KEY: oldKey.toString('hex'), SECRET_KEY_NEW: oldKey.toString('hex') });
    expect(same.code).toBe(1);
    expect(same.err).toMatch(/^rasd: secret_key_same:/m);
    // no new key at all: said so
    const none = await rasd(['secret', 'rotate'], { DATABASE_URL: urlOf(h.database.target), DATA_DIR: work, SECRET_KEY: oldKey.toString('hex') });
    expect(none.code).toBe(1);
    expect(none.err).toContain('Give the new key');
    expect(await stored()).toEqual(before);
  });

  it('during the rotation window a server reads secrets under the previous key and seals new ones under the new key', async () => {
    const windowed = await serverWith({ SECRET_KEY: newKey.toString('hex'), SECRET_KEY_PREVIOUS: oldKey.toString('hex') });
    await forgetLastStep();
    expect((await signIn(windowed, users.enabled.email, totp(users.enabled.secret))).statusCode).toBe(200);
    // without the previous key, the same secret is not readable: the window is what makes it work
    const newOnly = await serverWith({ SECRET_KEY: newKey.toString('hex') });
    await forgetLastStep();
    expect((await signIn(newOnly, users.enabled.email, totp(users.enabled.secret))).json().error.code).toBe('secret_key_mismatch');
    // a set-up made meanwhile is sealed under the new key
    const email = `windowed.${engine}.${Date.now()}@test.example`;
    await h.loginAs('coordinator', { email });
    const login = await windowed.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: TEST_PASSWORD } });
    const cookie = `rasd_session=${login.cookies.find((c) => c.name === 'rasd_session')!.value}`;
    const setup = await windowed.inject({ method: 'POST', url: '/api/auth/two-factor/setup', headers: { cookie, 'x-csrf-token': login.json().csrfToken } });
    users.windowed = { email, secret: setup.json().secret };
    expect(open(newKey, (await stored()).get(email)!)).toBe(users.windowed.secret);
  });

  it('rasd secret rotate re-encrypts every secret under the new key, all at once; the codes still verify', async () => {
    const r = await rasd(['secret', 'rotate'], { DATABASE_URL: urlOf(h.database.target), DATA_DIR: work, SECRET_KEY: newKey.toString('hex'), SECRET_KEY_PREVIOUS: oldKey.toString('hex') });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Re-encrypted 2 secret(s) under the new key; 1 already were.');
    // the keys are never printed
    for (const k of [oldKey, newKey]) {
      for (const form of [k.toString('hex'), k.toString('base64')]) expect(r.out + r.err).not.toContain(form);
    }
    const after = await stored();
    expect(after.size).toBe(3);
    for (const [email, value] of after) {
      expect(() => open(oldKey, value), email).toThrow();
      const secret = Object.values(users).find((u) => u.email === email)!.secret;
      expect(open(newKey, value)).toBe(secret);
    }
    const audit = await h.database.db.selectFrom('audit_log').select(['actor_id', 'after']).where('action', '=', 'secrets.rotate').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after!)).toEqual({ rotated: 2, unchanged: 1 });

    // a server with only the new key: a rotated secret verifies a code; a pending set-up confirms with one
    const newOnly = await serverWith({ SECRET_KEY: newKey.toString('hex') });
    await forgetLastStep();
    expect((await signIn(newOnly, users.enabled.email, totp(users.enabled.secret))).statusCode).toBe(200);
    const login = await newOnly.inject({ method: 'POST', url: '/api/auth/login', payload: { email: users.pending.email, password: TEST_PASSWORD } });
    const cookie = `rasd_session=${login.cookies.find((c) => c.name === 'rasd_session')!.value}`;
    const confirm = await newOnly.inject({ method: 'POST', url: '/api/auth/two-factor/confirm', headers: { cookie, 'x-csrf-token': login.json().csrfToken }, payload: { code: totp(users.pending.secret) } });
    expect(confirm.statusCode, confirm.body).toBe(200);
    // and one with the old key no longer reads them
    const oldOnly = await serverWith({ SECRET_KEY: oldKey.toString('hex') });
    await forgetLastStep();
    expect((await signIn(oldOnly, users.enabled.email, totp(users.enabled.secret))).json().error.code).toBe('secret_key_mismatch');
  });

  it('the embedded mode (DATA_DIR/secret.key) rotates to a key read from a file, and keeps it in place of the old one', async () => {
    const dir = fs.mkdtempSync(path.join(work, 'embedded-'));
    fs.writeFileSync(path.join(dir, 'secret.key'), `${newKey.toString('hex')}\n`, { mode: 0o600 });
    const newer = randomBytes(32);
    const keyFile = path.join(work, 'newer.key');
    fs.writeFileSync(keyFile, newer.toString('base64'), { mode: 0o600 });
    const r = await rasd(['secret', 'rotate', '--new-key-file', keyFile], { DATABASE_URL: urlOf(h.database.target), DATA_DIR: dir });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Re-encrypted 3 secret(s)');
    expect(r.out + r.err).not.toContain(newer.toString('hex'));
    expect(fs.readFileSync(path.join(dir, 'secret.key'), 'utf8').trim()).toBe(newer.toString('hex'));
    expect((fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toString(8)).toBe('600');
    const embedded = await serverWith({ DATA_DIR: dir });
    await forgetLastStep();
    expect((await signIn(embedded, users.enabled.email, totp(users.enabled.secret))).statusCode).toBe(200);
  });
});
