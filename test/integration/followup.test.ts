import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntity } from '../../src/entities/index.ts';
import { JobRunner, jobHandlers } from '../../src/jobs/index.ts';
import { createMailer } from '../../src/notifications/index.ts';
import { fakeExe, makeRecommendations, tinyPdf } from '../helpers/followup.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';

const json = (res: { json(): any }) => res.json();

describeEachEngine('follow-up journey (issue 5)', (engine) => {
  let h: Harness;
  let sink: SmtpSink;
  let dataDir: string;
  let ministry: { id: string };
  let other: { id: string };
  let recIds: string[];
  let coordinator: TestClient;
  let admin: TestClient;
  let focal: TestClient;
  let focalEmail: string;
  let coordinatorEmail: string;
  let focalOther: TestClient;
  let contributor: TestClient;
  const assignmentIds: string[] = [];
  let updateId = '';
  let evidenceId = '';
  const pdf = tinyPdf();

  const upload = (c: TestClient, id: string, bytes: Buffer, name: string) =>
    c.request({ method: 'POST', url: `/api/updates/${id}/evidence`, headers: { 'content-type': 'application/octet-stream', 'x-filename': name }, payload: bytes });
  const statusCounts = async (by: string, value: string) => {
    const body = json(await coordinator.request({ method: 'GET', url: `/api/dashboard/status?by=${by}` }));
    return body.rows.find((r: any) => r.value === value) as { counts: Record<string, number>; total: number; filter: Record<string, string> } | undefined;
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-followup-'));
    h = await createHarness(engine, { DATA_DIR: dataDir, SMTP_URL: sink.url, MAIL_FROM: 'Rasd <rasd@test.example>', REMINDER_DAYS: '7' });
    ministry = await createEntity(h.database.db, { code: 'MOI', name_ar: 'وزارة الداخلية', name_en: 'Ministry of Interior' });
    other = await createEntity(h.database.db, { code: 'MOH', name_ar: 'وزارة الصحة', name_en: 'Ministry of Health' });
    recIds = await makeRecommendations(h.database.db, 3, { body: 'CAT', symbol: 'CAT/C/TST/CO/1' });
    focalEmail = `focal.moi.${engine}@test.example`;
    coordinatorEmail = `coord.${engine}@test.example`;
    coordinator = await h.loginAs('coordinator', { email: coordinatorEmail });
    admin = await h.loginAs('admin');
    focal = await h.loginAs('focal_point', { entityId: ministry.id, email: focalEmail });
    focalOther = await h.loginAs('focal_point', { entityId: other.id });
    contributor = await h.loginAs('contributor', { entityId: ministry.id });
  });
  afterAll(async () => {
    await closeHarness(h);
    await sink?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('1. a coordinator assigns three recommendations to a ministry in one request', async () => {
    const before = await statusCounts('body', 'CAT');
    expect(before?.counts.not_started).toBe(3);
    const res = await coordinator.request({
      method: 'POST',
      url: '/api/assignments',
      payload: { recommendationIds: recIds, entityId: ministry.id, role: 'lead', dueDate: '2027-01-15' },
    });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ created: 3, updated: 0 });
    assignmentIds.push(...json(res).ids);
    const list = json(await focal.request({ method: 'GET', url: `/api/assignments?entity=${ministry.id}` }));
    expect(list.total).toBe(3);
    const ws = json(await focal.request({ method: 'GET', url: '/api/workspace' }));
    expect(ws.entity.id).toBe(ministry.id);
    expect(ws.assignments).toHaveLength(3);
    const byEntity = await statusCounts('entity', ministry.id);
    expect(byEntity).toMatchObject({ total: 3, filter: { entity: ministry.id } });
  });

  it('2. the focal point drafts an update with a PDF and submits it', async () => {
    const res = await focal.request({
      method: 'POST',
      url: `/api/assignments/${assignmentIds[0]}/updates`,
      payload: {
        period_start: '2026-01-01',
        period_end: '2026-06-30',
        text_ar: 'أُعدّ مشروع قانون لتجريم التعذيب.',
        proposed_status: 'in_progress',
        measures: [{ type: 'legislation', description_ar: 'مشروع قانون', description_en: 'Draft law' }],
        indicators: [{ name: 'Officers trained', value: 120, unit: 'people' }],
      },
    });
    expect(res.statusCode).toBe(201);
    updateId = json(res).id;
    expect(json(res)).toMatchObject({ status: 'draft', version: 1, measures: [{ type: 'legislation' }], indicators: [{ value: '120' }] });

    const up = await upload(focal, updateId, pdf, encodeURIComponent('تقرير الوزارة.pdf'));
    expect(up.statusCode).toBe(201);
    evidenceId = json(up).id;
    expect(json(up)).toMatchObject({ mime: 'application/pdf', size: pdf.length, original_name: 'تقرير الوزارة.pdf' });
    expect(json(up).stored_name).toBeUndefined();

    const dl = await focal.request({ method: 'GET', url: `/api/evidence/${evidenceId}` });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toMatch(/^attachment; /);
    expect(dl.headers['content-disposition']).toContain(encodeURIComponent('تقرير الوزارة.pdf'));
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.rawPayload.equals(pdf)).toBe(true);
    // stored outside any web root, under a generated name
    const stored = fs.readdirSync(path.join(dataDir, 'evidence'));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^[0-9a-f-]{36}$/);

    const contributorSubmit = await contributor.request({ method: 'POST', url: `/api/updates/${updateId}/submit`, payload: {} });
    expect(contributorSubmit.statusCode).toBe(403);
    const sub = await focal.request({ method: 'POST', url: `/api/updates/${updateId}/submit`, payload: { version: 1 } });
    expect(sub.statusCode).toBe(200);
    expect(json(sub)).toMatchObject({ status: 'submitted', version: 2 });
    const notes = json(await coordinator.request({ method: 'GET', url: '/api/notifications' }));
    expect(notes.items.some((n: any) => n.kind === 'update.submit' && n.link === `/updates/${updateId}`)).toBe(true);
  });

  it('3. the coordinator returns it with a comment', async () => {
    const noComment = await coordinator.request({ method: 'POST', url: `/api/updates/${updateId}/return`, payload: {} });
    expect(noComment.statusCode).toBe(400);
    const res = await coordinator.request({ method: 'POST', url: `/api/updates/${updateId}/return`, payload: { comment: 'أضيفوا رقم مشروع القانون.' } });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ status: 'returned', review_comment: 'أضيفوا رقم مشروع القانون.' });
    const notes = json(await focal.request({ method: 'GET', url: '/api/notifications' }));
    expect(notes.items.some((n: any) => n.kind === 'update.return' && n.body_ar === 'أضيفوا رقم مشروع القانون.')).toBe(true);
  });

  it('4. the focal point revises (stale versions get 409) and resubmits; the coordinator approves', async () => {
    const current = json(await focal.request({ method: 'GET', url: `/api/updates/${updateId}` }));
    const edit = await focal.request({
      method: 'PATCH',
      url: `/api/updates/${updateId}`,
      payload: { version: current.version, text_ar: 'أُحيل مشروع القانون رقم 12 لسنة 2026 إلى مجلس الأمة.', proposed_status: 'partially_implemented' },
    });
    expect(edit.statusCode).toBe(200);
    expect(json(edit).version).toBe(current.version + 1);
    const stale = await focal.request({ method: 'PATCH', url: `/api/updates/${updateId}`, payload: { version: current.version, text_en: 'late edit' } });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.code).toBe('version_conflict');
    expect((await focal.request({ method: 'POST', url: `/api/updates/${updateId}/submit`, payload: {} })).statusCode).toBe(200);
    const approve = await coordinator.request({ method: 'POST', url: `/api/updates/${updateId}/approve`, payload: { comment: 'شكراً' } });
    expect(approve.statusCode).toBe(200);
    expect(json(approve)).toMatchObject({ status: 'approved', statusChanged: [recIds[0]] });
    // an approved update is final
    const again = await focal.request({ method: 'POST', url: `/api/updates/${updateId}/submit`, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe('invalid_transition');
    const editApproved = await focal.request({ method: 'PATCH', url: `/api/updates/${updateId}`, payload: { version: 5, text_en: 'x' } });
    expect(editApproved.statusCode).toBe(409);
  });

  it('5. the status changes with history, the dashboards change, and the audit shows every step', async () => {
    const rec = json(await focal.request({ method: 'GET', url: `/api/recommendations/${recIds[0]}` }));
    expect(rec.status).toBe('partially_implemented');
    expect(rec.statusHistory[0]).toMatchObject({ from_status: 'not_started', to_status: 'partially_implemented' });
    // the reason is a code and its parameters (rendered in the reader's language), plus the reviewer's own words
    expect(rec.statusHistory[0]).toMatchObject({ reason_code: 'update_approved', reason_params: { update_id: updateId }, reason: 'شكراً' });

    const cat = await statusCounts('body', 'CAT');
    expect(cat?.counts).toMatchObject({ not_started: 2, partially_implemented: 1 });
    expect(cat?.filter).toEqual({ body: 'CAT' });
    const ent = await statusCounts('entity', ministry.id);
    expect(ent?.counts).toMatchObject({ not_started: 2, partially_implemented: 1 });
    const trend = json(await coordinator.request({ method: 'GET', url: '/api/dashboard/trend?months=3' }));
    const thisMonth = trend.months.at(-1);
    expect(thisMonth.changes.partially_implemented).toBeGreaterThanOrEqual(1);
    expect(thisMonth.approvedUpdates).toBeGreaterThanOrEqual(1);

    const audit = json(await admin.request({ method: 'GET', url: `/api/admin/audit?subjectType=progress_update&pageSize=100` }));
    const steps = audit.items.filter((a: any) => a.subject_id === updateId).map((a: any) => a.action).reverse();
    expect(steps).toEqual(['update.create', 'evidence.add', 'update.submit', 'update.return', 'update.edit', 'update.submit', 'update.approve']);
    const assigned = json(await admin.request({ method: 'GET', url: '/api/admin/audit?action=assignment.create' }));
    expect(assigned.total).toBe(3);
    const status = json(await admin.request({ method: 'GET', url: `/api/admin/audit?action=recommendation.&subjectType=recommendation` }));
    expect(status.items.some((a: any) => a.subject_id === recIds[0] && a.after.status === 'partially_implemented')).toBe(true);
    const byActor = json(await admin.request({ method: 'GET', url: `/api/admin/audit?actor=${encodeURIComponent(focalEmail)}&from=2000-01-01&to=2999-12-31` }));
    expect(byActor.items.every((a: any) => a.actor_email === focalEmail)).toBe(true);
    expect(byActor.total).toBeGreaterThanOrEqual(4);
    expect((await coordinator.request({ method: 'GET', url: '/api/admin/audit' })).statusCode).toBe(403);
  });

  it('6. when the items fall due, the reminder e-mail arrives (once), then the overdue notice', async () => {
    const mailer = createMailer({ smtpUrl: h.config.smtpUrl, from: h.config.mailFrom });
    const runAt = (iso: string) =>
      new JobRunner(h.database.db, jobHandlers(h.config, mailer), { now: () => new Date(iso), daily: [{ kind: 'reminders', hourUtc: 5 }] });
    try {
      const early = runAt('2026-12-01T06:00:00Z');
      await early.ensureDaily();
      await early.runDue();
      expect(sink.messages).toHaveLength(0); // due 2027-01-15 is more than 7 days away

      const day = runAt('2027-01-10T06:00:00Z');
      await day.ensureDaily();
      expect(await day.runDue()).toBe(1);
      expect(sink.messages).toHaveLength(1);
      const mail = sink.messages[0]!;
      expect(mail.to).toEqual([focalEmail]);
      expect(mail.subject).toContain('تذكير');
      expect(mail.subject).toContain('Reminder');
      // Arabic first, then English; the two still-open items, not the approved one
      expect(mail.text.indexOf('يحين قريباً')).toBeGreaterThanOrEqual(0);
      expect(mail.text.indexOf('يحين قريباً')).toBeLessThan(mail.text.indexOf('due soon'));
      expect(mail.text).toContain('وزارة الداخلية');
      expect(mail.text).toContain('Ministry of Interior');
      expect(mail.text).toContain('CAT/C/TST/CO/1 11');
      expect(mail.text).toContain('CAT/C/TST/CO/1 12');
      expect(mail.text).not.toContain('CAT/C/TST/CO/1 10 ');
      expect(mail.html).toContain('dir="rtl"');

      // the same day again (another instance, or a restart): nothing new
      await day.ensureDaily();
      expect(await day.runDue()).toBe(0);
      const later = runAt('2027-01-12T06:00:00Z');
      await later.ensureDaily();
      await later.runDue();
      expect(sink.messages).toHaveLength(1);

      const overdue = runAt('2027-01-20T06:00:00Z');
      await overdue.ensureDaily();
      await overdue.runDue();
      expect(sink.messages).toHaveLength(2);
      expect(sink.messages[1]!.to.sort()).toEqual([coordinatorEmail, focalEmail].sort());
      expect(sink.messages[1]!.subject).toContain('Overdue');

      const notes = json(await focal.request({ method: 'GET', url: '/api/notifications?unread=true' }));
      const reminder = notes.items.find((n: any) => n.kind === 'reminder.due');
      expect(reminder).toBeTruthy();
      const read = await focal.request({ method: 'POST', url: `/api/notifications/${reminder.id}/read`, payload: {} });
      expect(read.statusCode).toBe(200);
      const after = json(await focal.request({ method: 'GET', url: '/api/notifications?unread=true' }));
      expect(after.unread).toBe(notes.unread - 1);
      // someone else's notification is not found
      expect((await focalOther.request({ method: 'POST', url: `/api/notifications/${reminder.id}/read`, payload: {} })).statusCode).toBe(404);

      const od = json(await coordinator.request({ method: 'GET', url: '/api/dashboard/overdue' }));
      expect(od.today).toBeTruthy();
    } finally {
      mailer.close();
    }
  });

  describe('bad input and attacks', () => {
    let draftId = '';
    beforeAll(async () => {
      const res = await focal.request({ method: 'POST', url: `/api/assignments/${assignmentIds[1]}/updates`, payload: { text_en: 'Work in progress' } });
      draftId = json(res).id;
    });

    it('rejects an executable renamed to .pdf (415 unsupported_file_type)', async () => {
      const res = await upload(focal, draftId, fakeExe(), 'report.pdf');
      expect(res.statusCode).toBe(415);
      expect(json(res).error.code).toBe('unsupported_file_type');
    });

    it('rejects a file over the 10 MB limit (413 file_too_large)', async () => {
      const big = Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024)]);
      const res = await upload(focal, draftId, big, 'big.pdf');
      expect(res.statusCode).toBe(413);
      expect(json(res).error.code).toBe('file_too_large');
    });

    it.each(['../../etc/passwd', encodeURIComponent('../../etc/passwd'), '..\\..\\boot.ini', 'a/b.pdf', '..', encodeURIComponent('x\u0000.pdf')])(
      'rejects the path-traversal file name %s (400 invalid_filename) and writes nothing',
      async (name) => {
        const before = fs.readdirSync(path.join(dataDir, 'evidence')).length;
        const res = await upload(focal, draftId, pdf, name);
        expect(res.statusCode).toBe(400);
        expect(json(res).error.code).toBe('invalid_filename');
        expect(fs.readdirSync(path.join(dataDir, 'evidence')).length).toBe(before);
        expect(fs.existsSync(path.join(dataDir, 'etc'))).toBe(false);
      },
    );

    it('refuses a JSON body on the upload route', async () => {
      const res = await focal.request({ method: 'POST', url: `/api/updates/${draftId}/evidence`, headers: { 'x-filename': 'a.pdf' }, payload: { a: 1 } });
      expect(res.statusCode).toBe(415);
    });

    it('refuses transitions the workflow does not allow (409 invalid_transition)', async () => {
      const approveDraft = await coordinator.request({ method: 'POST', url: `/api/updates/${draftId}/approve`, payload: {} });
      expect(approveDraft.statusCode).toBe(409);
      expect(json(approveDraft).error.code).toBe('invalid_transition');
      const returnDraft = await coordinator.request({ method: 'POST', url: `/api/updates/${draftId}/return`, payload: { comment: 'x' } });
      expect(json(returnDraft).error.code).toBe('invalid_transition');
    });

    it("stops a focal point of another entity acting on or reading this ministry's work (403)", async () => {
      const attempts = [
        focalOther.request({ method: 'POST', url: `/api/assignments/${assignmentIds[1]}/updates`, payload: { text_en: 'x' } }),
        focalOther.request({ method: 'PATCH', url: `/api/updates/${draftId}`, payload: { version: 1, text_en: 'x' } }),
        focalOther.request({ method: 'POST', url: `/api/updates/${draftId}/submit`, payload: {} }),
        upload(focalOther, draftId, pdf, 'x.pdf'),
        focalOther.request({ method: 'GET', url: `/api/updates/${draftId}` }),
        focalOther.request({ method: 'GET', url: `/api/workspace?entity=${ministry.id}` }),
        focalOther.request({ method: 'DELETE', url: `/api/updates/${draftId}` }),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.statusCode).toBe(403);
        expect(json(res).error.code).toBe('forbidden');
      }
      // drafts and their evidence: attach a file to the draft, then try to read it from the other entity
      const up = await upload(focal, draftId, pdf, 'draft-evidence.pdf');
      expect(up.statusCode).toBe(201);
      expect((await focalOther.request({ method: 'GET', url: `/api/evidence/${json(up).id}` })).statusCode).toBe(403);
      // approved work is readable by everyone signed in, evidence included
      expect((await focalOther.request({ method: 'GET', url: `/api/updates/${updateId}` })).statusCode).toBe(200);
      expect((await focalOther.request({ method: 'GET', url: `/api/evidence/${evidenceId}` })).statusCode).toBe(200);
      // the list of an assignment's updates hides the draft from the other entity
      const list = json(await focalOther.request({ method: 'GET', url: `/api/assignments/${assignmentIds[1]}/updates` }));
      expect(list.items).toEqual([]);
      const own = json(await focal.request({ method: 'GET', url: `/api/assignments/${assignmentIds[1]}/updates` }));
      expect(own.items.map((u: any) => u.id)).toEqual([draftId]);
    });

    it('refuses unknown recommendations and entities in a bulk assignment, changing nothing', async () => {
      const before = json(await coordinator.request({ method: 'GET', url: '/api/assignments' })).total;
      const res = await coordinator.request({ method: 'POST', url: '/api/assignments', payload: { recommendationIds: [recIds[0], 'nope'], entityId: other.id, role: 'supporting' } });
      expect(res.statusCode).toBe(400);
      expect(json(res).error).toMatchObject({ code: 'unknown_recommendation', details: { missing: ['nope'] } });
      const noEntity = await coordinator.request({ method: 'POST', url: '/api/assignments', payload: { recommendationIds: [recIds[0]], entityId: 'nope' } });
      expect(json(noEntity).error.code).toBe('unknown_entity');
      const both = await coordinator.request({ method: 'POST', url: '/api/assignments', payload: { recommendationIds: [recIds[0]], clusterId: 'c', entityId: other.id } });
      expect(both.statusCode).toBe(400);
      expect(json(await coordinator.request({ method: 'GET', url: '/api/assignments' })).total).toBe(before);
    });

    it('filters assignments by due date and overdue state', async () => {
      const due = json(await coordinator.request({ method: 'GET', url: `/api/assignments?entity=${ministry.id}&due=2027-01-31` }));
      expect(due.total).toBe(2); // the approved one is answered
      const none = json(await coordinator.request({ method: 'GET', url: `/api/assignments?entity=${ministry.id}&due=2027-01-01` }));
      expect(none.total).toBe(0);
    });

    it('assigns a cluster, and approving its update sets the status of every recommendation in it', async () => {
      const ids = await makeRecommendations(h.database.db, 2, { body: 'CEDAW' });
      await h.database.db.updateTable('recommendations').set({ cluster_id: 'cluster-kafala' }).where('id', 'in', ids).execute();
      const res = await coordinator.request({ method: 'POST', url: '/api/assignments', payload: { clusterId: 'cluster-kafala', entityId: other.id, role: 'lead', dueDate: '2027-06-30' } });
      expect(res.statusCode).toBe(201);
      const [assignmentId] = json(res).ids;
      // re-assigning the same target updates it instead of duplicating
      const again = await coordinator.request({ method: 'POST', url: '/api/assignments', payload: { clusterId: 'cluster-kafala', entityId: other.id, role: 'supporting', dueDate: '2027-06-30' } });
      expect(json(again)).toMatchObject({ created: 0, updated: 1, ids: [assignmentId] });
      const draft = json(await focalOther.request({ method: 'POST', url: `/api/assignments/${assignmentId}/updates`, payload: { text_en: 'Kafala reform bill', proposed_status: 'in_progress' } }));
      expect((await focalOther.request({ method: 'POST', url: `/api/updates/${draft.id}/submit`, payload: {} })).statusCode).toBe(200);
      const approved = json(await coordinator.request({ method: 'POST', url: `/api/updates/${draft.id}/approve`, payload: {} }));
      expect([...approved.statusChanged].sort()).toEqual([...ids].sort());
      const statuses = await h.database.db.selectFrom('recommendations').select('status').where('id', 'in', ids).execute();
      expect(statuses.map((r) => r.status)).toEqual(['in_progress', 'in_progress']);
    });

    it('keeps an assignment with reported work from being deleted', async () => {
      const res = await coordinator.request({ method: 'DELETE', url: `/api/assignments/${assignmentIds[0]}` });
      expect(res.statusCode).toBe(409);
      expect(json(res).error.code).toBe('assignment_has_updates');
    });
  });
});
