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

  it('a focal point who owns the obligation writes a section of its report (ar)', async () => {
    const t = T.ar;
    // the coordinator makes the Ministry of Justice's focal point the owner of the mid-term report's obligation
    const admin = await openContext('reports-owner');
    try {
      await signIn(admin.page, 'ar', 'coordinator@rasd.example');
      const { csrfToken } = (await (await admin.page.request.get(`${server!.base}/api/auth/session`)).json()) as { csrfToken: string };
      const obligations = (await (await admin.page.request.get(`${server!.base}/api/obligations`)).json()) as { items: { id: string; type: string; version: number }[] };
      const midterm = obligations.items.find((o) => o.type === 'upr_midterm')!;
      const owners = (await (await admin.page.request.get(`${server!.base}/api/obligations/owners`)).json()) as { items: { id: string; role: string; entity_id: string | null; name: string }[] };
      const focalOwners = owners.items.filter((o) => o.role === 'focal_point');
      expect(focalOwners).toHaveLength(1); // the demo's one focal point, focal.justice@rasd.example
      const focalId = focalOwners[0]!.id;
      const res = await admin.page.request.patch(`${server!.base}/api/obligations/${midterm.id}`, { headers: { 'x-csrf-token': csrfToken }, data: { version: midterm.version, ownerId: focalId } });
      expect(res.status()).toBe(200);
    } finally {
      await admin.context.close();
    }
    const { context, page, problems } = await openContext('reports-focal-ar');
    const findings: AxeFinding[] = [];
    try {
      await page.setViewportSize({ width: 1280, height: 900 });
      await signIn(page, 'ar', 'focal.justice@rasd.example');
      await nav(page, t.nav.reports);
      await page.getByRole('link', { name: t.reports.openReport }).first().click();
      const section = page.locator('[data-testid="report-section"][data-key="fixed:challenges"]');
      await section.waitFor();
      expect(await page.getByTestId('approve').count()).toBe(0); // approving stays with the secretariat
      const text = 'تواجه الجهات المعنية نقصاً في الكوادر المتخصصة في رصد حقوق الإنسان';
      await section.getByTestId('section-ar').fill(text);
      await expect.poll(() => section.getByTestId('section-words-ar').innerText()).toContain('11');
      await section.getByTestId('section-save').click();
      await expect.poll(() => section.getByTestId('section-save').isDisabled()).toBe(true);
      // saved on the server, by the focal point
      const reportId = new URL(page.url()).pathname.split('/').pop()!;
      const report = (await (await page.request.get(`${server!.base}/api/reports/${reportId}`)).json()) as { sections: { key: string; text_ar: string; updated_by: string }[] };
      const saved = report.sections.find((s) => s.key === 'fixed:challenges')!;
      expect(saved.text_ar).toBe(text);
      const me = (await (await page.request.get(`${server!.base}/api/auth/session`)).json()) as { user: { id: string } };
      expect(saved.updated_by).toBe(me.user.id);
      await screenshot(page, 'ar-reports-editor-focal-1280');
      await axe(page, 'ar editor (focal point)', findings);
      expectClean('reports focal ar', findings, problems);
    } finally {
      await context.close();
    }
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
        // the adopted action plan's end dates: the next month that holds one (the demo's actions end in 2026–2029)
        for (let i = 0; i < 40 && (await page.getByTestId('calendar-action').count()) === 0; i++) {
          const month = await page.getByTestId('calendar-month').innerText();
          await page.getByRole('button', { name: t.reports.nextMonth }).click();
          await expect.poll(() => page.getByTestId('calendar-month').innerText()).not.toBe(month);
          await page.getByTestId('calendar-grid').waitFor();
        }
        const action = page.getByTestId('calendar-action').first();
        await action.waitFor();
        expect(await action.getAttribute('href')).toMatch(/^\/plan\/[^/]+$/);
        await page.getByTestId('calendar-list').getByText(t.reports.calendarKinds.action).first().waitFor();
        await page.locator('.cal-action').first().waitFor();
        expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        // my private iCalendar address for Outlook
        if (lang === 'ar') await page.getByRole('button', { name: t.reports.feed.create }).click();
        else {
          // the Arabic run made one for the same user: replacing it asks first
          await page.getByRole('button', { name: t.reports.feed.replace }).click();
          await page.getByRole('dialog').getByRole('button', { name: t.reports.feed.confirm.replace.button }).click();
          await page.getByRole('dialog').waitFor({ state: 'detached' });
        }
        const feedUrl = await page.getByTestId('feed-url').inputValue();
        expect(feedUrl).toMatch(/\/api\/calendar\/feed\/[A-Za-z0-9_-]+\.ics$/);
        const ics = await page.request.get(feedUrl.replace(/^https?:\/\/[^/]+/, server!.base));
        expect(ics.status()).toBe(200);
        expect(await ics.text()).toContain('BEGIN:VEVENT');
        await screenshot(page, `${lang}-reports-calendar-1280`);
        await axe(page, `${lang} calendar`, findings);
        // an action's entry opens its plan
        const planHref = (await action.getAttribute('href'))!;
        await action.click();
        await page.waitForURL((u) => u.pathname === planHref);
        await page.getByRole('heading', { level: 1 }).first().waitFor();

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
