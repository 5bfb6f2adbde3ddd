/**
 * Issue 13 in the browser. In Arabic, an Arabic search finds English-only recommendations through the glossary, the
 * list says what was added and one click searches only the words typed; the glossary screen (desktop and 390 px, both
 * languages) adds a pair and deletes it after confirmation. Then every Arabic screen reachable from the sidebar (and a
 * recommendation's and a document's page) is read: its visible interface text holds no word of the English bundle
 * (texts marked as another language, e.g. an English-only recommendation, codes or symbols set left-to-right, and values
 * shown as stored, marked data-content, are content, not interface).
 * Screenshots in test-results/screenshots/arabic-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ar from '../../web/src/i18n/ar.json' with { type: 'json' };
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { importRecords } from '../../src/imports/index.ts';
import { englishOnlyRecords } from '../helpers/english-only.ts';
import { type AxeFinding, axe, expectClean, getJson, haveChromium, nav, openContext, screenshot, type Server, signIn, startServer } from './support.ts';

let server: Server | undefined;
let base = '';

/** Words allowed on an Arabic page although the English bundle has them: names of languages and formats, UN body codes. */
const ALLOWED = new Set(['english', 'csv', 'xlsx', 'docx', 'pdf', 'word', 'excel', 'json', 'upr', 'uhri', 'sdg', 'sdgs', 'ohchr', 'ilo', 'cat', 'cedaw', 'crc', 'cmw', 'ccpr', 'cescr', 'cerd', 'crpd', 'ced', 'spt', 'rasd', 'ical', 'url', 'www', 'http', 'https', 'uuid', 'api']);

type Tree = { [k: string]: string | Tree };
function words(tree: Tree, into = new Set<string>()): Set<string> {
  for (const v of Object.values(tree)) {
    if (typeof v === 'string') for (const w of v.replace(/\{\{[^}]*\}\}/g, ' ').toLowerCase().match(/[a-z]{3,}/g) ?? []) into.add(w);
    else words(v, into);
  }
  return into;
}
/** Words of the English interface that the Arabic bundle does not use itself (it writes a few Latin names: CSV, PDF). */
const ENGLISH_WORDS = (() => {
  const arWords = words(ar as Tree);
  return new Set([...words(en as Tree)].filter((w) => !arWords.has(w) && !ALLOWED.has(w)));
})();

/** The page's visible text outside elements marked as another language (run in the page; the tests have no DOM types). */
const VISIBLE_ARABIC_TEXT = `(() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script,style,[hidden],[aria-hidden="true"]')) continue;
    const lang = (el.closest('[lang]') && el.closest('[lang]').getAttribute('lang')) || 'ar';
    if (!lang.startsWith('ar')) continue;
    // codes, symbols, e-mail addresses and numbers are set left-to-right on purpose (the Ltr component)
    if (el.closest('[dir="ltr"]')) continue;
    // values shown as stored (the audit log's recorded values), marked data-content
    if (el.closest('[data-content]')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    out.push(n.textContent || '');
  }
  return out.join(' ');
})()`;

/** English interface words in the page's visible text, outside content marked as another language (lang="en"/"fr"). */
async function englishOnPage(page: Page): Promise<string[]> {
  const text = (await page.evaluate(VISIBLE_ARABIC_TEXT)) as string;
  // each offending word with the text around it, so a failure says where it is
  const found = new Map<string, string>();
  for (const m of text.matchAll(/[A-Za-z]{3,}/g)) {
    const w = m[0].toLowerCase();
    if (ENGLISH_WORDS.has(w) && !found.has(w)) found.set(w, `${w}: …${text.slice(Math.max(0, m.index - 40), m.index + 40).replace(/\s+/g, ' ')}…`);
  }
  return [...found.values()];
}

async function phone(page: Page) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
  expect(overflow, 'no sideways scroll at 390 px').toBeLessThanOrEqual(1);
}

describe.skipIf(!haveChromium)('Arabic everywhere, glossary and cross-lingual search (issue 13)', () => {
  beforeAll(async () => {
    server = await startServer({
      tmpPrefix: 'rasd-e2e-arabic-',
      env: (tmp) => ({ DATA_DIR: tmp }),
      beforeListen: async (database) => {
        await importRecords(database.db, englishOnlyRecords(), { source: 'e2e' });
      },
    });
    base = server.base;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('in Arabic, "العمال المنزليين" finds an English-only recommendation, shows the expansion and turns it off in one click', async () => {
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('search-ar');
    try {
      await signIn(page, 'ar', 'coordinator@rasd.example');
      await page.goto(`${base}/recommendations?q=${encodeURIComponent('العمال المنزليين')}`);
      await page.getByTestId('expansion').waitFor();
      await expect.poll(() => page.getByTestId('expansion').innerText()).toContain('domestic workers');
      // the first frame shows 10 rows; the rest of the page follows in a transition
      await expect.poll(async () => (await page.getByTestId('result-text').allInnerTexts()).some((x) => x.includes('domestic workers and abolish the sponsorship system'))).toBe(true);
      await axe(page, 'search with expansion (ar)', findings);
      await screenshot(page, 'arabic-search-expansion-ar', { scrollToTop: true });
      await phone(page);
      await screenshot(page, 'arabic-search-expansion-ar-390', { scrollToTop: true });
      await page.setViewportSize({ width: 1366, height: 900 });

      await page.getByTestId('expansion-turn-off').click();
      await page.getByTestId('expansion-off').waitFor();
      expect(new URL(page.url()).searchParams.get('expand')).toBe('0');
      await expect.poll(async () => (await page.getByTestId('result-text').allInnerTexts()).some((x) => x.includes('domestic workers and abolish'))).toBe(false);
      await page.getByTestId('expansion-off').getByRole('button', { name: ar.arabic.expansion.turnOn }).click();
      await page.getByTestId('expansion').waitFor();
      expectClean('search (ar)', findings, problems);
    } finally {
      await context.close();
    }
  });

  it.each(['ar', 'en'] as const)('the glossary screen in %s: search, add, delete after confirmation, at desktop and 390 px', async (lang) => {
    const t = lang === 'ar' ? ar : en;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext(`glossary-${lang}`);
    try {
      await signIn(page, lang, 'coordinator@rasd.example');
      await nav(page, t.arabic.glossary.nav);
      await page.getByTestId('glossary-table').waitFor();
      await page.getByTestId('glossary-search').fill('البدون');
      await page.getByRole('button', { name: t.arabic.glossary.find, exact: true }).click();
      await expect.poll(async () => (await page.getByTestId('glossary-row').allInnerTexts()).join('\n')).toContain('Bidoon');
      await axe(page, `glossary (${lang})`, findings);
      await screenshot(page, `arabic-glossary-${lang}`, { scrollToTop: true });
      await phone(page);
      await screenshot(page, `arabic-glossary-${lang}-390`, { scrollToTop: true });
      await page.setViewportSize({ width: 1366, height: 900 });

      const term = lang === 'ar' ? 'مصطلح اختبار عربي' : 'مصطلح اختبار إنجليزي';
      await page.getByTestId('glossary-add').click();
      await page.getByTestId('glossary-ar').fill(term);
      await page.getByTestId('glossary-en').fill(`test term ${lang}`);
      await screenshot(page, `arabic-glossary-add-${lang}`);
      await page.getByTestId('glossary-save').click();
      await page.getByTestId('glossary-search').fill(term);
      await page.getByRole('button', { name: t.arabic.glossary.find, exact: true }).click();
      await expect.poll(() => page.getByTestId('glossary-row').count()).toBe(1);
      await page.getByTestId('glossary-row').getByRole('button', { name: t.arabic.glossary.delete }).click();
      const dialog = page.getByTestId('glossary-delete-confirm');
      await dialog.getByText(term, { exact: false }).waitFor();
      await screenshot(page, `arabic-glossary-delete-${lang}`);
      await page.getByRole('dialog').getByRole('button', { name: t.arabic.glossary.delete, exact: true }).click();
      await expect.poll(() => page.getByTestId('glossary-row').count()).toBe(0);
      const left = await getJson<{ total: number }>(page, `/api/glossary?q=${encodeURIComponent(term)}`);
      expect(left.total).toBe(0);
      expectClean(`glossary (${lang})`, findings, problems);
    } finally {
      await context.close();
    }
  });

  it('no Arabic screen shows an English interface word', async () => {
    const { context, page, problems } = await openContext('english-words');
    try {
      await signIn(page, 'ar', 'admin@rasd.example');
      const rec = await getJson<{ items: { id: string }[] }>(page, `/api/recommendations?q=${encodeURIComponent('Bidoon')}&pageSize=1`);
      const doc = await getJson<{ items: { id: string }[] }>(page, '/api/documents?pageSize=1');
      const routes = [
        '/',
        '/workspace',
        '/dashboard',
        '/recommendations',
        `/recommendations?q=${encodeURIComponent('البدون')}`,
        `/recommendations/${rec.items[0]!.id}`,
        '/clusters',
        '/documents',
        `/documents/${doc.items[0]!.id}`,
        '/entities',
        '/glossary',
        '/plan',
        '/reports',
        '/calendar',
        '/import',
        '/admin/taxonomies',
        '/admin/theme-mappings',
        '/admin/users',
        '/admin/audit',
        '/admin/instance',
      ];
      const report: Record<string, string[]> = {};
      for (const r of routes) {
        await page.goto(base + r);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(300);
        expect(await page.locator('html').getAttribute('lang')).toBe('ar');
        const found = await englishOnPage(page);
        if (found.length) report[r] = found;
      }
      expect(report).toEqual({});

      // the state's own names, set by an admin, replace the demo state's in the header
      await page.goto(base + '/admin/instance');
      await page.getByTestId('instance-state-ar').fill('دولة الكويت');
      await page.getByTestId('instance-state-en').fill('State of Kuwait');
      await page.getByTestId('instance-save').click();
      await page.getByRole('status').getByText(ar.arabic.instance.saved).waitFor();
      await page.getByText('دولة الكويت', { exact: true }).first().waitFor();
      await screenshot(page, 'arabic-instance-ar', { scrollToTop: true });
      await phone(page);
      await screenshot(page, 'arabic-instance-ar-390', { scrollToTop: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
