/**
 * End-to-end on the real shared data (issue 13, the import half): a coordinator previews the Kuwait report's text
 * as copied from a PDF and sees every numbered paragraph counted; reviews the candidate pairs the report and UPR
 * Info give for the same recommendations and merges one after confirming; sees the merged record on the
 * recommendation's page, with unmerge. Arabic (RTL) and English, desktop and 390 px; axe on each screen;
 * screenshots in test-results/screenshots/realdata-*.png.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRecords, parseFile } from '../../src/imports/index.ts';
import { simulatePdfText } from '../helpers/pdf-text.ts';
import { hasSharedData, sharedDataPath } from '../helpers/shared-data.ts';
import { type AxeFinding, axe, expectClean, getJson, haveChromium, nav, openContext, screenshot, type Server, signIn, startServer, T } from './support.ts';

let server: Server | undefined;

const shot = async (page: Page, name: string) => {
  await screenshot(page, `realdata-${name}`, { scrollToTop: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await screenshot(page, `realdata-${name}-390`, { scrollToTop: true });
  // no sideways scroll at phone width
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
  await page.setViewportSize({ width: 1366, height: 900 });
};

const pdfText = () => Buffer.from(simulatePdfText(fs.readFileSync(sharedDataPath('wg-reports', 'kuwait2010-A_HRC_15_15.txt')), { symbol: 'A/HRC/15/15', pageLines: 38 }), 'utf8');

describe.skipIf(!haveChromium || !hasSharedData)('real data: PDF text import, duplicates, merge', () => {
  beforeAll(async () => {
    server = await startServer({
      tmpPrefix: 'rasd-e2e-realdata-',
      env: (tmp) => ({ DATA_DIR: tmp }),
      beforeListen: async (database) => {
        // the register holds Kuwait's report and its UPR Info rows: the same recommendations from two sources
        const dir = fs.mkdtempSync('/tmp/rasd-e2e-realdata-files-');
        const upr = `${dir}/upr.csv`;
        const rows = fs.readFileSync(sharedDataPath('upr-info', 'upr-info-sessions-1-20.csv'), 'utf8').split('\n');
        fs.writeFileSync(upr, [rows[0], ...rows.filter((l) => l.startsWith('Kuwait,'))].join('\n'));
        await importRecords(database.db, await parseFile('report-text', sharedDataPath('wg-reports', 'kuwait2010-A_HRC_15_15.txt'), { symbol: 'A/HRC/15/15', worker: false }), { source: 'e2e report' });
        await importRecords(database.db, await parseFile('upr-info-csv', upr, { country: 'Kuwait', worker: false }), { source: 'e2e upr-info' });
        fs.rmSync(dir, { recursive: true, force: true });
      },
    });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  for (const lang of ['ar', 'en'] as const) {
    it(`in ${lang === 'ar' ? 'Arabic' : 'English'}`, async () => {
      const t = T[lang];
      const findings: AxeFinding[] = [];
      const { context, page, problems } = await openContext(lang, { timeout: 30_000 });
      try {
        await signIn(page, lang, 'coordinator@rasd.example');
        // 1. the report text copied from a PDF: every numbered paragraph counted
        await nav(page, t.nav.import);
        await page.getByRole('heading', { name: t.imports.title, level: 1 }).waitFor();
        await page.getByTestId('format-report-text').click();
        await page.getByTestId('import-file').locator('input[type=file]').setInputFiles({ name: 'A_HRC_15_15-pdf.txt', mimeType: 'text/plain', buffer: pdfText() });
        await page.getByTestId('import-preview-button').click();
        await page.locator('[data-testid="import-run"][data-status="succeeded"]').waitFor();
        const count = await page.getByTestId('paragraph-count').innerText();
        expect(count.replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))).toContain('159');
        await page.getByTestId('paragraph-check').scrollIntoViewIfNeeded();
        await axe(page, `${lang}-import-pdf-text`, findings);
        await shot(page, `${lang}-import-pdf-text`);

        // 2. the candidate pairs, and one merge after confirming
        await page.goto(`${server!.base}/duplicates`);
        await page.getByRole('heading', { name: t.realdata.merge.title, level: 1 }).waitFor();
        await page.getByTestId('duplicate-pair').first().waitFor();
        await axe(page, `${lang}-duplicates`, findings);
        await shot(page, `${lang}-duplicates`);
        const before = await getJson<{ total: number }>(page, '/api/recommendations/duplicates?limit=1');
        await page.getByTestId('merge-button').first().click();
        const dialog = page.getByRole('dialog', { name: t.realdata.merge.confirmTitle });
        await dialog.waitFor();
        await shot(page, `${lang}-merge-confirm`);
        await dialog.getByRole('button', { name: t.realdata.merge.confirmButton, exact: true }).click();
        await dialog.waitFor({ state: 'detached' });
        await expect.poll(async () => (await getJson<{ total: number }>(page, '/api/recommendations/duplicates?limit=1')).total).toBe(before.total - 1);

        // 3. the merged record on the survivor's page, with unmerge
        const survivor = await server!.database.db
          .selectFrom('recommendation_merges')
          .select('survivor_id')
          .where('undone_at', 'is', null)
          .orderBy('created_at', 'desc')
          .executeTakeFirstOrThrow();
        await page.goto(`${server!.base}/recommendations/${survivor.survivor_id}`);
        await page.getByTestId('merges-panel').waitFor();
        await page.getByTestId('merges-panel').scrollIntoViewIfNeeded();
        await axe(page, `${lang}-merged-record`, findings);
        await shot(page, `${lang}-merged-record`);
        if (lang === 'en') {
          await page.getByTestId('unmerge-button').click();
          const undo = page.getByRole('dialog', { name: t.realdata.merge.unmergeTitle });
          await undo.getByRole('button', { name: t.realdata.merge.unmerge, exact: true }).click();
          await page.getByTestId('merges-panel').waitFor({ state: 'detached' });
        }
      } catch (err) {
        await screenshot(page, `realdata-${lang}-failure`);
        throw err;
      } finally {
        await context.close();
      }
      expectClean(lang, findings, problems);
    }, 240_000);
  }
});
