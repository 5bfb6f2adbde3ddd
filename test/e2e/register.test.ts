/**
 * End-to-end journey through the register pages (issue 3), on the real server and the built web app:
 * in Arabic a coordinator previews and imports a UPR Info CSV, finds the new recommendations in the list and
 * publishes two of them in bulk; in English an admin adds a theme and a coordinator edits an entity and a
 * recommendation's texts. Axe on the import (after a preview), documents, entities and taxonomies pages in both
 * languages; screenshots in test-results/screenshots/register-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ar from '../../web/src/i18n/ar.json' with { type: 'json' };
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { type AxeFinding, axe, getJson, haveChromium, type Lang, nav, openContext, screenshot, type Server, signIn, signOut, startServer, startsWith, T, expectClean } from './support.ts';

/** A small UPR Info export: three recommendations to one state at one session. */
const MARK = 'E2E-register';
const CSV = [
  'To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session',
  `Kuwait,Asia,OIC,"${MARK} one: ratify the Optional Protocol to the Convention against Torture.",Norway,WEOG,,Accepted,5,Torture and other CID treatment,35`,
  `Kuwait,Asia,OIC,"${MARK} two: establish a national human rights institution in line with the Paris Principles.",Brazil,GRULAC,,Noted,4,National Human Rights Institution,35`,
  `Kuwait,Asia,OIC,"${MARK} three: adopt a comprehensive law against domestic violence.",Spain,WEOG,EU,Accepted,5,Women's rights,35`,
].join('\n');

let server: Server | undefined;
let base = '';

const shot = (page: Page, name: string) => screenshot(page, `register-${name}`, { scrollToTop: true });

/** Upload the CSV as UPR Info and preview it; returns when the preview has finished. */
async function previewCsv(page: Page, lang: Lang, name: string) {
  const t = T[lang];
  await nav(page, t.nav.import);
  await page.getByRole('heading', { name: t.imports.title, level: 1 }).waitFor();
  await page.getByTestId('format-upr-info-csv').click();
  await page.getByTestId('import-file').locator('input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
  await page.getByTestId('import-file-chosen').getByText(name).waitFor();
  await page.getByTestId('import-preview-button').click();
  await page.locator('[data-testid="import-run"][data-status="succeeded"]').waitFor();
}

describe.skipIf(!haveChromium)('register: import, curation, documents, entities, taxonomies', () => {
  beforeAll(async () => {
    // Imports keep the uploaded file under DATA_DIR: a temp folder, never ./data.
    server = await startServer({ tmpPrefix: 'rasd-e2e-register-', env: (tmp) => ({ DATA_DIR: tmp }) });
    base = server.base;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('in Arabic: a coordinator imports a UPR Info CSV, finds the records and publishes two in bulk', async () => {
    const t = ar;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('ar');
    try {
      await signIn(page, 'ar', 'coordinator@rasd.example');
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      const before = await getJson<{ total: number }>(page, '/api/recommendations?pageSize=1');

      // Preview: three new records, nothing saved yet.
      await previewCsv(page, 'ar', 'upr-info-e2e.csv');
      await expect.poll(() => page.getByTestId('count-new').innerText()).toContain('3');
      expect(await page.getByTestId('count-invalid').innerText()).toContain('0');
      expect(await page.getByTestId('import-preview').locator('tbody tr').count()).toBe(3);
      expect(await page.getByTestId('import-preview').innerText()).toContain(`${MARK} two`);
      expect((await getJson<{ total: number }>(page, '/api/recommendations?pageSize=1')).total).toBe(before.total);
      await axe(page, 'ar-import-preview', findings);
      await shot(page, 'ar-import-preview');

      // Import, after a confirmation that states the counts.
      await page.getByTestId('import-commit').click();
      const dialog = page.getByRole('dialog', { name: t.imports.run.confirmTitle });
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain('3');
      await shot(page, 'ar-import-confirm');
      await dialog.getByRole('button', { name: t.imports.run.confirmButton }).click();
      await page.getByTestId('import-done').waitFor();
      expect((await getJson<{ total: number }>(page, '/api/recommendations?pageSize=1')).total).toBe(before.total + 3);
      await shot(page, 'ar-import-done');
      await page.getByTestId('recent-imports').getByText('upr-info-e2e.csv').first().waitFor();

      // The list, most recently changed first, shows the three.
      await page.getByRole('link', { name: t.imports.run.seeList }).click();
      await page.getByTestId('rec-table').waitFor();
      const mine = page.getByTestId('rec-table').locator('tbody tr').filter({ hasText: MARK });
      await expect.poll(() => mine.count()).toBe(3);

      // Bulk: select two, publish, after a confirmation that says how many.
      await mine.nth(0).getByTestId('select-row').check();
      await mine.nth(1).getByTestId('select-row').check();
      await expect.poll(() => page.getByTestId('bulk-count').innerText()).toContain('2');
      await shot(page, 'ar-list-bulk');
      await page.getByTestId('bulk-publish').click();
      const confirm = page.getByRole('dialog', { name: t.bulk.action.publish });
      await confirm.waitFor();
      expect(await confirm.innerText()).toContain(t.bulk.confirm.publish.replace('{{n}}', '2'));
      await confirm.getByTestId('bulk-apply').click();
      await page.getByTestId('bulk-result').waitFor();
      expect(await page.getByTestId('bulk-result').innerText()).toContain(t.bulk.done.replace('{{changed}}', '2').replace('{{selected}}', '2'));
      const published = await getJson<{ items: { text_en: string | null }[] }>(page, `/api/recommendations?q=${encodeURIComponent(MARK)}&pageSize=10`);
      expect(published.items.length).toBe(3);
      const details = await Promise.all(
        (await getJson<{ items: { id: string }[] }>(page, `/api/recommendations?q=${encodeURIComponent(MARK)}&pageSize=10`)).items.map((r) => getJson<{ is_public: boolean }>(page, `/api/recommendations/${r.id}`)),
      );
      expect(details.filter((d) => d.is_public).length).toBe(2);
      // The confirmation closes with a fade: check the page once it is gone.
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await axe(page, 'ar-list-bulk-done', findings);

      // Documents: the new UPR Info document is listed and its page shows its three recommendations.
      await nav(page, t.nav.documents);
      await page.getByTestId('documents-table').waitFor();
      await axe(page, 'ar-documents', findings);
      await shot(page, 'ar-documents');
      await page.getByLabel(t.documents.search).fill('S35');
      await page.getByRole('button', { name: t.recs.searchButton }).click();
      await expect.poll(() => page.getByTestId('documents-table').locator('tbody tr').count()).toBe(1);
      await page.getByTestId('documents-table').locator('tbody tr').first().getByRole('link').first().click();
      await page.getByTestId('doc-recs').waitFor();
      await expect.poll(() => page.getByTestId('doc-recs').locator('tbody tr').count()).toBe(3);
      await axe(page, 'ar-document', findings);
      await shot(page, 'ar-document');

      // Entities and taxonomies (coordinators may reach taxonomies).
      await nav(page, t.nav.entities);
      await page.getByTestId('entities-table').waitFor();
      await axe(page, 'ar-entities', findings);
      await shot(page, 'ar-entities');
      await page.getByTestId('sidebar').getByText(t.nav.admin, { exact: true }).click();
      await nav(page, t.nav.taxonomies);
      await page.getByTestId('terms-theme').waitFor();
      expect(await page.getByTestId('sidebar').getByRole('link', { name: t.nav.users }).count()).toBe(0);
      await axe(page, 'ar-taxonomies', findings);
      await shot(page, 'ar-taxonomies');

      // A recommendation's curation panel (texts per language, terms).
      await page.goto(`${base}/recommendations/${published.items.length ? (await getJson<{ items: { id: string }[] }>(page, `/api/recommendations?q=${encodeURIComponent(MARK)}&pageSize=1`)).items[0]!.id : ''}`);
      await page.getByTestId('edit-panel').waitFor();
      // The browser's computed direction (the tests are typed for Node, without DOM globals).
      const direction = (id: string) => page.getByTestId(id).evaluate((el) => (globalThis as unknown as { getComputedStyle: (e: unknown) => { direction: string } }).getComputedStyle(el).direction);
      expect(await direction('edit-text-ar')).toBe('rtl');
      expect(await direction('edit-text-en')).toBe('ltr');
      expect(await direction('edit-text-fr')).toBe('ltr');
      await axe(page, 'ar-curation', findings);
      await shot(page, 'ar-curation');
      await signOut(page, 'ar');
    } catch (err) {
      await shot(page, 'ar-failure');
      throw err;
    } finally {
      await context.close();
    }
    expectClean('ar', findings, problems);
  });

  it('in English: an admin adds a theme, a coordinator edits an entity and a recommendation', async () => {
    const t = en;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('en');
    try {
      await signIn(page, 'en', 'admin@rasd.example');
      expect(await page.locator('html').getAttribute('dir')).toBe('ltr');

      // Admin › Taxonomies: add a theme.
      await page.getByTestId('sidebar').getByText(t.nav.admin, { exact: true }).click();
      await nav(page, t.nav.taxonomies);
      await page.getByTestId('terms-theme').waitFor();
      await page.getByTestId('term-add').click();
      const form = page.getByTestId('term-form');
      await form.getByLabel(startsWith(t.taxonomies.col.code)).fill('e2e-access-to-water');
      await form.getByLabel(t.taxonomies.col.labelAr).fill('الحق في الماء');
      await form.getByLabel(t.taxonomies.col.labelEn).fill('Right to water');
      await form.getByRole('button', { name: t.taxonomies.add, exact: true }).click();
      await page.getByTestId('terms-theme').getByText('Right to water', { exact: true }).waitFor();
      const themes = await getJson<{ items: { code: string; label_ar: string }[] }>(page, '/api/taxonomies/theme');
      expect(themes.items.find((x) => x.code === 'e2e-access-to-water')?.label_ar).toBe('الحق في الماء');
      await axe(page, 'en-taxonomies', findings);
      await shot(page, 'en-taxonomies');

      // Admin › Users.
      await nav(page, t.nav.users);
      await page.getByTestId('users-table').waitFor();
      await axe(page, 'en-users', findings);
      await shot(page, 'en-users');
      await signOut(page, 'en');

      // A coordinator edits an entity's English name.
      await signIn(page, 'en', 'coordinator@rasd.example');
      await nav(page, t.nav.entities);
      await page.getByTestId('entities-table').waitFor();
      const row = page.getByTestId('entities-table').locator('tbody tr').first();
      await row.getByRole('button', { name: startsWith(t.entities.edit) }).click();
      const entityForm = page.getByTestId('entity-form');
      await entityForm.getByLabel(startsWith(t.entities.col.nameEn)).fill('Ministry of Justice and Legislation');
      await entityForm.getByRole('button', { name: t.edit.save }).click();
      await entityForm.waitFor({ state: 'detached' });
      await page.getByTestId('entities-table').getByText('Ministry of Justice and Legislation', { exact: true }).waitFor();
      await axe(page, 'en-entities', findings);
      await shot(page, 'en-entities');

      // Documents, and the import page after a preview (the same file again: nothing new).
      await nav(page, t.nav.documents);
      await page.getByTestId('documents-table').waitFor();
      await axe(page, 'en-documents', findings);
      await shot(page, 'en-documents');
      await previewCsv(page, 'en', 'upr-info-e2e-again.csv');
      // After the Arabic journey the same file changes nothing (idempotent); run alone it would all be new.
      const count = async (id: string) => Number((await page.getByTestId(id).innerText()).replace(/\D+/g, ''));
      expect((await count('count-new')) + (await count('count-unchanged'))).toBe(3);
      expect(await count('count-updated')).toBe(0);
      await axe(page, 'en-import-preview', findings);
      await shot(page, 'en-import-preview');

      // Curation: a recommendation's English text and a theme, saved with its version.
      const one = (await getJson<{ items: { id: string; version: number }[] }>(page, '/api/recommendations?pageSize=1&sort=paragraph')).items[0]!;
      await page.goto(`${base}/recommendations/${one.id}`);
      const panel = page.getByTestId('edit-panel');
      await panel.waitFor();
      await page.getByTestId('edit-text-en').fill(`${MARK} edited English text.`);
      await page.getByTestId('terms-select-theme').click();
      await page.getByRole('option', { name: 'Right to water' }).click();
      await page.keyboard.press('Escape');
      await shot(page, 'en-curation');
      await panel.getByRole('button', { name: t.edit.save }).click();
      await panel.getByText(t.edit.saved).waitFor();
      const after = await getJson<{ text_en: string; version: number; terms: { code: string }[] }>(page, `/api/recommendations/${one.id}`);
      expect(after.text_en).toBe(`${MARK} edited English text.`);
      expect(after.terms.map((x) => x.code)).toContain('e2e-access-to-water');
      expect(after.version).toBe(one.version + 2);
      await axe(page, 'en-curation', findings);
      await signOut(page, 'en');
    } catch (err) {
      await shot(page, 'en-failure');
      throw err;
    } finally {
      await context.close();
    }
    expectClean('en', findings, problems);
  });
});
