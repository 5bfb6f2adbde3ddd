import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readZipText } from '../../src/reports/report-docx.ts';
import { createEntity } from '../../src/entities/index.ts';
import { JobRunner, jobHandlers } from '../../src/jobs/index.ts';
import { createMailer } from '../../src/notifications/index.ts';
import { newId, nowIso } from '../../src/shared/ids.ts';
import { makeRecommendations } from '../helpers/followup.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';

const json = (res: { json(): any }) => res.json();

describeEachEngine('reports to the UN: obligations and compiled drafts (issue 12)', (engine) => {
  let h: Harness;
  let sink: SmtpSink;
  let coordinator: TestClient;
  let writer: TestClient; // a second coordinator-less writer: the obligation's owner (focal point role)
  let focal: TestClient;
  let viewer: TestClient;
  let ministry: { id: string };
  let upr: string[]; // 4 UPR recommendations: [0],[1] in a cluster, [2] with a theme, [3] neither
  let cedaw: string[];
  let uprDoc = '';
  let cedawDoc = '';
  let obligationId = '';
  let reportId = '';
  const writerEmail = `owner.${engine}@test.example`;
  const coordEmail = `coord.reports.${engine}@test.example`;

  /** focal point drafts, submits; coordinator approves (unless `approve` is false). */
  async function update(recId: string, body: Record<string, unknown>, approve = true): Promise<string> {
    let a = json(await coordinator.request({ method: 'GET', url: `/api/assignments?recommendation=${recId}` })).items[0];
    if (!a) {
      const res = await coordinator.request({ method: 'POST', url: '/api/assignments', payload: { recommendationIds: [recId], entityId: ministry.id, dueDate: '2027-06-30' } });
      expect(res.statusCode).toBe(201);
      a = { id: json(res).ids[0] };
    }
    const created = await focal.request({ method: 'POST', url: `/api/assignments/${a.id}/updates`, payload: body });
    expect(created.statusCode).toBe(201);
    const id = json(created).id;
    expect((await focal.request({ method: 'POST', url: `/api/updates/${id}/submit`, payload: {} })).statusCode).toBe(200);
    if (approve) expect((await coordinator.request({ method: 'POST', url: `/api/updates/${id}/approve`, payload: {} })).statusCode).toBe(200);
    return id;
  }
  const section = (report: any, keyPrefix: string) => report.sections.find((s: any) => s.key.startsWith(keyPrefix));

  beforeAll(async () => {
    sink = await startSmtpSink();
    h = await createHarness(engine, { SMTP_URL: sink.url, MAIL_FROM: 'Rasd <rasd@test.example>', REMINDER_DAYS: '14' });
    const db = h.database.db;
    ministry = await createEntity(db, { code: 'MOL', name_ar: 'وزارة العمل', name_en: 'Ministry of Labour' });
    coordinator = await h.loginAs('coordinator', { email: coordEmail });
    writer = await h.loginAs('focal_point', { entityId: ministry.id, email: writerEmail });
    focal = await h.loginAs('focal_point', { entityId: ministry.id });
    viewer = await h.loginAs('viewer');
    upr = await makeRecommendations(db, 4, { body: 'UPR', symbol: 'A/HRC/59/98' });
    cedaw = await makeRecommendations(db, 3, { body: 'CEDAW', symbol: 'CEDAW/C/TST/CO/5' });
    await makeRecommendations(db, 1, { body: 'CAT', symbol: 'CAT/C/TST/CO/2' });
    uprDoc = (await db.selectFrom('documents').select('id').where('symbol', '=', 'A/HRC/59/98').executeTakeFirstOrThrow()).id;
    cedawDoc = (await db.selectFrom('documents').select('id').where('symbol', '=', 'CEDAW/C/TST/CO/5').executeTakeFirstOrThrow()).id;
    await db.updateTable('documents').set({ date: '2025-01-20' }).where('id', '=', uprDoc).execute();
    await db.updateTable('recommendations').set({ follow_up: 1 }).where('id', 'in', [cedaw[0]!, cedaw[2]!]).execute();
    const now = nowIso();
    const clusterId = newId();
    await db
      .insertInto('clusters')
      .values({ id: clusterId, title_ar: 'إصلاح نظام الكفالة', title_en: 'Reform of the kafala system', status: 'accepted', job_id: null, similarity_pct: null, created_by: null, created_at: now, updated_at: now })
      .execute();
    await db.updateTable('recommendations').set({ cluster_id: clusterId }).where('id', 'in', [upr[0]!, upr[1]!]).execute();
    const themeId = newId();
    await db.insertInto('terms').values({ id: themeId, kind: 'theme', code: 'education', label_ar: 'الحق في التعليم', label_en: 'Right to education', parent_id: null, sort: 1, created_at: now }).execute();
    await db.insertInto('recommendation_terms').values({ recommendation_id: upr[2]!, term_id: themeId }).execute();
  });
  afterAll(async () => {
    await closeHarness(h);
    await sink?.close();
  });

  it('obligations: create, list, edit with optimistic concurrency, overdue computed, delete; coded errors', async () => {
    const noBody = await coordinator.request({ method: 'POST', url: '/api/obligations', payload: { type: 'upr_midterm', dueDate: '2027-07-20' } });
    expect(noBody.statusCode).toBe(400);
    expect(json(noBody).error).toMatchObject({ code: 'body_required', details: { field: 'body' } });
    expect(json(noBody).error.message_ar).toContain('الهيئة');
    const badType = await coordinator.request({ method: 'POST', url: '/api/obligations', payload: { type: 'annual_report', body: 'UPR', dueDate: '2027-07-20' } });
    expect(badType.statusCode).toBe(400);
    expect(json(badType).error.code).toBe('validation_failed');
    const unknownBody = await coordinator.request({ method: 'POST', url: '/api/obligations', payload: { type: 'upr_midterm', body: 'XYZ', dueDate: '2027-07-20' } });
    expect(json(unknownBody).error.code).toBe('unknown_body');
    const forbidden = await focal.request({ method: 'POST', url: '/api/obligations', payload: { type: 'upr_midterm', body: 'UPR', dueDate: '2027-07-20' } });
    expect(forbidden.statusCode).toBe(403);

    const created = await coordinator.request({
      method: 'POST',
      url: '/api/obligations',
      payload: { type: 'upr_midterm', body: 'UPR', dueDate: '2027-07-20', ownerId: writer.userId, title_en: 'Mid-term report, 4th cycle', title_ar: 'تقرير منتصف المدة، الجولة الرابعة', sources: [{ documentId: uprDoc }] },
    });
    expect(created.statusCode).toBe(201);
    obligationId = json(created).id;
    expect(json(created)).toMatchObject({ type: 'upr_midterm', body_code: 'UPR', status: 'planned', overdue: false, displayStatus: 'planned', version: 1, sources: [{ documentId: uprDoc, symbol: 'A/HRC/59/98', paragraphs: null }] });

    const past = json(await coordinator.request({ method: 'POST', url: '/api/obligations', payload: { type: 'treaty_followup', body: 'body-cedaw', dueDate: '2020-03-01', sources: [{ documentId: cedawDoc, paragraphs: ['10'] }] } }));
    expect(past).toMatchObject({ overdue: true, displayStatus: 'overdue', status: 'planned', body_code: 'CEDAW' });

    const list = json(await viewer.request({ method: 'GET', url: '/api/obligations' }));
    expect(list.items.map((o: any) => o.type)).toEqual(['treaty_followup', 'upr_midterm']);
    expect(list.items[0]).toMatchObject({ id: past.id, overdue: true });
    const overdue = json(await viewer.request({ method: 'GET', url: '/api/obligations?status=overdue' }));
    expect(overdue.items.map((o: any) => o.id)).toEqual([past.id]);
    expect(json(await viewer.request({ method: 'GET', url: '/api/obligations?body=UPR' })).items.map((o: any) => o.id)).toEqual([obligationId]);

    const edit = await coordinator.request({ method: 'PATCH', url: `/api/obligations/${past.id}`, payload: { version: 1, dueDate: '2099-01-01' } });
    expect(edit.statusCode).toBe(200);
    expect(json(edit)).toMatchObject({ due_date: '2099-01-01', overdue: false, version: 2 });
    const stale = await coordinator.request({ method: 'PATCH', url: `/api/obligations/${past.id}`, payload: { version: 1, dueDate: '2020-01-01' } });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.code).toBe('version_conflict');
    const owners = json(await coordinator.request({ method: 'GET', url: '/api/obligations/owners' }));
    expect(owners.items.map((u: any) => u.id)).toEqual(expect.arrayContaining([writer.userId, coordinator.userId]));
    expect(owners.items.some((u: any) => u.id === viewer.userId)).toBe(false);
    expect((await focal.request({ method: 'GET', url: '/api/obligations/owners' })).statusCode).toBe(403);
    const del = await coordinator.request({ method: 'DELETE', url: `/api/obligations/${past.id}`, payload: { version: 2 } });
    expect(del.statusCode).toBe(204);
    expect((await coordinator.request({ method: 'GET', url: `/api/obligations/${past.id}` })).statusCode).toBe(404);
  });

  it('suggests due dates from the register: UPR +2.5 and +4.5 years, treaty follow-up +1 year (+2 for CEDAW)', async () => {
    const res = json(await coordinator.request({ method: 'GET', url: '/api/obligations/suggestions' }));
    const by = (type: string, body: string) => res.items.find((s: any) => s.type === type && s.bodyCode === body);
    expect(by('upr_midterm', 'UPR')).toMatchObject({ symbol: 'A/HRC/59/98', basisDate: '2025-01-20', dueDate: '2027-07-20', alreadyPlanned: true });
    expect(by('upr_national', 'UPR')).toMatchObject({ dueDate: '2029-07-20', alreadyPlanned: false });
    expect(by('treaty_followup', 'CEDAW')).toMatchObject({ basisDate: '2025-05-01', dueDate: '2027-05-01', paragraphs: ['10', '12'], rule: 'treaty_followup_2_years' });
    expect(by('treaty_followup', 'CAT')).toMatchObject({ dueDate: '2026-05-01', paragraphs: null, rule: 'treaty_followup_1_year' });
  });

  it('reminders and overdue notices go out through the job runner, once each', async () => {
    const mailer = createMailer({ smtpUrl: h.config.smtpUrl, from: h.config.mailFrom });
    const runAt = (iso: string) => new JobRunner(h.database.db, jobHandlers(h.config, mailer), { now: () => new Date(iso), daily: [{ kind: 'obligation_reminders', hourUtc: 5 }] });
    try {
      const early = runAt('2027-06-01T06:00:00Z');
      await early.ensureDaily();
      await early.runDue();
      expect(sink.messages).toHaveLength(0); // due 2027-07-20, more than 14 days away
      const soon = runAt('2027-07-10T06:00:00Z');
      await soon.ensureDaily();
      expect(await soon.runDue()).toBe(1);
      expect(sink.messages).toHaveLength(1);
      expect(sink.messages[0]!.to).toEqual([writerEmail]);
      expect(sink.messages[0]!.subject).toContain('تذكير');
      expect(sink.messages[0]!.text).toContain('Mid-term report, 4th cycle (UPR) is due on 2027-07-20');
      const again = runAt('2027-07-11T06:00:00Z');
      await again.ensureDaily();
      await again.runDue();
      expect(sink.messages).toHaveLength(1);
      const late = runAt('2027-07-21T06:00:00Z');
      await late.ensureDaily();
      await late.runDue();
      expect(sink.messages).toHaveLength(2);
      expect(sink.messages[1]!.to.sort()).toEqual([coordEmail, writerEmail].sort());
      expect(sink.messages[1]!.subject).toContain('Overdue');
      const notes = json(await writer.request({ method: 'GET', url: '/api/notifications' }));
      expect(notes.items.map((n: any) => n.kind).sort()).toEqual(['obligation.due', 'obligation.overdue']);
    } finally {
      mailer.close();
    }
  });

  it('refuses a follow-up report that covers nothing; compiles one section per follow-up paragraph', async () => {
    // (every obligation type has a template now: the Arab Charter and special-procedure ones are in reports-templates.test.ts)
    const empty = json(await coordinator.request({ method: 'POST', url: '/api/obligations', payload: { type: 'treaty_followup', body: 'CCPR', dueDate: '2028-01-01' } }));
    const res2 = await coordinator.request({ method: 'POST', url: '/api/reports', payload: { obligationId: empty.id } });
    expect(res2.statusCode).toBe(400);
    expect(json(res2).error.code).toBe('obligation_without_recommendations');
    const fu = json(await coordinator.request({ method: 'POST', url: '/api/obligations', payload: { type: 'treaty_followup', body: 'CEDAW', dueDate: '2027-05-01', sources: [{ documentId: cedawDoc }] } }));
    const fuReport = json(await coordinator.request({ method: 'POST', url: '/api/reports', payload: { obligationId: fu.id } }));
    // one section per paragraph flagged for follow-up (10 and 12), no word limit
    expect(fuReport.sections.map((s: any) => s.heading_en)).toEqual(['Paragraph 10 (CEDAW/C/TST/CO/5)', 'Paragraph 12 (CEDAW/C/TST/CO/5)']);
    expect(fuReport.words.limit).toBeNull();
    const badLimit = await coordinator.request({ method: 'POST', url: '/api/reports', payload: { obligationId: fu.id, limitKind: 'common_core' } });
    expect(json(badLimit).error.code).toBe('invalid_limit');
    const treaty = json(await coordinator.request({ method: 'POST', url: '/api/obligations', payload: { type: 'treaty_periodic', body: 'CEDAW', dueDate: '2029-05-01', sources: [{ documentId: cedawDoc }] } }));
    const tr = json(await coordinator.request({ method: 'POST', url: '/api/reports', payload: { obligationId: treaty.id } }));
    expect(tr.words.limit).toBe(21_200);
    expect(tr.sections.map((s: any) => s.key.split(':')[0])).toEqual(['fixed', 'para', 'para', 'para']);
  });

  it('compiles a UPR mid-term draft from approved updates only, with sections per cluster and theme', async () => {
    await update(upr[0]!, {
      text_ar: 'اعتُمد قانون العمالة المنزلية الجديد.',
      text_en: 'The new domestic workers law was adopted.',
      proposed_status: 'partially_implemented',
      measures: [{ type: 'legislation', description_ar: 'القانون رقم 12', description_en: 'Law No. 12' }],
      indicators: [{ name: 'Inspections', value: 340, unit: 'visits' }],
    });
    await update(upr[2]!, { text_ar: 'مسودة سرية لم تعتمد', text_en: 'UNAPPROVED-DRAFT text' }, false);
    await update(upr[3]!, { text_en: 'Schools were built in remote areas.', proposed_status: 'fully_implemented' });

    const foreign = await focal.request({ method: 'POST', url: '/api/reports', payload: { obligationId } });
    expect(foreign.statusCode).toBe(403); // a focal point who does not own the obligation
    const res = await writer.request({ method: 'POST', url: '/api/reports', payload: { obligationId } });
    expect(res.statusCode).toBe(201);
    const report = json(res);
    reportId = report.id;
    expect(report).toMatchObject({ type: 'upr_midterm', status: 'draft', obligation: { id: obligationId, status: 'drafting' } });
    expect(report.sections.map((s: any) => s.heading_en)).toEqual([
      'Methodology and consultation process',
      'Developments since the previous review',
      'Reform of the kafala system',
      'Right to education',
      'Other recommendations',
      'Achievements and good practices',
      'Challenges and constraints',
      'Commitments and national initiatives',
    ]);
    const cluster = section(report, 'cluster:');
    expect(cluster.recommendationIds.sort()).toEqual([upr[0], upr[1]].sort());
    expect(cluster.text_en).toContain('Regarding paragraph 10 (A/HRC/59/98): The new domestic workers law was adopted.');
    expect(cluster.text_en).toContain('Measures taken: Law No. 12 (legislation).');
    expect(cluster.text_en).toContain('Inspections: 340 visits');
    expect(cluster.text_ar).toContain('اعتُمد قانون العمالة المنزلية الجديد.');
    expect(cluster.text_ar).toContain('القانون رقم 12 (تشريع)');
    const theme = section(report, 'theme:');
    expect(theme.text_en).toBe('');
    expect(JSON.stringify(report)).not.toContain('UNAPPROVED-DRAFT');
    const other = section(report, 'other');
    expect(other.text_ar).toContain('(النص مقدَّم بالإنجليزية فقط) Schools were built in remote areas.');
    // the fully implemented recommendation feeds "achievements"
    expect(section(report, 'fixed:achievements').text_en).toContain('Schools were built in remote areas.');
    expect(report.words).toMatchObject({ limit: null, excludes: ['footnotes', 'annexes'] });
    expect(report.words.en).toBeGreaterThan(20);
    const again = await writer.request({ method: 'POST', url: '/api/reports', payload: { obligationId } });
    expect(json(again).error.code).toBe('report_exists');
    // two people starting the same report at the same moment: one draft, the other gets report_exists
    const twin = json(await coordinator.request({ method: 'POST', url: '/api/obligations', payload: { type: 'loipr_replies', body: 'CEDAW', dueDate: '2028-03-01', sources: [{ documentId: cedawDoc }] } }));
    const race = await Promise.all([0, 1].map(() => coordinator.request({ method: 'POST', url: '/api/reports', payload: { obligationId: twin.id } })));
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(json(race.find((r) => r.statusCode === 409)!).error.code).toBe('report_exists');
    const list = json(await focal.request({ method: 'GET', url: '/api/reports' }));
    expect(list.items.find((r: any) => r.id === reportId)).toMatchObject({ id: reportId, type: 'upr_midterm', status: 'draft' });
    // a viewer (civil society, UN partners…) does not see drafts: not listed, not found, not exported
    expect(json(await viewer.request({ method: 'GET', url: '/api/reports' })).items).toEqual([]);
    expect((await viewer.request({ method: 'GET', url: `/api/reports/${reportId}` })).statusCode).toBe(404);
    expect((await viewer.request({ method: 'GET', url: `/api/reports/${reportId}/export?format=docx&lang=ar` })).statusCode).toBe(404);
    expect(json(await viewer.request({ method: 'GET', url: `/api/obligations/${obligationId}` })).reports).toEqual([]);
  });

  it('edits a section in Arabic with history; a stale version gets 409; word counts follow (Arabic and English, footnotes excluded)', async () => {
    const report = json(await writer.request({ method: 'GET', url: `/api/reports/${reportId}` }));
    const s = section(report, 'fixed:methodology');
    const url = `/api/reports/${reportId}/sections/${s.id}`;
    const textAr = 'أعدّت اللجنة الوطنية هذا التقرير بالتشاور مع الوزارات والمجتمع المدني.[^عُقدت ثلاث جلسات تشاور في ٢٠٢٦.]';
    const ok = await writer.request({ method: 'PATCH', url, payload: { version: s.version, text_ar: textAr } });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ version: s.version + 1, words: { ar: 10, en: 0 }, edited: { ar: true, en: false } });
    const race = await coordinator.request({ method: 'PATCH', url, payload: { version: s.version, text_en: 'Overwrite' } });
    expect(race.statusCode).toBe(409);
    expect(json(race).error).toMatchObject({ code: 'version_conflict', details: { currentVersion: s.version + 1 } });
    const en = await coordinator.request({ method: 'PATCH', url, payload: { version: s.version + 1, text_en: 'The national committee prepared this report with ministries and civil society.' } });
    expect(json(en).words).toEqual({ ar: 10, en: 11 });
    const after = json(await writer.request({ method: 'GET', url: `/api/reports/${reportId}` }));
    expect(after.words.ar).toBe(report.words.ar + 10);
    expect(after.words.en).toBe(report.words.en + 11);
    const hist = json(await writer.request({ method: 'GET', url: `${url}/history` }));
    expect(hist.items.map((x: any) => x.reason)).toEqual(['edit', 'edit', 'compile']);
    expect(hist.items[1].text_ar).toBe(textAr);
    // the word limit of the UPR national report, chosen for this mid-term report
    const lim = await writer.request({ method: 'PATCH', url: `/api/reports/${reportId}`, payload: { version: after.version, limitKind: 'upr_national' } });
    expect(json(lim).words).toMatchObject({ limit: 10_700, over: { ar: false, en: false } });
  });

  it('compiling again keeps manual edits and marks the sections whose sources changed', async () => {
    let report = json(await writer.request({ method: 'GET', url: `/api/reports/${reportId}` }));
    const cluster = section(report, 'cluster:');
    const manual = 'نص كتبه المحرر بنفسه عن نظام الكفالة.';
    expect((await writer.request({ method: 'PATCH', url: `/api/reports/${reportId}/sections/${cluster.id}`, payload: { version: cluster.version, text_ar: manual } })).statusCode).toBe(200);
    // a new approved update on the cluster's second recommendation, and the draft of [2] approved now
    await update(upr[1]!, { text_ar: 'أُنشئت هيئة لتفتيش أماكن العمل.', text_en: 'A labour inspectorate was established.' });
    const pending = json(await coordinator.request({ method: 'GET', url: `/api/assignments?recommendation=${upr[2]}` })).items[0];
    const draft = json(await coordinator.request({ method: 'GET', url: `/api/assignments/${pending.id}/updates` })).items[0];
    expect((await coordinator.request({ method: 'POST', url: `/api/updates/${draft.id}/approve`, payload: {} })).statusCode).toBe(200);

    const res = await writer.request({ method: 'POST', url: `/api/reports/${reportId}/compile` });
    expect(res.statusCode).toBe(200);
    report = json(res);
    expect(report.compile).toMatchObject({ changed: 2, pending: 1, added: 0, removed: 0 });
    const c = section(report, 'cluster:');
    expect(c.text_ar).toBe(manual); // kept
    expect(c.pending_ar).toContain('أُنشئت هيئة لتفتيش أماكن العمل.');
    expect(c.text_en).toContain('A labour inspectorate was established.'); // English was not edited: updated
    expect(c.source_changed).toBe(true);
    const t = section(report, 'theme:');
    expect(t.source_changed).toBe(true);
    expect(t.text_en).toContain('UNAPPROVED-DRAFT text'); // approved now
    expect(section(report, 'fixed:methodology').source_changed).toBe(false);
    expect(section(report, 'fixed:methodology').text_ar).toContain('أعدّت اللجنة الوطنية'); // manual, untouched
    expect(report.changedSections).toBe(2);

    // take the Arabic change in for the cluster; leave it for the theme
    const acc = await writer.request({ method: 'POST', url: `/api/reports/${reportId}/sections/${c.id}/accept`, payload: { version: c.version, lang: 'ar' } });
    expect(acc.statusCode).toBe(200);
    expect(json(acc)).toMatchObject({ source_changed: false, pending_ar: null, edited: { ar: false, en: false } });
    expect(json(acc).text_ar).toContain('أُنشئت هيئة لتفتيش أماكن العمل.');
    const dis = await writer.request({ method: 'POST', url: `/api/reports/${reportId}/sections/${t.id}/dismiss`, payload: { version: t.version } });
    expect(json(dis).source_changed).toBe(false);
    const none = await writer.request({ method: 'POST', url: `/api/reports/${reportId}/sections/${t.id}/dismiss`, payload: { version: t.version + 1 } });
    expect(json(none).error.code).toBe('no_source_change');
    // nothing changed since: compiling again marks nothing
    const quiet = json(await writer.request({ method: 'POST', url: `/api/reports/${reportId}/compile` }));
    expect(quiet.compile).toMatchObject({ changed: 0, pending: 0 });
    expect(quiet.changedSections).toBe(0);
  });

  it('gives each user a revocable iCalendar feed of the deadlines, readable without a session', async () => {
    expect((await writer.request({ method: 'GET', url: '/api/calendar/feed' })).json()).toMatchObject({ active: false });
    const created = await writer.request({ method: 'POST', url: '/api/calendar/feed' });
    expect(created.statusCode).toBe(201);
    const url: string = json(created).url;
    const path = new URL(url).pathname;
    expect(path).toMatch(/^\/api\/calendar\/feed\/[A-Za-z0-9_-]+\.ics$/);
    const ics = await h.app.inject({ method: 'GET', url: path }); // no cookie
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(ics.body.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.body).toContain(`UID:obligation-${obligationId}@rasd`);
    expect(ics.body).toContain('DTSTART;VALUE=DATE:20270720');
    expect(ics.body).toContain('UID:assignment-'); // the writer's ministry has assignments due
    for (const line of ics.body.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const unfolded = ics.body.replace(/\r\n /g, '');
    expect(unfolded).toContain('SUMMARY:تقرير منتصف المدة، الجولة الرابعة (UPR)'); // the user's language (Arabic by default)
    // a new address replaces the old one; revoking ends it
    const again = json(await writer.request({ method: 'POST', url: '/api/calendar/feed' })).url;
    expect((await h.app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: new URL(again).pathname })).statusCode).toBe(200);
    expect((await writer.request({ method: 'DELETE', url: '/api/calendar/feed' })).statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: new URL(again).pathname })).statusCode).toBe(404);
    expect((await writer.request({ method: 'DELETE', url: '/api/calendar/feed' })).statusCode).toBe(404);
  });

  it('shows obligations and assignment due dates in the calendar, filterable by body and entity', async () => {
    const all = json(await viewer.request({ method: 'GET', url: '/api/calendar?from=2027-06-01&to=2027-07-31' }));
    expect(all.items.map((i: any) => i.kind)).toContain('obligation');
    expect(all.items.filter((i: any) => i.kind === 'assignment').every((i: any) => i.date === '2027-06-30')).toBe(true);
    expect(all.items.some((i: any) => i.kind === 'assignment')).toBe(true);
    // each of these assignments has an approved update since its due date was set: answered, never overdue
    expect(all.items.find((i: any) => i.recommendationId === upr[0])).toMatchObject({ answered: true, overdue: false });
    const byEntity = json(await viewer.request({ method: 'GET', url: `/api/calendar?from=2027-06-01&to=2027-07-31&entity=${ministry.id}` }));
    expect(byEntity.items.every((i: any) => i.kind === 'assignment' && i.entityId === ministry.id)).toBe(true);
    const cat = json(await viewer.request({ method: 'GET', url: '/api/calendar?from=2027-06-01&to=2027-07-31&body=CAT' }));
    expect(cat.items).toEqual([]);
    const bad = await viewer.request({ method: 'GET', url: '/api/calendar?from=2027-07-31&to=2027-06-01' });
    expect(json(bad).error.code).toBe('invalid_period');
  });

  it('exports the draft as DOCX (UN layout, right-to-left Arabic) and PDF; the Arabic heading is right-aligned on the page', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rasd-report-export-${engine}-`));
    try {
      const docx = await writer.request({ method: 'GET', url: `/api/reports/${reportId}/export?format=docx&lang=ar` });
      expect(docx.statusCode).toBe(200);
      expect(docx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(docx.headers['content-disposition']).toMatch(/^attachment; filename="upr_midterm-[0-9a-f]{8}-ar\.docx"/);
      const xml = await readZipText(docx.rawPayload, 'word/document.xml');
      expect(xml).toMatch(/<w:sectPr[^>]*>[\s\S]*<w:bidi\/>[\s\S]*<\/w:sectPr>/); // section right-to-left
      expect(xml).toContain('<w:bidiVisual/>'); // the symbol/date table
      expect((xml.match(/<w:bidi\/>/g) ?? []).length).toBeGreaterThan(10); // paragraphs
      expect(xml).toContain('<w:rtl/>');
      expect(xml).toContain('w:cs="Noto Naskh Arabic"');
      expect(xml).toContain('المنهجية وعملية التشاور');
      // the document symbol of the source stays in a left-to-right run of its own
      expect(xml).toMatch(/<w:r><w:rPr>(?:(?!<w:rtl\/>)[\s\S])*?<\/w:rPr><w:t xml:space="preserve">A\/HRC\/59\/98<\/w:t><\/w:r>/);
      expect(xml).not.toContain('The new domestic workers law'); // English text stays out of the Arabic document
      // the footnote of the methodology section is a real footnote, not counted text
      const notes = await readZipText(docx.rawPayload, 'word/footnotes.xml');
      expect(notes).toContain('عُقدت ثلاث جلسات تشاور في');
      expect(xml).toContain('<w:footnoteReference w:id="1"/>');

      const en = await writer.request({ method: 'GET', url: `/api/reports/${reportId}/export?format=docx&lang=en` });
      const enXml = await readZipText(en.rawPayload, 'word/document.xml');
      expect(enXml).not.toContain('<w:bidi/>');
      expect(enXml).toContain('Methodology and consultation process');
      expect(enXml).toContain('The new domestic workers law was adopted.');

      const pdf = await writer.request({ method: 'GET', url: `/api/reports/${reportId}/export?format=pdf&lang=ar` });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const pdfFile = path.join(dir, 'report-ar.pdf');
      fs.writeFileSync(pdfFile, pdf.rawPayload);
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdfFile, path.join(dir, 'page')]);
      expect(fs.readdirSync(dir).some((f) => /^page-0*1\.png$/.test(f))).toBe(true);
      if (process.env.RASD_KEEP_EXPORTS) fs.cpSync(dir, process.env.RASD_KEEP_EXPORTS, { recursive: true }); // to look at the page
      // pdftotext -bbox: the words of the first section heading sit against the right margin
      const bbox = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', pdfFile, '-']).toString('utf8');
      const page = /<page width="([\d.]+)"/.exec(bbox)!;
      const width = Number(page[1]);
      const words = [...bbox.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({
        xMin: Number(m[1]),
        y: Number(m[2]),
        xMax: Number(m[3]),
        text: m[4]!,
      }));
      // poppler gives Arabic words in visual order (reversed); either way is accepted
      const heading = words.find((w) => w.text === 'المنهجية' || [...w.text].reverse().join('') === 'المنهجية')!;
      expect(heading).toBeDefined();
      const line = words.filter((w) => Math.abs(w.y - heading.y) < 2);
      const right = Math.max(...line.map((w) => w.xMax));
      const left = Math.min(...line.map((w) => w.xMin));
      expect(width - right).toBeLessThan(80); // within the right margin (2 cm ≈ 57 pt)
      expect(left).toBeGreaterThan(width / 2); // a short heading: it does not start on the left

      const prior = process.env.SOFFICE;
      process.env.SOFFICE = path.join(dir, 'no-soffice-here');
      try {
        const missing = await writer.request({ method: 'GET', url: `/api/reports/${reportId}/export?format=pdf&lang=en` });
        expect(missing.statusCode).toBe(422);
        expect(json(missing).error).toMatchObject({ code: 'pdf_unavailable' });
        expect(json(missing).error.message_ar).toContain('DOCX');
      } finally {
        if (prior === undefined) delete process.env.SOFFICE;
        else process.env.SOFFICE = prior;
      }
      expect((await writer.request({ method: 'GET', url: `/api/reports/${reportId}/export?format=odt` })).statusCode).toBe(400);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('review: comments by the coordinator, resolved by the writer, approve, submit with symbol and date, then locked; all audited', async () => {
    let report = json(await writer.request({ method: 'GET', url: `/api/reports/${reportId}` }));
    const s = section(report, 'fixed:challenges');
    const early = (await coordinator.request({ method: 'POST', url: `/api/reports/${reportId}/approve`, payload: {} })).json().error;
    expect(early).toMatchObject({ code: 'invalid_report_transition', details: { action: 'approve', status: 'draft' } });
    expect(early.message_ar).toContain('سير عمل التقرير');
    const review = await writer.request({ method: 'POST', url: `/api/reports/${reportId}/review`, payload: { version: report.version } });
    expect(review.statusCode).toBe(200);
    expect(json(review)).toMatchObject({ status: 'in_review', obligation: { status: 'in_review' } });
    expect((await focal.request({ method: 'POST', url: `/api/reports/${reportId}/comments`, payload: { sectionId: s.id, body: 'x' } })).statusCode).toBe(403);
    const comment = await coordinator.request({ method: 'POST', url: `/api/reports/${reportId}/comments`, payload: { sectionId: s.id, body: 'أضيفوا التحديات المتعلقة بالميزانية.' } });
    expect(comment.statusCode).toBe(201);
    const commentId = json(comment).id;
    const blocked = await coordinator.request({ method: 'POST', url: `/api/reports/${reportId}/approve`, payload: {} });
    expect(blocked.statusCode).toBe(409);
    expect(json(blocked).error).toMatchObject({ code: 'open_comments', details: { open: 1 } });
    expect((await writer.request({ method: 'POST', url: `/api/reports/${reportId}/approve`, payload: {} })).statusCode).toBe(403);
    const fix = await writer.request({ method: 'PATCH', url: `/api/reports/${reportId}/sections/${s.id}`, payload: { version: s.version, text_ar: 'تواجه الدولة قيوداً في الميزانية.' } });
    expect(fix.statusCode).toBe(200);
    const resolved = await writer.request({ method: 'POST', url: `/api/reports/${reportId}/comments/${commentId}/resolve` });
    expect(json(resolved).resolved_by).toBe(writer.userId);
    const approved = await coordinator.request({ method: 'POST', url: `/api/reports/${reportId}/approve`, payload: {} });
    expect(json(approved)).toMatchObject({ status: 'approved', openComments: 0, obligation: { status: 'approved' } });
    const locked = await writer.request({ method: 'PATCH', url: `/api/reports/${reportId}/sections/${s.id}`, payload: { version: s.version + 1, text_ar: 'تعديل' } });
    expect(locked.statusCode).toBe(409);
    expect(json(locked).error.code).toBe('report_locked');
    const noSymbol = await coordinator.request({ method: 'POST', url: `/api/reports/${reportId}/submit`, payload: { submittedOn: '2027-07-15' } });
    expect(json(noSymbol).error.code).toBe('symbol_required');
    const submitted = await coordinator.request({ method: 'POST', url: `/api/reports/${reportId}/submit`, payload: { submittedOn: '2027-07-15', symbol: 'A/HRC/WG.6/TST/1' } });
    expect(submitted.statusCode).toBe(200);
    report = json(submitted);
    expect(report).toMatchObject({ status: 'submitted', symbol: 'A/HRC/WG.6/TST/1', submitted_on: '2027-07-15', obligation: { status: 'submitted' } });
    const obligation = json(await viewer.request({ method: 'GET', url: `/api/obligations/${obligationId}` }));
    expect(obligation).toMatchObject({ status: 'submitted', overdue: false, reports: [{ id: reportId, status: 'submitted' }] });
    // once submitted, the report is public to every signed-in reader
    expect((await viewer.request({ method: 'GET', url: `/api/reports/${reportId}` })).statusCode).toBe(200);
    for (const attempt of [
      writer.request({ method: 'POST', url: `/api/reports/${reportId}/compile` }),
      coordinator.request({ method: 'POST', url: `/api/reports/${reportId}/return`, payload: {} }),
      coordinator.request({ method: 'POST', url: `/api/reports/${reportId}/comments`, payload: { sectionId: s.id, body: 'late' } }),
    ]) {
      expect((await attempt).statusCode).toBe(409);
    }
    const audit = await h.database.db.selectFrom('audit_log').select('action').where('subject_id', '=', reportId).orderBy('id').execute();
    const actions = audit.map((a) => a.action);
    for (const a of ['report.create', 'report.section.edit', 'report.compile', 'report.section.accept', 'report.section.dismiss', 'report.review', 'report.comment', 'report.comment.resolve', 'report.approve', 'report.submit']) {
      expect(actions).toContain(a);
    }
  });
});
