/**
 * End-to-end: the recommendations list's Export menu (issue 12), on the real server and the built web app. In Arabic a
 * viewer filters the list by a body and downloads the implementation matrix as Excel (read back with exceljs: Arabic
 * headers, right-to-left sheet, one row per listed recommendation); in English, at phone width, a coordinator searches
 * and downloads the CSV (BOM, English headers, the list's rows in the list's order). A search matching nothing
 * disables the export. Axe with the menu open in both languages; screenshots in test-results/screenshots/exports-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AxeFinding, axe, expectClean, getJson, haveChromium, nav, openContext, screenshot, type Server, signIn, startServer, T } from './support.ts';

let server: Server | undefined;
let base = '';
const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-e2e-exports-'));

async function downloadFrom(page: Page, item: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(item).click()]);
  const file = path.join(downloads, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

describe.skipIf(!haveChromium)('exports: the Export menu of the recommendations list', () => {
  beforeAll(async () => {
    server = await startServer({ tmpPrefix: 'rasd-e2e-exports-' });
    base = server.base;
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(downloads, { recursive: true, force: true });
  });

  it('in Arabic: a viewer filters by body and downloads the Excel matrix of exactly those recommendations', async () => {
    const t = T.ar;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('ar');
    try {
      await signIn(page, 'ar', 'viewer@rasd.example');
      await nav(page, t.nav.recommendations);
      await page.getByTestId('rec-table').waitFor();
      await page.getByTestId('facet-body').getByText('لجنة مناهضة التعذيب', { exact: true }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('body')).toBe('CAT');
      const list = await getJson<{ total: number }>(page, '/api/recommendations?body=CAT&pageSize=1');
      expect(list.total).toBeGreaterThan(0);

      await page.getByTestId('export-menu').click();
      await page.getByTestId('export-xlsx').waitFor();
      await axe(page, 'ar-export-menu', findings);
      await screenshot(page, 'exports-ar-menu', { scrollToTop: true });
      const file = await downloadFrom(page, 'export-xlsx');
      expect(path.basename(file)).toMatch(/^rasd-matrix-ar-\d{4}-\d{2}-\d{2}\.xlsx$/);
      await page.getByTestId('export-status').getByText(t.exports.done.split('{{')[0]!.trim()).waitFor();
      expect(await page.getByTestId('export-status').innerText()).toContain(String(list.total));

      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      const sheet = wb.worksheets[0]!;
      expect(sheet.getRow(1).getCell(3).value).toBe('التوصية');
      expect(sheet.views[0]).toMatchObject({ rightToLeft: true, state: 'frozen', ySplit: 1 });
      expect(sheet.rowCount).toBe(1 + list.total);
      for (let r = 2; r <= sheet.rowCount; r++) expect(sheet.getRow(r).getCell(4).value).toBe('CAT');
      expectClean('exports ar', findings, problems);
    } finally {
      await context.close();
    }
  });

  it('in English at phone width: a coordinator searches and downloads the CSV; a search matching nothing cannot be exported', async () => {
    const t = T.en;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('en');
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn(page, 'en', 'coordinator@rasd.example');
      await page.goto(`${base}/recommendations?q=torture&sort=paragraph&order=asc`);
      // at 390 px the register shows cards, not the table
      await page.getByTestId('rec-cards').waitFor();
      const list = await getJson<{ total: number; items: { paragraph: string }[] }>(page, '/api/recommendations?q=torture&sort=paragraph&order=asc&pageSize=200');
      expect(list.total).toBeGreaterThan(1);

      await page.getByTestId('export-menu').click();
      await page.getByTestId('export-csv').waitFor();
      await axe(page, 'en-export-menu', findings);
      await screenshot(page, 'exports-en-menu-390');
      const file = await downloadFrom(page, 'export-csv');
      expect(path.basename(file)).toMatch(/^rasd-matrix-en-\d{4}-\d{2}-\d{2}\.csv$/);
      const bytes = fs.readFileSync(file);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv(bytes.toString('utf8'), { bom: true }) as string[][];
      expect(rows[0]![2]).toBe('Recommendation');
      expect(rows.slice(1).map((r) => r[1])).toEqual(list.items.map((i) => i.paragraph));
      // The menu button sits within the phone's width.
      const box = (await page.getByTestId('export-menu').boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);

      await page.goto(`${base}/recommendations?q=zzqqxxnothing`);
      await page.getByTestId('empty-state').waitFor();
      expect(await page.getByTestId('export-menu').isDisabled()).toBe(true);
      expect(await page.getByTestId('export-menu').innerText()).toContain(t.exports.button);
      expectClean('exports en', findings, problems);
    } finally {
      await context.close();
    }
  });
});
