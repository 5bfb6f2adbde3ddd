/**
 * End-to-end: the admin's Backups page (issue 14), on the real server and the built web app. In Arabic, at desktop
 * width, the admin opens it from the sidebar (no backup yet), backs up now, follows the run to its result, and sees
 * the archive as the last result and in the folder's list; the archive exists on the server. In English, at phone
 * width (390 px), the same page after a second run. Axe in both languages; screenshots in
 * test-results/screenshots/backups-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AxeFinding, axe, expectClean, haveChromium, nav, openContext, screenshot, type Server, signIn, startServer, T, type Lang } from './support.ts';

let server: Server | undefined;

async function backUpNow(page: Page, lang: Lang) {
  const t = T[lang];
  await page.getByTestId('backup-now').click();
  await page.getByTestId('backup-progress').getByText(t.backups.doneNow.split('(')[0]!.trim()).waitFor({ timeout: 60_000 });
  await page.getByTestId('backup-last').getByText(t.backups.ok, { exact: true }).waitFor();
}

describe.skipIf(!haveChromium)('backups: the admin page', () => {
  beforeAll(async () => {
    server = await startServer({ tmpPrefix: 'rasd-e2e-backups-', env: (tmp) => ({ DATA_DIR: path.join(tmp, 'data'), BACKUP_DIR: path.join(tmp, 'backups'), BACKUP_KEEP: '5' }) });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('in Arabic: the admin backs up now and sees the result and the archive', async () => {
    const t = T.ar;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('ar');
    try {
      await signIn(page, 'ar', 'admin@rasd.example');
      await page.getByTestId('sidebar').getByRole('button', { name: t.nav.admin }).click();
      await nav(page, t.backups.nav);
      await page.getByRole('heading', { name: t.backups.title, level: 1 }).waitFor();
      await page.getByText(t.backups.never).waitFor();
      await page.getByText(t.backups.schedule.split('{{')[0]!.trim(), { exact: false }).waitFor();
      await axe(page, 'ar-backups-empty', findings);
      await backUpNow(page, 'ar');
      const files = fs.readdirSync(server!.config.backup.dir).filter((n) => n.endsWith('.zip'));
      expect(files).toHaveLength(1);
      await page.getByTestId('backup-files').getByText(files[0]!).waitFor();
      await axe(page, 'ar-backups-done', findings);
      await screenshot(page, 'backups-ar-desktop', { scrollToTop: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await axe(page, 'ar-backups-phone', findings);
      await screenshot(page, 'backups-ar-390', { scrollToTop: true });
      expectClean('backups ar', findings, problems);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('in English at 390 px: a second backup, both archives listed', async () => {
    const t = T.en;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('en');
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn(page, 'en', 'admin@rasd.example');
      await page.goto(`${server!.base}/admin/backups`);
      await page.getByRole('heading', { name: t.backups.title, level: 1 }).waitFor();
      await page.getByTestId('backup-last').getByText(t.backups.ok, { exact: true }).waitFor();
      await backUpNow(page, 'en');
      await expect.poll(async () => page.getByTestId('backup-files').locator('tbody tr').count()).toBe(2);
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width, 'no horizontal scrolling of the page at 390 px').toBeLessThanOrEqual(390);
      await axe(page, 'en-backups-phone', findings);
      await screenshot(page, 'backups-en-390', { scrollToTop: true });
      await page.setViewportSize({ width: 1366, height: 900 });
      await screenshot(page, 'backups-en-desktop', { scrollToTop: true });
      expectClean('backups en', findings, problems);
    } finally {
      await context.close();
    }
  }, 120_000);
});
