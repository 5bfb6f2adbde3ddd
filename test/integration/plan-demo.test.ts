import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/index.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

describeEachEngine('the action plan of the demo workspace', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  let viewer: TestClient;
  beforeAll(async () => {
    h = await createHarness(engine);
    await seedDemo(h.database.db);
    coordinator = await h.login('coordinator@rasd.example', DEMO_PASSWORD);
    viewer = await h.login('viewer@rasd.example', DEMO_PASSWORD);
  });
  afterAll(() => closeHarness(h));

  it('holds an adopted plan of 3 pillars and 20 actions linked to recommendations and clusters, with approved indicator values', async () => {
    const list = (await viewer.request({ method: 'GET', url: '/api/plans' })).json();
    expect(list.items).toHaveLength(1);
    const item = list.items[0];
    expect(item).toMatchObject({ status: 'adopted', counts: { pillars: 3, objectives: 6, actions: 20, indicators: 20 } });
    expect(item.counts.recommendations).toBeGreaterThan(100);
    const plan = (await viewer.request({ method: 'GET', url: `/api/plans/${item.id}` })).json();
    const actions = plan.pillars.flatMap((p: any) => p.objectives.flatMap((o: any) => o.actions));
    expect(actions.filter((a: any) => a.clusters.length === 1)).toHaveLength(6);
    expect(actions.every((a: any) => a.recommendations.length > 0 && a.lead_entity_id)).toBe(true);
    const indicators = actions.flatMap((a: any) => a.indicators);
    expect(indicators.filter((i: any) => i.approved_values > 0).length).toBeGreaterThanOrEqual(14);
    expect(indicators.filter((i: any) => i.submitted_values > 0)).toHaveLength(1);
    expect(plan.progress).toBeGreaterThan(0);
    expect(plan.progress).toBeLessThan(100);
    expect(plan.dashboard.delayed.length).toBeGreaterThan(0);
    expect(plan.dashboard.delayed.some((a: any) => a.overdue)).toBe(true);
    expect(plan.dashboard.off_track.length).toBeGreaterThan(0);
    expect(new Set(actions.map((a: any) => a.status)).size).toBeGreaterThanOrEqual(4);
    // the demo's clusters have their lead entity from the cluster assignment
    const clusterAction = actions.find((a: any) => a.clusters.length === 1);
    const assignments = (await coordinator.request({ method: 'GET', url: `/api/assignments?cluster=${clusterAction.clusters[0].id}` })).json();
    expect(assignments.items[0].entity_id).toBe(clusterAction.lead_entity_id);
  });

  it('covers part of the register, unanswered supported recommendations first', async () => {
    const plan = (await viewer.request({ method: 'GET', url: '/api/plans' })).json().items[0];
    const cov = (await viewer.request({ method: 'GET', url: `/api/plans/${plan.id}/coverage` })).json();
    const total = (await viewer.request({ method: 'GET', url: '/api/recommendations?pageSize=1' })).json().total;
    expect(cov.recommendations.total).toBe(total);
    expect(cov.recommendations.answered).toBe(plan.counts.recommendations);
    expect(cov.recommendations.unanswered).toBeGreaterThan(0);
    expect(cov.clusters).toEqual({ total: 6, answered: 6, unanswered: 0 });
    expect(cov.unanswered.items[0].position).toBe('supported');
  });
});
