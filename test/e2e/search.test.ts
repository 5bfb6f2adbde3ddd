/**
 * End-to-end journey through search and clusters (issue 4), on the real server and the built web app:
 * in Arabic a coordinator types a query with a spelling variant and sees highlighted results as they type,
 * combines it with a facet, saves the view and reopens it; in English a phrase and a prefix search, similar
 * recommendations, and a coordinator suggesting clusters, renaming (through a stale-version conflict), accepting
 * and splitting one; in Arabic a viewer reads the clusters read-only. Axe on the search results, the clusters list
 * and the cluster review in both languages; screenshots in test-results/screenshots/search-*.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ar from '../../web/src/i18n/ar.json' with { type: 'json' };
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { type AxeFinding, axe, getJson, haveChromium, nav, openContext, screenshot, type Server, SHOTS, signIn, startServer, startsWith, expectClean } from './support.ts';

/** The staged rename conflict (409) logs its response: expected; anything else is a problem. */
const allowConsole = /status of 409/;

let server: Server | undefined;
let base = '';

interface ListPayload {
  total: number;
  items: { id: string; cluster_id?: string | null }[];
}
interface ClusterPayload {
  id: string;
  title_ar: string | null;
  title_en: string | null;
  status: 'suggested' | 'accepted';
  version: number;
  member_count: number;
  members: { id: string }[];
}

const shot = (page: Page, name: string) => screenshot(page, `search-${name}`, { scrollToTop: true });

const urlParam = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

/** Types into the search box like a person (no Enter) and waits for the URL to carry the words. */
async function typeSearch(page: Page, words: string) {
  const box = page.getByTestId('search-input');
  await box.fill('');
  await box.pressSequentially(words, { delay: 40 });
  await expect.poll(() => urlParam(page, 'q')).toBe(words);
}

/** The list's "from–to of total" line shows this total. */
async function expectTotal(page: Page, total: number) {
  await expect.poll(() => page.getByTestId('result-count').innerText()).toMatch(new RegExp(`(^|\\D)${total}$`));
}

describe.skipIf(!haveChromium)('search and clusters', () => {
  beforeAll(async () => {
    server = await startServer({ tmpPrefix: 'rasd-e2e-search-', env: (tmp) => ({ DATA_DIR: tmp }) });
    base = server.base;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('in Arabic: a spelling variant finds the same hits as you type, highlighted; a facet narrows it; the view is saved and reopened', async () => {
    const t = ar;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('ar', { allowConsole });
    try {
      await signIn(page, 'ar', 'coordinator@rasd.example');
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      // The canonical spelling (with hamza) against what the person types (without it).
      const canonical = await getJson<ListPayload>(page, `/api/recommendations?q=${encodeURIComponent('إنشاء')}&pageSize=1`);
      expect(canonical.total).toBeGreaterThan(0);

      await nav(page, t.nav.recommendations);
      await page.getByTestId('rec-table').waitFor();
      // The sidebar carries the responsible-entity facet the API computes from assignments.
      const all = await getJson<{ facets: { entity?: { label_ar: string | null }[] } }>(page, '/api/recommendations?pageSize=1');
      expect(all.facets.entity?.length).toBeGreaterThan(0);
      await page.getByTestId('facet-entity').getByText(all.facets.entity![0]!.label_ar!, { exact: true }).waitFor();
      await typeSearch(page, 'انشاء');
      const marks = page.getByTestId('rec-table').locator('mark');
      await marks.first().waitFor();
      expect(await marks.first().innerText()).toMatch(/[اأإآ]نشاء/);
      await expectTotal(page, canonical.total);
      // Relevance is the order of a search, and says so.
      expect(await page.getByTestId('sort-select').inputValue()).toBe(t.search.sort.relevance);
      // Typing made one history entry: Back returns to the list before the search.
      await page.goBack();
      await expect.poll(() => urlParam(page, 'q')).toBeNull();
      await page.goForward();
      await expect.poll(() => urlParam(page, 'q')).toBe('انشاء');
      await expectTotal(page, canonical.total);

      // The syntax help.
      await page.getByTestId('search-help').click();
      await page.getByText(t.search.help.title).waitFor();
      await shot(page, 'ar-help');
      await page.keyboard.press('Escape');

      // Combined with a facet: the cycle of the first value.
      const cycleBox = page.getByTestId('facet-cycle').getByRole('checkbox').first();
      await cycleBox.click();
      await expect.poll(() => urlParam(page, 'cycle')).not.toBeNull();
      const cycle = urlParam(page, 'cycle')!;
      const narrowed = await getJson<ListPayload>(page, `/api/recommendations?q=${encodeURIComponent('إنشاء')}&cycle=${cycle}&pageSize=1`);
      expect(narrowed.total).toBeLessThan(canonical.total);
      await expectTotal(page, narrowed.total);
      await marks.first().waitFor();
      await axe(page, 'ar-search-results', findings);
      await shot(page, 'ar-search-results');

      // Save the view, leave, reopen it from the menu.
      await page.getByTestId('save-view').click();
      const dialog = page.getByRole('dialog', { name: t.views.saveTitle });
      await dialog.getByLabel(startsWith(t.views.name)).fill('إنشاء — جولة');
      await dialog.getByRole('button', { name: t.views.saveButton }).click();
      await dialog.waitFor({ state: 'detached' });
      const views = await getJson<{ items: { name: string; query: string }[] }>(page, '/api/views');
      expect(views.items.map((v) => v.name)).toEqual(['إنشاء — جولة']);
      expect(new URLSearchParams(views.items[0]!.query).get('q')).toBe('انشاء');

      await nav(page, t.nav.home);
      await page.getByRole('heading', { name: t.home.title, level: 1 }).waitFor();
      await nav(page, t.nav.recommendations);
      await page.getByTestId('rec-table').waitFor();
      expect(urlParam(page, 'q')).toBeNull();
      await page.getByTestId('views-menu').click();
      await page.getByTestId('views-list').getByRole('link', { name: 'إنشاء — جولة' }).click();
      await expect.poll(() => urlParam(page, 'cycle')).toBe(cycle);
      expect(urlParam(page, 'q')).toBe('انشاء');
      await expect.poll(() => page.getByTestId('search-input').inputValue()).toBe('انشاء');
      await expectTotal(page, narrowed.total);
      await marks.first().waitFor();

      // Delete it, after a confirmation.
      await page.getByTestId('views-menu').click();
      await page.getByRole('button', { name: t.views.delete.replace('{{name}}', 'إنشاء — جولة') }).click();
      const confirm = page.getByTestId('delete-view-dialog');
      await confirm.getByRole('button', { name: t.views.deleteConfirm }).click();
      await expect.poll(async () => (await getJson<{ items: unknown[] }>(page, '/api/views')).items.length).toBe(0);

      // A search with no hits says so and offers a way out.
      await typeSearch(page, 'كلمةغيرموجودةإطلاقا');
      await page.getByTestId('empty-state').waitFor();
      expect(await page.getByTestId('empty-state').innerText()).toContain(t.search.clearWords);
      await shot(page, 'ar-search-empty');
    } catch (err) {
      await shot(page, 'ar-failure');
      throw err;
    } finally {
      await context.close();
    }
    expectClean('ar', findings, problems);
  });

  it('in English: phrase and prefix searches, similar recommendations; a coordinator suggests, renames, accepts and splits a cluster', async () => {
    const t = en;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('en', { allowConsole });
    try {
      await signIn(page, 'en', 'coordinator@rasd.example');
      await nav(page, t.nav.recommendations);
      await page.getByTestId('rec-table').waitFor();

      // A phrase in quotes.
      const phrase = '"optional protocol"';
      const phraseApi = await getJson<ListPayload>(page, `/api/recommendations?q=${encodeURIComponent(phrase)}&pageSize=1`);
      expect(phraseApi.total).toBeGreaterThan(0);
      await typeSearch(page, phrase);
      const marks = page.getByTestId('rec-table').locator('mark');
      await marks.first().waitFor();
      await expectTotal(page, phraseApi.total);
      const marked = (await marks.allInnerTexts()).map((s) => s.toLowerCase());
      expect(marked.some((s) => s.includes('optional'))).toBe(true);
      expect(marked.every((s) => /optional|protocol/.test(s))).toBe(true);

      // A prefix.
      const prefixApi = await getJson<ListPayload>(page, `/api/recommendations?q=${encodeURIComponent('ratif*')}&pageSize=1`);
      await typeSearch(page, 'ratif*');
      await expectTotal(page, prefixApi.total);
      await expect.poll(async () => (await marks.allInnerTexts()).map((s) => s.toLowerCase())).toSatisfy((xs: string[]) => xs.length > 0 && xs.every((s) => s.startsWith('ratif')));
      expect(await page.getByTestId('sort-select').inputValue()).toBe(t.search.sort.relevance);
      await axe(page, 'en-search-results', findings);
      await shot(page, 'en-search-results');

      // Open the first result: its similar recommendations.
      await page.getByTestId('rec-table').locator('tbody tr').first().getByRole('link').first().click();
      const similar = page.getByTestId('similar-panel');
      await similar.getByTestId('similar-item').first().waitFor();
      const recId = new URL(page.url()).pathname.split('/').pop()!;
      const similarApi = await getJson<{ items: { id: string }[] }>(page, `/api/recommendations/${recId}/similar?limit=8`);
      expect(await similar.getByTestId('similar-item').count()).toBe(similarApi.items.length);
      await similar.getByTestId('similar-item').first().getByRole('link').click();
      await expect.poll(() => new URL(page.url()).pathname).toBe(`/recommendations/${similarApi.items[0]!.id}`);
      await axe(page, 'en-recommendation-similar', findings);
      await similar.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, 'search-en-similar.png') });

      // Clusters: first for a state the register does not hold (nothing considered, nothing replaced), then for the
      // whole register, each job followed to its end.
      await nav(page, t.nav.clusters);
      await page.getByRole('heading', { name: t.clusters.title, level: 1 }).waitFor();
      const suggestedBefore = (await getJson<{ total: number }>(page, '/api/clusters?status=suggested')).total;
      await page.getByTestId('suggest-country').fill('Atlantis');
      await page.getByTestId('suggest-clusters').click();
      const none = t.clusters.suggest.result.replace('{{clusters}}', '0').replace('{{clustered}}', '0').replace('{{considered}}', '0');
      await page.getByTestId('suggest-done').getByText(none).waitFor();
      expect((await getJson<{ total: number }>(page, '/api/clusters?status=suggested')).total).toBe(suggestedBefore);
      await page.getByTestId('suggest-country').fill('');
      await page.getByTestId('suggest-clusters').click();
      await expect.poll(async () => (await getJson<{ total: number }>(page, '/api/clusters?status=suggested')).total, { timeout: 60_000 }).toBeGreaterThan(0);
      await page.getByTestId('suggest-done').waitFor();
      await expect.poll(async () => (await page.getByTestId('suggest-done').textContent()) ?? '').not.toContain(none);
      const suggested = await getJson<{ total: number; items: { id: string; member_count: number }[] }>(page, '/api/clusters?status=suggested');
      expect(suggested.total).toBeGreaterThan(0);
      await page.getByTestId('clusters-table').waitFor();
      // the list shows every cluster: the suggested ones and the few the demo's action plan already accepted
      const all = await getJson<{ total: number }>(page, '/api/clusters');
      await expect.poll(() => page.getByTestId('cluster-row').count()).toBe(Math.min(25, all.total));
      await axe(page, 'en-clusters', findings);
      await shot(page, 'en-clusters');

      // Open a suggested cluster.
      await page.getByTestId('cluster-filter').getByText(t.clusters.filter.suggested).click();
      await expect.poll(() => urlParam(page, 'status')).toBe('suggested');
      await page.getByTestId('cluster-row').first().getByRole('link').click();
      await page.getByTestId('members-table').waitFor();
      const clusterId = new URL(page.url()).pathname.split('/').pop()!;
      const before = await getJson<ClusterPayload>(page, `/api/clusters/${clusterId}`);
      expect(before.status).toBe('suggested');
      expect(await page.getByTestId('member-row').count()).toBe(before.member_count);

      // Someone else renames it meanwhile: our rename meets a conflict, reloads, and then succeeds.
      const session = await getJson<{ csrfToken: string }>(page, '/api/auth/session');
      const other = await page.request.patch(`${base}/api/clusters/${clusterId}`, { data: { version: before.version, title_ar: 'عنوان من مستخدم آخر' }, headers: { 'x-csrf-token': session.csrfToken } });
      expect(other.status()).toBe(200);
      await page.getByTestId('rename-cluster').click();
      let rename = page.getByTestId('rename-dialog');
      await rename.getByTestId('title-en').fill('Renamed in E2E');
      await rename.getByRole('button', { name: t.clusters.rename.save }).click();
      await page.getByTestId('cluster-conflict').waitFor();
      await shot(page, 'en-cluster-conflict');
      await page.getByTestId('cluster-conflict').getByRole('button', { name: t.clusters.reload }).click();
      await rename.waitFor({ state: 'detached' });
      await page.getByTestId('rename-cluster').click();
      rename = page.getByTestId('rename-dialog');
      expect(await rename.getByTestId('title-ar').inputValue()).toBe('عنوان من مستخدم آخر');
      await rename.getByTestId('title-en').fill('Renamed in E2E');
      await rename.getByRole('button', { name: t.clusters.rename.save }).click();
      await rename.waitFor({ state: 'detached' });
      await expect.poll(() => page.getByTestId('cluster-title').innerText()).toBe('Renamed in E2E');

      // Accept it.
      await page.getByTestId('accept-cluster').click();
      await page.getByTestId('cluster-notice').getByText(t.clusters.accepted).waitFor();
      await expect.poll(() => page.getByTestId('cluster-status').first().innerText()).toBe(t.clusters.status.accepted);

      // Split one member out.
      const moved = (await getJson<ClusterPayload>(page, `/api/clusters/${clusterId}`)).members[0]!.id;
      await page.getByTestId('member-row').first().getByTestId('select-member').check();
      await page.getByTestId('split-cluster').click();
      await page.getByTestId('split-dialog').getByRole('button', { name: t.clusters.split.confirm }).click();
      await page.getByTestId('cluster-notice').getByText(t.clusters.split.done).waitFor();
      await expect.poll(() => page.getByTestId('member-row').count()).toBe(before.member_count - 1);
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await axe(page, 'en-cluster-review', findings);
      await shot(page, 'en-cluster-review');

      // The API reflects it all.
      const after = await getJson<ClusterPayload>(page, `/api/clusters/${clusterId}`);
      expect(after.status).toBe('accepted');
      expect(after.title_en).toBe('Renamed in E2E');
      expect(after.title_ar).toBe('عنوان من مستخدم آخر');
      expect(after.member_count).toBe(before.member_count - 1);
      expect(after.members.map((m) => m.id)).not.toContain(moved);
      const movedRec = await getJson<{ cluster_id: string | null }>(page, `/api/recommendations/${moved}`);
      expect(movedRec.cluster_id).toBeTruthy();
      expect(movedRec.cluster_id).not.toBe(clusterId);
      const split = await getJson<ClusterPayload>(page, `/api/clusters/${movedRec.cluster_id}`);
      expect(split.status).toBe('accepted');
      expect(split.members.map((m) => m.id)).toEqual([moved]);

      // A member's page links to its cluster.
      await page.getByTestId('member-row').first().getByRole('link').click();
      await page.getByTestId('rec-cluster').getByRole('link', { name: 'Renamed in E2E' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe(`/clusters/${clusterId}`);

      // Dissolve the split-off cluster, after a confirmation: its member becomes unclustered.
      await page.goto(`${base}/clusters/${split.id}`);
      await page.getByTestId('dissolve-cluster').click();
      await page.getByTestId('dissolve-dialog').getByRole('button', { name: t.clusters.dissolve.confirm }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/clusters');
      expect((await page.request.get(`${base}/api/clusters/${split.id}`)).status()).toBe(404);
      expect((await getJson<{ cluster_id: string | null }>(page, `/api/recommendations/${moved}`)).cluster_id).toBeNull();
    } catch (err) {
      await shot(page, 'en-failure');
      throw err;
    } finally {
      await context.close();
    }
    expectClean('en', findings, problems);
  });

  it('in Arabic: a viewer reads the clusters and a cluster review right-to-left, without actions', async () => {
    const t = ar;
    const findings: AxeFinding[] = [];
    const { context, page, problems } = await openContext('ar-viewer', { allowConsole });
    try {
      await signIn(page, 'ar', 'viewer@rasd.example');
      // Clusters come right after Recommendations in the sidebar (SPEC §4a).
      const sidebarLinks = (await page.getByTestId('sidebar').getByRole('link').allInnerTexts()).map((s) => s.trim());
      const i = sidebarLinks.findIndex((s) => s.endsWith(t.nav.recommendations));
      expect(i).toBeGreaterThanOrEqual(0);
      expect(sidebarLinks[i + 1]).toMatch(new RegExp(`${t.nav.clusters}$`));
      await nav(page, t.nav.clusters);
      await page.getByTestId('clusters-table').waitFor();
      expect(await page.getByTestId('suggest-clusters').count()).toBe(0);
      await page.getByTestId('cluster-row').first().waitFor();
      await axe(page, 'ar-clusters', findings);
      await shot(page, 'ar-clusters');

      await page.getByTestId('cluster-row').first().getByRole('link').click();
      await page.getByTestId('members-table').waitFor();
      expect(await page.getByTestId('cluster-actions').count()).toBe(0);
      expect(await page.getByTestId('select-member').count()).toBe(0);
      await page.getByText(t.clusters.readOnly).waitFor();
      await axe(page, 'ar-cluster-review', findings);
      await shot(page, 'ar-cluster-review');

      // The recommendation page in Arabic: its cluster and similar recommendations.
      await page.getByTestId('member-row').first().getByRole('link').click();
      await page.getByTestId('similar-panel').getByTestId('similar-item').first().waitFor();
      await page.getByTestId('rec-cluster').waitFor();
      await axe(page, 'ar-recommendation-similar', findings);
      await page.getByTestId('similar-panel').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, 'search-ar-similar.png') });
    } catch (err) {
      await shot(page, 'ar-viewer-failure');
      throw err;
    } finally {
      await context.close();
    }
    expectClean('ar viewer', findings, problems);
  });
});
