import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../../src/users/index.ts';
import { closeHarness, createHarness, describeEachEngine, TEST_PASSWORD, type Harness, type TestClient } from '../helpers/http.ts';

const MB = 1024 * 1024;

interface Streamed {
  status: number;
  body: { error?: { code: string } };
  /** the largest growth of this process's resident memory while the request ran */
  peakRssGrowth: number;
}

/**
 * Sends `total` bytes of zeros as the body of a POST over a real socket, in 64 KB chunks, and stops sending
 * once the server has answered. Samples the process's memory meanwhile (the server runs in this process).
 */
function streamBody(port: number, path: string, headers: Record<string, string>, total: number): Promise<Streamed> {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const chunk = Buffer.alloc(64 * 1024);
  return new Promise<Streamed>((resolve, reject) => {
    let answered = false;
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'content-length': String(total) } }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        clearInterval(sampler);
        peak = Math.max(peak, process.memoryUsage().rss);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {}, peakRssGrowth: peak - baseline });
      });
    });
    req.on('error', (err) => {
      if (!answered) {
        clearInterval(sampler);
        reject(err);
      }
    });
    let sent = 0;
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describeEachEngine('security: request bodies and sign-in throttling', (engine) => {
  let h: Harness;
  let port: number;
  let viewer: TestClient;
  beforeAll(async () => {
    h = await createHarness(engine);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.server.address() as AddressInfo).port;
    viewer = await h.loginAs('viewer');
  });
  afterAll(() => closeHarness(h));

  const alive = async () => expect((await h.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);

  it('refuses an anonymous 100 MB raw body with 401 without reading it', async () => {
    const res = await streamBody(port, '/api/views', { 'content-type': 'application/octet-stream' }, 100 * MB);
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe('unauthenticated');
    expect(res.peakRssGrowth).toBeLessThan(50 * MB);
    await alive();
  });

  it('refuses a signed-in 100 MB raw body on a JSON route with 415 without reading it', async () => {
    const headers = { 'content-type': 'application/octet-stream', cookie: viewer.cookie, 'x-csrf-token': viewer.csrf };
    for (const path of ['/api/views', '/api/assignments']) {
      const res = await streamBody(port, path, headers, 100 * MB);
      expect(res.status).toBe(415);
      expect(res.body.error?.code).toBe('unsupported_media_type');
      expect(res.peakRssGrowth).toBeLessThan(50 * MB);
    }
    await alive();
  });

  it('refuses a file upload from a role that may not import before reading it (403)', async () => {
    const headers = { 'content-type': 'application/octet-stream', cookie: viewer.cookie, 'x-csrf-token': viewer.csrf };
    const res = await streamBody(port, '/api/imports?format=csv&filename=a.csv', headers, 100 * MB);
    expect(res.status).toBe(403);
    expect(res.peakRssGrowth).toBeLessThan(50 * MB);
  });

  it('answers 413 for a JSON body over the limit, and 415 for text/plain', async () => {
    const headers = { 'content-type': 'application/json', cookie: viewer.cookie, 'x-csrf-token': viewer.csrf };
    const big = await streamBody(port, '/api/views', headers, 6 * MB);
    expect(big.status).toBe(413);
    expect(big.body.error?.code).toBe('payload_too_large');
    const text = await viewer.request({ method: 'POST', url: '/api/views', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('unsupported_media_type');
  });

  it('answers 400 with a code for text no engine can store and for structures nested too deep', async () => {
    const nul = await viewer.request({ method: 'POST', url: '/api/views', payload: { name: 'a\u0000b', query: 'q=x' } });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.code).toBe('nul_character');
    const inQuery = await viewer.request({ method: 'GET', url: '/api/recommendations?q=%00torture' });
    expect(inQuery.statusCode).toBe(400);
    expect(inQuery.json().error.code).toBe('nul_character');
    let deep: unknown = 'x';
    for (let i = 0; i < 1000; i++) deep = { a: deep };
    const nested = await viewer.request({ method: 'POST', url: '/api/views', payload: { name: 'deep', query: deep } });
    expect(nested.statusCode).toBe(400);
    expect(nested.json().error.code).toBe('too_deep');
    await alive();
  });

  it('names the database in /api/health only to administrators', async () => {
    const anonymous = (await h.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(anonymous.engine).toBe(engine);
    expect(anonymous.database).toBeUndefined();
    expect((await viewer.request({ method: 'GET', url: '/api/health' })).json().database).toBeUndefined();
    const admin = await h.loginAs('admin');
    expect((await admin.request({ method: 'GET', url: '/api/health' })).json().database).toBeTruthy();
  });

  it('still takes files on the routes made for them', async () => {
    const coordinator = await h.loginAs('coordinator');
    const res = await coordinator.request({
      method: 'POST',
      url: '/api/entities/import?dryRun=true',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from('code,name_ar,name_en\nMOJ,وزارة العدل,Ministry of Justice\n'),
    });
    expect(res.statusCode).toBe(200);
  });

  const login = (email: string, password: string, opts: { ip?: string; cookie?: string } = {}) =>
    h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password },
      remoteAddress: opts.ip ?? '127.0.0.1',
      ...(opts.cookie ? { headers: { cookie: opts.cookie } } : {}),
    });

  it('evaluates exactly 5 of 200 parallel guesses, and refuses the right password sent 200th', async () => {
    const email = `target.${engine}@test.example`;
    await createUser(h.database.db, { email, password: TEST_PASSWORD, role: 'viewer' });
    const ip = '10.9.8.7';
    const guesses = Array.from({ length: 199 }, (_, i) => login(email, `wrong-guess-${i}`, { ip }));
    const right = login(email, TEST_PASSWORD, { ip });
    const all = await Promise.all([...guesses, right]);
    const codes = all.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(195);
    expect(all[199]!.statusCode).toBe(429);
    expect(all[199]!.json().error.code).toBe('too_many_attempts');
  });

  it('does not lock the real user out from another address, and a known device or an admin lifts an account lock', async () => {
    const email = `victim.${engine}@test.example`;
    await createUser(h.database.db, { email, password: TEST_PASSWORD, role: 'viewer' });
    const first = await login(email, TEST_PASSWORD, { ip: '192.0.2.1' });
    expect(first.statusCode).toBe(200);
    const device = first.cookies.find((c) => c.name === 'rasd_device');
    expect(device?.httpOnly).toBe(true);

    // Five wrong passwords from one address lock that address out for this account, not the user elsewhere.
    for (let i = 0; i < 5; i++) expect((await login(email, 'wrong', { ip: '198.51.100.1' })).statusCode).toBe(401);
    expect((await login(email, TEST_PASSWORD, { ip: '198.51.100.1' })).statusCode).toBe(429);
    expect((await login(email, TEST_PASSWORD, { ip: '192.0.2.50' })).statusCode).toBe(200);

    // Attempts from many addresses lock the account everywhere...
    for (let a = 0; a < 5; a++) for (let i = 0; i < 4; i++) await login(email, 'wrong', { ip: `198.51.100.${10 + a}` });
    expect((await login(email, TEST_PASSWORD, { ip: '192.0.2.60' })).statusCode).toBe(429);
    const admin = await h.loginAs('admin');
    const listed = (await admin.request({ method: 'GET', url: '/api/admin/users' })).json().items.find((u: { email: string }) => u.email === email);
    expect(listed.locked_until).toBeTruthy();
    // ...except for the right password from a browser the user signed in from before.
    const known = await login(email, TEST_PASSWORD, { ip: '192.0.2.61', cookie: `rasd_device=${device!.value}` });
    expect(known.statusCode).toBe(200);
    expect((await login(email, TEST_PASSWORD, { ip: '192.0.2.62' })).statusCode).toBe(200);

    // An administrator lifts a lock too.
    for (let a = 0; a < 5; a++) for (let i = 0; i < 4; i++) await login(email, 'wrong', { ip: `198.51.100.${20 + a}` });
    expect((await login(email, TEST_PASSWORD, { ip: '192.0.2.63' })).statusCode).toBe(429);
    const user = (await admin.request({ method: 'GET', url: '/api/admin/users' })).json().items.find((u: { email: string }) => u.email === email);
    const unlocked = await admin.request({ method: 'POST', url: `/api/admin/users/${user.id}/unlock` });
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json().locked_until).toBeNull();
    expect((await login(email, TEST_PASSWORD, { ip: '192.0.2.63' })).statusCode).toBe(200);
  });

  it('locks an address out for longer each time (back-off)', async () => {
    const email = `backoff.${engine}@test.example`;
    const ip = '203.0.113.9';
    for (let i = 0; i < 5; i++) await login(email, 'wrong', { ip });
    const first = await login(email, 'wrong', { ip });
    expect(first.statusCode).toBe(429);
    expect(first.json().error.details.retryAfterMinutes).toBe(15);
    // The lock ends: move it into the past, as the clock would.
    await h.database.db.updateTable('login_throttle').set({ locked_until: new Date(Date.now() - 1000).toISOString() }).where('key', 'like', 'pair:backoff.%').execute();
    for (let i = 0; i < 5; i++) expect((await login(email, 'wrong', { ip })).statusCode).toBe(401);
    const second = await login(email, 'wrong', { ip });
    expect(second.statusCode).toBe(429);
    expect(second.json().error.details.retryAfterMinutes).toBe(30);
  });
});

describeEachEngine('passwords: a user changes their own, an administrator sets a new one', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
  });
  afterAll(() => closeHarness(h));

  it('changes my own password with the current one, and ends my other sessions', async () => {
    const email = `own.${engine}@test.example`;
    await createUser(h.database.db, { email, password: TEST_PASSWORD, role: 'viewer' });
    const here = await h.login(email, TEST_PASSWORD);
    const elsewhere = await h.login(email, TEST_PASSWORD);
    const wrong = await here.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'not-it', newPassword: 'A-new-password-1' } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('wrong_current_password');
    const weak = await here.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('weak_password');
    const ok = await here.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: 'A-new-password-1' } });
    expect(ok.statusCode).toBe(200);
    expect((await here.request({ method: 'GET', url: '/api/auth/session' })).json().user.email).toBe(email);
    expect((await elsewhere.request({ method: 'GET', url: '/api/auth/session' })).json().user).toBeNull();
    await expect(h.login(email, TEST_PASSWORD)).rejects.toThrow(/401/);
    await h.login(email, 'A-new-password-1');
  });

  it('lets only an administrator set a new password for someone, ending their sessions', async () => {
    const email = `reset.${engine}@test.example`;
    const user = await createUser(h.database.db, { email, password: TEST_PASSWORD, role: 'viewer' });
    const session = await h.login(email, TEST_PASSWORD);
    const coordinator = await h.loginAs('coordinator');
    expect((await coordinator.request({ method: 'POST', url: `/api/admin/users/${user.id}/password`, payload: { password: 'Admin-set-password-2' } })).statusCode).toBe(403);
    const admin = await h.loginAs('admin');
    const res = await admin.request({ method: 'POST', url: `/api/admin/users/${user.id}/password`, payload: { password: 'Admin-set-password-2' } });
    expect(res.statusCode).toBe(200);
    expect((await session.request({ method: 'GET', url: '/api/auth/session' })).json().user).toBeNull();
    await h.login(email, 'Admin-set-password-2');
  });
});

describeEachEngine('security: forwarded addresses', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine, { TRUST_PROXY: 'true' });
  });
  afterAll(() => closeHarness(h));

  it('trusts only the configured proxy hop, so a forged X-Forwarded-For does not reset the limit', async () => {
    const email = `forged.${engine}@test.example`;
    await createUser(h.database.db, { email, password: TEST_PASSWORD, role: 'viewer' });
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password: 'wrong' },
        remoteAddress: '10.0.0.2', // the load balancer
        headers: { 'x-forwarded-for': `203.0.113.${i}, 198.51.100.77` }, // forged first entry, then the client the balancer saw
      });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });
});
