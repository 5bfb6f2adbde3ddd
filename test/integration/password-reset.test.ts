import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeHarness, createHarness, describeEachEngine, TEST_PASSWORD, type Harness, type TestClient } from '../helpers/http.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';

// An administrator resets another user's password (issue 14, identity): a single-use, expiring link by e-mail,
// or a temporary password to be changed at the next sign-in. Through the HTTP API, on both engines.
describeEachEngine('admin password reset', (engine) => {
  let h: Harness;
  let sink: SmtpSink;
  let admin: TestClient;
  beforeAll(async () => {
    sink = await startSmtpSink();
    h = await createHarness(engine, { SMTP_URL: sink.url, MAIL_FROM: 'Rasd <rasd@test.example>', PUBLIC_URL: 'https://rasd.test.example' });
    admin = await h.loginAs('admin');
  });
  afterAll(async () => {
    await closeHarness(h);
    await sink.close();
  });

  let seq = 0;
  const freshEmail = () => `reset.${engine}.${Date.now()}.${++seq}@test.example`;
  const signIn = (email: string, password: string) => h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  const auditOf = async (userId: string) =>
    (await h.database.db.selectFrom('audit_log').select(['action', 'actor_id']).where('subject_id', '=', userId).orderBy('id').execute()).map((r) => r.action);

  async function mailTo(email: string) {
    for (let i = 0; i < 100; i++) {
      const m = sink.messages.filter((x) => x.to.includes(email));
      if (m.length) return m[m.length - 1]!;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no mail to ${email}`);
  }
  const tokenIn = (text: string) => /\/reset-password#token=([A-Za-z0-9_-]{43})/.exec(text)?.[1];

  it('a temporary password: shown once, ends the sessions, admits only the password change until it is replaced', async () => {
    const email = freshEmail();
    const user = await h.loginAs('focal_point', { email });
    expect((await user.request({ method: 'GET', url: '/api/auth/sessions' })).statusCode).toBe(200);

    const res = await admin.request({ method: 'POST', url: `/api/admin/users/${user.userId}/temporary-password` });
    expect(res.statusCode).toBe(200);
    const temp = res.json().temporaryPassword as string;
    expect(temp).toMatch(/^[A-Za-z0-9]{5}-[A-Za-z0-9]{5}-[A-Za-z0-9]{5}$/);
    // stored only as a hash
    const row = await h.database.db.selectFrom('users').selectAll().where('id', '=', user.userId).executeTakeFirstOrThrow();
    expect(row.password_hash).not.toContain(temp);
    expect(row.password_change_required_at).not.toBeNull();

    // the old session ended, the old password no longer works
    expect((await user.request({ method: 'GET', url: '/api/auth/sessions' })).statusCode).toBe(401);
    expect((await signIn(email, TEST_PASSWORD)).statusCode).toBe(401);

    const signedIn = await signIn(email, temp);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().passwordChangeRequired).toBe(true);
    const c = await h.login(email, temp);
    const session = await c.request({ method: 'GET', url: '/api/auth/session' });
    expect(session.json().passwordChangeRequired).toBe(true);
    // everything else is closed until the password is changed
    const blocked = await c.request({ method: 'GET', url: '/api/recommendations' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');
    expect(blocked.json().error.message_ar).toBeTruthy();
    expect((await c.request({ method: 'GET', url: '/api/workspace' })).statusCode).toBe(403);
    // the temporary password cannot be kept as the new one
    const same = await c.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: temp, newPassword: temp } });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.code).toBe('password_unchanged');

    const changed = await c.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: temp, newPassword: 'My-Own-Password-42' } });
    expect(changed.statusCode).toBe(200);
    const after = await c.request({ method: 'GET', url: '/api/auth/session' });
    expect(after.json().passwordChangeRequired).toBe(false);
    expect((await c.request({ method: 'GET', url: '/api/recommendations' })).statusCode).toBe(200);
    expect((await signIn(email, temp)).statusCode).toBe(401);
    expect((await signIn(email, 'My-Own-Password-42')).statusCode).toBe(200);

    expect(await auditOf(user.userId)).toEqual(expect.arrayContaining(['user.temporary_password', 'user.change_password']));
    const audit = await h.database.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'user.temporary_password').where('subject_id', '=', user.userId).executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(admin.userId);
  });

  it('a link by e-mail: works once, within its time, ends the sessions; a newer link replaces an older one', async () => {
    const email = freshEmail();
    const user = await h.loginAs('contributor', { email });

    const first = await admin.request({ method: 'POST', url: `/api/admin/users/${user.userId}/reset-link` });
    expect(first.statusCode).toBe(200);
    expect(first.json().sentTo).toBe(email);
    const firstMail = await mailTo(email);
    const firstToken = tokenIn(firstMail.text)!;
    expect(firstToken).toBeTruthy();
    expect(firstMail.text).toContain('https://rasd.test.example/reset-password#token=');
    expect(firstMail.subject).toContain('إعادة تعيين كلمة المرور');
    // the token is not stored as such
    const stored = await h.database.db.selectFrom('password_resets').select('id').where('user_id', '=', user.userId).execute();
    expect(stored.map((r) => r.id)).not.toContain(firstToken);
    // sessions ended at once; the password itself stays until the link is used
    expect((await user.request({ method: 'GET', url: '/api/auth/sessions' })).statusCode).toBe(401);
    expect((await signIn(email, TEST_PASSWORD)).statusCode).toBe(200);

    sink.messages.length = 0;
    const second = await admin.request({ method: 'POST', url: `/api/admin/users/${user.userId}/reset-link` });
    expect(second.statusCode).toBe(200);
    const token = tokenIn((await mailTo(email)).text)!;
    expect(token).not.toBe(firstToken);

    const replaced = await h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { token: firstToken, password: 'Through-The-Link-1' } });
    expect(replaced.statusCode).toBe(400);
    expect(replaced.json().error.code).toBe('invalid_reset_link');

    const check = await h.app.inject({ method: 'POST', url: '/api/auth/password-reset/check', payload: { token } });
    expect(check.statusCode).toBe(200);
    expect(check.json().email).toBe(email);

    const weak = await h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { token, password: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('weak_password');

    const other = await h.login(email, TEST_PASSWORD);
    const used = await h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { token, password: 'Through-The-Link-1' } });
    expect(used.statusCode).toBe(200);
    expect(used.json().email).toBe(email);
    // every session of the account ended, the old password is gone, the new one works
    expect((await other.request({ method: 'GET', url: '/api/auth/sessions' })).statusCode).toBe(401);
    expect((await signIn(email, TEST_PASSWORD)).statusCode).toBe(401);
    const fresh = await signIn(email, 'Through-The-Link-1');
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().passwordChangeRequired).toBe(false);

    const again = await h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { token, password: 'Another-Password-2' } });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('invalid_reset_link');
    expect((await h.app.inject({ method: 'POST', url: '/api/auth/password-reset/check', payload: { token } })).statusCode).toBe(400);

    expect(await auditOf(user.userId)).toEqual(expect.arrayContaining(['user.reset_link_sent', 'user.reset_password_by_link']));
  });

  it('an expired link is refused; two uses at once: exactly one succeeds', async () => {
    const email = freshEmail();
    const user = await h.loginAs('viewer', { email });
    await admin.request({ method: 'POST', url: `/api/admin/users/${user.userId}/reset-link` });
    const token = tokenIn((await mailTo(email)).text)!;
    await h.database.db.updateTable('password_resets').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('user_id', '=', user.userId).execute();
    const expired = await h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { token, password: 'Too-Late-Password-1' } });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.code).toBe('invalid_reset_link');

    sink.messages.length = 0;
    await admin.request({ method: 'POST', url: `/api/admin/users/${user.userId}/reset-link` });
    const t2 = tokenIn((await mailTo(email)).text)!;
    const both = await Promise.all(
      ['Race-Password-One-1', 'Race-Password-Two-2'].map((password) => h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { token: t2, password } })),
    );
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 400]);
    const winner = both.findIndex((r) => r.statusCode === 200) === 0 ? 'Race-Password-One-1' : 'Race-Password-Two-2';
    expect((await signIn(email, winner)).statusCode).toBe(200);
  });

  it('only administrators reset; not their own password; not a disabled account; a link needs mail', async () => {
    const coordinator = await h.loginAs('coordinator');
    const target = await h.loginAs('viewer');
    for (const path of ['temporary-password', 'reset-link']) {
      const refused = await coordinator.request({ method: 'POST', url: `/api/admin/users/${target.userId}/${path}` });
      expect(refused.statusCode).toBe(403);
      const own = await admin.request({ method: 'POST', url: `/api/admin/users/${admin.userId}/${path}` });
      expect(own.statusCode).toBe(400);
      expect(own.json().error.code).toBe('reset_own_password');
      const missing = await admin.request({ method: 'POST', url: `/api/admin/users/no-such-user/${path}` });
      expect(missing.statusCode).toBe(404);
    }
    await admin.request({ method: 'POST', url: `/api/admin/users/${target.userId}/disable` });
    const disabled = await admin.request({ method: 'POST', url: `/api/admin/users/${target.userId}/temporary-password` });
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json().error.code).toBe('account_disabled');
    expect((await h.database.db.selectFrom('audit_log').select('id').where('subject_id', '=', target.userId).where('action', '=', 'user.temporary_password').execute()).length).toBe(0);

    const bad = await h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { token: 'x'.repeat(43), password: 'Whatever-Password-1' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_reset_link');

    const noMail = await createHarness(engine);
    try {
      const a = await noMail.loginAs('admin');
      const u = await noMail.loginAs('viewer');
      const r = await a.request({ method: 'POST', url: `/api/admin/users/${u.userId}/reset-link` });
      expect(r.statusCode).toBe(409);
      expect(r.json().error.code).toBe('mail_not_configured');
      // nothing changed: the user's session is still there
      expect((await u.request({ method: 'GET', url: '/api/auth/sessions' })).statusCode).toBe(200);
    } finally {
      await closeHarness(noMail);
    }
  });
});
