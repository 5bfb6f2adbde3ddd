import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEntity } from '../../src/entities/index.ts';
import { newId, nowIso } from '../../src/shared/ids.ts';
import { makeRecommendations } from '../helpers/followup.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const json = (res: { json(): any }) => res.json();

/** The action plan's action end dates in the calendar and the iCalendar feed (issue 12, with the plan of issue 11). */
describeEachEngine('calendar: action plan end dates', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  let partnerFocal: TestClient;
  let lead: { id: string };
  let partner: { id: string };
  let other: { id: string };
  let planId = '';
  const actionIds: Record<string, string> = {};

  const get = async (c: TestClient, url: string) => {
    const res = await c.request({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  };
  const calendarActions = async (query = '') =>
    (await get(coordinator, `/api/calendar?from=2027-03-01&to=2027-03-31${query}`)).items.filter((i: any) => i.kind === 'action');
  const codes = (items: any[]) => items.map((i) => i.code);
  const setStatus = async (id: string, status: string) => {
    const plan = await get(coordinator, `/api/plans/${id}`);
    const res = await coordinator.request({ method: 'POST', url: `/api/plans/${id}/status`, payload: { version: plan.version, status } });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    h = await createHarness(engine);
    const db = h.database.db;
    lead = await createEntity(db, { code: 'MOJ', name_ar: 'وزارة العدل', name_en: 'Ministry of Justice' });
    partner = await createEntity(db, { code: 'MOI', name_ar: 'وزارة الداخلية', name_en: 'Ministry of Interior' });
    other = await createEntity(db, { code: 'MOE', name_ar: 'وزارة التربية', name_en: 'Ministry of Education' });
    coordinator = await h.loginAs('coordinator');
    partnerFocal = await h.loginAs('focal_point', { entityId: partner.id });
    const cat = await makeRecommendations(db, 2, { body: 'CAT', symbol: 'CAT/C/CAL/CO/1' });
    const upr = await makeRecommendations(db, 2, { body: 'UPR', symbol: 'A/HRC/70/1' });
    const now = nowIso();
    const clusterId = newId();
    await db
      .insertInto('clusters')
      .values({ id: clusterId, title_ar: 'الحق في التعليم', title_en: 'Right to education', status: 'accepted', job_id: null, similarity_pct: null, created_by: null, created_at: now, updated_at: now })
      .execute();
    await db.updateTable('recommendations').set({ cluster_id: clusterId }).where('id', 'in', upr).execute();

    let res = await coordinator.request({ method: 'POST', url: '/api/plans', payload: { title_ar: 'الخطة الوطنية', title_en: 'National plan', period_start: '2025-01-01', period_end: '2029-12-31' } });
    expect(res.statusCode, res.body).toBe(201);
    planId = json(res).id;
    res = await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/pillars`, payload: { code: 'P1', title_ar: 'العدالة', title_en: 'Justice' } });
    const pillarId = json(res).id;
    res = await coordinator.request({ method: 'POST', url: `/api/plan-pillars/${pillarId}/objectives`, payload: { code: 'O1', title_ar: 'هدف', title_en: 'Objective' } });
    const objectiveId = json(res).id;
    const actions: Record<string, Record<string, unknown>> = {
      // led by MOJ with MOI as partner, answering a CAT recommendation
      A1: { title_ar: 'إنشاء آلية وقائية', title_en: 'Set up a preventive mechanism', lead_entity_id: lead.id, partner_entity_ids: [partner.id], start_date: '2026-01-01', end_date: '2027-03-15', recommendation_ids: [cat[0]!] },
      // led by MOE, answering a cluster of UPR recommendations
      A2: { title_ar: 'بناء مدارس', title_en: 'Build schools', lead_entity_id: other.id, start_date: '2026-01-01', end_date: '2027-03-20', cluster_ids: [clusterId] },
      // cancelled: no deadline any more
      A3: { title_ar: 'إجراء ملغى', title_en: 'Cancelled action', lead_entity_id: lead.id, start_date: '2026-01-01', end_date: '2027-03-10', status: 'cancelled' },
      // ends outside the period asked for
      A4: { title_ar: 'إجراء لاحق', title_en: 'Later action', lead_entity_id: lead.id, start_date: '2026-01-01', end_date: '2027-05-01' },
      // past its end date and not completed: overdue
      A5: { title_ar: 'إجراء متأخر', title_en: 'Late action', lead_entity_id: partner.id, start_date: '2025-01-01', end_date: '2025-06-30', status: 'on_track' },
    };
    for (const [code, body] of Object.entries(actions)) {
      res = await coordinator.request({ method: 'POST', url: `/api/plan-objectives/${objectiveId}/actions`, payload: { code, ...body } });
      expect(res.statusCode, res.body).toBe(201);
      actionIds[code] = json(res).id;
    }
  });
  afterAll(() => closeHarness(h));

  it('a plan that is not adopted yet puts nothing in the calendar', async () => {
    expect(await calendarActions()).toEqual([]);
    await setStatus(planId, 'consultation');
    expect(await calendarActions()).toEqual([]);
  });

  it('an adopted plan: its actions on their end dates, with a link to the plan, cancelled ones left out', async () => {
    await setStatus(planId, 'adopted');
    const items = await calendarActions();
    expect(codes(items)).toEqual(['A1', 'A2']);
    expect(items[0]).toMatchObject({ kind: 'action', id: actionIds.A1, date: '2027-03-15', planId, title_en: 'Set up a preventive mechanism', entity_en: 'Ministry of Justice', entityRole: null, overdue: false });
    // sorted with the other kinds by date
    const all = (await get(coordinator, '/api/calendar?from=2027-03-01&to=2027-05-31')).items;
    expect(all.map((i: any) => i.date)).toEqual([...all.map((i: any) => i.date)].sort());
    expect(codes(all.filter((i: any) => i.kind === 'action'))).toEqual(['A1', 'A2', 'A4']);
    const late = (await get(coordinator, '/api/calendar?from=2025-06-01&to=2025-06-30')).items;
    expect(late).toEqual([expect.objectContaining({ kind: 'action', code: 'A5', overdue: true })]);
  });

  it('filters by entity (lead or partner) and by body (recommendations answered, directly or through a cluster)', async () => {
    const byLead = await calendarActions(`&entity=${lead.id}`);
    expect(codes(byLead)).toEqual(['A1']);
    expect(byLead[0].entityRole).toBe('lead');
    const byPartner = await calendarActions(`&entity=${partner.id}`);
    expect(codes(byPartner)).toEqual(['A1']);
    expect(byPartner[0]).toMatchObject({ entityRole: 'partner', entity_en: 'Ministry of Justice' });
    expect(codes(await calendarActions(`&entity=${other.id}`))).toEqual(['A2']);
    expect(codes(await calendarActions('&body=CAT'))).toEqual(['A1']);
    expect(codes(await calendarActions('&body=upr'))).toEqual(['A2']);
    expect(codes(await calendarActions('&body=body-upr'))).toEqual(['A2']);
    expect(await calendarActions('&body=CEDAW')).toEqual([]);
  });

  it('a new draft version does not repeat the actions; adopting it moves them to the new version', async () => {
    const res = await coordinator.request({ method: 'POST', url: `/api/plans/${planId}/versions` });
    expect(res.statusCode, res.body).toBe(201);
    const draftId = json(res).id;
    expect((await calendarActions()).map((i: any) => i.planId)).toEqual([planId, planId]);
    await setStatus(draftId, 'consultation');
    await setStatus(draftId, 'adopted'); // archives the earlier version
    const items = await calendarActions();
    expect(codes(items)).toEqual(['A1', 'A2']);
    expect(items.map((i: any) => i.planId)).toEqual([draftId, draftId]);
    planId = draftId;
  });

  it('the iCalendar feed carries the end dates: the entity’s own actions for a focal point, all of them for the secretariat', async () => {
    const feedOf = async (c: TestClient) => {
      const created = await c.request({ method: 'POST', url: '/api/calendar/feed' });
      expect(created.statusCode).toBe(201);
      const ics = await h.app.inject({ method: 'GET', url: new URL(json(created).url).pathname });
      expect(ics.statusCode).toBe(200);
      for (const line of ics.body.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      return ics.body.replace(/\r\n /g, '');
    };
    const ids = (await calendarActions()).map((i: any) => i.id) as string[];
    const a1 = ids[0]!;
    const a2 = ids[1]!;
    const focalFeed = await feedOf(partnerFocal);
    expect(focalFeed).toContain(`UID:action-${a1}@rasd`);
    expect(focalFeed).toContain('DTSTART;VALUE=DATE:20270315');
    expect(focalFeed).toContain(`/plan/${planId}`);
    expect(focalFeed).toContain('SUMMARY:نهاية إجراء: A1 إنشاء آلية وقائية'); // the user's language, Arabic by default
    expect(focalFeed).not.toContain(`UID:action-${a2}@rasd`); // MOI is neither lead nor partner of A2
    expect(focalFeed).not.toContain('إجراء ملغى');
    const coordFeed = await feedOf(coordinator);
    expect(coordFeed).toContain(`UID:action-${a1}@rasd`);
    expect(coordFeed).toContain(`UID:action-${a2}@rasd`);
    expect(coordFeed).toContain('DTSTART;VALUE=DATE:20270501'); // A4: every future end date
  });
});
