/**
 * End-to-end: the tagger in the browser. The server holds the demo plus two real OHCHR thematic lists (themes,
 * affected persons, SDGs) and the SDG titles, and Kuwait's 2010 UPR Working Group report imported from its text
 * without any label. In Arabic a coordinator trains the tagger, narrows the review queue to that report, accepts
 * every suggestion above a confidence for the page's recommendations (after a confirmation), and the list's theme and
 * SDG facets for the report change; on a recommendation's page one suggestion is accepted. English: the same screens.
 * Screenshots at desktop width and 390 px in test-results/screenshots/tagging-*.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRecords, parseFile } from '../../src/imports/index.ts';
import { importSdgs } from '../../src/taxonomies/index.ts';
import { hasSharedData, sharedDataPath } from '../helpers/shared-data.ts';
import { type AxeFinding, axe, expectClean, getJson, haveChromium, type Lang, nav, openContext, type Server, SHOTS, signIn, startServer, startsWith, T } from './support.ts';

const REPORT = 'A/HRC/15/15';
let server: Server | undefined;

if (!hasSharedData && process.env.CI === 'true') throw new Error('The tagger journey needs ../shared/data (CI=true).');

/** What the screen shows (the queue is long: a full-page picture would be mostly more of the same). */
async function shot(page: Page, name: string) {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(SHOTS, `tagging-${name}.png`) });
}

interface Facets {
  total: number;
  facets: Record<string, { value: string; count: number }[]>;
}
const facetSum = (f: Facets, name: string) => (f.facets[name] ?? []).reduce((a, x) => a + x.count, 0);

async function narrow(page: Page) {
  await page.getByTestId('filter-document').click();
  await page.getByRole('option', { name: startsWith(REPORT) }).click();
  await page.waitForURL(/document=/);
}

/** The suggestions panel of a recommendation's page, scrolled into view. */
async function panelShot(page: Page, name: string) {
  const panel = page.getByTestId('tag-suggestions-panel');
  if (await panel.count()) await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, `tagging-${name}.png`) });
}

async function narrowWidth(page: Page, lang: Lang, name: string, findings: AxeFinding[]) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await axe(page, `${lang}-${name}-390`, findings);
  if (name === 'recommendation') await panelShot(page, `${lang}-${name}-390`);
  else await shot(page, `${lang}-${name}-390`);
  await page.setViewportSize({ width: 1366, height: 900 });
}

describe.skipIf(!haveChromium || !hasSharedData)('tag suggestions: train, review, accept for an imported report', { timeout: 480_000 }, () => {
  beforeAll(async () => {
    server = await startServer({
      tmpPrefix: 'rasd-e2e-tagging-',
      env: (tmp) => ({ DATA_DIR: tmp }),
      beforeListen: async ({ db }) => {
        await importSdgs(db, sharedDataPath('sdg'));
        for (const f of ['slovenia-cycle3-UPR34.docx', 'china-cycle3-2018-matrix.docx']) {
          await importRecords(db, await parseFile('ohchr-docx', sharedDataPath('ohchr-thematic-lists', f)), { source: `e2e ${f}` });
        }
        const report = await parseFile('report-text', sharedDataPath('wg-reports', 'kuwait2010-A_HRC_15_15.txt'), { symbol: REPORT, body: 'UPR', country: 'Kuwait', uprCycle: 1, uprSession: 8 });
        await importRecords(db, report, { source: 'e2e report-text kuwait2010' });
      },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('in Arabic: a coordinator trains the tagger and accepts suggestions for the imported report; the facets change', async () => {
    const t = T.ar;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('ar', { timeout: 30_000 });
    try {
      await signIn(page, 'ar', 'coordinator@rasd.example');
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      const facetsOf = () => getJson<Facets>(page, `/api/recommendations?document=${encodeURIComponent(REPORT)}&pageSize=1`);
      const before = await facetsOf();
      expect(before.total).toBeGreaterThan(100);
      expect(facetSum(before, 'theme')).toBe(0);
      expect(facetSum(before, 'sdg')).toBe(0);

      await nav(page, t.tagging.nav);
      await page.getByRole('heading', { name: t.tagging.title, level: 1 }).waitFor();
      await page.getByTestId('train-tagger').click();
      await page.getByTestId('train-done').waitFor({ timeout: 120_000 });
      await shot(page, 'ar-trained');
      const count = page.getByTestId('queue-count');
      await expect.poll(async () => (await count.innerText()).replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/\D+/g, '')).not.toBe('');

      await narrow(page);
      await page.getByTestId('queue-item').first().waitFor();
      await axe(page, 'ar-queue', findings);
      await shot(page, 'ar-queue');

      // accept every suggestion of at least 50% for the page's recommendations, after a confirmation
      await page.getByTestId('threshold').fill('50');
      await page.getByTestId('pick-page').click();
      await page.getByTestId('accept-above').click();
      const dialog = page.getByRole('dialog', { name: t.tagging.confirmTitle });
      await dialog.waitFor();
      await shot(page, 'ar-confirm');
      await dialog.getByRole('button', { name: t.tagging.confirmButton }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId('bulk-done').waitFor();
      await narrowWidth(page, 'ar', 'queue', findings);

      const after = await facetsOf();
      expect(facetSum(after, 'theme')).toBeGreaterThan(0);
      expect(facetSum(after, 'sdg')).toBeGreaterThan(0);
      const accepted = await server!.database.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'recommendation.tag_suggestion.accept').execute();
      expect(accepted.length).toBeGreaterThan(0);
      expect(accepted.every((a) => a.actor_id)).toBe(true);

      // the list shows the report's new theme facet
      await page.goto(`${server!.base}/recommendations?document=${encodeURIComponent(REPORT)}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      await shot(page, 'ar-list-facets');

      // on a recommendation's page: accept one suggestion
      await page.goto(`${server!.base}/tagging?document=${encodeURIComponent((await getJson<{ documents: { id: string; symbol: string }[] }>(page, '/api/tagging/queue')).documents.find((d) => d.symbol === REPORT)!.id)}`);
      const item = page.getByTestId('queue-item').first();
      await item.waitFor();
      await item.getByRole('link').first().click();
      const panel = page.getByTestId('tag-suggestions-panel');
      await panel.waitFor();
      const n = await panel.getByTestId('tag-suggestion').count();
      await axe(page, 'ar-recommendation', findings);
      await panelShot(page, 'ar-recommendation');
      await panel.getByTestId('accept-suggestion').first().click();
      await expect.poll(() => panel.getByTestId('tag-suggestion').count()).toBe(n - 1);
      await narrowWidth(page, 'ar', 'recommendation', findings);
    } catch (err) {
      await shot(page, 'ar-failure');
      throw err;
    } finally {
      await context.close();
    }
    expectClean('ar', findings, problems);
  });

  it('in English: the review queue and a recommendation page with suggestions', async () => {
    const t = T.en;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('en', { timeout: 30_000 });
    try {
      await signIn(page, 'en', 'coordinator@rasd.example');
      await nav(page, t.tagging.nav);
      await page.getByRole('heading', { name: t.tagging.title, level: 1 }).waitFor();
      await page.getByTestId('queue-item').first().waitFor();
      await expect.poll(() => page.getByTestId('queue-count').innerText()).toMatch(/^\d[\d,]* recommendations have suggestions$/);
      await axe(page, 'en-queue', findings);
      await shot(page, 'en-queue');
      await narrowWidth(page, 'en', 'queue', findings);
      // reject one suggestion on the queue: one fewer waits for a decision
      const pending = async () => (await getJson<{ pending: { suggestions: number } }>(page, '/api/tagging')).pending.suggestions;
      const before = await pending();
      await page.getByTestId('queue-item').first().getByTestId('reject-suggestion').first().click();
      await expect.poll(pending).toBe(before - 1);
      await page.getByTestId('queue-item').first().getByRole('link').first().click();
      await page.getByTestId('tag-suggestions-panel').waitFor();
      await panelShot(page, 'en-recommendation');
      await narrowWidth(page, 'en', 'recommendation', findings);
    } catch (err) {
      await shot(page, 'en-failure');
      throw err;
    } finally {
      await context.close();
    }
    expectClean('en', findings, problems);
  });
});
