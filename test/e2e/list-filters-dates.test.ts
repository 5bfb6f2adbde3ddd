/**
 * Three things the web app draws for itself, on the real server and the built app:
 * - the register's facet filter builds one URL parameter per value, so a theme whose name holds a comma filters
 *   right, and an older comma-separated link is read and rewritten to that form;
 * - date fields in the page's language (DateField): on an Arabic page neither the field nor its calendar shows a
 *   Latin letter (the browser's own date field follows the browser's locale);
 * - at tablet width (768 px) the register's status badges are whole, in both directions.
 * Axe on the date screens; screenshots in test-results/screenshots/dates-*.png and register-768-*.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../src/shared/ids.ts';
import { type AxeFinding, axe, haveChromium, openContext, type Server, SHOTS, signIn, startServer, T, type Lang } from './support.ts';

const COMMA_THEME = { code: 'torture and other cruel, inhuman or degrading treatment', en: 'Torture and other cruel, inhuman or degrading treatment', ar: 'التعذيب وغيره من ضروب المعاملة أو العقوبة القاسية أو اللاإنسانية أو المهينة' };
// named like the part before the comma: a split filter finds these instead
const DECOY_THEME = { code: 'torture and other cruel', en: 'Torture and other cruel', ar: 'التعذيب وغيره من ضروب المعاملة القاسية' };
const LATIN = /[A-Za-z]/;

let server: Server | undefined;
let base = '';

async function expectTotal(page: Page, total: number) {
  await expect.poll(() => page.getByTestId('result-count').innerText()).toMatch(new RegExp(`(^|\\D)${total}$`));
}
/** What the window shows (the pages are long: a full-page picture is too small to read). */
const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
const themesInUrl = (page: Page) => new URL(page.url()).searchParams.getAll('theme');

describe.skipIf(!haveChromium)('list filters and date fields', () => {
  beforeAll(async () => {
    server = await startServer({
      tmpPrefix: 'rasd-e2e-filters-dates-',
      env: (tmp) => ({ DATA_DIR: tmp }),
      beforeListen: async ({ db }) => {
        const recs = await db.selectFrom('recommendations').select('id').orderBy('id').limit(5).execute();
        const now = nowIso();
        for (const [theme, members] of [
          [COMMA_THEME, recs.slice(0, 3)],
          [DECOY_THEME, recs.slice(3, 5)],
        ] as const) {
          const id = newId();
          await db.insertInto('terms').values({ id, kind: 'theme', code: theme.code, label_ar: theme.ar, label_en: theme.en, parent_id: null, sort: 0, created_at: now }).execute();
          await db.insertInto('recommendation_terms').values(members.map((r) => ({ recommendation_id: r.id, term_id: id }))).execute();
        }
      },
    });
    base = server.base;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('filters by a theme whose name holds a comma, and rewrites an older comma-separated link', async () => {
    const { context, page, problems } = await openContext('filters-en');
    try {
      await signIn(page, 'en', 'coordinator@rasd.example');
      await page.goto(`${base}/recommendations`);
      const group = page.getByTestId('facet-theme');
      await group.waitFor();
      const more = group.getByRole('button', { expanded: false });
      if (await more.count()) await more.click();
      await group.getByText(COMMA_THEME.en, { exact: true }).click();
      await expect.poll(() => themesInUrl(page)).toEqual([COMMA_THEME.code]);
      await expectTotal(page, 3);
      await group.getByText(DECOY_THEME.en, { exact: true }).click();
      await expect.poll(() => themesInUrl(page)).toEqual([COMMA_THEME.code, DECOY_THEME.code]);
      await expectTotal(page, 5);

      await page.goto(`${base}/recommendations?theme=${encodeURIComponent(`${DECOY_THEME.code},${COMMA_THEME.code}`)}`);
      await expectTotal(page, 5);
      await expect.poll(() => themesInUrl(page)).toEqual([DECOY_THEME.code, COMMA_THEME.code]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  for (const lang of ['ar', 'en'] as const satisfies readonly Lang[]) {
    it(`date fields in ${lang === 'ar' ? 'Arabic' : 'English'}: the page's language only, typed or picked`, async () => {
      const { context, page, problems } = await openContext(`dates-${lang}`);
      const findings: AxeFinding[] = [];
      try {
        await signIn(page, lang, 'admin@rasd.example');
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await page.goto(`${base}/admin/audit`);
          const from = page.getByTestId('audit-from');
          await from.waitFor();
          await from.fill('');
          if (lang === 'ar') expect(await from.getAttribute('placeholder')).not.toMatch(LATIN);
          // Arabic-Indic digits typed are read as the date
          await from.fill(lang === 'ar' ? '٢٠٢٦-٠٣-٠٥' : '2026-03-05');
          await expect.poll(() => from.inputValue()).toBe('2026-03-05');
          await page.getByTestId('audit-from-open').click();
          const calendar = page.getByTestId('audit-from-calendar');
          await calendar.locator('[data-day="2026-03-05"]').waitFor();
          const text = await calendar.innerText();
          if (lang === 'ar') expect(text).not.toMatch(LATIN);
          else expect(text).toMatch(/March 2026/);
          await expect.poll(() => calendar.evaluate((e) => (globalThis as unknown as { getComputedStyle(el: unknown): { opacity: string } }).getComputedStyle(e).opacity)).toBe('1'); // opened, not fading in
          await screenshot(page, `dates-audit-${lang}-${width}`);
          await axe(page, `dates-audit-${lang}-${width}`, findings);
          await calendar.locator('[data-day="2026-03-12"]').click();
          await expect.poll(() => from.inputValue()).toBe('2026-03-12');
          // the field's whole text (label, value, the date spelled out) in the page's language
          const field = page.locator('.mantine-InputWrapper-root', { has: from });
          const shown = await field.innerText();
          if (lang === 'ar') expect(shown).not.toMatch(LATIN);
          expect(shown).toContain(T[lang].audit.from);
        }
        expect(findings).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it(`the plan's date fields in ${lang === 'ar' ? 'Arabic' : 'English'}`, async () => {
      const { context, page, problems } = await openContext(`plan-dates-${lang}`);
      const findings: AxeFinding[] = [];
      try {
        await signIn(page, lang, 'coordinator@rasd.example');
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await page.goto(`${base}/plan`);
          await page.getByTestId('plan-new').click();
          const start = page.getByTestId('plan-period_start');
          await start.fill('2026-01-01');
          await page.getByTestId('plan-period_end').fill('2028-12-31');
          const dialog = page.getByRole('dialog');
          if (lang === 'ar') {
            const fields = await dialog.locator('.mantine-InputWrapper-root', { has: start }).innerText();
            expect(fields).not.toMatch(LATIN);
          }
          await screenshot(page, `dates-plan-${lang}-${width}`);
          await axe(page, `dates-plan-${lang}-${width}`, findings);
          await page.keyboard.press('Escape');
        }
        expect(findings).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it(`at 768 px the register's status badges are whole (${lang})`, async () => {
      const { context, page, problems } = await openContext(`register-768-${lang}`);
      try {
        await signIn(page, lang, 'coordinator@rasd.example');
        await page.setViewportSize({ width: 768, height: 1000 });
        await page.goto(`${base}/recommendations?pageSize=10`);
        const table = page.getByTestId('rec-table');
        await table.waitFor();
        const labels = table.locator('.status-badge-label');
        await labels.first().waitFor();
        const cut = await labels.evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).length);
        expect(cut).toBe(0);
        await table.scrollIntoViewIfNeeded();
        await screenshot(page, `register-768-${lang}`);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
