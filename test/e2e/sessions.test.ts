/**
 * End-to-end: "My sessions" (issue 14, identity). In Arabic, a viewer signed in from two browsers opens My sessions in
 * the first, sees both (this browser marked), ends the other after confirming, and the second browser is back at the
 * sign-in page. In English at 390 px the list with the current session only. Axe; screenshots
 * test-results/screenshots/sessions-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AxeFinding, axe, expectClean, haveChromium, openContext, screenshot, type Server, signIn, startServer, T } from './support.ts';

let server: Server | undefined;

describe.skipIf(!haveChromium)('sessions: a user lists and ends their sessions', () => {
  beforeAll(async () => {
    server = await startServer({ tmpPrefix: 'rasd-e2e-sessions-' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('in Arabic: ends the session of another browser, which is signed out', async () => {
    const t = T.ar;
    const findings: AxeFinding[] = [];
    const a = await openContext('ar-a');
    const b = await openContext('ar-b', { problems: a.problems, prefix: 'b: ' });
    try {
      await signIn(b.page, 'ar', 'viewer@rasd.example');
      await signIn(a.page, 'ar', 'viewer@rasd.example');
      await a.page.getByTestId('user-menu').click();
      await a.page.getByTestId('my-sessions').click();
      await expect.poll(() => a.page.getByTestId('session-row').count()).toBe(2);
      await a.page.getByTestId('sessions').getByText(t.sessions.current, { exact: true }).waitFor();
      await axe(a.page, 'ar-sessions', findings);
      await screenshot(a.page, 'sessions-ar-desktop');
      await a.page.setViewportSize({ width: 390, height: 844 });
      await screenshot(a.page, 'sessions-ar-390');
      await a.page.setViewportSize({ width: 1366, height: 900 });
      const other = a.page.getByTestId('session-row').filter({ hasNot: a.page.getByText(t.sessions.current, { exact: true }) });
      await other.getByTestId('session-end').click();
      await a.page.getByTestId('session-end-confirm').getByRole('button', { name: t.sessions.end, exact: true }).click();
      await expect.poll(() => a.page.getByTestId('session-row').count()).toBe(1);
      await b.page.reload();
      await b.page.getByRole('heading', { name: t.login.title }).waitFor();
      expectClean('sessions ar', findings, a.problems);
    } finally {
      await a.context.close();
      await b.context.close();
    }
  }, 120_000);

  it('in English at 390 px: the list shows this browser', async () => {
    const t = T.en;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('en');
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn(page, 'en', 'coordinator@rasd.example');
      await page.getByTestId('user-menu').click();
      await page.getByTestId('my-sessions').click();
      await page.getByTestId('sessions').getByText(t.sessions.current, { exact: true }).waitFor();
      await axe(page, 'en-sessions-phone', findings);
      await screenshot(page, 'sessions-en-390');
      await page.setViewportSize({ width: 1366, height: 900 });
      await screenshot(page, 'sessions-en-desktop');
      expectClean('sessions en', findings, problems);
    } finally {
      await context.close();
    }
  }, 120_000);
});
