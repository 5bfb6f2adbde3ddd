import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/index.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

describeEachEngine('follow-up on the demo workspace', (engine) => {
  let h: Harness;
  let focal: TestClient;
  let coordinator: TestClient;
  beforeAll(async () => {
    h = await createHarness(engine);
    await seedDemo(h.database.db);
    focal = await h.login('focal.justice@rasd.example', DEMO_PASSWORD);
    coordinator = await h.login('coordinator@rasd.example', DEMO_PASSWORD);
  });
  afterAll(() => closeHarness(h));

  it("fills the Ministry of Justice's workspace: assigned, due soon, overdue, a draft and a submitted update", async () => {
    const ws = (await focal.request({ method: 'GET', url: '/api/workspace' })).json();
    expect(ws.entity.code).toBe('MOJ');
    expect(ws.assignments.length).toBeGreaterThan(5);
    expect(ws.overdue.length).toBeGreaterThan(0);
    expect(ws.dueSoon.length).toBeGreaterThan(0);
    expect(ws.drafts).toHaveLength(1);
    // awaiting review: an update on a recommendation and one on an action of the demo plan (issue 11)
    expect(ws.awaitingReview).toHaveLength(2);
    expect(ws.awaitingReview.filter((u: { action_id: string | null }) => u.action_id !== null)).toHaveLength(1);
    const queue = (await coordinator.request({ method: 'GET', url: '/api/workspace' })).json();
    expect(queue.awaitingReview).toHaveLength(2);
  });

  it.each(['mechanism', 'body', 'cycle', 'theme', 'sdg', 'entity'])('counts statuses by %s, each row opening its filtered list', async (by) => {
    const res = await coordinator.request({ method: 'GET', url: `/api/dashboard/status?by=${by}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.rows.length).toBeGreaterThan(0);
    for (const row of body.rows) {
      expect(row.filter).toEqual({ [by]: row.value });
      expect(Object.values(row.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(row.total);
    }
    if (by === 'cycle') expect(body.rows.map((r: any) => r.value).sort()).toEqual(['1', '2', '3', '4']);
    if (by === 'mechanism') {
      const list = (await coordinator.request({ method: 'GET', url: '/api/recommendations?mechanism=UPR&pageSize=1' })).json();
      expect(body.rows.find((r: any) => r.value === 'UPR').total).toBe(list.total);
    }
  });

  it('lists overdue work per entity and a monthly trend', async () => {
    const od = (await coordinator.request({ method: 'GET', url: '/api/dashboard/overdue' })).json();
    expect(od.total).toBeGreaterThan(0);
    expect(od.byEntity[0]).toMatchObject({ filter: { overdue: 'true' } });
    const trend = (await coordinator.request({ method: 'GET', url: '/api/dashboard/trend?months=12' })).json();
    expect(trend.months).toHaveLength(12);
    // one approved by the follow-up demo, five more by the reports demo (the mid-term report is compiled from them)
    expect(trend.months.at(-1).approvedUpdates).toBe(6);
  });
});
