/**
 * The in-memory register index behind the list (src/recommendations/register-index.ts), through the HTTP
 * API on both engines: facets that ignore their own selection, sorting with ties and missing values,
 * paging, and freshness after writes made by this process and by another connection (another process).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb, type Database } from '../../src/db/create-db.ts';
import { indexRecommendations } from '../../src/search/index.ts';
import { nowIso } from '../../src/shared/ids.ts';
import { makeRecommendations } from '../helpers/followup.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

interface Page {
  items: { id: string; paragraph: string | null; status: string; version: number }[];
  total: number;
  facets: Record<string, { value: string; count: number; label_en?: string | null }[]>;
}

describeEachEngine('register index', (engine) => {
  let h: Harness;
  let viewer: TestClient;
  let coordinator: TestClient;
  let other: Database;
  let cat: string[];
  let crc: string[];
  beforeAll(async () => {
    h = await createHarness(engine);
    cat = await makeRecommendations(h.database.db, 12, { body: 'CAT' });
    crc = await makeRecommendations(h.database.db, 8, { body: 'CRC' });
    await indexRecommendations(h.database.db, [...cat, ...crc]);
    viewer = await h.loginAs('viewer');
    coordinator = await h.loginAs('coordinator');
    other = createDb(h.database.target);
  });
  afterAll(async () => {
    await other?.destroy();
    await closeHarness(h);
  });

  async function list(query: string): Promise<Page> {
    const res = await viewer.request({ method: 'GET', url: `/api/recommendations?${query}` });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res.json() as Page;
  }
  const facet = (p: Page, name: string) => Object.fromEntries(p.facets[name]!.map((f) => [f.value, f.count]));

  it('counts every facet, each ignoring its own selection', async () => {
    const all = await list('pageSize=200');
    expect(all.total).toBe(20);
    expect(facet(all, 'body')).toEqual({ CAT: 12, CRC: 8 });
    const catOnly = await list('body=CAT&pageSize=200');
    expect(catOnly.total).toBe(12);
    // the body facet still offers CRC with its count; the others count CAT only
    expect(facet(catOnly, 'body')).toEqual({ CAT: 12, CRC: 8 });
    expect(facet(catOnly, 'document')).toEqual({ [Object.keys(facet(catOnly, 'document'))[0]!]: 12 });
    expect(catOnly.items.every((i) => cat.includes(i.id))).toBe(true);
    const none = await list('body=CAT&status=no_such_status');
    expect(none.total).toBe(0);
    expect(facet(none, 'status')).toEqual({ not_started: 12 });
  });

  it('sorts with ties broken by id, and pages consistently', async () => {
    const asc = await list('sort=paragraph&order=asc&pageSize=200');
    const expected = [...asc.items].sort((a, b) => (a.paragraph! < b.paragraph! ? -1 : a.paragraph! > b.paragraph! ? 1 : a.id < b.id ? -1 : 1));
    expect(asc.items.map((i) => i.id)).toEqual(expected.map((i) => i.id));
    const desc = await list('sort=paragraph&order=desc&pageSize=200');
    expect(desc.items.map((i) => i.paragraph)).toEqual([...asc.items.map((i) => i.paragraph)].sort().reverse());
    const pages = [...(await list('sort=paragraph&order=asc&pageSize=7&page=1')).items, ...(await list('sort=paragraph&order=asc&pageSize=7&page=2')).items, ...(await list('sort=paragraph&order=asc&pageSize=7&page=3')).items];
    expect(pages.map((i) => i.id)).toEqual(asc.items.map((i) => i.id));
  });

  it('ranks full-text hits, filtered by facets', async () => {
    const hits = await list('q=recommendation&body=CRC&pageSize=200');
    expect(hits.total).toBe(8);
    expect(hits.items.every((i) => crc.includes(i.id))).toBe(true);
    expect(facet(hits, 'body')).toEqual({ CAT: 12, CRC: 8 });
  });

  it('sees this process’s writes at once', async () => {
    const before = await list('status=in_progress');
    expect(before.total).toBe(0);
    const rec = (await list(`body=CAT&pageSize=1`)).items[0]!;
    const res = await coordinator.request({ method: 'PATCH', url: `/api/recommendations/${rec.id}`, payload: { version: rec.version, status: 'in_progress' } });
    expect(res.statusCode, res.body).toBe(200);
    const after = await list('status=in_progress');
    expect(after.items.map((i) => i.id)).toEqual([rec.id]);
    expect(facet(after, 'status')).toMatchObject({ in_progress: 1, not_started: 19 });
  });

  it('sees writes committed by another connection (another process)', async () => {
    await list('pageSize=1'); // the index is current
    await other.db.updateTable('recommendations').set({ status: 'fully_implemented', updated_at: nowIso() }).where('id', 'in', crc.slice(0, 3)).execute();
    // SQLite notices at once (data_version); PostgreSQL by a notification that follows the commit.
    let seen = 0;
    for (let attempt = 0; attempt < 50 && seen !== 3; attempt++) {
      seen = (await list('status=fully_implemented')).total;
      if (seen !== 3) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toBe(3);
    await other.db.deleteFrom('recommendations').where('id', '=', crc[7]!).execute();
    let total = 0;
    for (let attempt = 0; attempt < 50 && total !== 19; attempt++) {
      total = (await list('pageSize=1')).total;
      if (total !== 19) await new Promise((r) => setTimeout(r, 100));
    }
    expect(total).toBe(19);
  });
});
