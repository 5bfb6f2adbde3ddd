/**
 * A bulk edit of thousands of recommendations through the API, on both engines: every recommendation changed, and the
 * register patched (not rebuilt) with them, its counts and lists the same as a fresh build's. The patch reads the
 * changed rows 500 at a time and applies them at once (each sort order a change moves in and each posting list a
 * change touches made again once: `RegisterSnapshot.apply`), and the edit's transaction lets other requests in every
 * 25 ms; how long other requests wait beside such an edit at 250,000 is measured by `npm run bench -- stall`
 * (docs/PERFORMANCE.md), not here.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/recommendations/register-index.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness } from '../helpers/http.ts';
import { makeRecommendations } from '../helpers/followup.ts';

const COUNT = 2000;

describeEachEngine('a bulk edit of thousands of recommendations, and the register', (engine) => {
  let h: Harness;
  let ids: string[];
  beforeAll(async () => {
    h = await createHarness(engine);
    ids = await makeRecommendations(h.database.db, COUNT);
  });
  afterAll(async () => closeHarness(h));

  it('changes every one, and the patched register answers like a fresh build', async () => {
    const c = await h.loginAs('coordinator');
    const list = async (query: string) => (await c.request({ method: 'GET', url: `/api/recommendations?${query}` })).json() as { total: number; items: { id: string }[]; facets: unknown };
    // the register built first, so that the edits patch it
    expect((await list('pageSize=20')).total).toBe(COUNT);
    const half = ids.filter((_, k) => k % 2 === 0);
    const edit = async (body: Record<string, unknown>) => {
      const res = await c.request({ method: 'POST', url: '/api/recommendations/bulk', payload: body });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { selected: number; changed: number };
    };
    expect(await edit({ ids, op: { action: 'set_position', position: 'supported' } })).toEqual({ selected: COUNT, changed: COUNT });
    expect(await edit({ ids: half, op: { action: 'set_position', position: 'noted' } })).toEqual({ selected: COUNT / 2, changed: COUNT / 2 });
    expect((await list('position=supported&pageSize=1')).total).toBe(COUNT / 2);
    expect((await list('position=noted&pageSize=1')).total).toBe(COUNT / 2);
    // a theme added to a thousand (a multi-valued facet)
    const theme = { id: 'bulk-edit-theme', code: 'education' };
    await h.database.db.insertInto('terms').values({ ...theme, kind: 'theme', label_ar: 'الحق في التعليم', label_en: 'Right to education', parent_id: null, sort: 1, created_at: new Date().toISOString() }).execute();
    expect(await edit({ ids: half, op: { action: 'add_terms', termIds: [theme.id] } })).toEqual({ selected: COUNT / 2, changed: COUNT / 2 });
    expect((await list(`theme=${encodeURIComponent(theme.code)}&position=noted&pageSize=1`)).total).toBe(COUNT / 2);
    expect((await list(`theme=${encodeURIComponent(theme.code)}&position=supported&pageSize=1`)).total).toBe(0);
    // the same answers as a register built from the database now, in the order the edits moved ("updated")
    const fresh = await buildSnapshot(h.database.db);
    const page = await list('pageSize=100&sort=updated&order=desc');
    const own = fresh.query({ page: 1, pageSize: 100, order: 'desc' } as never, { by: 'updated', direction: 'desc' }, null);
    expect(page.items.map((r) => r.id)).toEqual(own.ids);
    expect(page.total).toBe(own.total);
    const counts = (facets: unknown) => JSON.parse(JSON.stringify(facets, (k, v: unknown) => (k === 'label_ar' || k === 'label_en' ? undefined : v))) as unknown;
    expect(counts(page.facets)).toEqual(counts(own.facets));
  });
});
