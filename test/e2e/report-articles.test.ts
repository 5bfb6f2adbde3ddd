/**
 * A treaty report laid out by article, in the browser (issue 12, step 3): the coordinator starts the CEDAW periodic
 * report "by article" from its obligation's row, assigns a recommendation to an article in the editor's articles panel
 * and saves; the article's section then covers it. Arabic and English, at 1280 and 390 px, with axe checks and
 * screenshots; the reports, calendar and export screens at 390 px are photographed and checked for sideways scrolling.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AxeFinding, axe, expectClean, haveChromium, nav, openContext, screenshot, type Server, signIn, startServer, T } from './support.ts';

let server: Server | undefined;

async function noSidewaysScroll(page: Page) {
  const [scroll, width] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
  expect(scroll).toBeLessThanOrEqual(width + 1);
}

describe.skipIf(!haveChromium)('treaty report by article', () => {
  beforeAll(async () => {
    server = await startServer({ tmpPrefix: 'rasd-e2e-articles-' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('starts the CEDAW report by article and assigns a recommendation to article 10 (ar)', async () => {
    const t = T.ar;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('articles-ar');
    try {
      await page.setViewportSize({ width: 1280, height: 900 });
      await signIn(page, 'ar', 'coordinator@rasd.example');
      await nav(page, t.nav.reports);
      const row = page.getByTestId('obligation-row').filter({ hasText: t.reports.types.treaty_periodic });
      await row.getByTestId('report-structure').click();
      await page.getByRole('option', { name: t.reportArticles.byArticle }).click();
      await row.getByRole('button', { name: t.reports.startReport }).click();
      const panel = page.getByTestId('articles-panel');
      await panel.waitFor();
      // one section per article of the CEDAW (16), after the introduction; the demo's texts cite no article: all wait
      await expect.poll(() => page.locator('[data-testid="report-section"][data-key^="article:"]').count()).toBe(16);
      const rows = panel.getByTestId('article-row');
      const n = await rows.count();
      expect(n).toBeGreaterThan(0);
      await expect.poll(() => page.locator('[data-testid="report-section"][data-key="unassigned"]').count()).toBe(1);
      await screenshot(page, 'ar-report-articles-1280');
      const first = rows.first();
      await first.getByTestId('article-select').click();
      await page.getByRole('option', { name: /^المادة 10:/ }).click();
      await panel.getByTestId('articles-save').click();
      const art10 = page.locator('[data-testid="report-section"][data-key="article:10"]');
      await expect.poll(async () => (await art10.innerText()).length).toBeGreaterThan(0);
      // saved: the server holds the assignment and the article's section covers the recommendation
      const reportId = new URL(page.url()).pathname.split('/').pop()!;
      const report = (await (await page.request.get(`${server!.base}/api/reports/${reportId}`)).json()) as {
        sections: { key: string; recommendationIds: string[]; heading_ar: string }[];
        articles: { recommendations: { id: string; article: string | null }[] };
      };
      const assigned = report.articles.recommendations.filter((r) => r.article === '10');
      expect(assigned).toHaveLength(1);
      const section = report.sections.find((s) => s.key === 'article:10')!;
      expect(section.recommendationIds).toEqual([assigned[0]!.id]);
      expect(section.heading_ar).toContain('التعليم');
      await expect.poll(() => panel.getByTestId('articles-save').isDisabled()).toBe(true);
      await axe(page, 'ar report by article', findings);
      await page.setViewportSize({ width: 390, height: 844 });
      await noSidewaysScroll(page);
      await screenshot(page, 'ar-report-articles-390');
      expectClean('articles ar', findings, problems);
    } finally {
      await context.close();
    }
  });

  for (const lang of ['en', 'ar'] as const) {
    it(`the report by article and the reports, calendar and export screens at 390 px (${lang})`, async () => {
      const t = T[lang];
      const findings: AxeFinding[] = [];
      const { context, page, problems } = await openContext(`articles-screens-${lang}`);
      try {
        await page.setViewportSize({ width: 1280, height: 900 });
        await signIn(page, lang, 'coordinator@rasd.example');
        await nav(page, t.nav.reports);
        const row = page.getByTestId('obligation-row').filter({ hasText: t.reports.types.treaty_periodic });
        await row.getByRole('link', { name: t.reports.openReport }).click();
        const panel = page.getByTestId('articles-panel');
        await panel.waitFor();
        await expect.poll(() => panel.innerText()).toContain(lang === 'ar' ? 'اتفاقية القضاء على جميع أشكال التمييز ضد المرأة' : 'Convention on the Elimination of All Forms of Discrimination against Women');
        if (lang === 'en') await screenshot(page, 'en-report-articles-1280');
        await axe(page, `${lang} report by article`, findings);
        await page.setViewportSize({ width: 390, height: 844 });
        await noSidewaysScroll(page);
        await screenshot(page, `${lang}-report-articles-390`);
        await page.goto(`${server!.base}/reports`);
        await page.getByTestId('obligation-row').first().waitFor();
        await noSidewaysScroll(page);
        await screenshot(page, `${lang}-reports-list-390`);
        await page.goto(`${server!.base}/calendar`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForTimeout(500);
        await noSidewaysScroll(page);
        await screenshot(page, `${lang}-calendar-390`);
        await page.goto(`${server!.base}/recommendations`);
        await page.getByTestId('export-menu').click();
        await page.getByTestId('export-xlsx').waitFor();
        await noSidewaysScroll(page);
        await screenshot(page, `${lang}-export-menu-390`);
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.waitForTimeout(300);
        await screenshot(page, `${lang}-export-menu-1280`);
        await axe(page, `${lang} export menu`, findings);
        expectClean(`articles screens ${lang}`, findings, problems);
      } finally {
        await context.close();
      }
    });
  }
});
