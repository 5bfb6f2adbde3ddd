/**
 * End-to-end follow-up journey of issue 5, in Arabic, through the real server and the built web app:
 * a coordinator assigns three recommendations to the Ministry of Justice from the list (bulk); the focal
 * point drafts an update with a PDF and submits it; the coordinator returns it with a comment; the focal
 * point revises and resubmits; the coordinator approves; the status, the dashboard and the audit log show
 * it; the reminder e-mail reaches an in-process SMTP sink. Another entity's focal point cannot open the
 * Ministry's draft. Axe on the workspace, editor, review and dashboard pages in Arabic and English.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/index.ts';
import { JobRunner, jobHandlers } from '../../src/jobs/index.ts';
import { createMailer } from '../../src/notifications/index.ts';
import { createUser } from '../../src/users/index.ts';
import ar from '../../web/src/i18n/ar.json' with { type: 'json' };
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { tinyPdf } from '../helpers/followup.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';
import { type AxeFinding, axe, getJson, haveChromium, type Lang, openContext, screenshot, type Server, startServer, submitSignIn, T, expectClean } from './support.ts';

const COORDINATOR = 'coordinator@rasd.example';
const FOCAL = 'focal.justice@rasd.example';
const ADMIN = 'admin@rasd.example';
const OTHER_FOCAL = 'focal.health@rasd.example';

let server: Server | undefined;
let sink: SmtpSink | null = null;
let tmp = '';
let base = '';
const contexts: BrowserContext[] = [];
const findings: AxeFinding[] = [];
const problems: string[] = [];

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const TODAY = new Date().toISOString().slice(0, 10);
const DUE = addDays(TODAY, 30);

async function openAs(email: string, lang: Lang, label: string, allowConsole: RegExp = /status of (401|409)/): Promise<Page> {
  // A small CI machine runs several Chromiums here: be patient, not flaky.
  const { context, page } = await openContext(label, { allowConsole, timeout: 30_000, problems, prefix: `${label}: ` });
  contexts.push(context);
  await page.goto(base + '/');
  await page.getByRole('heading', { name: ar.login.title }).waitFor();
  if (lang === 'en') {
    await page.getByRole('radiogroup').first().getByText(en.language.en, { exact: true }).click();
    await page.getByRole('heading', { name: en.login.title }).waitFor();
  }
  await submitSignIn(page, lang, email);
  await page.getByRole('heading', { name: T[lang].home.title, level: 1 }).waitFor();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
  return page;
}

/** Picks an option of a Mantine Select by its visible label. */
async function choose(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The MOJ row of the "status by entity" chart: its total and per-status counts, as the page shows them. */
async function entityCounts(page: Page, entityId: string): Promise<{ total: number; counts: Record<string, number> }> {
  await page.goto(`${base}/dashboard?by=entity`);
  const row = page.locator(`[data-testid="status-bars-row"][data-value="${entityId}"]`);
  await row.waitFor();
  const total = Number((await row.locator('.hbar-total').innerText()).replace(/[^\d]/g, ''));
  const counts: Record<string, number> = {};
  for (const seg of await row.locator('[data-status]').all()) counts[(await seg.getAttribute('data-status'))!] = Number(await seg.getAttribute('data-count'));
  return { total, counts };
}

describe.skipIf(!haveChromium)('follow-up journey in the browser (issue 5)', () => {
  let mojId = '';
  const recIds: string[] = [];
  let updateId = '';
  let proposed = '';
  let before: { total: number; counts: Record<string, number> } = { total: 0, counts: {} };
  let coordinator: Page;
  let focal: Page;
  const comment = 'يرجى إضافة رقم مشروع القانون وتاريخ إحالته.';

  beforeAll(async () => {
    sink = await startSmtpSink();
    server = await startServer({
      tmpPrefix: 'rasd-e2e-followup-',
      env: (dir) => ({ DATA_DIR: path.join(dir, 'data'), SMTP_URL: sink!.url, MAIL_FROM: 'Rasd <rasd@test.example>', REMINDER_DAYS: '7' }),
      beforeListen: async ({ db }) => {
        const moh = await db.selectFrom('entities').select('id').where('code', '=', 'MOH').executeTakeFirstOrThrow();
        mojId = (await db.selectFrom('entities').select('id').where('code', '=', 'MOJ').executeTakeFirstOrThrow()).id;
        await createUser(db, { email: OTHER_FOCAL, password: DEMO_PASSWORD, name: 'ضابط الاتصال — الصحة', role: 'focal_point', entityId: moh.id, locale: 'ar' });
      },
    });
    ({ tmp, base } = server);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await server?.close();
    await sink?.close();
    if (findings.length) console.error('[axe] serious/critical findings:\n' + JSON.stringify(findings, null, 2));
  });

  it('1. a coordinator assigns three recommendations to the Ministry of Justice from the list', async () => {
    coordinator = await openAs(COORDINATOR, 'ar', 'coordinator');
    before = await entityCounts(coordinator, mojId);
    expect(before.total).toBeGreaterThan(0);
    await axe(coordinator, 'ar-dashboard', findings);
    await screenshot(coordinator, 'ar-followup-dashboard');

    // Recommendations of the second UPR cycle: the demo assigns none of them.
    await coordinator.goto(`${base}/recommendations?cycle=2`);
    const rows = coordinator.getByTestId('rec-table').locator('tbody tr');
    await rows.first().waitFor();
    for (let i = 0; i < 3; i++) {
      const href = await rows.nth(i).locator('a[href^="/recommendations/"]').first().getAttribute('href');
      recIds.push(href!.split('/').pop()!);
      await rows.nth(i).getByTestId('select-row').check();
    }
    await coordinator.getByTestId('bulk-assign').click();
    const modal = coordinator.getByTestId('assign-modal');
    await modal.getByText(ar.assign.count.replace('{{n}}', '3')).waitFor();
    await choose(coordinator, 'assign-entity', 'وزارة العدل');
    await coordinator.getByTestId('assign-due').fill(DUE);
    await axe(coordinator, 'ar-assign-modal', findings);
    await screenshot(coordinator, 'ar-followup-assign');
    await coordinator.getByTestId('assign-submit').click();
    await coordinator.getByTestId('assign-result').waitFor();

    const assigned = await getJson<{ items: { recommendation_id: string; due_date: string; role: string }[] }>(coordinator, `/api/assignments?entity=${mojId}&pageSize=500`);
    for (const id of recIds) expect(assigned.items.find((a) => a.recommendation_id === id)).toMatchObject({ due_date: DUE, role: 'lead' });

    // The recommendation page lists the assignment.
    await coordinator.goto(`${base}/recommendations/${recIds[0]}`);
    await coordinator.getByTestId('assignments-panel').getByText('وزارة العدل').waitFor();
  });

  it('2. the focal point drafts an update with a PDF and submits it', async () => {
    // The executable renamed to .pdf below is refused with 415: that console line is expected.
    focal = await openAs(FOCAL, 'ar', 'focal', /status of (401|409|415)/);
    await focal.getByTestId('sidebar').getByRole('link', { name: ar.nav.workspace }).click();
    await focal.getByTestId('ws-all-table').waitFor();
    await axe(focal, 'ar-workspace', findings);
    await screenshot(focal, 'ar-followup-workspace');
    const rec = await getJson<{ status: string; paragraph: string; document_symbol: string }>(focal, `/api/recommendations/${recIds[0]}`);
    proposed = rec.status === 'fully_implemented' ? 'partially_implemented' : 'fully_implemented';

    // The workspace row of the first assigned recommendation → its updates → a new update.
    const row = focal.getByTestId('ws-all-table').locator('tr', { has: focal.locator(`a[href="/recommendations/${recIds[0]}"]`) });
    await row.getByRole('link', { name: ar.assign.updates }).click();
    await focal.getByTestId('new-update').click();
    await focal.getByTestId('update-editor').waitFor();
    updateId = new URL(focal.url()).pathname.split('/').pop()!;

    await focal.getByTestId('text-ar').fill('أعدّت الوزارة مشروع قانون لتحسين إمكانية الوصول إلى المباني العامة.');
    await focal.getByTestId('text-en').fill('The Ministry drafted a bill on access to public buildings.');
    // Each text is written in its own direction, whatever the interface language.
    expect(await focal.getByTestId('text-ar').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).direction)).toBe('rtl');
    expect(await focal.getByTestId('text-en').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).direction)).toBe('ltr');
    await focal.getByTestId('period-start').fill(addDays(TODAY, -180));
    await focal.getByTestId('period-end').fill(TODAY);
    await choose(focal, 'proposed-status', 'قيد التنفيذ');
    await focal.getByTestId('add-measure').click();
    const measure = focal.getByTestId('measure-row').first();
    await measure.getByLabel(ar.updates.descriptionAr, { exact: true }).fill('مشروع قانون');
    await measure.getByLabel(ar.updates.descriptionEn, { exact: true }).fill('Draft law');
    await focal.getByTestId('add-indicator').click();
    const indicator = focal.getByTestId('indicator-row').first();
    await indicator.getByLabel(ar.updates.indicatorName, { exact: true }).fill('مبانٍ عامة مُهيّأة');
    await indicator.getByLabel(ar.updates.indicatorValue, { exact: true }).fill('12');
    await indicator.getByLabel(ar.updates.indicatorUnit, { exact: true }).fill('مبنى');
    await focal.getByTestId('save-draft').click();
    await focal.getByTestId('save-state').getByText(ar.updates.saved).waitFor();

    // Evidence: a real (tiny) PDF with an Arabic name, chosen through the file input.
    const pdfPath = path.join(tmp, 'تقرير الوزارة.pdf');
    fs.writeFileSync(pdfPath, tinyPdf());
    await focal.getByTestId('evidence-input').locator('input[type="file"]').setInputFiles(pdfPath);
    const evidenceRow = focal.getByTestId('evidence-row').first();
    await evidenceRow.waitFor();
    expect(await evidenceRow.innerText()).toContain('تقرير الوزارة.pdf');
    expect(await evidenceRow.innerText()).toContain('PDF');
    await axe(focal, 'ar-update-editor', findings);
    await screenshot(focal, 'ar-followup-editor');

    // An executable renamed to .pdf is refused with the translated message.
    const exePath = path.join(tmp, 'evil.pdf');
    fs.writeFileSync(exePath, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510)]));
    await focal.getByTestId('evidence-input').locator('input[type="file"]').setInputFiles(exePath);
    await focal.getByTestId('evidence-error').getByText(ar.errors.unsupported_file_type).waitFor();
    expect(await focal.getByTestId('evidence-row').count()).toBe(1);

    await focal.getByTestId('submit-update').click();
    await focal.getByTestId('submit-confirm').getByRole('button', { name: ar.updates.submit }).click();
    await focal.getByTestId('update-status').getByText(ar.updates.status.submitted).waitFor();
    await focal.getByTestId('update-notice').waitFor();
    const u = await getJson<{ status: string; evidence: unknown[]; measures: { type: string }[]; indicators: { value: string }[] }>(focal, `/api/updates/${updateId}`);
    expect(u).toMatchObject({ status: 'submitted', measures: [{ type: 'legislation' }], indicators: [{ value: '12' }] });
    expect(u.evidence).toHaveLength(1);
  });

  it('3. the coordinator opens it from the notification bell and returns it with a comment', async () => {
    await coordinator.goto(`${base}/`);
    await expect.poll(async () => Number(await coordinator.getByTestId('notifications-count').getAttribute('data-count'))).toBeGreaterThan(0);
    await coordinator.getByTestId('notifications-bell').click();
    await coordinator.getByTestId('notification-item').filter({ hasText: 'تحديث مقدَّم بانتظار المراجعة' }).first().click();
    await expect.poll(() => coordinator.url()).toContain(`/updates/${updateId}`);
    await coordinator.getByTestId('review-bar').waitFor();
    await coordinator.getByTestId('notifications-menu').waitFor({ state: 'detached' }); // the menu's closing transition is over
    await axe(coordinator, 'ar-review', findings);
    await screenshot(coordinator, 'ar-followup-review');

    await coordinator.getByTestId('review-return').click();
    // A comment is required.
    await coordinator.getByTestId('return-confirm').click();
    await coordinator.getByText(ar.review.commentRequired).waitFor();
    await coordinator.getByTestId('return-comment').fill(comment);
    await coordinator.getByTestId('return-confirm').click();
    await coordinator.getByTestId('update-status').getByText(ar.updates.status.returned).waitFor();
    expect(await coordinator.getByTestId('review-bar').count()).toBe(0);
  });

  it('4. the focal point sees the comment, revises and resubmits; the coordinator approves', async () => {
    await focal.goto(`${base}/workspace`);
    const returned = focal.getByTestId('ws-returned-section');
    await returned.getByText(comment).waitFor();
    await returned.getByRole('link', { name: ar.workspace.revise }).click();
    await focal.getByTestId('review-comment').getByText(comment).waitFor();
    await screenshot(focal, 'ar-followup-returned');
    await focal.getByTestId('text-ar').fill('أُحيل مشروع القانون رقم 12 لسنة 2026 إلى مجلس الأمة بتاريخ 1 مارس 2026.');
    const statusLabel = proposed === 'fully_implemented' ? 'نُفّذ كلياً' : 'نُفّذ جزئياً';
    await choose(focal, 'proposed-status', statusLabel);
    await focal.getByTestId('submit-update').click();
    await focal.getByTestId('submit-confirm').getByRole('button', { name: ar.updates.resubmit }).click();
    await focal.getByTestId('update-status').getByText(ar.updates.status.submitted).waitFor();

    await coordinator.goto(`${base}/workspace`);
    await coordinator.getByTestId('ws-review-table').locator(`a[href="/updates/${updateId}"]`).click();
    await coordinator.getByTestId('review-approve').click();
    // The confirmation names the status the recommendation will get.
    const effect = coordinator.getByTestId('approve-effect');
    await effect.waitFor();
    expect(await effect.innerText()).toContain(statusLabel);
    await screenshot(coordinator, 'ar-followup-approve');
    await coordinator.getByTestId('approve-confirm').getByRole('button', { name: ar.review.approve }).click();
    await coordinator.getByTestId('update-status').getByText(ar.updates.status.approved).waitFor();
    await screenshot(coordinator, 'ar-followup-approved');
  });

  it('5. the status changed, the dashboard counts changed, and the audit viewer shows every step', async () => {
    await coordinator.goto(`${base}/recommendations/${recIds[0]}`);
    const statusLabel = proposed === 'fully_implemented' ? 'نُفّذ كلياً' : 'نُفّذ جزئياً';
    await coordinator.getByTestId('status-history').getByText(statusLabel).first().waitFor();
    const rec = await getJson<{ status: string }>(coordinator, `/api/recommendations/${recIds[0]}`);
    expect(rec.status).toBe(proposed);

    const after = await entityCounts(coordinator, mojId);
    expect(after.total).toBe(before.total + 3);
    // Each status count grew by the three new recommendations' statuses (the approved one now in its new status).
    const now = await Promise.all(recIds.map((id) => getJson<{ status: string }>(coordinator, `/api/recommendations/${id}`)));
    const expected = { ...before.counts };
    for (const r of now) expected[r.status] = (expected[r.status] ?? 0) + 1;
    for (const [code, n] of Object.entries(expected)) expect(after.counts[code] ?? 0, code).toBe(n);
    expect(now[0]!.status).toBe(proposed);
    await screenshot(coordinator, 'ar-followup-dashboard-after');

    const admin = await openAs(ADMIN, 'ar', 'admin');
    await admin.goto(`${base}/admin/audit`);
    await admin.getByTestId('audit-table').waitFor();
    // The sidebar's Admin group holds the entry.
    await admin.getByTestId('sidebar').getByRole('link', { name: ar.nav.audit }).waitFor();
    await choose(admin, 'audit-subject', ar.audit.subjects.progress_update);
    await admin.getByTestId('audit-apply').click();
    await expect.poll(() => admin.url()).toContain('subjectType=progress_update');
    const ours = admin.locator(`[data-testid="audit-row"][data-subject="${updateId}"]`);
    await ours.first().waitFor();
    // read until the table settles: rows seen while the filtered page is still being fetched can go before it is read
    // (one CI run read none, right after the first row was seen)
    await expect
      .poll(async () => (await ours.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).reverse())
      .toEqual(['update.create', 'update.edit', 'evidence.add', 'update.submit', 'update.return', 'update.edit', 'update.submit', 'update.approve']);
    expect(await ours.last().innerText()).toContain(ar.auditActions.update.create);
    await axe(admin, 'ar-audit', findings);
    await screenshot(admin, 'ar-followup-audit');

    // The three assignments, filtered by action group.
    await admin.goto(`${base}/admin/audit?action=assignment.`);
    const created = admin.locator('[data-testid="audit-row"][data-action="assignment.create"]');
    await created.first().waitFor();
    const subjects = await admin.locator('[data-testid="audit-row"]').count();
    expect(subjects).toBeGreaterThanOrEqual(3);
    // And the status change set by the approval.
    await admin.goto(`${base}/admin/audit?action=recommendation.&subjectType=recommendation`);
    await admin.locator(`[data-testid="audit-row"][data-subject="${recIds[0]}"][data-action="recommendation.status.approved_update"]`).waitFor();
    await admin.context().close();
  });

  it('6. when the item falls due, the reminder e-mail arrives in the SMTP sink', async () => {
    const mailer = createMailer({ smtpUrl: server!.config.smtpUrl, from: server!.config.mailFrom });
    try {
      const runner = new JobRunner(server!.database.db, jobHandlers(server!.config, mailer), { now: () => new Date(`${addDays(DUE, -3)}T06:00:00Z`), daily: [{ kind: 'reminders', hourUtc: 5 }] });
      await runner.ensureDaily();
      expect(await runner.runDue()).toBe(1);
    } finally {
      mailer.close();
    }
    const due = sink!.messages.filter((m) => m.subject.includes('Reminder'));
    expect(due.length).toBeGreaterThanOrEqual(1);
    const mine = due.find((m) => m.to.includes(FOCAL));
    expect(mine, 'the reminder to the MOJ focal point').toBeTruthy();
    expect(mine!.to).toEqual([FOCAL]);
    expect(mine!.subject).toContain('تذكير');
    expect(mine!.text).toContain('وزارة العدل');
    expect(mine!.text).toContain('Ministry of Justice');
    expect(mine!.text.indexOf('يحين قريباً')).toBeGreaterThanOrEqual(0);
    expect(mine!.text.indexOf('يحين قريباً')).toBeLessThan(mine!.text.indexOf('due soon'));
    // The two items still open are listed; the one with an approved update is not.
    const recs = await Promise.all(recIds.map((id) => getJson<{ document_symbol: string; paragraph: string }>(coordinator, `/api/recommendations/${id}`)));
    expect(mine!.text).toContain(`${recs[1]!.document_symbol} ${recs[1]!.paragraph}`);
    expect(mine!.text).toContain(`${recs[2]!.document_symbol} ${recs[2]!.paragraph}`);
    expect(mine!.text).not.toContain(`${recs[0]!.document_symbol} ${recs[0]!.paragraph} `);
    expect(mine!.text).toContain(DUE);

    // In the app too: the focal point's bell now lists the reminder.
    await focal.goto(`${base}/workspace`);
    await focal.getByTestId('notifications-bell').click();
    await focal.getByTestId('notifications-menu').locator('[data-kind="reminder.due"]').first().waitFor();
    await focal.keyboard.press('Escape');
  });

  it("a focal point of another entity cannot open the Ministry's draft (UI and API)", async () => {
    const ws = await getJson<{ drafts: { id: string; status: string }[] }>(coordinator, `/api/workspace?entity=${mojId}`);
    const draft = ws.drafts.find((d) => d.status === 'draft');
    expect(draft).toBeTruthy();
    const other = await openAs(OTHER_FOCAL, 'ar', 'other-focal', /status of (401|403|409)/);
    const res = await other.request.get(`${base}/api/updates/${draft!.id}`);
    expect(res.status()).toBe(403);
    await other.goto(`${base}/updates/${draft!.id}`);
    await other.getByRole('alert').getByText(ar.errors.forbidden).waitFor();
    expect(await other.getByTestId('update-editor').count()).toBe(0);
    // Nor its evidence, nor writing to MOJ's assignments.
    const ev = await other.request.get(`${base}/api/updates/${updateId}`);
    expect(ev.status()).toBe(200); // approved work is readable by all…
    const mojAssignment = (await getJson<{ items: { id: string }[] }>(coordinator, `/api/assignments?entity=${mojId}&pageSize=1`)).items[0]!;
    const session = await getJson<{ csrfToken: string }>(other, '/api/auth/session');
    const write = await other.request.post(`${base}/api/assignments/${mojAssignment.id}/updates`, { data: {}, headers: { 'x-csrf-token': session.csrfToken } });
    expect(write.status()).toBe(403); // …but writing to another entity's assignment is not.
    expect((await other.request.get(`${base}/api/workspace?entity=${mojId}`)).status()).toBe(403);
    // Their own workspace shows their entity, never the Ministry's drafts.
    await other.goto(`${base}/workspace`);
    await other.getByTestId('ws-all-section').waitFor();
    expect(await other.getByRole('heading', { level: 1 }).innerText()).toBe(ar.workspace.title);
    await other.getByText('وزارة الصحة').first().waitFor();
    expect(await other.getByTestId('ws-draft').count()).toBe(0);
    await screenshot(other, 'ar-followup-other-entity');
    await other.context().close();
  });

  it('the follow-up pages pass axe in English too', async () => {
    // Fewer browsers at once on a small machine: the Arabic journey's are done.
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    const coordEn = await openAs(COORDINATOR, 'en', 'coordinator-en');
    await coordEn.goto(`${base}/workspace`);
    await coordEn.getByTestId('ws-review-section').waitFor();
    await axe(coordEn, 'en-workspace-coordinator', findings);
    await screenshot(coordEn, 'en-followup-workspace-coordinator');
    const queue = await getJson<{ awaitingReview: { id: string }[] }>(coordEn, '/api/workspace');
    expect(queue.awaitingReview.length).toBeGreaterThan(0);
    await coordEn.goto(`${base}/updates/${queue.awaitingReview[0]!.id}`);
    await coordEn.getByTestId('review-bar').waitFor();
    await axe(coordEn, 'en-review', findings);
    await screenshot(coordEn, 'en-followup-review');
    await coordEn.goto(`${base}/updates/${updateId}`);
    await coordEn.getByTestId('update-status').getByText(en.updates.status.approved).waitFor();
    await screenshot(coordEn, 'en-followup-approved');
    await coordEn.goto(`${base}/dashboard?by=entity`);
    await coordEn.getByTestId('status-bars-row').first().waitFor();
    await coordEn.getByTestId('trend-chart').waitFor();
    await axe(coordEn, 'en-dashboard', findings);
    await screenshot(coordEn, 'en-followup-dashboard');
    await coordEn.goto(`${base}/recommendations/${recIds[1]}`);
    await coordEn.getByTestId('assignments-panel').getByText('Ministry of Justice').waitFor();
    await screenshot(coordEn, 'en-followup-recommendation');

    const focalEn = await openAs(FOCAL, 'en', 'focal-en');
    await focalEn.goto(`${base}/workspace`);
    await focalEn.getByTestId('ws-all-table').waitFor();
    await axe(focalEn, 'en-workspace', findings);
    await screenshot(focalEn, 'en-followup-workspace');
    const ws = await getJson<{ drafts: { id: string; status: string }[] }>(focalEn, '/api/workspace');
    const draft = ws.drafts.find((d) => d.status === 'draft')!;
    await focalEn.goto(`${base}/updates/${draft.id}`);
    await focalEn.getByTestId('update-editor').waitFor();
    await axe(focalEn, 'en-update-editor', findings);
    await screenshot(focalEn, 'en-followup-editor');

    const adminEn = await openAs(ADMIN, 'en', 'admin-en');
    await adminEn.goto(`${base}/admin/audit`);
    await adminEn.getByTestId('audit-row').first().waitFor();
    await axe(adminEn, 'en-audit', findings);
    await screenshot(adminEn, 'en-followup-audit');

    expectClean('followup', findings, problems);
  });
});
