/**
 * The national action plan in the browser (issue 11), on the real server and the built web app with the demo:
 * the demo's adopted plan in Arabic and English at 1280 and 390 px (structure, timeline, coverage, dashboard),
 * with axe on each; then an Arabic journey: a coordinator creates a plan, adds a pillar and an objective, turns
 * a cluster into an action, adds an indicator reported by the Ministry of Justice and links an SDG target; the
 * Ministry's focal point reports on the action through a progress update (status, an indicator value, an
 * evidence file) and submits it; the coordinator approves it from the review queue and the plan's progress
 * moves. Screenshots in test-results/screenshots/plan-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ar from '../../web/src/i18n/ar.json' with { type: 'json' };
import { tinyPdf } from '../helpers/followup.ts';
import { type AxeFinding, axe, expectClean, getJson, haveChromium, type Lang, openContext, screenshot, SHOTS, type Server, startServer, submitSignIn, T } from './support.ts';

const COORDINATOR = 'coordinator@rasd.example';
const FOCAL = 'focal.justice@rasd.example';

let server: Server | undefined;
let base = '';
const contexts: BrowserContext[] = [];
const findings: AxeFinding[] = [];
const problems: string[] = [];

async function openAs(email: string, lang: Lang, label: string): Promise<Page> {
  const { context, page } = await openContext(label, { allowConsole: /status of (400|401|409)/, timeout: 30_000, problems, prefix: `${label}: ` });
  contexts.push(context);
  await page.goto(base + '/');
  await page.getByRole('heading', { name: ar.login.title }).waitFor();
  if (lang === 'en') {
    await page.getByRole('radiogroup').first().getByText(T.en.language.en, { exact: true }).click();
    await page.getByRole('heading', { name: T.en.login.title }).waitFor();
  }
  await submitSignIn(page, lang, email);
  await page.getByTestId('sidebar').waitFor();
  // the user's own language (saved by an earlier test) may apply after sign-in: switch back when it is not the wanted one
  await page.waitForTimeout(300);
  if ((await page.locator('html').getAttribute('lang')) !== lang) {
    const other = lang === 'ar' ? T.en : T.ar;
    await page.getByRole('radiogroup', { name: other.language.switch }).getByText(T[lang].language[lang], { exact: true }).click();
  }
  await page.getByRole('heading', { name: T[lang].home.title, level: 1 }).waitFor();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
  return page;
}

/** Chooses a workbook with the plan page's (or list's) "Import a workbook" button and waits for the dry run's preview. */
async function importThroughPage(page: Page, file: Buffer) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('plan-import').click()]);
  await chooser.setFiles({ name: 'plan.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
  await page.getByTestId('plan-import-preview').waitFor();
}

interface CoverageShape {
  recommendations: { total: number };
  unanswered: { total: number; facets: { position?: { value: string }[] }; items: { id: string }[] };
}

interface PlanList {
  items: { id: string; status: string; progress: number | null; title_ar: string }[];
}

describe.skipIf(!haveChromium)('national action plan in the browser (issue 11)', () => {
  beforeAll(async () => {
    server = await startServer({ tmpPrefix: 'rasd-e2e-plan-' });
    ({ base } = server);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await server?.close();
  });

  it.each(['ar', 'en'] as const)('shows the demo plan in %s at 1280 and 390 px', async (lang) => {
    const t = T[lang];
    const page = await openAs(COORDINATOR, lang, `view-${lang}`);
    const plans = await getJson<PlanList>(page, '/api/plans');
    const demo = plans.items[0]!;
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/plan`);
      await page.getByTestId('plans-table').waitFor();
      await expect.poll(() => page.getByTestId('plan-row').count()).toBe(1);
      if (width === 1280) await axe(page, `${lang}-plans`, findings);
      await screenshot(page, `plan-${lang}-${width}-list`);
      await page.getByTestId('plan-row').getByRole('link').click();
      await page.getByTestId('plan-frozen').waitFor();
      await expect.poll(() => page.getByTestId('plan-action').count()).toBe(20);
      if (width === 1280) await axe(page, `${lang}-plan`, findings);
      await screenshot(page, `plan-${lang}-${width}-structure`);
      await page.screenshot({ path: `${SHOTS}/plan-${lang}-${width}-structure-top.png` });
      await page.getByTestId('tab-timeline').click();
      await expect.poll(() => page.getByTestId('gantt-row').count()).toBe(20);
      if (width === 1280) await axe(page, `${lang}-timeline`, findings);
      await screenshot(page, `plan-${lang}-${width}-timeline`);
      await page.getByTestId('tab-coverage').click();
      await page.getByTestId('coverage-table').waitFor();
      if (width === 1280) await axe(page, `${lang}-coverage`, findings);
      await screenshot(page, `plan-${lang}-${width}-coverage`);
      if (width === 1280) {
        // the register's search and facets narrow the coverage: the rows shown are the API's for the same query
        const shown = () => page.getByTestId('coverage-row').getByRole('link').evaluateAll((links) => links.map((a) => (a.getAttribute('href') ?? '').split('/').pop()));
        const word = lang === 'ar' ? 'التعذيب' : 'torture';
        const all = await getJson<CoverageShape>(page, `/api/plans/${demo.id}/coverage?pageSize=25`);
        const found = await getJson<CoverageShape>(page, `/api/plans/${demo.id}/coverage?pageSize=25&q=${encodeURIComponent(word)}`);
        expect(found.unanswered.total).toBeGreaterThan(0);
        expect(found.recommendations.total).toBeLessThan(all.recommendations.total);
        await page.getByTestId('plan-coverage').getByTestId('search-input').fill(word);
        await expect.poll(shown).toEqual(found.unanswered.items.map((r) => r.id));
        const position = found.unanswered.facets.position![0]!.value;
        const narrowed = await getJson<CoverageShape>(page, `/api/plans/${demo.id}/coverage?pageSize=25&q=${encodeURIComponent(word)}&position=${position}`);
        await page.getByTestId('coverage-filter-position').click();
        await page.getByRole('option').first().click();
        await expect.poll(shown).toEqual(narrowed.unanswered.items.map((r) => r.id));
        await screenshot(page, `plan-${lang}-${width}-coverage-search`);
        await page.getByTestId('plan-coverage').getByTestId('search-input').fill('');
        await page.getByTestId('coverage-filter-position').click();
        await page.getByRole('option').first().click(); // the chosen option again: cleared
      }
      await page.getByTestId('tab-dashboard').click();
      await page.getByTestId('plan-dashboard').waitFor();
      if (width === 1280) await axe(page, `${lang}-dashboard`, findings);
      // its tables fit their cards at 390 px too (no sideways scrolling), and an indicator off track names its action
      const overflow = await page.getByTestId('plan-dashboard').locator('.table-scroll').evaluateAll((els) => els.map((e) => e.scrollWidth - e.clientWidth));
      expect(overflow.length).toBe(2);
      expect(overflow.filter((d) => d > 1)).toEqual([]);
      const owners = await page.getByTestId('off-track-owner').allTextContents();
      expect(owners.length).toBeGreaterThan(0);
      expect(owners.filter((c) => !/^A\d+$/.test(c.trim()))).toEqual([]);
      await screenshot(page, `plan-${lang}-${width}-dashboard`);
      // the demo's update on an action awaiting review: in the review queue, named by its action, and its page
      await page.goto(`${base}/workspace`);
      await page.getByTestId('ws-action-ref').first().waitFor();
      await screenshot(page, `plan-${lang}-${width}-review-queue`);
      await page.getByTestId('ws-review').filter({ has: page.getByTestId('ws-action-ref') }).first().getByRole('link', { name: t.workspace.review }).click();
      await page.getByTestId('view-value-row').waitFor();
      await page.getByTestId('update-action').waitFor();
      if (width === 1280) await axe(page, `${lang}-action-update`, findings);
      await screenshot(page, `plan-${lang}-${width}-action-update`);
      // its approval dialog (not confirmed here)
      await page.getByTestId('review-approve').click();
      await page.getByTestId('approve-effect').waitFor();
      if (width === 1280) await axe(page, `${lang}-action-update-approve`, findings);
      await screenshot(page, `plan-${lang}-${width}-action-update-approve`);
      await page.getByTestId('approve-confirm').getByRole('button', { name: t.common.cancel }).click();
      await page.getByTestId('approve-effect').waitFor({ state: 'detached' });
    }
    // in Arabic the timeline runs right to left: a later action's bar starts further left
    if (lang === 'ar') {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${base}/plan/${demo.id}`);
      await page.getByTestId('tab-timeline').click();
      const bars = page.locator('.gantt-bar');
      const boxes = await Promise.all([0, 1, 2, 3].map(async (i) => (await bars.nth(i).boundingBox())!));
      const plan = await getJson<{ pillars: { objectives: { actions: { start_date: string }[] }[] }[] }>(page, `/api/plans/${demo.id}`);
      const starts = plan.pillars[0]!.objectives.flatMap((o) => o.actions).slice(0, 4).map((a) => a.start_date);
      const earlier = starts.indexOf([...starts].sort()[0]!);
      const later = starts.indexOf([...starts].sort().at(-1)!);
      expect(starts[earlier]! < starts[later]!).toBe(true);
      expect(boxes[earlier]!.x + boxes[earlier]!.width).toBeGreaterThan(boxes[later]!.x + boxes[later]!.width);
      // the timeline's status filter
      const delayed = plan.pillars.flatMap((p) => p.objectives.flatMap((o) => o.actions)).filter((a) => (a as unknown as { status: string }).status === 'delayed').length;
      await page.getByTestId('timeline-status').click();
      await page.getByRole('option', { name: t.plan.actionStatus.delayed, exact: true }).click();
      await expect.poll(() => page.getByTestId('gantt-row').count()).toBe(delayed);
    }
    expect(t.plan.title).toBeTruthy();
  }, 240_000); // two widths of every plan screen with axe: over the project's two minutes on a loaded machine

  it('in Arabic: a coordinator builds a plan from a cluster; the focal point reports on an action through an update with evidence; approval moves the progress', async () => {
    const t = T.ar;
    const coord = await openAs(COORDINATOR, 'ar', 'journey-coordinator');
    await coord.goto(`${base}/plan`);
    // an empty template is refused with its problem named in Arabic
    const template = await coord.request.get(`${base}/api/plans/template`);
    await coord.locator('input[type=file]').setInputFiles({ name: 'template.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await template.body() });
    await coord.getByTestId('plan-import-problems').getByText(t.plan.import.problems.one_plan_row, { exact: false }).waitFor();
    await axe(coord, 'ar-plan-import-problems', findings);
    await screenshot(coord, 'plan-journey-ar-import-problems');
    await coord.getByTestId('plan-import-close').click();
    await coord.getByTestId('plan-import-problems').waitFor({ state: 'detached' });
    await coord.getByTestId('plan-new').click();
    await coord.getByTestId('plan-title_ar').fill('خطة تجريبية للمسار');
    await coord.getByTestId('plan-title_en').fill('Journey plan');
    await coord.getByTestId('plan-period_start').fill('2026-01-01');
    await coord.getByTestId('plan-period_end').fill('2028-12-31');
    await coord.getByTestId('plan-create-submit').click();
    await coord.getByRole('heading', { name: 'خطة تجريبية للمسار', level: 1 }).waitFor();
    const planId = new URL(coord.url()).pathname.split('/').pop()!;

    await coord.getByTestId('add-pillar').click();
    await coord.getByTestId('section-code').fill('P1');
    await coord.getByTestId('section-title-ar').fill('محور الحماية');
    await coord.getByTestId('section-title-en').fill('Protection pillar');
    await coord.getByTestId('section-modal-submit').click();
    await coord.getByTestId('plan-pillar').waitFor();
    await coord.getByTestId('pillar-menu').click();
    await coord.getByTestId('add-objective').click();
    await coord.getByTestId('section-code').fill('O1');
    await coord.getByTestId('section-title-ar').fill('هدف منع التعذيب');
    await coord.getByTestId('section-title-en').fill('Prevent torture');
    await coord.getByTestId('section-modal-submit').click();
    await coord.getByTestId('plan-objective').waitFor();

    // an action from a cluster: its recommendations are linked and its lead entity comes from the cluster's assignment
    await coord.getByTestId('action-from-cluster').click();
    await coord.getByTestId('from-cluster-cluster').click();
    await coord.getByRole('option').first().click();
    await axe(coord, 'ar-plan-from-cluster', findings);
    await coord.getByTestId('from-cluster-submit').click();
    await coord.getByTestId('plan-action').waitFor();
    type Tree = { progress: number | null; pillars: { objectives: { actions: { id: string; lead_entity_id: string | null; recommendations: unknown[]; sdg_targets: { code: string }[]; progress: number | null; indicators: { id: string }[] }[] }[] }[] };
    let tree = await getJson<Tree>(coord, `/api/plans/${planId}`);
    let action = tree.pillars[0]!.objectives[0]!.actions[0]!;
    expect(action.recommendations.length).toBeGreaterThan(0);
    expect(action.lead_entity_id).not.toBeNull();
    expect(tree.progress).toBe(0);

    // an indicator reported by the Ministry of Justice
    await coord.getByTestId('action-add-indicator').click();
    await coord.getByTestId('indicator-name-ar').fill('عدد الزيارات إلى أماكن الاحتجاز');
    await coord.getByTestId('indicator-name-en').fill('Visits to places of detention');
    await coord.getByTestId('indicator-unit').fill('cases');
    await coord.getByTestId('indicator-baseline').fill('0');
    await coord.getByTestId('indicator-target').fill('100');
    await coord.getByTestId('indicator-entity').click();
    await coord.getByRole('option', { name: 'وزارة العدل', exact: true }).click();
    await axe(coord, 'ar-plan-indicator-modal', findings);
    await coord.getByTestId('indicator-modal-submit').click();
    await coord.getByTestId('indicator-line').waitFor();

    // link one more SDG target through the action form
    const sdgs = await getJson<{ items: { id: string; code: string }[] }>(coord, '/api/taxonomies/sdg_target');
    const extra = sdgs.items.find((s) => !action.sdg_targets.some((x) => x.code === s.code))!;
    await coord.getByTestId('action-edit').click();
    // the Ministry of Justice leads the action (its people report on it)
    if ((action as unknown as { lead_name_ar: string | null }).lead_name_ar !== 'وزارة العدل') {
      await coord.getByTestId('action-lead').click();
      await coord.getByRole('option', { name: 'وزارة العدل', exact: true }).click();
    }
    await coord.getByTestId('action-sdgs').click();
    await coord.getByRole('option', { name: extra.code, exact: true }).click();
    await coord.keyboard.press('Escape');
    await screenshot(coord, 'plan-journey-ar-action-modal');
    await coord.getByTestId('action-modal-submit').click();
    await coord.getByTestId('action-modal').waitFor({ state: 'detached' });
    tree = await getJson<Tree>(coord, `/api/plans/${planId}`);
    action = tree.pillars[0]!.objectives[0]!.actions[0]!;
    expect(action.sdg_targets.map((s) => s.code)).toContain(extra.code);

    // the Ministry of Justice's focal point reports on the action: a progress update with its status, a value and evidence
    const focal = await openAs(FOCAL, 'ar', 'journey-focal');
    await focal.goto(`${base}/plan/${planId}`);
    await focal.getByTestId('action-report').click();
    await focal.getByTestId('update-editor').waitFor();
    const updateId = new URL(focal.url()).pathname.split('/').pop()!;
    await focal.getByTestId('update-action').waitFor();
    await focal.getByTestId('proposed-action-status').click();
    await focal.getByRole('option', { name: t.plan.actionStatus.on_track, exact: true }).click();
    await focal.getByTestId('text-ar').fill('نُفّذت أربعون زيارة إلى أماكن الاحتجاز.');
    await focal.getByTestId('add-value').click();
    await focal.getByTestId('value-input').fill('40');
    await focal.getByTestId('value-source').fill('سجلات الوزارة');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-plan-e2e-'));
    const pdfPath = path.join(tmp, 'محضر الزيارات.pdf');
    fs.writeFileSync(pdfPath, tinyPdf());
    await focal.getByTestId('evidence-input').locator('input[type="file"]').setInputFiles(pdfPath);
    await focal.getByTestId('evidence-row').first().waitFor();
    await axe(focal, 'ar-plan-report', findings);
    await screenshot(focal, 'plan-journey-ar-report');
    await focal.getByTestId('submit-update').click();
    await focal.getByTestId('submit-confirm').getByRole('button', { name: t.updates.submit }).click();
    await focal.getByTestId('update-notice').waitFor();
    const submitted = await getJson<{ status: string; action_id: string; values: { value: string }[]; evidence: unknown[] }>(focal, `/api/updates/${updateId}`);
    expect(submitted).toMatchObject({ status: 'submitted', action_id: action.id, values: [{ value: '40' }] });
    expect(submitted.evidence).toHaveLength(1);
    await screenshot(focal, 'plan-journey-ar-report-submitted');
    expect((await getJson<Tree>(focal, `/api/plans/${planId}`)).progress).toBe(0);

    // the coordinator finds it in the review queue, named by its action, and approves it: the status and the value count
    await coord.goto(`${base}/workspace`);
    const row = coord.getByTestId('ws-review').filter({ has: coord.locator(`a[href="/updates/${updateId}"]`) });
    await row.getByTestId('ws-action-ref').waitFor();
    await screenshot(coord, 'plan-journey-ar-review-queue');
    await row.locator(`a[href="/updates/${updateId}"]`).click();
    await coord.getByTestId('view-value-row').waitFor();
    await axe(coord, 'ar-plan-review', findings);
    await coord.getByTestId('review-approve').click();
    expect(await coord.getByTestId('approve-effect').innerText()).toContain(t.plan.actionStatus.on_track);
    // with the approval dialog open (its colours once failed axe's contrast check)
    await axe(coord, 'ar-plan-review-approve', findings);
    await screenshot(coord, 'plan-journey-ar-review-approve');
    await coord.getByTestId('approve-confirm').getByRole('button', { name: t.review.approve }).click();
    await coord.getByTestId('update-notice').waitFor();
    // on track (50) blended with 40% attainment → 45
    tree = await getJson<Tree>(coord, `/api/plans/${planId}`);
    expect(tree.pillars[0]!.objectives[0]!.actions[0]!.progress).toBe(45);
    expect(tree.progress).toBe(45);
    await coord.getByTestId('update-action-link').click();
    await coord.getByTestId('plan-action').getByText('45%').waitFor();
    await coord.getByTestId('indicator-values').click();
    await coord.getByTestId('values-modal').getByTestId('value-row').getByText(t.plan.valueStatus.approved).waitFor();
    await screenshot(coord, 'plan-journey-ar-values-history');
    await coord.keyboard.press('Escape');
    await coord.getByTestId('tab-coverage').click();
    await expect.poll(async () => (await coord.getByTestId('coverage-recs').innerText()).includes(`${action.recommendations.length} / `)).toBe(true);
    await screenshot(coord, 'plan-journey-ar-coverage');

    // the plan document, in Arabic
    await coord.getByTestId('plan-export').click();
    const [download] = await Promise.all([coord.waitForEvent('download'), coord.getByTestId('plan-export-ar').click()]);
    expect(download.suggestedFilename()).toBe('action-plan-v1-ar.docx');
    const file = await download.path();
    expect(fs.readFileSync(file!).subarray(0, 2).toString()).toBe('PK');

    // the plan's own workbook, one action title edited, imported back onto it from the plan page: the dry run's
    // preview names the change, and after confirming the action is changed in place (same id, progress kept)
    await coord.getByTestId('tab-structure').click();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await (await coord.request.get(`${base}/api/plans/${planId}/export?format=xlsx`)).body()) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Actions')!;
    sheet.getRow(3).getCell((sheet.getRow(1).values as unknown[]).indexOf('title_ar')).value = 'زيارات منتظمة إلى أماكن الاحتجاز';
    await importThroughPage(coord, Buffer.from(await book.xlsx.writeBuffer()));
    expect(await coord.getByTestId('plan-import-row-actions').innerText()).toContain(`${t.plan.import.changed}: 1`);
    expect(await coord.getByTestId('plan-import-row-indicators').innerText()).toContain(`${t.plan.import.changed}: 0`);
    expect(await coord.getByTestId('plan-import-preview').innerText()).toContain(t.plan.fields.title_ar);
    await axe(coord, 'ar-plan-import-preview', findings);
    await screenshot(coord, 'plan-journey-ar-1280-import-preview');
    await coord.setViewportSize({ width: 390, height: 900 });
    // resized with the dialog open: the scroll lock keeps the 1280 px page's scrollbar gap (the dialog opened at 390 px
    // is checked in English below)
    await screenshot(coord, 'plan-journey-ar-390-import-preview', { wide: 'resized with a dialog open' });
    await coord.setViewportSize({ width: 1280, height: 900 });
    await coord.getByTestId('plan-import-dialog').getByRole('button', { name: t.plan.import.confirmUpdate }).click();
    await coord.getByTestId('plan-import-dialog').getByTestId('plan-import-preview').waitFor({ state: 'detached' });
    await coord.getByTestId('plan-action').getByText('زيارات منتظمة إلى أماكن الاحتجاز').waitFor();
    tree = await getJson<Tree>(coord, `/api/plans/${planId}`);
    expect(tree.pillars[0]!.objectives[0]!.actions[0]!.id).toBe(action.id);
    expect(tree.progress).toBe(45);

    // adopt it (through consultation), start a new draft version and compare it with the adopted one
    await coord.getByTestId('plan-to-consultation').click();
    await coord.getByTestId('plan-move-confirm').getByRole('button', { name: t.plan.confirmMove }).click();
    await coord.getByTestId('plan-to-adopted').click();
    await coord.getByTestId('plan-move-confirm').getByRole('button', { name: t.plan.confirmMove }).click();
    await coord.getByTestId('plan-frozen').waitFor();
    await coord.getByTestId('plan-new-version').click();
    await expect.poll(() => new URL(coord.url()).pathname).not.toBe(`/plan/${planId}`);
    await coord.getByTestId('plan-compare').click();
    await coord.getByTestId('compare-modal').getByText(t.plan.compare.added).waitFor();
    await axe(coord, 'ar-plan-compare', findings);
    await screenshot(coord, 'plan-journey-ar-compare');
  });

  it('in English at 1280 and 390 px: a draft plan imports its own workbook with one change, previewed before anything is written', async () => {
    const t = T.en;
    const page = await openAs(COORDINATOR, 'en', 'import-en');
    const draft = (await getJson<PlanList>(page, '/api/plans')).items.find((p) => p.status === 'draft')!;
    expect(draft).toBeTruthy();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await (await page.request.get(`${base}/api/plans/${draft.id}/export?format=xlsx`)).body()) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Indicators')!;
    sheet.getRow(3).getCell((sheet.getRow(1).values as unknown[]).indexOf('target_value')).value = '120';
    const file = Buffer.from(await book.xlsx.writeBuffer());
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/plan/${draft.id}`);
      await page.getByTestId('plan-action').first().waitFor();
      await importThroughPage(page, file);
      expect(await page.getByTestId('plan-import-preview').innerText()).toContain(t.plan.fields.target_value);
      if (width === 1280) await axe(page, 'en-plan-import-preview', findings);
      else await page.waitForTimeout(500); // the dialog's fade-in (axe waits for it at 1280)
      await screenshot(page, `plan-en-${width}-import-preview`);
      await page.getByTestId('plan-import-dialog').getByRole('button', { name: t.common.cancel }).click();
      await page.getByTestId('plan-import-dialog').getByTestId('plan-import-preview').waitFor({ state: 'detached' });
    }
    // cancelled: nothing written
    const after = await getJson<{ pillars: { objectives: { actions: { indicators: { target_value: string | null }[] }[] }[] }[] }>(page, `/api/plans/${draft.id}`);
    expect(after.pillars[0]!.objectives[0]!.actions[0]!.indicators[0]!.target_value).not.toBe('120');
  });

  afterAll(() => expectClean('plan', findings, problems));
});
