/**
 * End-to-end: a coordinator creates a column mapping for a generic CSV from a sample file on the Import page,
 * previews an import through it and sees the counts; in English the mapping is then deleted after a confirmation.
 * Arabic (RTL) and English, axe on the editor and the preview; screenshots in test-results/screenshots/mappings-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AxeFinding, axe, expectClean, getJson, haveChromium, type Lang, nav, openContext, screenshot, type Server, signIn, startServer, T } from './support.ts';

const CSV = [
  'Symbol,Para,النص,Text,States',
  'A/HRC/E2E/1,101.1,المصادقة على البروتوكول الاختياري لاتفاقية مناهضة التعذيب,Ratify the Optional Protocol to the Convention against Torture,Norway|Brazil',
  'A/HRC/E2E/1,101.2,إنشاء مؤسسة وطنية لحقوق الإنسان,Establish a national human rights institution,Spain',
  'A/HRC/E2E/1,101.3,اعتماد قانون شامل لمناهضة العنف المنزلي,Adopt a comprehensive law against domestic violence,Chile;Peru',
].join('\n');

let server: Server | undefined;

const shot = (page: Page, name: string) => screenshot(page, `mappings-${name}`, { scrollToTop: true });

async function pick(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Opens the editor on the csv format, reads the sample, maps its columns, names the mapping and saves it. */
async function createMapping(page: Page, lang: Lang, name: string, findings: AxeFinding[]) {
  const t = T[lang];
  await nav(page, t.nav.import);
  await page.getByRole('heading', { name: t.imports.title, level: 1 }).waitFor();
  await page.getByTestId('format-csv').click();
  await page.getByTestId('mapping-new').click();
  const editor = page.getByRole('dialog', { name: t.imports.mapping.editorTitle });
  await editor.waitFor();
  // Saving without a sample says what is missing.
  await editor.getByTestId('mapping-save').click();
  await editor.getByText(t.imports.mapping.problem.needSample).waitFor();

  await editor.getByTestId('mapping-sample-file').locator('input[type=file]').setInputFiles({ name: `sample-${lang}.csv`, mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
  const sample = editor.getByTestId('mapping-sample');
  await sample.waitFor();
  expect(await sample.locator('tbody tr').count()).toBe(5);
  await sample.getByText('المصادقة على البروتوكول الاختياري لاتفاقية مناهضة التعذيب').waitFor();
  await shot(page, `${lang}-editor-sample`);

  await pick(page, 'mapping-field-symbol', 'Symbol');
  await editor.getByTestId('mapping-fixed-body').fill('UPR');
  await pick(page, 'mapping-field-paragraph', 'Para');
  await pick(page, 'mapping-field-text_ar', 'النص');
  await pick(page, 'mapping-field-text_en', 'Text');
  await pick(page, 'mapping-field-recommendingStates', 'States');
  await page.keyboard.press('Escape');
  await editor.getByTestId('mapping-name').fill(name);
  await axe(page, `${lang}-mapping-editor`, findings);
  await shot(page, `${lang}-editor`);
  await editor.getByTestId('mapping-save').click();
  await editor.waitFor({ state: 'detached' });
  // The new mapping is chosen in the picker.
  await expect.poll(() => page.getByTestId('mapping-select').inputValue()).toBe(name);
}

async function previewWithMapping(page: Page, lang: Lang, findings: AxeFinding[]) {
  await page.getByTestId('import-file').locator('input[type=file]').setInputFiles({ name: `table-${lang}.csv`, mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
  await page.getByTestId('import-preview-button').click();
  await page.locator('[data-testid="import-run"][data-status="succeeded"]').waitFor();
  const digits = async (id: string) => Number((await page.getByTestId(id).innerText()).replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/\D+/g, ''));
  expect(await digits('count-new')).toBe(3);
  expect(await digits('count-invalid')).toBe(0);
  expect(await page.getByTestId('import-preview').locator('tbody tr').count()).toBe(3);
  await page.getByTestId('import-preview').getByText('A/HRC/E2E/1').first().waitFor();
  await axe(page, `${lang}-mapping-preview`, findings);
  await shot(page, `${lang}-preview`);
}

describe.skipIf(!haveChromium)('column mappings: create one from a sample, preview an import with it, delete it', () => {
  beforeAll(async () => {
    server = await startServer({ tmpPrefix: 'rasd-e2e-mappings-', env: (tmp) => ({ DATA_DIR: tmp }) });
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const lang of ['ar', 'en'] as const) {
    it(`in ${lang === 'ar' ? 'Arabic' : 'English'}: a coordinator maps a CSV sample's columns and previews an import through the mapping`, async () => {
      const t = T[lang];
      const findings: AxeFinding[] = [];
      const { context, page, problems } = await openContext(lang);
      const name = `e2e-${lang}-table`;
      try {
        await signIn(page, lang, 'coordinator@rasd.example');
        expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        const before = await getJson<{ total: number }>(page, '/api/recommendations?pageSize=1');
        await createMapping(page, lang, name, findings);
        const saved = await getJson<{ mapping: unknown }>(page, `/api/imports/mappings/${name}`);
        expect(saved.mapping).toEqual({
          document: { symbol: 'Symbol', body: { constant: 'UPR' } },
          texts: { ar: 'النص', en: 'Text' },
          paragraph: 'Para',
          recommendingStates: { columns: ['States'] },
        });
        await previewWithMapping(page, lang, findings);
        // A preview writes nothing.
        expect((await getJson<{ total: number }>(page, '/api/recommendations?pageSize=1')).total).toBe(before.total);

        if (lang === 'en') {
          await page.getByTestId('mapping-delete').click();
          const dialog = page.getByRole('dialog', { name: t.imports.mapping.deleteTitle });
          await dialog.getByText(name).waitFor();
          await shot(page, `${lang}-delete`);
          await dialog.getByRole('button', { name: t.imports.mapping.deleteConfirm }).click();
          await dialog.waitFor({ state: 'detached' });
          const list = await getJson<{ items: { name: string }[] }>(page, '/api/imports/mappings');
          expect(list.items.map((m) => m.name)).not.toContain(name);
          expect(list.items.map((m) => m.name)).toContain('e2e-ar-table');
        }
      } catch (err) {
        await shot(page, `${lang}-failure`);
        throw err;
      } finally {
        await context.close();
      }
      expectClean(lang, findings, problems);
    });
  }
});
