/**
 * The account journey in Arabic (issue 14, identity): a user changes their password; an administrator resets
 * another's; a coordinator turns on two-factor sign-in and signs in with a code from the app; an administrator
 * makes two-factor compulsory and a coordinator without it can do nothing but set it up. Also the two-factor
 * set-up in English and at phone width. Screenshots in test-results/screenshots/account-*.png.
 */
import net, { type AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totp } from '../../src/auth/totp.ts';
import { setRequiredRoles } from '../../src/auth/two-factor.service.ts';
import { DEMO_PASSWORD } from '../../src/demo/index.ts';
import { createUser } from '../../src/users/index.ts';
import { startTestProvider, type TestProvider } from '../helpers/oidc-provider.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { type AxeFinding, axe, expectClean, haveChromium, type Lang, openContext, screenshot, type Server, signIn, signOut, startServer, startsWith, submitSignIn, T } from './support.ts';

// 400: the used reset link's check, shown as "not valid" (expected)
const allowConsole = /status of (400|401|403)/;
const PASSWORD = 'Account-Journey-2026';
let server: Server | undefined;
let sink: SmtpSink | undefined;

/** The reset link e-mailed to this address (the latest), as a path on the test server. */
async function resetLinkFor(email: string): Promise<string> {
  await expect.poll(() => sink!.messages.some((m) => m.to.includes(email))).toBe(true);
  const mail = sink!.messages.filter((m) => m.to.includes(email)).at(-1)!;
  const token = /\/reset-password#token=([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
  expect(token).toBeTruthy();
  return `/reset-password#token=${token}`;
}

/** On the Users page: opens the reset dialog for the user named `name`. */
async function openReset(page: Page, lang: Lang, name: string) {
  await page.goto(server!.base + '/admin/users');
  await page.getByRole('button', { name: T[lang].reset.adminTitle.replace('{{name}}', name) }).click();
  await page.getByTestId('admin-reset').waitFor();
}

/** Makes a user with a known password; returns its e-mail. */
async function newUser(role: 'coordinator' | 'viewer', name: string): Promise<string> {
  const email = `${name}.${Date.now()}@rasd.example`;
  await createUser(server!.database.db, { email, password: PASSWORD, role, name });
  return email;
}

async function signInWith(page: Page, lang: Lang, email: string, password: string) {
  await page.goto(server!.base + '/');
  await page.getByLabel(startsWith(T.ar.login.email)).or(page.getByLabel(startsWith(T.en.login.email))).waitFor();
  await switchTo(page, lang);
  await submitSignIn(page, lang, email, password);
}

/** Switches the interface to `lang` (on the sign-in page or in the app) unless it is already in it. */
async function switchTo(page: Page, lang: Lang) {
  if ((await page.locator('html').getAttribute('lang')) === lang) return;
  const other = lang === 'ar' ? T.en : T.ar;
  await page.getByRole('radiogroup', { name: other.language.switch }).getByText(T[lang].language[lang], { exact: true }).click();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
}

/** Turns two-factor on from the user menu (or the compulsory set-up page); returns the secret. */
async function setUpTwoFactor(page: Page, lang: Lang, shot: string): Promise<string> {
  const t = T[lang];
  await page.getByTestId('two-factor-start').click();
  const secret = (await page.getByTestId('two-factor-secret').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByRole('img', { name: t.twoFactor.qrAlt }).waitFor();
  await screenshot(page, `${shot}-setup`);
  // the previous step's code: the sign-in that follows uses the current one (each code works once). The server accepts
  // the step before its own, so the code must reach it before the next step starts: near a step's end, wait for the next.
  const intoStep = (Date.now() / 1000) % 30;
  if (intoStep > 20) await page.waitForTimeout((30 - intoStep + 0.5) * 1000);
  await page.getByTestId('two-factor-code').fill(totp(secret, Date.now() - 30_000));
  await page.getByRole('button', { name: t.twoFactor.confirm }).click();
  await page.getByTestId('two-factor-codes').waitFor();
  expect(await page.getByTestId('two-factor-codes').locator('code').count()).toBe(10);
  await screenshot(page, `${shot}-codes`);
  await page.getByTestId('two-factor-done').click();
  return secret;
}

describe.skipIf(!haveChromium)('account journey', () => {
  beforeAll(async () => {
    sink = await startSmtpSink();
    server = await startServer({ tmpPrefix: 'rasd-e2e-account-', env: () => ({ SMTP_URL: sink!.url }) });
  });
  afterAll(async () => {
    await server?.close();
    await sink?.close();
  });

  it('in Arabic: password change, administrator reset, two-factor on and used, two-factor made compulsory', async () => {
    const t = T.ar;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('account-ar', { allowConsole, timeout: 30_000 });
    try {
      // 1. A viewer changes their own password, then signs in with the new one.
      const viewer = await newUser('viewer', 'viewer-account');
      await signInWith(page, 'ar', viewer, PASSWORD);
      await page.getByTestId('sidebar').waitFor();
      await page.getByTestId('user-menu').click();
      await page.getByTestId('change-password').click();
      await page.getByLabel(startsWith(t.user.currentPassword)).fill(PASSWORD);
      await page.getByLabel(startsWith(t.user.newPassword)).fill('Viewer-New-Password-1');
      await page.getByTestId('password-form').getByRole('button', { name: t.user.save }).click();
      await page.getByText(t.user.passwordChanged).waitFor();
      await page.keyboard.press('Escape');
      await signOut(page, 'ar');
      await signInWith(page, 'ar', viewer, 'Viewer-New-Password-1');
      await page.getByTestId('sidebar').waitFor();
      await signOut(page, 'ar');

      // 2. The administrator resets another user's password: a temporary password, changed at the next sign-in.
      const other = await newUser('viewer', 'viewer-reset');
      await signIn(page, 'ar', 'admin@rasd.example');
      await openReset(page, 'ar', 'viewer-reset');
      await page.getByRole('radio', { name: t.reset.byTemporary }).check();
      await screenshot(page, 'account-reset-ar-dialog');
      await page.getByTestId('admin-reset-confirm').click();
      const temporary = (await page.getByTestId('temporary-password').textContent())!.trim();
      expect(temporary).toMatch(/^[A-Za-z0-9]{5}-[A-Za-z0-9]{5}-[A-Za-z0-9]{5}$/);
      await screenshot(page, 'account-reset-ar-temporary');
      await page.keyboard.press('Escape');
      await page.getByTestId('user-temporary-password').waitFor();
      await signOut(page, 'ar');
      await signInWith(page, 'ar', other, temporary);
      // nothing but the change of password is open
      await page.getByRole('heading', { name: t.reset.requiredTitle }).waitFor();
      expect(await page.getByTestId('sidebar').count()).toBe(0);
      await axe(page, 'temporary password (ar)', findings);
      await page.getByLabel(startsWith(t.reset.temporaryLabel)).fill(temporary);
      await page.getByLabel(startsWith(t.user.newPassword)).fill('Reset-By-Admin-2026');
      await page.getByLabel(startsWith(t.reset.again)).fill('Reset-By-Admin-2026');
      await screenshot(page, 'account-reset-ar-required');
      await page.getByRole('button', { name: t.reset.submit }).click();
      await page.getByTestId('sidebar').waitFor();
      await signOut(page, 'ar');
      await signInWith(page, 'ar', other, 'Reset-By-Admin-2026');
      await page.getByTestId('sidebar').waitFor();
      await signOut(page, 'ar');

      // 2b. … or a single-use link by e-mail.
      await signIn(page, 'ar', 'admin@rasd.example');
      await openReset(page, 'ar', 'viewer-reset');
      await page.getByTestId('admin-reset-confirm').click();
      await page.getByTestId('reset-link-sent').waitFor();
      await screenshot(page, 'account-reset-ar-link-sent');
      await page.keyboard.press('Escape');
      await signOut(page, 'ar');
      const link = await resetLinkFor(other);
      await page.goto(server!.base + link);
      await page.getByRole('heading', { name: t.reset.pageTitle }).waitFor();
      await page.getByText(other).waitFor();
      await axe(page, 'reset link (ar)', findings);
      await page.getByLabel(startsWith(t.user.newPassword)).fill('Through-The-Link-2026');
      await page.getByLabel(startsWith(t.reset.again)).fill('Through-The-Link-2026');
      await screenshot(page, 'account-reset-ar-link-page');
      await page.getByRole('button', { name: t.reset.submit }).click();
      await page.getByTestId('reset-done').waitFor();
      // the link works once
      await page.goto(server!.base + '/');
      await page.goto(server!.base + link);
      await page.getByTestId('reset-invalid').waitFor();
      await screenshot(page, 'account-reset-ar-link-used');
      await signInWith(page, 'ar', other, 'Through-The-Link-2026');
      await page.getByTestId('sidebar').waitFor();
      await signOut(page, 'ar');

      // 3. A coordinator turns two-factor on, then signs in with a code.
      const coordinator = await newUser('coordinator', 'coordinator-2fa');
      await signInWith(page, 'ar', coordinator, PASSWORD);
      await page.getByTestId('sidebar').waitFor();
      await page.getByTestId('user-menu').click();
      await page.getByTestId('two-factor-menu').click();
      await page.getByTestId('two-factor-start').waitFor();
      await page.getByRole('menu').waitFor({ state: 'detached' });
      await axe(page, 'two-factor (ar)', findings);
      const secret = await setUpTwoFactor(page, 'ar', 'account-2fa-ar');
      await signOut(page, 'ar');
      await signInWith(page, 'ar', coordinator, PASSWORD);
      await page.getByText(t.twoFactor.loginCodeTitle).waitFor();
      await page.getByTestId('login-code').fill('000000' === totp(secret) ? '111111' : '000000');
      await page.getByRole('button', { name: t.login.submit, exact: true }).click();
      await page.getByText(T.ar.login.failedTitle).waitFor();
      await page.getByTestId('login-code').fill(totp(secret));
      await screenshot(page, 'account-2fa-ar-login');
      await page.getByRole('button', { name: t.login.submit, exact: true }).click();
      await page.getByTestId('sidebar').waitFor();
      await signOut(page, 'ar');

      // 4. The administrator makes it compulsory: a coordinator without it sees only the set-up.
      await signIn(page, 'ar', 'admin@rasd.example');
      await page.goto(server!.base + '/admin/users');
      await page.getByTestId('user-2fa').first().waitFor();
      // a controlled switch: it turns on once the server has saved the setting
      await page.getByRole('switch', { name: t.twoFactor.policyLabel }).click({ force: true });
      await expect.poll(() => page.getByTestId('two-factor-policy').isChecked()).toBe(true);
      await screenshot(page, 'account-users-ar');
      await signOut(page, 'ar');
      const late = await newUser('coordinator', 'coordinator-late');
      await signInWith(page, 'ar', late, PASSWORD);
      await page.getByRole('heading', { name: t.twoFactor.setupPageTitle }).waitFor();
      expect(await page.getByTestId('sidebar').count()).toBe(0);
      await axe(page, 'compulsory two-factor (ar)', findings);
      await setUpTwoFactor(page, 'ar', 'account-2fa-compulsory-ar');
      await page.getByTestId('sidebar').waitFor();
      expectClean('account (ar)', findings, problems);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('in English and at phone width: the two-factor set-up', async () => {
    const { context, page, problems } = await openContext('account-en', { allowConsole, timeout: 30_000 });
    const findings: AxeFinding[] = [];
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      const coordinator = await newUser('viewer', 'viewer-2fa-en');
      await signInWith(page, 'en', coordinator, PASSWORD);
      await page.getByTestId('sidebar').or(page.getByRole('button', { name: T.en.nav.toggle })).first().waitFor();
      await page.getByTestId('user-menu').click();
      await page.getByTestId('two-factor-menu').click();
      await page.getByTestId('two-factor-start').waitFor();
      await page.getByRole('menu').waitFor({ state: 'detached' });
      await axe(page, 'two-factor (en, phone)', findings);
      await setUpTwoFactor(page, 'en', 'account-2fa-en-phone');
      const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      expect(width).toBeLessThanOrEqual(390);
      await signOut(page, 'en');

      // An administrator's reset, in English at phone width: the link, then the temporary password.
      const reset = await newUser('viewer', 'viewer-reset-en');
      // the Arabic journey made two-factor compulsory for administrators: lifted here, so the demo administrator signs in
      const adminRow = await server!.database.db.selectFrom('users').select('id').where('email', '=', 'admin@rasd.example').executeTakeFirstOrThrow();
      await setRequiredRoles(server!.database.db, [], adminRow.id);
      await signInWith(page, 'en', 'admin@rasd.example', DEMO_PASSWORD);
      await page.getByTestId('sidebar').or(page.getByRole('button', { name: T.en.nav.toggle })).or(page.getByRole('button', { name: T.ar.nav.toggle })).first().waitFor();
      // the administrator's own language may apply after sign-in
      await page.waitForTimeout(300);
      await switchTo(page, 'en');
      await openReset(page, 'en', 'viewer-reset-en');
      await screenshot(page, 'account-reset-en-phone-dialog');
      await axe(page, 'reset dialog (en, phone)', findings);
      await page.getByTestId('admin-reset-confirm').click();
      await page.getByTestId('reset-link-sent').waitFor();
      await screenshot(page, 'account-reset-en-phone-link-sent');
      await page.keyboard.press('Escape');
      await openReset(page, 'en', 'viewer-reset-en');
      await page.getByRole('radio', { name: T.en.reset.byTemporary }).check();
      await page.getByTestId('admin-reset-confirm').click();
      const temporary = (await page.getByTestId('temporary-password').textContent())!.trim();
      await screenshot(page, 'account-reset-en-phone-temporary');
      await page.keyboard.press('Escape');
      await signOut(page, 'en');
      // the link sent before the temporary password no longer works
      const link = await resetLinkFor(reset);
      await page.goto(server!.base + link);
      await page.getByTestId('reset-invalid').waitFor();
      await screenshot(page, 'account-reset-en-phone-link-used');
      await signInWith(page, 'en', reset, temporary);
      // the user's own language (Arabic) may apply after sign-in
      await page.getByRole('heading', { name: T.en.reset.requiredTitle }).or(page.getByRole('heading', { name: T.ar.reset.requiredTitle })).waitFor();
      await switchTo(page, 'en');
      await page.getByRole('heading', { name: T.en.reset.requiredTitle }).waitFor();
      await screenshot(page, 'account-reset-en-phone-required');
      expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(390);
      expectClean('account (en)', findings, problems);
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe.skipIf(!haveChromium)('sign-in through the identity provider', () => {
  let provider: TestProvider | undefined;
  let sso: Server | undefined;
  beforeAll(async () => {
    // The provider must know the app's callback address before the app starts: take a free port first.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    provider = await startTestProvider(`${base}/api/auth/oidc/callback`, {
      'moj-coordinator': { email: 'sso.coordinator@gov.example', name: 'منسقة الوزارة', roles: ['Rasd.Coordinator'] },
    });
    sso = await startServer({
      tmpPrefix: 'rasd-e2e-sso-',
      port,
      env: () => ({ PUBLIC_URL: base, OIDC_ISSUER: provider!.issuer, OIDC_CLIENT_ID: provider!.clientId, OIDC_CLIENT_SECRET: provider!.clientSecret, OIDC_ROLE_MAP: 'Rasd.Coordinator=coordinator' }),
    });
  }, 60_000);
  afterAll(async () => {
    await sso?.close();
    await provider?.close();
  });

  it('in Arabic: the government-account button signs a coordinator in through the provider', async () => {
    const t = T.ar;
    const { context, page, problems } = await openContext('account-sso', { allowConsole, timeout: 30_000, allowOrigins: [provider!.issuer] });
    try {
      // the provider's development pages ask for a web font: answered here, the test stays offline
      await context.route('https://fonts.googleapis.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/css', body: '' }));
      await page.goto(sso!.base + '/');
      await page.getByTestId('sso-button').click();
      // the provider's own (development) sign-in and consent pages
      await page.locator('input[name="login"]').fill('moj-coordinator');
      await page.locator('input[name="password"]').fill('any');
      await page.locator('button[type="submit"]').click();
      await page.locator('button[type="submit"]').click();
      await page.getByTestId('sidebar').waitFor();
      await page.getByRole('heading', { name: t.home.title, level: 1 }).waitFor();
      const session = (await (await page.request.get(sso!.base + '/api/auth/session')).json()) as { user: { email: string; role: string } };
      expect(session.user).toMatchObject({ email: 'sso.coordinator@gov.example', role: 'coordinator' });
      await screenshot(page, 'account-sso-ar-home');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
