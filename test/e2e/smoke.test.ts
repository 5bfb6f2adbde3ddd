/**
 * End-to-end smoke journey through the real server and the built web app, in Arabic and in English:
 * sign in, home counts, language switch (direction and sidebar side), recommendations list with a facet,
 * recommendation detail with both texts, a stale-version edit (409) — with axe checks and screenshots.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/index.ts';
import ar from '../../web/src/i18n/ar.json' with { type: 'json' };
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { type AxeFinding, axe, getJson, haveChromium, type Lang, openContext, screenshot, type Server, signOut, startServer, submitSignIn, T, VIEWPORT, expectClean } from './support.ts';

/** A failed sign-in (401/429) and the staged edit conflict (409) log their response: expected, everything else is a problem. */
const allowConsole = /status of (401|409|429)/;

let server: Server | undefined;
let base = '';

async function htmlDir(page: Page) {
  const html = page.locator('html');
  return { dir: await html.getAttribute('dir'), lang: await html.getAttribute('lang') };
}

/** Which half of the window the sidebar sits in. */
async function sidebarSide(page: Page): Promise<'left' | 'right'> {
  const box = await page.getByTestId('sidebar').boundingBox();
  if (!box) throw new Error('sidebar not visible');
  return box.x + box.width / 2 < VIEWPORT.width / 2 ? 'left' : 'right';
}

async function switchLanguage(page: Page, to: Lang) {
  await page.getByRole('radiogroup', { name: T[to === 'ar' ? 'en' : 'ar'].language.switch }).or(page.getByRole('radiogroup', { name: T[to].language.switch })).first().getByText(T[to].language[to], { exact: true }).click();
  await expect.poll(async () => (await htmlDir(page)).lang).toBe(to);
}

describe.skipIf(!haveChromium)('web app smoke journey', () => {
  beforeAll(async () => {
    server = await startServer({ tmpPrefix: 'rasd-e2e-' });
    base = server.base;
  });

  afterAll(async () => {
    await server?.close();
  });

  for (const lang of ['ar', 'en'] as const) {
    it(`coordinator journey in ${lang === 'ar' ? 'Arabic' : 'English'}`, async () => {
      const t = T[lang];
      const other: Lang = lang === 'ar' ? 'en' : 'ar';
      const findings: AxeFinding[] = [];
      const { context, page, problems } = await openContext(lang, { allowConsole });
      try {
        // 1. Sign-in page, in the right direction.
        await page.goto(base + '/');
        await expect.poll(() => page.getByRole('heading', { name: ar.login.title }).or(page.getByRole('heading', { name: en.login.title })).count()).toBeGreaterThan(0);
        expect(await htmlDir(page)).toEqual({ dir: 'rtl', lang: 'ar' });
        if (lang === 'en') await switchLanguage(page, 'en');
        expect((await htmlDir(page)).dir).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        await page.getByRole('heading', { name: t.login.title }).waitFor();
        await expect.poll(() => page.getByText(t.app.demoWorkspace).count()).toBeGreaterThan(0);

        // A wrong password gives the translated message.
        await submitSignIn(page, lang, 'coordinator@rasd.example', 'wrong-password');
        await page.getByRole('alert').getByText(t.errors.invalid_credentials).waitFor();
        await axe(page, `${lang}-login`, findings);
        await screenshot(page, `${lang}-login`);

        // 2. Sign in: home with the real counts.
        await submitSignIn(page, lang, 'coordinator@rasd.example', DEMO_PASSWORD);
        await page.getByRole('heading', { name: t.home.title, level: 1 }).waitFor();
        expect(await htmlDir(page)).toEqual({ dir: lang === 'ar' ? 'rtl' : 'ltr', lang });
        const summary = await getJson<{ counts: { recommendations: number; documents: number } }>(page, '/api/dashboard/summary');
        expect(summary.counts.recommendations).toBeGreaterThan(0);
        await expect.poll(() => page.getByTestId('count-recommendations').innerText()).toContain(String(summary.counts.recommendations));
        expect(await page.getByTestId('count-documents').innerText()).toContain(String(summary.counts.documents));
        await page.getByText(t.app.demoWorkspace).first().waitFor();
        expect(await sidebarSide(page)).toBe(lang === 'ar' ? 'right' : 'left');
        await axe(page, `${lang}-home`, findings);
        await screenshot(page, `${lang}-home`);

        // 3. Switch language: direction and sidebar flip, and the choice is remembered for the user.
        await switchLanguage(page, other);
        expect(await htmlDir(page)).toEqual({ dir: other === 'ar' ? 'rtl' : 'ltr', lang: other });
        await page.getByRole('heading', { name: T[other].home.title, level: 1 }).waitFor();
        await expect.poll(() => sidebarSide(page)).toBe(other === 'ar' ? 'right' : 'left');
        await expect.poll(async () => (await getJson<{ user: { locale: string } }>(page, '/api/auth/session')).user.locale).toBe(other);
        await screenshot(page, `${lang}-home-switched`);
        await switchLanguage(page, lang);
        await expect.poll(() => sidebarSide(page)).toBe(lang === 'ar' ? 'right' : 'left');
        await expect.poll(async () => (await getJson<{ user: { locale: string } }>(page, '/api/auth/session')).user.locale).toBe(lang);

        // 4. Recommendations list, filtered by a status facet; the filter lives in the URL.
        await page.getByTestId('sidebar').getByRole('link', { name: t.nav.recommendations }).click();
        await page.getByTestId('rec-table').waitFor();
        const all = await getJson<{ total: number }>(page, '/api/recommendations?pageSize=1');
        await expect.poll(() => page.getByTestId('result-count').innerText()).toContain(String(all.total));
        const ref = await getJson<{ statuses: { code: string; label_ar: string; label_en: string }[] }>(page, '/api/reference');
        const inProgress = ref.statuses.find((s) => s.code === 'in_progress')!;
        const label = lang === 'ar' ? inProgress.label_ar : inProgress.label_en;
        const filtered = await getJson<{ total: number }>(page, '/api/recommendations?pageSize=1&status=in_progress');
        expect(filtered.total).toBeGreaterThan(0);
        expect(filtered.total).toBeLessThan(all.total);
        await page.getByTestId('facet-status').getByRole('checkbox', { name: label }).click();
        await expect.poll(() => page.url()).toContain('status=in_progress');
        await expect.poll(() => page.getByTestId('result-count').innerText()).toContain(String(filtered.total));
        const badges = await page.getByTestId('rec-table').locator('tbody tr').count();
        expect(badges).toBeGreaterThan(0);
        expect(await page.getByTestId('rec-table').locator('tbody').getByText(label, { exact: true }).count()).toBe(badges);
        await axe(page, `${lang}-list`, findings);
        await screenshot(page, `${lang}-list`);

        // The URL can be shared: reloading it keeps the filter.
        await page.reload();
        await page.getByTestId('rec-table').waitFor();
        await expect.poll(() => page.getByTestId('result-count').innerText()).toContain(String(filtered.total));

        // 5. A recommendation: both language texts, in their own direction.
        await page.getByTestId('rec-table').locator('tbody tr').first().getByRole('link').click();
        await page.getByTestId('text-ar').waitFor();
        const id = new URL(page.url()).pathname.split('/').pop()!;
        const rec = await getJson<{ text_ar: string; text_en: string; version: number }>(page, `/api/recommendations/${id}`);
        const arBlock = page.getByTestId('text-ar').locator('[lang="ar"]');
        const enBlock = page.getByTestId('text-en').locator('[lang="en"]');
        expect((await arBlock.innerText()).trim()).toBe(rec.text_ar.trim());
        expect((await enBlock.innerText()).trim()).toBe(rec.text_en.trim());
        expect(await arBlock.getAttribute('dir')).toBe('rtl');
        expect(await enBlock.getAttribute('dir')).toBe('ltr');
        await page.getByTestId('edit-panel').waitFor();
        await axe(page, `${lang}-detail`, findings);
        await screenshot(page, `${lang}-detail`);

        if (lang === 'ar') {
          // 6. Someone else saves first: the stale save gets the bilingual conflict message and a reload.
          const session = await getJson<{ csrfToken: string }>(page, '/api/auth/session');
          const res = await page.request.patch(`${base}/api/recommendations/${id}`, {
            data: { version: rec.version, notes: 'Changed elsewhere' },
            headers: { 'x-csrf-token': session.csrfToken },
          });
          expect(res.status()).toBe(200);
          const edit = page.getByTestId('edit-panel');
          await edit.getByLabel(t.fields.priority, { exact: true }).click();
          await page.getByRole('option', { name: t.priority.low, exact: true }).click();
          await edit.getByRole('button', { name: t.edit.save }).click();
          const conflict = page.getByTestId('conflict-alert');
          await conflict.waitFor();
          expect(await conflict.innerText()).toContain(ar.errors.version_conflict);
          expect(await conflict.innerText()).toContain(en.errors.version_conflict);
          await axe(page, `${lang}-detail-conflict`, findings);
          await screenshot(page, `${lang}-detail-conflict`);
          await conflict.getByRole('button', { name: t.edit.reload }).click();
          await conflict.waitFor({ state: 'detached' });
          // After reloading, the save goes through and is in the history.
          await edit.getByLabel(t.fields.priority, { exact: true }).click();
          await page.getByRole('option', { name: t.priority.low, exact: true }).click();
          await edit.getByRole('button', { name: t.edit.save }).click();
          await edit.getByText(t.edit.saved).waitFor();
          await page.getByTestId('audit-table').getByText('Changed elsewhere').waitFor();
          const after = await getJson<{ priority: string; version: number }>(page, `/api/recommendations/${id}`);
          expect(after).toMatchObject({ priority: 'low', version: rec.version + 2 });
        }

        // 7. Sign out: back to the sign-in page.
        await signOut(page, lang);
      } finally {
        await context.close();
      }
      expectClean(lang, findings, problems);
    });
  }

  it('shows no edit controls to a viewer, and the throttling message after repeated failures', async () => {
    const { context, page, problems } = await openContext('viewer', { allowConsole });
    try {
      await page.goto(base + '/');
      await submitSignIn(page, 'ar', 'viewer@rasd.example', DEMO_PASSWORD);
      await page.getByRole('heading', { name: ar.home.title, level: 1 }).waitFor();
      await page.getByTestId('sidebar').getByRole('link', { name: ar.nav.recommendations }).click();
      await page.getByTestId('rec-table').locator('tbody tr').first().getByRole('link').click();
      await page.getByTestId('text-ar').waitFor();
      expect(await page.getByTestId('edit-panel').count()).toBe(0);
      await signOut(page, 'ar');

      for (let i = 0; i < 5; i++) {
        const res = await page.request.post(`${base}/api/auth/login`, { data: { email: 'contributor.justice@rasd.example', password: 'nope' } });
        expect(res.status()).toBe(401);
      }
      await submitSignIn(page, 'ar', 'contributor.justice@rasd.example', DEMO_PASSWORD);
      await page.getByRole('alert').getByText(ar.errors.too_many_attempts).waitFor();
    } finally {
      await context.close();
    }
    expect(problems).toEqual([]);
  });
});
