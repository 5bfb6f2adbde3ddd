/**
 * Reports & calendar in the browser, in Arabic and English, at 1280 and 390 px: the obligations list, the month
 * calendar (with Hijri dates), the report editor — an Arabic edit moves the live word count and is saved, the draft
 * goes to review and is approved, the DOCX downloads — with axe checks and screenshots.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AxeFinding, axe, expectClean, haveChromium, nav, openContext, screenshot, type Server, SHOTS, signIn, startServer, T } from './support.ts';

let server: Server | undefined;

/** Nothing wider than the window (no sideways scrolling). */
async function noSidewaysScroll(page: Page) {
  const [scroll, width] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
  expect(scroll).toBeLessThanOrEqual(width + 1);
}

describe.skipIf(!haveChromium)('reports & calendar', () => {
  beforeAll(async () => {
    server = await startServer({ tmpPrefix: 'rasd-e2e-reports-' });
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const lang of ['ar', 'en'] as const) {
    it(`coordinator: obligations, calendar, report editor (${lang})`, async () => {
      const t = T[lang];
      const findings: AxeFinding[] = [];
      const { context, page, problems } = await openContext(`reports-${lang}`);
      try {
        await page.setViewportSize({ width: 1280, height: 900 });
        await signIn(page, lang, 'coordinator@rasd.example');
        await nav(page, t.nav.reports);
        await page.getByRole('heading', { name: t.reports.title, level: 1 }).waitFor();
        const rows = page.getByTestId('obligation-row');
        await expect.poll(() => rows.count()).toBe(5);
        await expect.poll(() => rows.filter({ hasText: t.reports.obligationStatus.overdue }).count()).toBe(1);
        await page.getByRole('switch', { name: t.reports.showHijri }).check({ force: true });
        await screenshot(page, `${lang}-reports-obligations-1280`);
        // edit an obligation: its owner can be chosen among the secretariat and the focal points
        await rows.filter({ hasText: t.reports.types.treaty_periodic }).getByRole('button', { name: t.reports.edit }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByTestId('obligation-owner').click();
        // (each run picks another owner: clicking the chosen option again would clear it)
        await page.getByRole('option').filter({ hasText: lang === 'ar' ? t.roles.focal_point : t.roles.coordinator }).first().click();
        await dialog.getByRole('button', { name: t.reports.save }).click();
        await dialog.waitFor({ state: 'detached' });
        await expect.poll(() => rows.filter({ hasText: t.reports.types.treaty_periodic }).locator('td').nth(3).innerText()).not.toBe('—');
        await axe(page, `${lang} obligations`, findings);

        // the calendar: previous month holds the overdue CAT follow-up (due 20 days ago) or this month does
        await page.getByRole('link', { name: t.reports.openCalendar, exact: true }).click();
        await page.getByTestId('calendar-grid').waitFor();
        if ((await page.getByTestId('calendar-list').count()) === 0 || (await page.getByTestId('calendar-list').getByText(t.reports.calendarKinds.obligation).count()) === 0) {
          await page.getByRole('button', { name: t.reports.previousMonth }).click();
        }
        await page.getByTestId('calendar-list').getByText(t.reports.calendarKinds.obligation).first().waitFor();
        await page.getByRole('switch', { name: t.reports.showHijri }).check({ force: true });
        await page.locator('.cal-hijri').first().waitFor();
        expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        // my private iCalendar address for Outlook
        if (lang === 'ar') await page.getByRole('button', { name: t.reports.feed.create }).click();
        else {
          // the Arabic run made one for the same user: replacing it asks first
          await page.getByRole('button', { name: t.reports.feed.replace }).click();
          await page.getByRole('dialog').getByRole('button', { name: t.reports.feed.confirm.replace.button }).click();
        }
        const feedUrl = await page.getByTestId('feed-url').inputValue();
        expect(feedUrl).toMatch(/\/api\/calendar\/feed\/[A-Za-z0-9_-]+\.ics$/);
        const ics = await page.request.get(feedUrl.replace(/^https?:\/\/[^/]+/, server!.base));
        expect(ics.status()).toBe(200);
        expect(await ics.text()).toContain('BEGIN:VEVENT');
        await screenshot(page, `${lang}-reports-calendar-1280`);
        await axe(page, `${lang} calendar`, findings);

        // the report editor
        await nav(page, t.nav.reports);
        await page.getByRole('link', { name: t.reports.openReport }).first().click();
        await page.getByTestId('report-section').first().waitFor();
        await screenshot(page, `${lang}-reports-editor-1280`);
        await axe(page, `${lang} editor`, findings);

        if (lang === 'ar') {
          const total = page.getByTestId('words-total-ar');
          const before = Number((await total.innerText()).split('/')[0]!.replace(/[^\d]/g, ''));
          const section = page.locator('[data-testid="report-section"][data-key="fixed:methodology"]');
          const box = section.getByTestId('section-ar');
          await box.fill('أعدّت اللجنة الوطنية الدائمة هذا التقرير بالتشاور مع الوزارات والمؤسسة الوطنية والمجتمع المدني');
          await expect.poll(() => section.getByTestId('section-words-ar').innerText()).toContain('13');
          await section.getByTestId('section-save').click();
          await expect.poll(async () => Number((await total.innerText()).split('/')[0]!.replace(/[^\d]/g, ''))).toBe(before + 13);
          // the section's history: compiled first, then this edit
          await section.getByRole('button', { name: t.reports.historyOf.replace('{{heading}}', 'المنهجية وعملية التشاور') }).click();
          const history = page.getByTestId('section-history');
          await history.getByText(t.reports.reasons.edit).first().waitFor();
          await history.getByText(t.reports.reasons.compile).first().waitFor();
          await screenshot(page, `${lang}-reports-section-history-1280`);
          await page.keyboard.press('Escape');
          await history.waitFor({ state: 'detached' });

          // a new approved update on a covered recommendation, then "compile": the section is marked
          const session = (await (await page.request.get(`${server!.base}/api/auth/session`)).json()) as { csrfToken: string };
          const headers = { 'x-csrf-token': session.csrfToken };
          const list = (await (await page.request.get(`${server!.base}/api/assignments?pageSize=500`)).json()) as { items: { id: string; document_symbol: string | null; answered: boolean; entity_code: string }[] };
          const open = list.items.find((a) => a.document_symbol === 'A/HRC/59/98' && !a.answered && a.entity_code !== 'MOJ')!;
          const upd = (await (
            await page.request.post(`${server!.base}/api/assignments/${open.id}/updates`, { headers, data: { text_ar: 'أُطلقت حملة وطنية للتوعية بالحقوق.', text_en: 'A national rights awareness campaign was launched.' } })
          ).json()) as { id: string };
          expect((await page.request.post(`${server!.base}/api/updates/${upd.id}/submit`, { headers, data: {} })).status()).toBe(200);
          expect((await page.request.post(`${server!.base}/api/updates/${upd.id}/approve`, { headers, data: {} })).status()).toBe(200);
          await page.getByTestId('compile').click();
          await page.getByTestId('changed-banner').waitFor();
          const marked = page.locator('[data-testid="report-section"]').filter({ has: page.getByTestId('source-changed') });
          await expect.poll(() => marked.count()).toBeGreaterThan(0);
          expect(await marked.first().getByTestId('section-ar').inputValue()).toContain('أُطلقت حملة وطنية للتوعية بالحقوق.');
          await marked.first().scrollIntoViewIfNeeded();
          await page.screenshot({ path: path.join(SHOTS, 'ar-reports-source-changed-1280.png') }); // the window, at the marked section
          // every marked section (the recommendation may also count among the achievements): "noted"
          for (let i = 0; i < 5 && (await marked.count()) > 0; i++) {
            const before = await marked.count();
            await marked.first().getByRole('button', { name: t.reports.acknowledge }).click();
            await expect.poll(() => marked.count()).toBe(before - 1);
          }
          expect(await page.getByTestId('source-changed').count()).toBe(0);
          await page.getByRole('button', { name: t.reports.sendForReview }).click();
          await page.getByRole('dialog').getByRole('button', { name: t.reports.confirm.review.button }).click();
          await expect.poll(() => page.getByTestId('report-status').innerText()).toBe(t.reports.reportStatus.in_review);
          await page.getByTestId('approve').click();
          await page.getByRole('dialog').getByRole('button', { name: t.reports.confirm.approve.button }).click();
          await expect.poll(() => page.getByTestId('report-status').innerText()).toBe(t.reports.reportStatus.approved);
          const download = page.waitForEvent('download');
          await page.getByTestId('export-docx-ar').click();
          expect((await download).suggestedFilename()).toMatch(/-ar\.docx$/);
          await screenshot(page, `${lang}-reports-editor-approved-1280`, { scrollToTop: true });
        }

        // 390 px wide: the same pages, usable without sideways scrolling
        await page.setViewportSize({ width: 390, height: 844 });
        await page.reload();
        await page.getByTestId('report-section').first().waitFor();
        await noSidewaysScroll(page);
        await screenshot(page, `${lang}-reports-editor-390`);
        await page.goto(`${server!.base}/calendar`);
        await page.getByTestId('calendar-grid').waitFor();
        await noSidewaysScroll(page);
        await screenshot(page, `${lang}-reports-calendar-390`);
        await page.goto(`${server!.base}/reports`);
        await page.getByTestId('obligations-table').waitFor();
        await noSidewaysScroll(page);
        await screenshot(page, `${lang}-reports-obligations-390`);
        expectClean(`reports ${lang}`, findings, problems);
      } finally {
        await context.close();
      }
    });
  }
});
