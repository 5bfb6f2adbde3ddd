/**
 * Similar recommendations and clusters through the HTTP API, once per engine, on the demo
 * workspace (its templates recur across UPR cycles and treaty bodies: real near-duplicates).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { suggestionScope } from '../../src/clusters/clusters.repository.ts';
import { seedDemo } from '../../src/demo/index.ts';
import { DEMO_STATE } from '../../src/demo/demo-content.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

interface ClusterSummary {
  id: string;
  status: string;
  member_count: number;
  version: number;
  statuses: Record<string, number>;
}

describeEachEngine('similar and clusters', (engine) => {
  let h: Harness;
  let coordinator: TestClient;
  let viewer: TestClient;
  beforeAll(async () => {
    h = await createHarness(engine);
    await seedDemo(h.database.db);
    coordinator = await h.loginAs('coordinator');
    viewer = await h.loginAs('viewer');
  });
  afterAll(() => closeHarness(h));

  async function waitForJob(jobId: string) {
    for (let i = 0; i < 200; i++) {
      const job = (await viewer.request({ method: 'GET', url: `/api/jobs/${jobId}` })).json();
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('job did not finish');
  }

  it('lists near-duplicates as similar, across bodies and in both languages, with a score', async () => {
    const list = (await viewer.request({ method: 'GET', url: '/api/recommendations?pageSize=200' })).json();
    const target = list.items.find((i: { text_en: string | null; text_ar: string | null }) => i.text_en && i.text_ar);
    const res = await viewer.request({ method: 'GET', url: `/api/recommendations/${target.id}/similar` });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; score: number; text_en: string; body_code: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(10);
    expect(items.map((i) => i.id)).not.toContain(target.id);
    for (let k = 1; k < items.length; k++) expect(items[k - 1]!.score).toBeGreaterThanOrEqual(items[k]!.score);
    // The top match asks for the same thing: it shares most of the target's wording.
    const words = (s: string) => new Set(s.toLowerCase().match(/[a-z]{5,}/g) ?? []);
    const tw = words(target.text_en);
    const shared = [...words(items[0]!.text_en)].filter((w) => tw.has(w)).length;
    expect(shared / Math.max(1, tw.size)).toBeGreaterThan(0.4);
    expect(items[0]!.score).toBeGreaterThan(0.5);
    expect((await viewer.request({ method: 'GET', url: '/api/recommendations/nope/similar' })).statusCode).toBe(404);
  });

  it("reads a suggestion run's scope in pages that add up to one read, for the whole register and for one country", async () => {
    const { db, dialect } = h.database;
    for (const country of [undefined, DEMO_STATE.en.toUpperCase()]) {
      const whole = await suggestionScope(db, country, dialect, 1_000_000);
      expect(whole.length).toBeGreaterThan(100);
      expect(new Set(whole.map((r) => r.id)).size).toBe(whole.length);
      // pages of 7: many pages, the last one short; of the exact count: a last, empty page
      for (const size of [7, whole.length]) expect(await suggestionScope(db, country, dialect, size)).toEqual(whole);
    }
    expect(await suggestionScope(db, 'nowhere', dialect, 7)).toEqual([]);
  });

  it('suggests clusters in a background job, then accepts, renames (409 when stale), merges, splits and removes members', async () => {
    expect((await viewer.request({ method: 'POST', url: '/api/clusters/suggest', payload: {} })).statusCode).toBe(403);
    const started = await coordinator.request({ method: 'POST', url: '/api/clusters/suggest', payload: {} });
    expect(started.statusCode).toBe(202);
    const job = await waitForJob(started.json().jobId);
    expect(job.status).toBe('succeeded');
    expect(job.percent).toBe(100);
    expect(job.result.clusters).toBeGreaterThan(1);

    // (the demo also holds a few accepted clusters: those its action plan answers)
    const list = (await viewer.request({ method: 'GET', url: '/api/clusters?status=suggested&pageSize=200' })).json();
    expect(list.total).toBe(job.result.clusters);
    const clusters = list.items as ClusterSummary[];
    for (const c of clusters) {
      expect(c.status).toBe('suggested');
      expect(c.member_count).toBeGreaterThanOrEqual(2);
      expect(Object.values(c.statuses).reduce((a, b) => a + b, 0)).toBe(c.member_count);
    }
    expect(clusters.length).toBeGreaterThanOrEqual(4);
    const [a, b, c] = clusters;
    const page = (await viewer.request({ method: 'GET', url: `/api/clusters/${a!.id}` })).json();
    expect(page.members).toHaveLength(a!.member_count);
    expect(page.members[0].status).toBeTruthy();
    expect(page.title_en || page.title_ar).toBeTruthy();

    // viewers cannot curate
    expect((await viewer.request({ method: 'POST', url: `/api/clusters/${a!.id}/accept`, payload: {} })).statusCode).toBe(403);
    expect((await viewer.request({ method: 'PATCH', url: `/api/clusters/${a!.id}`, payload: { version: a!.version, title_en: 'x' } })).statusCode).toBe(403);

    const accepted = await coordinator.request({ method: 'POST', url: `/api/clusters/${a!.id}/accept`, payload: {} });
    expect(accepted.statusCode).toBe(200);
    const v = accepted.json().version;
    const renamed = await coordinator.request({ method: 'PATCH', url: `/api/clusters/${a!.id}`, payload: { version: v, title_en: 'Ratify OPCAT', title_ar: 'التصديق على البروتوكول الاختياري' } });
    expect(renamed.statusCode).toBe(200);
    const stale = await coordinator.request({ method: 'PATCH', url: `/api/clusters/${a!.id}`, payload: { version: v, title_en: 'Lost update' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');

    // the cluster facet of the list
    const facet = (await viewer.request({ method: 'GET', url: `/api/recommendations?cluster=${a!.id}` })).json();
    expect(facet.total).toBe(a!.member_count);
    expect(facet.facets.cluster.find((f: { value: string }) => f.value === a!.id).label_en).toBe('Ratify OPCAT');

    const merged = await coordinator.request({ method: 'POST', url: '/api/clusters/merge', payload: { ids: [b!.id, a!.id] } });
    expect(merged.statusCode).toBe(200);
    expect(merged.json().id).toBe(a!.id); // the accepted one survives
    const afterMerge = (await viewer.request({ method: 'GET', url: `/api/clusters/${a!.id}` })).json();
    expect(afterMerge.member_count).toBe(a!.member_count + b!.member_count);
    expect(afterMerge.status).toBe('accepted');
    expect((await viewer.request({ method: 'GET', url: `/api/clusters/${b!.id}` })).statusCode).toBe(404);

    const moving = afterMerge.members.slice(0, 2).map((m: { id: string }) => m.id);
    const split = await coordinator.request({ method: 'POST', url: `/api/clusters/${a!.id}/split`, payload: { recommendationIds: moving, title_en: 'Split part' } });
    expect(split.statusCode).toBe(201);
    const part = (await viewer.request({ method: 'GET', url: `/api/clusters/${split.json().newCluster.id}` })).json();
    expect(part.members.map((m: { id: string }) => m.id).sort()).toEqual([...moving].sort());
    expect(part.title_en).toBe('Split part');
    const notMember = await coordinator.request({ method: 'POST', url: `/api/clusters/${a!.id}/split`, payload: { recommendationIds: moving } });
    expect(notMember.statusCode).toBe(400);

    const removed = await coordinator.request({ method: 'DELETE', url: `/api/clusters/${c!.id}/members/${(await viewer.request({ method: 'GET', url: `/api/clusters/${c!.id}` })).json().members[0].id}` });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().members).toBe(c!.member_count - 1);
    expect(removed.json().dissolved).toBe(false);

    // dissolving a cluster: 204 without a body, its members become unclustered
    const d = clusters[3]!;
    const dissolved = await coordinator.request({ method: 'DELETE', url: `/api/clusters/${d.id}` });
    expect(dissolved.statusCode).toBe(204);
    expect(dissolved.body).toBe('');
    expect((await viewer.request({ method: 'GET', url: `/api/clusters/${d.id}` })).statusCode).toBe(404);
    expect((await viewer.request({ method: 'GET', url: `/api/recommendations?cluster=${d.id}` })).json().total).toBe(0);

    // every change is audited
    const audit = await h.database.db.selectFrom('audit_log').select('action').where('subject_type', '=', 'cluster').execute();
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(['cluster.accept', 'cluster.rename', 'cluster.merge', 'cluster.split', 'cluster.remove_member', 'cluster.delete']));

    // a new run replaces the suggestions but keeps accepted clusters
    const again = await coordinator.request({ method: 'POST', url: '/api/clusters/suggest', payload: {} });
    expect((await waitForJob(again.json().jobId)).status).toBe('succeeded');
    const kept = (await viewer.request({ method: 'GET', url: `/api/clusters/${a!.id}` })).json();
    expect(kept.status).toBe('accepted');
    expect(kept.member_count).toBe(afterMerge.member_count - 2);
  });
});
