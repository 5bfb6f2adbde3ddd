/**
 * End-to-end journey of the public portal (issue 16), in Arabic, through the real server and the built web app: a
 * coordinator publishes a recommendation and marks its approved update public; anonymous visitors find it on the
 * portal (page, update, sitemap, open data); the coordinator unpublishes it and its page is a 404, gone from the
 * sitemap and open data. The portal's pages, without JavaScript, pass axe (serious and critical findings) in
 * Arabic and English at desktop and phone widths, with screenshots.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../src/shared/ids.ts';
import ar from '../../web/src/i18n/ar.json' with { type: 'json' };
import { type AxeFinding, axe, expectClean, getJson, haveChromium, openContext, screenshot, type Server, signIn, startServer } from './support.ts';

let server: Server | undefined;
let base = '';
let recId = '';
let planId = '';
let pillarId = '';
let updateId = '';
const UPDATE_TEXT = 'أُنشئ مكتب وطني للمساعدة القانونية المجانية في كل محافظة.';

describe.skipIf(!haveChromium)('public portal journey (Arabic)', () => {
  beforeAll(async () => {
    server = await startServer({
      tmpPrefix: 'rasd-e2e-portal-',
      // One unpublished recommendation with an approved (not yet public) update of the Ministry of Justice.
      beforeListen: async ({ db }) => {
        const entity = await db.selectFrom('entities').select('id').where('name_en', 'like', '%Justice%').executeTakeFirstOrThrow();
        // ids are made afresh by each seeding: take one the demo has not already assigned to this ministry
        const rec = await db
          .selectFrom('recommendations as r')
          .select(['r.id'])
          .where('r.text_ar', 'is not', null)
          .where('r.text_en', 'is not', null)
          .where(({ not, exists, selectFrom }) => not(exists(selectFrom('assignments as a').select('a.id').whereRef('a.recommendation_id', '=', 'r.id').where('a.entity_id', '=', entity.id))))
          .orderBy('r.id')
          .executeTakeFirstOrThrow();
        recId = rec.id;
        await db.updateTable('recommendations').set({ is_public: 0 }).where('id', '=', recId).execute();
        const now = nowIso();
        const assignmentId = newId();
        await db.insertInto('assignments').values({ id: assignmentId, recommendation_id: recId, cluster_id: null, entity_id: entity.id, role: 'lead', due_date: null, due_set_at: now, created_by: null, created_at: now, updated_at: now }).execute();
        updateId = newId();
        await db
          .insertInto('progress_updates')
          .values({ id: updateId, assignment_id: assignmentId, entity_id: entity.id, author_id: null, period_start: '2026-01-01', period_end: '2026-06-30', text_ar: UPDATE_TEXT, text_en: null, proposed_status: null, status: 'approved', review_comment: null, reviewed_by: null, reviewed_at: now, submitted_by: null, submitted_at: now, version: 3, created_at: now, updated_at: now, is_public: 0 })
          .execute();
      },
    });
    base = server.base;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('publish a recommendation and its update → on the portal; unpublish → 404 and gone from sitemap and open data', async () => {
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('portal-coordinator', { timeout: 30_000 });
    const { context: visitorContext, page: visitor, problems: visitorProblems } = await openContext('portal-visitor', { timeout: 30_000, allowConsole: /status of 404/ });
    try {
      // Not yet published: a 404 page in Arabic.
      const before = await visitor.goto(`${base}/public/ar/recommendations/${recId}`);
      expect(before?.status()).toBe(404);
      await visitor.getByRole('heading', { name: 'الصفحة غير موجودة' }).waitFor();

      await signIn(page, 'ar', 'coordinator@rasd.example');
      // The sidebar links to the portal.
      expect(await page.getByTestId('sidebar').getByTestId('portal-link').getAttribute('href')).toBe('/public/ar/');

      // Mark the approved update public (with confirmation).
      await page.goto(`${base}/updates/${updateId}`);
      const card = page.getByTestId('update-public');
      await card.waitFor();
      await card.getByRole('switch', { name: ar.portal.updatePublic }).click();
      const dialog = page.getByTestId('update-public-confirm');
      await dialog.getByText(ar.portal.confirmText).waitFor();
      await dialog.getByRole('button', { name: ar.portal.confirmPublish }).click();
      await expect.poll(async () => (await getJson<{ is_public: number }>(page, `/api/updates/${updateId}`)).is_public).toBe(1);

      // Publish the recommendation from its edit panel.
      await setPublished(page, true);
      const link = page.getByTestId('portal-rec-link');
      await link.waitFor();
      expect(await link.getAttribute('href')).toBe(`/public/ar/recommendations/${recId}`);

      // The visitor sees it, with the update, and it is in the sitemap and open data.
      const shown = await visitor.goto(`${base}/public/ar/recommendations/${recId}`);
      expect(shown?.status()).toBe(200);
      expect(await visitor.locator('html').getAttribute('dir')).toBe('rtl');
      await visitor.getByText(UPDATE_TEXT).waitFor();
      await axe(visitor, 'portal-ar-recommendation-published', findings);
      await screenshot(visitor, 'portal-ar-recommendation-published');
      expect(await (await visitor.request.get(`${base}/public/sitemap.xml`)).text()).toContain(recId);
      expect(await (await visitor.request.get(`${base}/public/ar/data/recommendations.csv`)).text()).toContain(recId);

      // Unpublish: the page is a 404, gone from the sitemap and the open data.
      await setPublished(page, false);
      const gone = await visitor.goto(`${base}/public/ar/recommendations/${recId}`);
      expect(gone?.status()).toBe(404);
      await visitor.getByRole('heading', { name: 'الصفحة غير موجودة' }).waitFor();
      await axe(visitor, 'portal-ar-404', findings);
      expect(await (await visitor.request.get(`${base}/public/sitemap.xml`)).text()).not.toContain(recId);
      expect(await (await visitor.request.get(`${base}/public/ar/data/recommendations.csv`)).text()).not.toContain(recId);
      expect(await (await visitor.request.get(`${base}/public/en/data/recommendations.json`)).text()).not.toContain(recId);
      expect((await visitor.request.get(`${base}/api/public/recommendations/${recId}`)).status()).toBe(404);

      // The adopted action plan: not on the portal until the coordinator publishes it (with confirmation).
      const plans = await getJson<{ items: { id: string; status: string }[] }>(page, '/api/plans');
      planId = plans.items.find((p) => p.status === 'adopted')!.id;
      expect((await visitor.goto(`${base}/public/ar/plans/${planId}`))?.status()).toBe(404);
      await page.goto(`${base}/plan/${planId}`);
      await page.getByTestId('plan-publish').click();
      const confirm = page.getByTestId('plan-publication-confirm');
      await confirm.getByRole('button', { name: ar.planPortal.confirmPublish }).click();
      await page.getByTestId('plan-on-portal').waitFor();
      await screenshot(page, 'portal-ar-plan-published-badge');
      expect((await visitor.goto(`${base}/public/ar/plans`))?.status()).toBe(200);
      await visitor.locator(`main a[href="/public/ar/plans/${planId}"]`).first().click();
      await visitor.waitForURL(`**/public/ar/plans/${planId}`);
      const pillarLink = visitor.locator(`main a[href^="/public/ar/plans/${planId}/pillars/"]`).first();
      pillarId = (await pillarLink.getAttribute('href'))!.split('/pillars/')[1]!;
      await pillarLink.click();
      await visitor.waitForURL(`**/pillars/${pillarId}`);
      // the pillar's actions with their status and lead entity
      expect(await visitor.locator('li.action').count()).toBeGreaterThan(0);
      expect(await visitor.locator('li.action .badge').count()).toBeGreaterThan(0);
      await axe(visitor, 'portal-ar-pillar', findings);
    } finally {
      await context.close();
      await visitorContext.close();
    }
    expectClean('portal journey', findings, [...problems, ...visitorProblems]);
  }, 240_000);

  it('portal pages pass axe in Arabic and English, at desktop and phone widths, without JavaScript', async () => {
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('portal-axe', { timeout: 30_000 });
    try {
      const anyPublished = await getJson<{ items: { id: string }[] }>(page, '/api/public/recommendations?pageSize=1');
      const id = anyPublished.items[0]!.id;
      // the plan published in the journey above, and its first pillar
      const pages = [
        ['home', '/'],
        ['list', '/recommendations'],
        ['filtered', '/recommendations?status=in_progress'],
        ['recommendation', `/recommendations/${id}`],
        ['mechanism', '/mechanisms/UPR'],
        ['body', '/bodies/UPR'],
        ['data', '/data'],
        ['plans', '/plans'],
        ['plan', `/plans/${planId}`],
        ['pillar', `/plans/${planId}/pillars/${pillarId}`],
      ];
      for (const [width, height, tag] of [
        [1366, 900, 'desktop'],
        [390, 844, 'phone'],
      ] as const) {
        await page.setViewportSize({ width, height });
        for (const lang of ['ar', 'en'] as const) {
          for (const [name, p] of pages) {
            const res = await page.goto(`${base}/public/${lang}${p}`);
            expect(res?.status(), `${lang}${p}`).toBe(200);
            expect(await page.locator('html').getAttribute('lang')).toBe(lang);
            expect(await page.locator('script').count()).toBe(0);
            // usable at 390 px: nothing wider than the window
            expect(await page.evaluate<number>('document.documentElement.scrollWidth'), `${lang}${p} ${tag} width`).toBeLessThanOrEqual(width);
            await axe(page, `portal-${lang}-${name}-${tag}`, findings);
            await screenshot(page, `portal-${lang}-${name}-${tag}`);
          }
        }
      }
    } finally {
      await context.close();
    }
    expectClean('portal pages', findings, problems);
  }, 600_000);
});

async function setPublished(page: Page, value: boolean) {
  await page.goto(`${base}/recommendations/${recId}`);
  const edit = page.getByTestId('edit-panel');
  await edit.waitFor();
  const toggle = edit.getByRole('switch', { name: ar.curation.public });
  if ((await toggle.isChecked()) !== value) await toggle.click();
  await edit.getByRole('button', { name: ar.edit.save }).click();
  await edit.getByText(ar.edit.saved).waitFor();
  await expect.poll(async () => (await getJson<{ is_public: boolean }>(page, `/api/recommendations/${recId}`)).is_public).toBe(value);
}
