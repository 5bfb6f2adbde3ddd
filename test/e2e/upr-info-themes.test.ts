/**
 * Issue 13, step 7, in the browser: a UPR Info preview says which issues are linked to the register's themes and
 * lists an issue with no mapping (with its record count) as imported without it, in Arabic and in English, at
 * desktop width and at 390 px. Screenshots: upr-themes-<lang>-<width>[-report].png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, type AxeFinding, expectClean, haveChromium, type Lang, nav, openContext, screenshot, type Server, SHOTS, signIn, startServer, T } from './support.ts';

const CSV = [
  'To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session',
  'Kuwait,Asia,OIC,"E2E-themes one: abolish the death penalty.",Norway,WEOG,,Noted,5,"Death penalty,Justice",8',
  'Kuwait,Asia,OIC,"E2E-themes two: protect the rights of domestic migrant workers.",Philippines,Asia,,Accepted,4,"Migrants,Labour",8',
  'Kuwait,Asia,OIC,"E2E-themes three: adopt guiding principles for companies.",Spain,WEOG,EU,Accepted,3,"Business and human rights,Labour",8',
].join('\n');

let server: Server | undefined;

async function preview(page: Page, lang: Lang) {
  const t = T[lang];
  await nav(page, t.nav.import);
  await page.getByRole('heading', { name: t.imports.title, level: 1 }).waitFor();
  await page.getByTestId('format-upr-info-csv').click();
  await page.getByTestId('import-file').locator('input[type=file]').setInputFiles({ name: `themes-${lang}.csv`, mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
  await page.getByTestId(`import-file-chosen`).getByText(`themes-${lang}.csv`).waitFor();
  await page.getByTestId('import-preview-button').click();
  await page.locator('[data-testid="import-run"][data-status="succeeded"]').waitFor();
}

describe.skipIf(!haveChromium)('UPR Info issues onto the register themes (import preview)', () => {
  beforeAll(async () => {
    server = await startServer({ tmpPrefix: 'rasd-e2e-upr-themes-', env: (tmp) => ({ DATA_DIR: tmp }) });
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const lang of ['ar', 'en'] as const) {
    it(`in ${lang === 'ar' ? 'Arabic' : 'English'}: the preview lists the unmapped issue with its count`, async () => {
      const t = T[lang];
      const findings: AxeFinding[] = [];
      const { context, page, problems } = await openContext(`upr-themes-${lang}`);
      try {
        await signIn(page, lang, 'coordinator@rasd.example');
        await preview(page, lang);
        const report = page.getByTestId('theme-report');
        await report.waitFor();
        const text = await report.innerText();
        // four issues linked (death penalty, justice, migrants, labour), one not: listed with its one record
        expect(text).toContain(t.realdata.themes.unmapped.split('{{n}}')[1]!.slice(0, 20).trim());
        expect(text).toContain('Business and human rights (1)');
        await axe(page, `upr-themes-${lang}`, findings);
        await screenshot(page, `upr-themes-${lang}-desktop`, { scrollToTop: true });
        await report.screenshot({ path: path.join(SHOTS, `upr-themes-${lang}-desktop-report.png`) });
        await page.setViewportSize({ width: 390, height: 844 });
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
        await screenshot(page, `upr-themes-${lang}-390`, { scrollToTop: true });
        await report.screenshot({ path: path.join(SHOTS, `upr-themes-${lang}-390-report.png`) });
        expectClean(`upr-themes-${lang}`, findings, problems);
      } finally {
        await context.close();
      }
    }, 120_000);
  }
});
