/**
 * Issue 13, the instance and the phone: the register, dashboard and import pages at 390 px in Arabic (no sideways
 * scroll, the facets in a drawer), the state's logo in the header and on the sign-in page, the theme mappings screen,
 * and the admins' removal of the demo workspace, after which the sign-in page offers no demo logins.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/index.ts';
import { createUser } from '../../src/users/index.ts';
import { getJson, haveChromium, openContext, screenshot, type Server, signIn, signOut, startServer, T, type Lang } from './support.ts';

let server: Server | undefined;
let base = '';

/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const REAL_ADMIN = 'real.admin@state.example';

async function noSidewaysScroll(page: Page, label: string) {
  const widths = (await page.evaluate('[document.scrollingElement.scrollWidth, window.innerWidth]')) as [number, number];
  expect(widths[0], `${label}: no sideways scroll at ${widths[1]} px`).toBeLessThanOrEqual(widths[1]);
}

async function open(page: Page, path: string) {
  await page.goto(base + path);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
}

async function setLang(page: Page, lang: Lang) {
  if ((await page.locator('html').getAttribute('lang')) === lang) return;
  const other = lang === 'ar' ? T.en : T.ar;
  await page.getByRole('radiogroup', { name: other.language.switch }).first().getByText(T[lang].language[lang], { exact: true }).click();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
}

/** Screenshots of the page in both languages at desktop width and at 390 px, each checked for sideways scroll. */
async function shots(page: Page, name: string, ready: () => Promise<void>) {
  for (const lang of ['ar', 'en'] as const) {
    await setLang(page, lang);
    await ready();
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.waitForTimeout(300);
    await screenshot(page, `realweb-${name}-${lang}`, { scrollToTop: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    await noSidewaysScroll(page, `${name} ${lang}`);
    await screenshot(page, `realweb-${name}-${lang}-390`, { scrollToTop: true });
  }
  await setLang(page, 'ar');
  await page.setViewportSize({ width: 1366, height: 900 });
}

describe.skipIf(!haveChromium)('the instance and the phone (issue 13, steps 7–9)', () => {
  beforeAll(async () => {
    server = await startServer({
      tmpPrefix: 'rasd-e2e-realweb-',
      env: (tmp) => ({ DATA_DIR: tmp }),
      beforeListen: async (database) => {
        await createUser(database.db, { email: REAL_ADMIN, password: DEMO_PASSWORD, role: 'admin', name: 'مدير الدولة' });
      },
    });
    base = server.base;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('at 390 px in Arabic, the register, dashboard and import pages do not scroll sideways; the register puts its facets in a drawer', async () => {
    const { context, page, problems } = await openContext('realweb-phone');
    try {
      await signIn(page, 'ar', 'coordinator@rasd.example');
      await page.setViewportSize({ width: 390, height: 844 });
      for (const [path, name] of [
        ['/recommendations', 'register'],
        ['/dashboard', 'dashboard'],
        ['/import', 'import'],
      ] as const) {
        await open(page, path);
        expect(await page.locator('html').getAttribute('lang')).toBe('ar');
        await noSidewaysScroll(page, path);
        // the header is whole: its brand and the user's menu are inside the screen
        const menu = await page.getByTestId('user-menu').boundingBox();
        expect(menu && menu.x >= 0 && menu.x + menu.width <= 390).toBe(true);
        await screenshot(page, `realweb-phone-${name}-ar-390`, { scrollToTop: true });
      }

      // the register: results first, no facet column; the facets open in a drawer and filter the list
      await open(page, '/recommendations');
      // one card per recommendation instead of the wide table
      await page.getByTestId('rec-cards').waitFor();
      expect(await page.getByTestId('rec-table').count()).toBe(0);
      expect(await page.getByRole('complementary', { name: T.ar.facets.title }).count()).toBe(0);
      const before = await page.getByTestId('result-count').innerText();
      await page.getByTestId('filters-open').click();
      const drawer = page.getByRole('dialog', { name: T.ar.realweb.filters.title });
      await drawer.waitFor();
      await drawer.getByRole('checkbox').first().click();
      await expect.poll(() => page.getByTestId('result-count').innerText()).not.toBe(before);
      await noSidewaysScroll(page, 'filters drawer');
      await screenshot(page, 'realweb-phone-register-filters-ar-390');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
      await expect.poll(() => page.getByTestId('filters-open').innerText()).toContain('(1)');
      await noSidewaysScroll(page, 'register filtered');
      await screenshot(page, 'realweb-phone-register-filtered-ar-390', { scrollToTop: true });

      // at desktop width the facets are beside the table again, with no drawer button
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.getByRole('complementary', { name: T.ar.facets.title }).waitFor();
      await page.getByTestId('rec-table').waitFor();
      expect(await page.getByTestId('filters-open').count()).toBe(0);

      // a tablet (768–991 px) keeps the table, with the facets in the drawer; only phones get the cards
      for (const lang of ['ar', 'en'] as const) {
        await setLang(page, lang);
        for (const width of [390, 768, 991, 1280]) {
          await page.setViewportSize({ width, height: 900 });
          const view = width < 768 ? 'rec-cards' : 'rec-table';
          await page.getByTestId(view).waitFor();
          expect(await page.getByTestId(view === 'rec-cards' ? 'rec-table' : 'rec-cards').count(), `${lang} ${width}`).toBe(0);
          expect(await page.getByTestId('filters-open').count(), `${lang} ${width}: the filters drawer below 992 px`).toBe(width < 992 ? 1 : 0);
          await noSidewaysScroll(page, `register ${lang} ${width}`);
          if (width >= 768 && width < 992) {
            // the tablet's table fits: nothing (the status column) hidden behind a sideways scroll of its own
            const [inner, shown] = await page.locator('.table-scroll').first().evaluate((e) => [e.scrollWidth, e.clientWidth]);
            expect(inner, `${lang} ${width}: the table fits`).toBeLessThanOrEqual(shown!);
          }
          if (width !== 991) await screenshot(page, `realweb-register-${lang}-${width}`, { scrollToTop: true });
        }
      }
      await setLang(page, 'ar');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a curator maps UPR Info issues onto themes: add, change, delete with confirmation', async () => {
    const { context, page, problems } = await openContext('realweb-mappings');
    try {
      await signIn(page, 'ar', 'coordinator@rasd.example');
      await open(page, '/admin/taxonomies');
      await page.getByTestId('theme-mappings-link').click();
      await page.getByRole('heading', { name: T.ar.realweb.themeMappings.title, level: 1 }).waitFor();
      // the UPR Info vocabulary comes with default mappings (migration 026): the curator adds two of their own
      const row = page.getByTestId('mapping-row');
      await row.first().waitFor();
      const before = await row.count();
      await page.getByTestId('mapping-add').click();
      await page.getByTestId('mapping-label').fill('Kafala reform');
      await page.getByTestId('mapping-theme').click();
      await page.getByRole('option', { name: 'حقوق المرأة' }).click();
      await page.getByTestId('mapping-save').click();
      await row.filter({ hasText: 'kafala reform' }).getByText('حقوق المرأة').waitFor();
      await page.getByTestId('mapping-add').click();
      await page.getByTestId('mapping-label').fill('Sponsorship transfers');
      await page.getByTestId('mapping-theme').click();
      await page.getByRole('option', { name: 'العمال المهاجرون' }).click();
      await page.getByTestId('mapping-save').click();
      await expect.poll(() => row.count()).toBe(before + 2);
      await shots(page, 'theme-mappings', async () => {
        await row.first().waitFor();
      });

      // change: "sponsorship transfers" is never filed under a theme
      const mine = row.filter({ hasText: 'sponsorship transfers' });
      await mine.getByRole('button', { name: new RegExp(`^${T.ar.realweb.themeMappings.edit}`) }).click();
      await page.getByTestId('mapping-theme').click();
      await page.getByRole('option', { name: T.ar.realweb.themeMappings.noTheme }).click();
      await page.getByTestId('mapping-save').click();
      await mine.getByText(T.ar.realweb.themeMappings.noTheme).waitFor();

      // delete, after a confirmation
      await mine.getByRole('button', { name: new RegExp(`^${T.ar.realweb.themeMappings.delete}`) }).click();
      const confirm = page.getByTestId('mapping-delete-confirm');
      await confirm.getByText(T.ar.realweb.themeMappings.confirmTitle).waitFor();
      await screenshot(page, 'realweb-theme-mappings-delete-ar');
      await confirm.getByRole('button', { name: T.ar.realweb.themeMappings.delete }).click();
      await expect.poll(() => row.count()).toBe(before + 1);
      const api = await page.request.get(base + '/api/imports/theme-mappings?source=upr-info');
      const labels = ((await api.json()) as { items: { label: string }[] }).items.map((m) => m.label);
      expect(labels).toContain('kafala reform');
      expect(labels).not.toContain('sponsorship transfers');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the glossary and entities pages import a CSV through the same check-then-import dialog', async () => {
    const { context, page, problems } = await openContext('realweb-csv', { allowConsole: /status of 400/ });
    try {
      await signIn(page, 'ar', 'coordinator@rasd.example');
      // entities: one new ministry
      await open(page, '/entities');
      await page.getByRole('button', { name: T.ar.entities.import }).click();
      await page.getByTestId('entities-file').locator('input[type=file]').setInputFiles({ name: 'entities.csv', mimeType: 'text/csv', buffer: Buffer.from('code,name_ar,name_en,parent_code\nMOJUST,وزارة الشؤون القانونية,Ministry of Legal Affairs,\n') });
      await page.getByRole('dialog').getByRole('button', { name: T.ar.imports.upload.preview }).click();
      await page.getByTestId('entities-preview').waitFor();
      await screenshot(page, 'realweb-entities-import-preview-ar');
      expect((await getJson<{ items: { code: string }[] }>(page, '/api/entities')).items.some((e) => e.code === 'MOJUST')).toBe(false);
      await page.getByRole('dialog').getByRole('button', { name: T.ar.entities.importConfirm.replace('{{n}}', '1') }).click();
      await page.getByRole('dialog').getByText(T.ar.imports.run.importDone).waitFor();
      expect((await getJson<{ items: { code: string }[] }>(page, '/api/entities')).items.some((e) => e.code === 'MOJUST')).toBe(true);
      await page.keyboard.press('Escape');

      // glossary: one new pair, merged; then a file with an empty side is refused whole
      await open(page, '/glossary');
      await page.getByRole('button', { name: T.ar.arabic.glossary.import }).click();
      const dialog = page.getByRole('dialog');
      await page.getByTestId('glossary-file').locator('input[type=file]').setInputFiles({ name: 'g.csv', mimeType: 'text/csv', buffer: Buffer.from('term_ar,term_en,note\nالشؤون القانونية,legal affairs,\n') });
      await dialog.getByRole('button', { name: T.ar.arabic.glossary.check }).click();
      await dialog.getByText(T.ar.arabic.glossary.previewTitle).waitFor();
      await dialog.getByRole('button', { name: T.ar.arabic.glossary.importConfirm, exact: true }).click();
      await dialog.getByText(T.ar.arabic.glossary.importDone).waitFor();
      const found = await getJson<{ items: { term_en: string }[] }>(page, `/api/glossary?q=${encodeURIComponent('legal affairs')}`);
      expect(found.items.some((x) => x.term_en === 'legal affairs')).toBe(true);
      await page.getByTestId('glossary-file').locator('input[type=file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('term_ar,term_en,note\n,empty arabic side,\n') });
      await dialog.getByRole('button', { name: T.ar.arabic.glossary.check }).click();
      await page.getByTestId('glossary-import-error').waitFor();
      await screenshot(page, 'realweb-glossary-import-error-ar');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("an admin sets the state's logo (header, sign-in page), then removes the demo: the sign-in page offers no demo logins", async () => {
    const { context, page, problems } = await openContext('realweb-instance');
    try {
      await signIn(page, 'ar', REAL_ADMIN);
      await open(page, '/admin/instance');
      await page.getByTestId('logo-none').waitFor();
      await page.getByTestId('logo-file').locator('input[type=file]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
      await page.getByTestId('logo-upload').click();
      await page.getByTestId('logo-preview').waitFor();
      await page.getByTestId('brand-logo').waitFor();
      const logoSrc = await page.getByTestId('brand-logo').getAttribute('src');
      expect(logoSrc).toMatch(/^\/api\/settings\/logo\?v=[0-9a-f]{64}$/);
      await shots(page, 'instance', async () => {
        await page.getByTestId('demo-card').waitFor();
      });

      // the demo card names what goes; the confirmation lists the demo accounts
      await page.getByTestId('demo-counts').first().waitFor();
      await page.getByTestId('demo-remove').click();
      const confirm = page.getByTestId('demo-remove-confirm');
      await confirm.getByText('admin@rasd.example').waitFor();
      await screenshot(page, 'realweb-demo-confirm-ar');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(300);
      await screenshot(page, 'realweb-demo-confirm-ar-390');
      await page.setViewportSize({ width: 1366, height: 900 });
      await confirm.getByRole('button', { name: T.ar.realweb.demo.confirm }).click();
      await page.getByText(T.ar.realweb.demo.removed).waitFor();
      await screenshot(page, 'realweb-demo-removed-ar', { scrollToTop: true });
      const pub = (await (await page.request.get(base + '/api/settings/public')).json()) as { demo: boolean; demoLogins: unknown[] };
      expect(pub.demo).toBe(false);
      expect(pub.demoLogins).toEqual([]);

      // signed out: the sign-in page carries the logo and no demo logins, in both languages and at both widths
      await signOut(page, 'ar');
      await page.getByTestId('brand-logo').waitFor();
      expect(await page.getByTestId('demo-logins').count()).toBe(0);
      await shots(page, 'login', async () => {
        await page.getByTestId('brand-logo').waitFor();
      });

      // the logo goes again, after a confirmation
      await signIn(page, 'ar', REAL_ADMIN);
      await open(page, '/admin/instance');
      await page.getByTestId('logo-remove').click();
      await page.getByTestId('logo-remove-confirm').getByRole('button', { name: T.ar.realweb.logo.remove }).click();
      await page.getByTestId('logo-none').waitFor();
      expect(await page.getByTestId('brand-logo').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
