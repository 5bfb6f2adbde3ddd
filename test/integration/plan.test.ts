import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEntity } from '../../src/entities/index.ts';
import { newId, nowIso } from '../../src/shared/ids.ts';
import { makeRecommendations } from '../helpers/followup.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const json = (res: { json(): any }) => res.json();

describeEachEngine('national action plan (issue 11)', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  let focal: TestClient;
  let contributor: TestClient;
  let focalOther: TestClient;
  let viewer: TestClient;
  let ministry: { id: string };
  let other: { id: string };
  let catRecs: string[];
  let uprRecs: string[];
  let clusterId: string;
  let sdgId: string;
  let planId = '';
  let pillarId = '';
  let objectiveId = '';
  let actionId = '';
  let clusterActionId = '';
  let indicatorId = '';

  const get = async (c: TestClient, url: string) => {
    const res = await c.request({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  };
  const tree = () => get(coordinator, `/api/plans/${planId}`);
  const findAction = (t: any, id: string) => t.pillars.flatMap((p: any) => p.objectives.flatMap((o: any) => o.actions)).find((a: any) => a.id === id);

  beforeAll(async () => {
    h = await createHarness(engine);
    const db = h.database.db;
    ministry = await createEntity(db, { code: 'MOJ', name_ar: 'وزارة العدل', name_en: 'Ministry of Justice' });
    other = await createEntity(db, { code: 'MSA', name_ar: 'وزارة الشؤون الاجتماعية', name_en: 'Ministry of Social Affairs' });
    catRecs = await makeRecommendations(db, 3, { body: 'CAT', symbol: 'CAT/C/TST/CO/1' });
    uprRecs = await makeRecommendations(db, 4, { body: 'UPR', symbol: 'A/HRC/99/1' });
    // positions: UPR 0,1 supported; 2 noted; 3 partially supported
    const positions = ['supported', 'supported', 'noted', 'partially_supported'] as const;
    for (const [i, id] of uprRecs.entries()) await db.updateTable('recommendations').set({ position: positions[i]! }).where('id', '=', id).execute();
    const now = nowIso();
    clusterId = newId();
    await db
      .insertInto('clusters')
      .values({ id: clusterId, title_ar: 'المصادقة على البروتوكول الاختياري', title_en: 'Ratify OPCAT', status: 'accepted', job_id: null, similarity_pct: null, created_by: null, created_at: now, updated_at: now })
      .execute();
    await db.updateTable('recommendations').set({ cluster_id: clusterId }).where('id', 'in', [catRecs[0]!, uprRecs[0]!]).execute();
    sdgId = newId();
    await db.insertInto('terms').values({ id: sdgId, kind: 'sdg_target', code: '16.10', label_ar: 'وصول الجمهور إلى المعلومات', label_en: 'Public access to information', parent_id: null, sort: 1610, created_at: now }).execute();
    await db.insertInto('recommendation_terms').values({ recommendation_id: uprRecs[0]!, term_id: sdgId }).execute();
    coordinator = await h.loginAs('coordinator');
    focal = await h.loginAs('focal_point', { entityId: ministry.id });
    contributor = await h.loginAs('contributor', { entityId: ministry.id });
    focalOther = await h.loginAs('focal_point', { entityId: other.id });
    viewer = await h.loginAs('viewer');
    // the cluster is assigned: the ministry leads, the other supports
    for (const [entityId, role] of [
      [ministry.id, 'lead'],
      [other.id, 'supporting'],
    ] as const) {
      const res = await coordinator.request({ method: 'POST', url: '/api/assignments', payload: { clusterId, entityId, role } });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(() => closeHarness(h));

  it('a coordinator creates a plan; others may not; bad periods are refused', async () => {
    const body = { title_ar: 'الخطة الوطنية لحقوق الإنسان', title_en: 'National Human Rights Action Plan', period_start: '2026-01-01', period_end: '2029-12-31' };
    expect((await focal.request({ method: 'POST', url: '/api/plans', payload: body })).statusCode).toBe(403);
    const bad = await coordinator.request({ method: 'POST', url: '/api/plans', payload: { ...body, period_end: '2025-01-01' } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.code).toBe('invalid_period');
    const res = await coordinator.request({ method: 'POST', url: '/api/plans', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    planId = json(res).id;
    expect(json(res)).toMatchObject({ status: 'draft', version_number: 1, version: 1 });
    const list = await get(viewer, '/api/plans');
    expect(list.items).toEqual([expect.objectContaining({ id: planId, title_ar: body.title_ar, title_en: body.title_en, status: 'draft' })]);
  });

  it('builds pillars, objectives and an action with every field; refuses bad input with a code', async () => {
    let res = await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/pillars`, payload: { code: 'P1', title_ar: 'العدالة', title_en: 'Justice' } });
    expect(res.statusCode, res.body).toBe(201);
    pillarId = json(res).id;
    res = await coordinator.request({ method: 'POST', url: `/api/plan-pillars/${pillarId}/objectives`, payload: { code: 'O1.1', title_ar: 'منع التعذيب', title_en: 'Prevent torture' } });
    expect(res.statusCode, res.body).toBe(201);
    objectiveId = json(res).id;
    const action = {
      code: 'A1',
      title_ar: 'إنشاء آلية وقائية وطنية',
      title_en: 'Set up a national preventive mechanism',
      description_ar: 'وصف',
      description_en: 'Description',
      lead_entity_id: ministry.id,
      partner_entity_ids: [other.id],
      start_date: '2026-03-01',
      end_date: '2027-06-30',
      budget_amount: '250000.50',
      budget_source: 'state_budget',
      priority: 'high',
      recommendation_ids: [catRecs[1]!],
      sdg_target_ids: [sdgId],
    };
    const bad = async (patch: Record<string, unknown>, status: number, code: string) => {
      const r = await coordinator.request({ method: 'POST', url: `/api/plan-objectives/${objectiveId}/actions`, payload: { ...action, ...patch } });
      expect(r.statusCode, r.body).toBe(status);
      expect(json(r).error.code).toBe(code);
    };
    await bad({ end_date: '2026-01-01' }, 400, 'invalid_period');
    await bad({ lead_entity_id: 'no-such-entity' }, 400, 'unknown_entity');
    await bad({ partner_entity_ids: ['nope'] }, 400, 'unknown_entity');
    await bad({ recommendation_ids: ['nope'] }, 400, 'unknown_recommendation');
    await bad({ sdg_target_ids: ['nope'] }, 400, 'unknown_sdg_target');
    await bad({ budget_amount: 'lots' }, 400, 'validation_failed');
    expect((await focal.request({ method: 'POST', url: `/api/plan-objectives/${objectiveId}/actions`, payload: action })).statusCode).toBe(403);
    res = await coordinator.request({ method: 'POST', url: `/api/plan-objectives/${objectiveId}/actions`, payload: action });
    expect(res.statusCode, res.body).toBe(201);
    actionId = json(res).id;
    expect(json(res)).toMatchObject({
      code: 'A1',
      lead_entity_id: ministry.id,
      partner_entity_ids: [other.id],
      recommendation_ids: [catRecs[1]],
      sdg_target_ids: [sdgId],
      budget_amount: '250000.5',
      budget_currency: 'KWD',
      budget_source: 'state_budget',
      priority: 'high',
      status: 'not_started',
    });
    await bad({}, 409, 'duplicate_code');
    const t = await tree();
    expect(t.counts).toMatchObject({ pillars: 1, objectives: 1, actions: 1 });
    const a = findAction(t, actionId);
    expect(a.partners[0]).toMatchObject({ id: other.id, code: 'MSA' });
    expect(a.recommendations[0]).toMatchObject({ id: catRecs[1], symbol: 'CAT/C/TST/CO/1' });
    expect(a.sdg_targets[0]).toMatchObject({ code: '16.10' });
    expect(a.lead_code).toBe('MOJ');
    // every change is in the audit log
    const audit = await h.database.db.selectFrom('audit_log').select('action').where('subject_id', 'in', [planId, pillarId, objectiveId, actionId]).execute();
    expect(audit.map((x) => x.action).sort()).toEqual(['plan.action.create', 'plan.create', 'plan.objective.create', 'plan.pillar.create']);
  });

  it('two people editing one action: one wins, the other gets 409 version_conflict', async () => {
    const [r1, r2] = await Promise.all([
      coordinator.request({ method: 'PATCH', url: `/api/plan-actions/${actionId}`, payload: { version: 1, title_en: 'Set up the NPM' } }),
      coordinator.request({ method: 'PATCH', url: `/api/plan-actions/${actionId}`, payload: { version: 1, title_en: 'Create an NPM' } }),
    ]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    const loser = r1.statusCode === 409 ? r1 : r2;
    expect(json(loser).error.code).toBe('version_conflict');
    const winner = r1.statusCode === 200 ? r1 : r2;
    expect(json(winner).version).toBe(2);
    // a stale pillar edit too
    const p = await coordinator.request({ method: 'PATCH', url: `/api/plan-pillars/${pillarId}`, payload: { version: 7, title_en: 'x' } });
    expect(p.statusCode).toBe(409);
    expect(json(p).error.code).toBe('version_conflict');
    const edit = await coordinator.request({ method: 'PATCH', url: `/api/plan-actions/${actionId}`, payload: { version: 2, partner_entity_ids: [], end_date: '2026-01-01' } });
    expect(edit.statusCode).toBe(400);
    expect(json(edit).error.code).toBe('invalid_period');
    const audit = await h.database.db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'plan.action.edit').where('subject_id', '=', actionId).execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after!)).toEqual({ title_en: json(winner).title_en });
  });

  it('turns a cluster into a draft action: recommendations linked, lead from the cluster assignment', async () => {
    const res = await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/actions/from-cluster`, payload: { objective_id: objectiveId, cluster_id: clusterId } });
    expect(res.statusCode, res.body).toBe(201);
    const a = json(res);
    clusterActionId = a.id;
    expect(a).toMatchObject({
      title_en: 'Ratify OPCAT',
      title_ar: 'المصادقة على البروتوكول الاختياري',
      lead_entity_id: ministry.id,
      partner_entity_ids: [other.id],
      cluster_ids: [clusterId],
      sdg_target_ids: [sdgId],
      status: 'not_started',
    });
    expect([...a.recommendation_ids].sort()).toEqual([catRecs[0], uprRecs[0]].sort());
    expect(a.code).toBe('A-2');
    const bad = await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/actions/from-cluster`, payload: { objective_id: objectiveId, cluster_id: 'nope' } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.code).toBe('unknown_cluster');
  });

  it('coverage counts what at least one action answers, filters, and lists the unanswered supported first', async () => {
    const all = await get(viewer, `/api/plans/${planId}/coverage`);
    // answered: catRecs[1] (A1), catRecs[0] + uprRecs[0] (cluster action) → 3 of 7
    expect(all.recommendations).toEqual({ total: 7, answered: 3, unanswered: 4, percent: 43 });
    expect(all.clusters).toEqual({ total: 1, answered: 1, unanswered: 0 });
    expect(all.unanswered.total).toBe(4);
    expect(all.unanswered.items.map((r: any) => r.id)).toEqual([uprRecs[1], uprRecs[3], catRecs[2], uprRecs[2]]);
    expect(all.unanswered.items[0]).toMatchObject({ position: 'supported', symbol: 'A/HRC/99/1', text_en: 'Test recommendation 1' });
    const upr = await get(viewer, `/api/plans/${planId}/coverage?body=UPR`);
    expect(upr.recommendations).toMatchObject({ total: 4, answered: 1 });
    expect(upr.by_position.supported).toEqual({ total: 2, answered: 1 });
    const doc = await get(viewer, `/api/plans/${planId}/coverage?document=${encodeURIComponent('CAT/C/TST/CO/1')}`);
    expect(doc.recommendations).toMatchObject({ total: 3, answered: 2 });
    const cl = await get(viewer, `/api/plans/${planId}/coverage?cluster=${clusterId}`);
    expect(cl.recommendations).toMatchObject({ total: 2, answered: 2 });
    const paged = await get(viewer, `/api/plans/${planId}/coverage?pageSize=1&page=2`);
    expect(paged.unanswered.items.map((r: any) => r.id)).toEqual([uprRecs[3]]);
    // a cancelled action answers nothing
    const a = await get(coordinator, `/api/plan-actions/${clusterActionId}`);
    const cancel = await coordinator.request({ method: 'PATCH', url: `/api/plan-actions/${clusterActionId}`, payload: { version: a.version, status: 'cancelled' } });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect((await get(viewer, `/api/plans/${planId}/coverage`)).recommendations.answered).toBe(1);
    await coordinator.request({ method: 'PATCH', url: `/api/plan-actions/${clusterActionId}`, payload: { version: a.version + 1, status: 'not_started' } });
    expect((await get(viewer, `/api/plans/${planId}/coverage`)).recommendations.answered).toBe(3);
  });

  it("coverage takes the register list's filters (search and every facet) and counts the facets of the unanswered ones", async () => {
    // give two UPR recommendations searchable words through curation (which indexes the text): one answered, one not
    for (const [id, text] of [
      [uprRecs[0]!, 'End the kafala sponsorship of domestic workers'],
      [uprRecs[3]!, 'Abolish the kafala system'],
    ] as const) {
      const rec = await get(coordinator, `/api/recommendations/${id}`);
      const res = await coordinator.request({ method: 'PATCH', url: `/api/recommendations/${id}`, payload: { version: rec.version, text_en: text } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const cov = (query: string) => get(viewer, `/api/plans/${planId}/coverage?${query}`);
    const ids = (c: any) => c.unanswered.items.map((r: any) => r.id);
    const counts = (facet: any[]) => Object.fromEntries(facet.map((f: any) => [f.value, f.count]));

    const kafala = await cov('q=kafala');
    expect(kafala.recommendations).toEqual({ total: 2, answered: 1, unanswered: 1, percent: 50 });
    expect(ids(kafala)).toEqual([uprRecs[3]]);
    expect(kafala.filters).toMatchObject({ q: 'kafala', body: [] });
    expect((await cov('q=kafala&body=CAT')).recommendations.total).toBe(0);

    const supported = await cov('position=supported');
    expect(supported.recommendations).toMatchObject({ total: 2, answered: 1 });
    expect(ids(supported)).toEqual([uprRecs[1]]);
    expect((await cov('position=supported,noted&body=UPR')).recommendations).toMatchObject({ total: 3, answered: 1 });
    const sdg = await cov('sdg=16.10');
    expect(sdg.recommendations).toEqual({ total: 1, answered: 1, unanswered: 0, percent: 100 });
    expect(sdg.unanswered.items).toEqual([]);
    expect((await cov('status=no_such_status')).recommendations.total).toBe(0);
    // a document by its id still works, as before
    const doc = await h.database.db.selectFrom('recommendations').select('document_id').where('id', '=', catRecs[0]!).executeTakeFirstOrThrow();
    expect((await cov(`document=${doc.document_id}`)).recommendations).toMatchObject({ total: 3, answered: 2 });

    // facets count the unanswered ones only (UPR 1, 2, 3 and CAT 2), each facet ignoring its own filter
    const all = await cov('');
    expect(counts(all.unanswered.facets.body)).toEqual({ UPR: 3, CAT: 1 });
    expect(counts(all.unanswered.facets.position)).toEqual({ supported: 1, partially_supported: 1, noted: 1 });
    expect(counts(all.unanswered.facets.document)).toEqual({ 'A/HRC/99/1': 3, 'CAT/C/TST/CO/1': 1 });
    const upr = await cov('body=UPR');
    expect(upr.unanswered.total).toBe(3);
    expect(counts(upr.unanswered.facets.body)).toEqual({ UPR: 3, CAT: 1 });
    expect(counts(upr.unanswered.facets.position)).toEqual({ supported: 1, partially_supported: 1, noted: 1 });
    const noted = await cov('position=noted');
    expect(counts(noted.unanswered.facets.body)).toEqual({ UPR: 1 });
    expect(counts(noted.unanswered.facets.position)).toEqual({ supported: 1, partially_supported: 1, noted: 1 });
  });

  it('indicator values count only once approved, and progress rolls up', async () => {
    const base = { name_ar: 'عدد الزيارات', name_en: 'Visits made', type: 'process', baseline_value: 0, baseline_year: 2025, target_value: 40, target_year: 2028, reporting_entity_id: ministry.id, disaggregation: ['sex', 'nationality'] };
    const noUnit = await coordinator.request({ method: 'POST', url: `/api/plan-actions/${actionId}/indicators`, payload: base });
    expect(noUnit.statusCode).toBe(400);
    expect(json(noUnit).error.code).toBe('unit_required');
    const res = await coordinator.request({ method: 'POST', url: `/api/plan-actions/${actionId}/indicators`, payload: { ...base, unit: 'visits', frequency: 'quarterly' } });
    expect(res.statusCode, res.body).toBe(201);
    indicatorId = json(res).id;
    expect(json(res).disaggregation).toEqual(['sex', 'nationality']);
    const objInd = await coordinator.request({ method: 'POST', url: `/api/plan-objectives/${objectiveId}/indicators`, payload: { name_ar: 'قانون', name_en: 'Law adopted', type: 'structure' } });
    expect(objInd.statusCode, objInd.body).toBe(201);

    const before = await tree();
    expect(findAction(before, actionId).progress).toBe(0);
    expect(before.progress).toBe(0);

    // follow-up is a progress update on the action, from its lead entity (the ministry), with the indicator value
    const report = (c: TestClient, payload: Record<string, unknown>, id = actionId) => c.request({ method: 'POST', url: `/api/plan-actions/${id}/updates`, payload });
    const value = { indicator_id: indicatorId, date: '2026-06-30', value: 20, source: 'Ministry records', note: 'first half' };
    expect((await report(focalOther, { values: [value] })).statusCode).toBe(403);
    expect((await report(viewer, { values: [value] })).statusCode).toBe(403);
    const foreign = await report(contributor, { proposed_status: 'implemented', values: [value] });
    expect(foreign.statusCode).toBe(400);
    expect(json(foreign).error).toMatchObject({ code: 'field_not_for_target', details: { field: 'proposed_status' } });
    const otherInd = json(await coordinator.request({ method: 'POST', url: `/api/plan-actions/${clusterActionId}/indicators`, payload: { name_ar: 'س', name_en: 'Other', type: 'process' } }));
    const wrongInd = await report(contributor, { values: [{ ...value, indicator_id: otherInd.id }] });
    expect(wrongInd.statusCode).toBe(400);
    expect(json(wrongInd).error).toMatchObject({ code: 'indicator_not_of_action', details: { index: 0 } });
    expect((await coordinator.request({ method: 'DELETE', url: `/api/plan-indicators/${otherInd.id}?version=1` })).statusCode).toBe(204);
    const draft = await report(contributor, { text_ar: 'زيارات النصف الأول', text_en: 'First-half visits', proposed_action_status: 'on_track', values: [value] });
    expect(draft.statusCode, draft.body).toBe(201);
    const updateId = json(draft).id;
    expect(json(draft)).toMatchObject({
      status: 'draft',
      action_id: actionId,
      assignment_id: null,
      entity_id: ministry.id,
      proposed_action_status: 'on_track',
      action: { id: actionId, code: 'A1' },
      values: [{ indicator_id: indicatorId, date: '2026-06-30', value: '20', source: 'Ministry records', name_en: 'Visits made', unit: 'visits' }],
    });
    // the objective's indicator (nobody in particular reports it) may be reported from the objective's actions too
    expect(json(draft).reportable_indicators.map((i: any) => i.name_en).sort()).toEqual(['Law adopted', 'Visits made']);

    // evidence: the same upload as for a recommendation's update
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const up = await contributor.request({ method: 'POST', url: `/api/updates/${updateId}/evidence`, headers: { 'content-type': 'application/octet-stream', 'x-filename': encodeURIComponent('محضر الزيارات.pdf') }, payload: pdf });
    expect(up.statusCode, up.body).toBe(201);
    const evidenceId = json(up).id;
    const exe = await contributor.request({ method: 'POST', url: `/api/updates/${updateId}/evidence`, headers: { 'content-type': 'application/octet-stream', 'x-filename': 'x.pdf' }, payload: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]) });
    expect(exe.statusCode).toBe(415);

    // drafts are the entity's: the viewer and the other entity see nothing yet; the contributor cannot submit
    expect((await viewer.request({ method: 'GET', url: `/api/updates/${updateId}` })).statusCode).toBe(403);
    expect((await get(viewer, `/api/plan-actions/${actionId}/updates`)).items).toEqual([]);
    expect((await get(focal, `/api/plan-actions/${actionId}/updates`)).items).toHaveLength(1);
    expect((await get(viewer, `/api/plan-indicators/${indicatorId}/values`)).items).toEqual([]);
    const cs = await contributor.request({ method: "POST", url: `/api/updates/${updateId}/submit` });
    expect(cs.statusCode, cs.body).toBe(403);
    const submitted = await focal.request({ method: 'POST', url: `/api/updates/${updateId}/submit`, payload: { version: 1 } });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(json(submitted).status).toBe('submitted');
    expect((await focal.request({ method: 'POST', url: `/api/updates/${updateId}/approve` })).statusCode).toBe(403);
    // the coordinator is told, and finds it in the review queue with the action named
    const notes = json(await coordinator.request({ method: 'GET', url: '/api/notifications' }));
    expect(notes.items.some((n: any) => n.kind === 'update.submit' && n.link === `/updates/${updateId}`)).toBe(true);
    const ws = await get(coordinator, '/api/workspace');
    expect(ws.awaitingReview.find((u: any) => u.id === updateId)).toMatchObject({ action_id: actionId, action_code: 'A1', action_plan_id: planId, assignment_id: null, proposed_action_status: 'on_track' });

    // submitted but not approved: nothing counts yet
    const mid = await tree();
    const ind = findAction(mid, actionId).indicators[0];
    expect(ind).toMatchObject({ latest: null, attainment: null, submitted_values: 1, approved_values: 0 });
    expect(findAction(mid, actionId).progress).toBe(0);
    expect(findAction(mid, actionId).status).toBe('not_started');

    const stale = await coordinator.request({ method: 'POST', url: `/api/updates/${updateId}/approve`, payload: { version: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.code).toBe('version_conflict');
    const approved = await coordinator.request({ method: 'POST', url: `/api/updates/${updateId}/approve`, payload: { version: 2 } });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(json(approved)).toMatchObject({ status: 'approved', actionStatusChanged: true });
    expect((await coordinator.request({ method: 'POST', url: `/api/updates/${updateId}/approve` })).statusCode).toBe(409);
    expect(json(await focal.request({ method: 'GET', url: '/api/notifications' })).items.some((n: any) => n.kind === 'update.approve' && n.link === `/updates/${updateId}`)).toBe(true);
    // approved: everyone reads it and its evidence; it can no longer change
    expect((await viewer.request({ method: 'GET', url: `/api/evidence/${evidenceId}` })).statusCode).toBe(200);
    expect((await contributor.request({ method: 'PATCH', url: `/api/updates/${updateId}`, payload: { version: 3, values: [] } })).statusCode).toBe(409);

    const after = await tree();
    const a = findAction(after, actionId);
    expect(a.status).toBe('on_track');
    expect(a.indicators[0]).toMatchObject({ latest: { date: '2026-06-30', value: '20' }, attainment: 50, approved_values: 1, submitted_values: 0 });
    // on track (50) blended with 50% attainment → 50; the cluster action (not started, no indicator) → 0; objective mean 25
    expect(a.progress).toBe(50);
    expect(after.pillars[0].objectives[0].progress).toBe(25);
    expect(after.pillars[0].progress).toBe(25);
    expect(after.progress).toBe(25);
    expect(after.dashboard.entities[0]).toMatchObject({ entity_id: ministry.id, actions: 2 });
    expect(after.dashboard.pillars[0].budget).toEqual({ KWD: 250000.5 });
    expect((await get(viewer, `/api/plan-indicators/${indicatorId}/values`)).items).toMatchObject([{ update_id: updateId, value: '20', status: 'approved' }]);
    // the audit shows each step on the update, and the action's status change
    const audit = await h.database.db.selectFrom('audit_log').select(['action', 'subject_id']).where('subject_id', 'in', [updateId, actionId]).orderBy('id').execute();
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(['update.create', 'evidence.add', 'update.submit', 'update.approve', 'plan.action.status.approved_update']));

    // a returned update's value does not count either; revised (stale version → 409) it can be resubmitted
    const v2 = json(await report(focal, { values: [{ indicator_id: indicatorId, date: '2026-12-31', value: 40 }] }));
    await focal.request({ method: 'POST', url: `/api/updates/${v2.id}/submit` });
    const ret = await coordinator.request({ method: 'POST', url: `/api/updates/${v2.id}/return`, payload: { comment: 'Source missing' } });
    expect(json(ret)).toMatchObject({ status: 'returned', review_comment: 'Source missing' });
    expect(findAction(await tree(), actionId).indicators[0].attainment).toBe(50);
    const staleEdit = await focal.request({ method: 'PATCH', url: `/api/updates/${v2.id}`, payload: { version: 1, values: [] } });
    expect(json(staleEdit).error.code).toBe('version_conflict');
    const revised = await focal.request({ method: 'PATCH', url: `/api/updates/${v2.id}`, payload: { version: 3, values: [{ indicator_id: indicatorId, date: '2026-12-31', value: 30, source: 'Inspection register' }] } });
    expect(revised.statusCode, revised.body).toBe(200);
    expect(json(revised).values).toMatchObject([{ value: '30', source: 'Inspection register' }]);
    // a completed action is 100 whatever its indicators say
    const cur = await get(coordinator, `/api/plan-actions/${actionId}`);
    await coordinator.request({ method: 'PATCH', url: `/api/plan-actions/${actionId}`, payload: { version: cur.version, status: 'completed' } });
    expect(findAction(await tree(), actionId).progress).toBe(100);
  });

  it('an adopted plan is frozen (409 plan_adopted) until a new draft version is started', async () => {
    let plan = await tree();
    const skip = await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/status`, payload: { version: plan.version, status: 'adopted' } });
    expect(skip.statusCode).toBe(409);
    expect(json(skip).error.code).toBe('invalid_plan_transition');
    let res = await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/status`, payload: { version: plan.version, status: 'consultation' } });
    expect(res.statusCode, res.body).toBe(200);
    res = await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/status`, payload: { version: plan.version + 1, status: 'adopted' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: 'adopted' });
    plan = await tree();
    expect(plan.editable).toBe(false);

    const pillar = plan.pillars[0];
    const locked = await coordinator.request({ method: 'PATCH', url: `/api/plan-pillars/${pillar.id}`, payload: { version: pillar.version, title_en: 'Justice for all' } });
    expect(locked.statusCode).toBe(409);
    expect(json(locked).error).toMatchObject({ code: 'plan_adopted', details: { newVersion: { method: 'POST', url: `/api/plans/${planId}/versions` } } });
    expect(json(locked).error.message_ar).toBeTruthy();
    const a = findAction(plan, clusterActionId);
    const lockedAction = await coordinator.request({ method: 'PATCH', url: `/api/plan-actions/${a.id}`, payload: { version: a.version, title_en: 'Changed' } });
    expect(json(lockedAction).error.code).toBe('plan_adopted');
    expect((await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/pillars`, payload: { code: 'P2', title_ar: 'ب', title_en: 'B' } })).statusCode).toBe(409);
    expect((await coordinator.request({ method: 'DELETE', url: `/api/plan-actions/${a.id}?version=${a.version}` })).statusCode).toBe(409);
    // follow-up continues on the adopted plan: an update reporting the action's status, approved
    const upd = await focal.request({ method: 'POST', url: `/api/plan-actions/${a.id}/updates`, payload: { proposed_action_status: 'on_track', text_en: 'Started' } });
    expect(upd.statusCode, upd.body).toBe(201);
    expect((await focal.request({ method: 'POST', url: `/api/updates/${json(upd).id}/submit` })).statusCode).toBe(200);
    expect((await coordinator.request({ method: 'POST', url: `/api/updates/${json(upd).id}/approve` })).statusCode).toBe(200);
    expect(findAction(await tree(), a.id).status).toBe('on_track');

    const nv = await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/versions` });
    expect(nv.statusCode, nv.body).toBe(201);
    const v2 = json(nv);
    expect(v2).toMatchObject({ status: 'draft', version_number: 2, previous_id: planId, title_en: plan.title_en });
    expect(json(await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/versions` })).error.code).toBe('draft_version_exists');
    const copy = await get(coordinator, `/api/plans/${v2.id}`);
    expect(copy.counts).toEqual(plan.counts);
    expect(copy.progress).toBe((await tree()).progress);
    const copiedAction = copy.pillars[0].objectives[0].actions.find((x: any) => x.code === 'A1');
    expect(copiedAction.indicators[0]).toMatchObject({ attainment: 50, approved_values: 1 });
    expect(copiedAction.partners).toHaveLength(1);
    expect(copy.versions.map((v: any) => v.version_number)).toEqual([1, 2]);
    const edit = await coordinator.request({ method: 'PATCH', url: `/api/plan-pillars/${copy.pillars[0].id}`, payload: { version: 1, title_en: 'Justice for all' } });
    expect(edit.statusCode, edit.body).toBe(200);
    expect((await tree()).pillars[0].title_en).toBe('Justice');

    // compare the versions: an action removed, one added, one changed (status, title) and a target changed
    const v2Actions = copy.pillars[0].objectives[0].actions;
    const a1 = v2Actions.find((x: any) => x.code === 'A1');
    const a2 = v2Actions.find((x: any) => x.code === 'A-2');
    expect((await coordinator.request({ method: 'DELETE', url: `/api/plan-actions/${a2.id}?version=${a2.version}` })).statusCode).toBe(204);
    expect((await coordinator.request({ method: 'PATCH', url: `/api/plan-actions/${a1.id}`, payload: { version: a1.version, title_en: 'Set up the NPM by law', status: 'on_track' } })).statusCode).toBe(200);
    const ind = a1.indicators[0];
    expect((await coordinator.request({ method: 'PATCH', url: `/api/plan-indicators/${ind.id}`, payload: { version: ind.version, target_value: 60 } })).statusCode).toBe(200);
    expect((await coordinator.request({ method: 'POST', url: `/api/plan-objectives/${copy.pillars[0].objectives[0].id}/actions`, payload: { code: 'A3', title_ar: 'تدريب', title_en: 'Training' } })).statusCode).toBe(201);
    const cmp = await get(viewer, `/api/plans/${v2.id}/compare?with=${planId}`);
    expect(cmp.from).toMatchObject({ id: planId, version_number: 1 });
    expect(cmp.to).toMatchObject({ id: v2.id, version_number: 2 });
    expect(cmp.actions.added.map((x: any) => x.code)).toEqual(['A3']);
    expect(cmp.actions.removed.map((x: any) => x.code)).toEqual(['A-2']);
    expect(cmp.actions.changed).toEqual([
      expect.objectContaining({ code: 'A1', fields: expect.arrayContaining([{ field: 'title_en', from: findAction(plan, actionId).title_en, to: 'Set up the NPM by law' }, { field: 'status', from: 'completed', to: 'on_track' }]) }),
    ]);
    expect(cmp.targets.changed).toEqual([expect.objectContaining({ owner: 'A1', name_en: 'Visits made', fields: [{ field: 'target_value', from: '40', to: '60' }] })]);
    expect(cmp.pillars).toEqual({ added: [], removed: [] });
    const otherPlan = json(await coordinator.request({ method: 'POST', url: '/api/plans', payload: { title_ar: 'أخرى', title_en: 'Other', period_start: '2026-01-01', period_end: '2026-12-31' } }));
    const diff = await viewer.request({ method: 'GET', url: `/api/plans/${v2.id}/compare?with=${otherPlan.id}` });
    expect(diff.statusCode).toBe(400);
    expect(json(diff).error.code).toBe('different_plans');

    // adopting version 2 archives version 1
    let v = (await get(coordinator, `/api/plans/${v2.id}`)).version;
    await coordinator.request({ method: 'POST', url: `/api/plans/${v2.id}/status`, payload: { version: v, status: 'consultation' } });
    v += 1;
    expect((await coordinator.request({ method: 'POST', url: `/api/plans/${v2.id}/status`, payload: { version: v, status: 'adopted' } })).statusCode).toBe(200);
    const list = await get(viewer, '/api/plans');
    expect(Object.fromEntries(list.items.filter((p: any) => p.lineage_id === planId).map((p: any) => [p.version_number, p.status]))).toEqual({ 1: 'archived', 2: 'adopted' });
    // the list is a summary read: its counts and progress are the plan page's
    expect(list.items.length).toBeGreaterThanOrEqual(3);
    for (const item of list.items) {
      const full = await get(viewer, `/api/plans/${item.id}`);
      expect({ counts: item.counts, progress: item.progress }, item.title_en).toEqual({ counts: full.counts, progress: full.progress });
    }
    expect(list.items.find((p: any) => p.id === v2.id).progress).not.toBeNull();
    // an archived version takes no more reports
    const late = await focal.request({ method: 'POST', url: `/api/plan-actions/${actionId}/updates`, payload: { text_en: 'Late' } });
    expect(late.statusCode).toBe(409);
    expect(json(late).error.code).toBe('plan_archived');
  });

  it('a draft plan, a pillar and an objective are edited, then the objective and the pillar removed (204, nothing in the body)', async () => {
    const created = await coordinator.request({ method: 'POST', url: '/api/plans', payload: { title_ar: 'خطة للتعديل', title_en: 'A plan to edit', period_start: '2026-01-01', period_end: '2027-12-31' } });
    expect(created.statusCode, created.body).toBe(201);
    const plan = json(created);
    const renamed = await coordinator.request({ method: 'PATCH', url: `/api/plans/${plan.id}`, payload: { version: plan.version, title_en: 'A plan, renamed', period_end: '2028-12-31' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(json(renamed)).toMatchObject({ id: plan.id, title_en: 'A plan, renamed', period_end: '2028-12-31', version: plan.version + 1, status: 'draft' });
    const pillar = json(await coordinator.request({ method: 'POST', url: `/api/plans/${plan.id}/pillars`, payload: { code: 'E1', title_ar: 'محور', title_en: 'Pillar' } }));
    const objective = json(await coordinator.request({ method: 'POST', url: `/api/plan-pillars/${pillar.id}/objectives`, payload: { code: 'E1.1', title_ar: 'هدف', title_en: 'Objective' } }));
    expect(objective).toMatchObject({ pillar_id: pillar.id, plan_id: plan.id, version: 1 });
    const edited = await coordinator.request({ method: 'PATCH', url: `/api/plan-objectives/${objective.id}`, payload: { version: 1, code: 'E1.2', title_en: 'Objective, renamed' } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(json(edited)).toMatchObject({ id: objective.id, pillar_id: pillar.id, code: 'E1.2', title_en: 'Objective, renamed', version: 2 });
    expect((await coordinator.request({ method: 'DELETE', url: `/api/plan-objectives/${objective.id}?version=1` })).statusCode).toBe(409);
    const goneObjective = await coordinator.request({ method: 'DELETE', url: `/api/plan-objectives/${objective.id}?version=2` });
    expect(goneObjective.statusCode, goneObjective.body).toBe(204);
    expect(goneObjective.body).toBe('');
    const gonePillar = await coordinator.request({ method: 'DELETE', url: `/api/plan-pillars/${pillar.id}?version=1` });
    expect(gonePillar.statusCode, gonePillar.body).toBe(204);
    expect(gonePillar.body).toBe('');
    expect((await get(viewer, `/api/plans/${plan.id}`)).counts).toMatchObject({ pillars: 0, objectives: 0 });
  });
});
