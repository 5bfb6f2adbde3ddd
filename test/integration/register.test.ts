import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/index.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';
import { sharedDataPath } from '../helpers/shared-data.ts';
import { importSdgs } from '../../src/taxonomies/index.ts';

describeEachEngine('register curation: taxonomies, entities, documents, bulk', (engine) => {
  let h: Harness;
  let coord: TestClient;
  let viewer: TestClient;
  beforeAll(async () => {
    h = await createHarness(engine);
    await seedDemo(h.database.db);
    coord = await h.loginAs('coordinator');
    viewer = await h.loginAs('viewer');
  });
  afterAll(() => closeHarness(h));

  it('imports the full SDG list in Arabic and English, idempotently', async () => {
    const first = await importSdgs(h.database.db, sharedDataPath('sdg'));
    expect(first.goals).toBe(17);
    expect(first.targets).toBe(169);
    const again = await importSdgs(h.database.db, sharedDataPath('sdg'));
    expect(again.created).toBe(0);
    const targets = (await viewer.request({ method: 'GET', url: '/api/taxonomies/sdg_target' })).json().items;
    expect(targets).toHaveLength(169);
    const t162 = targets.find((t: { code: string }) => t.code === '16.2');
    expect(t162.label_en).toMatch(/abuse, exploitation, trafficking/);
    expect(t162.label_ar).toMatch(/[\u0600-\u06FF]/);
    expect(t162.usage).toBeGreaterThan(0); // demo recommendations tagged 16.2 keep their link
  });

  it('manages themes without code changes; refuses deleting a used term', async () => {
    const created = await coord.request({ method: 'POST', url: '/api/taxonomies/theme', payload: { code: 'climate', label_ar: 'تغير المناخ', label_en: 'Climate change' } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect((await coord.request({ method: 'PATCH', url: `/api/terms/${id}`, payload: { label_en: 'Climate change and environment' } })).json().label_en).toBe('Climate change and environment');
    expect((await viewer.request({ method: 'POST', url: '/api/taxonomies/theme', payload: { code: 'x', label_en: 'X' } })).statusCode).toBe(403);
    const dup = await coord.request({ method: 'POST', url: '/api/taxonomies/theme', payload: { code: 'climate', label_en: 'Again' } });
    expect(dup.statusCode).toBe(409);
    const torture = (await viewer.request({ method: 'GET', url: '/api/taxonomies/theme' })).json().items.find((t: { code: string }) => t.code === 'torture');
    const del = await coord.request({ method: 'DELETE', url: `/api/terms/${torture.id}` });
    expect(del.statusCode).toBe(409);
    expect(del.json().error.code).toBe('term_in_use');
    expect((await coord.request({ method: 'DELETE', url: `/api/terms/${id}` })).statusCode).toBe(200);
  });

  it('tags a selection in bulk, publishes it, and records it in each history', async () => {
    const items = (await viewer.request({ method: 'GET', url: '/api/recommendations?body=CAT&pageSize=5' })).json().items;
    const ids = items.map((i: { id: string }) => i.id);
    const term = (await coord.request({ method: 'POST', url: '/api/taxonomies/tag', payload: { code: 'nap-2026', label_ar: 'الخطة الوطنية 2026', label_en: 'NAP 2026' } })).json();
    const bulk = await coord.request({ method: 'POST', url: '/api/recommendations/bulk', payload: { ids, op: { action: 'add_terms', termIds: [term.id] } } });
    expect(bulk.json()).toEqual({ selected: ids.length, changed: ids.length });
    const tagged = (await viewer.request({ method: 'GET', url: '/api/recommendations?body=CAT&pageSize=5' })).json();
    expect(tagged.items.every((i: { version: number }, k: number) => i.version === items[k].version + 1)).toBe(true);
    await coord.request({ method: 'POST', url: '/api/recommendations/bulk', payload: { ids, op: { action: 'unpublish' } } });
    const pub = await coord.request({ method: 'POST', url: '/api/recommendations/bulk', payload: { ids, op: { action: 'publish' } } });
    expect(pub.json().changed).toBe(ids.length);
    const detail = (await viewer.request({ method: 'GET', url: `/api/recommendations/${ids[0]}` })).json();
    expect(detail.is_public).toBe(true);
    expect(detail.terms.some((t: { code: string }) => t.code === 'nap-2026')).toBe(true);
    expect(detail.history.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['recommendation.bulk.add_terms', 'recommendation.bulk.publish']));
    const bad = await coord.request({ method: 'POST', url: '/api/recommendations/bulk', payload: { ids: [...ids, 'nope'], op: { action: 'publish' } } });
    expect(bad.statusCode).toBe(400);
    expect((await viewer.request({ method: 'POST', url: '/api/recommendations/bulk', payload: { ids, op: { action: 'publish' } } })).statusCode).toBe(403);
  });

  it('replaces terms on one recommendation with optimistic concurrency', async () => {
    const rec = (await viewer.request({ method: 'GET', url: '/api/recommendations?body=CRC&pageSize=1' })).json().items[0];
    const themes = (await viewer.request({ method: 'GET', url: '/api/taxonomies/theme' })).json().items;
    const ok = await coord.request({ method: 'PUT', url: `/api/recommendations/${rec.id}/terms`, payload: { version: rec.version, termIds: [themes[0].id] } });
    expect(ok.statusCode).toBe(200);
    const stale = await coord.request({ method: 'PUT', url: `/api/recommendations/${rec.id}/terms`, payload: { version: rec.version, termIds: [] } });
    expect(stale.statusCode).toBe(409);
    const detail = (await viewer.request({ method: 'GET', url: `/api/recommendations/${rec.id}` })).json();
    expect(detail.terms.map((t: { id: string }) => t.id)).toEqual([themes[0].id]);
  });

  it('edits, archives and restores entities; imports them from CSV all or nothing', async () => {
    const e = (await viewer.request({ method: 'GET', url: '/api/entities' })).json().items.find((x: { code: string }) => x.code === 'MOH');
    const renamed = await coord.request({ method: 'PATCH', url: `/api/entities/${e.id}`, payload: { version: e.version, name_en: 'Ministry of Public Health' } });
    expect(renamed.json().name_en).toBe('Ministry of Public Health');
    const stale = await coord.request({ method: 'PATCH', url: `/api/entities/${e.id}`, payload: { version: e.version, archived: true } });
    expect(stale.statusCode).toBe(409);
    await coord.request({ method: 'PATCH', url: `/api/entities/${e.id}`, payload: { version: e.version + 1, archived: true } });
    expect((await viewer.request({ method: 'GET', url: '/api/entities' })).json().items.some((x: { id: string }) => x.id === e.id)).toBe(false);
    expect((await viewer.request({ method: 'GET', url: '/api/entities?archived=true' })).json().items.some((x: { id: string }) => x.id === e.id)).toBe(true);

    const csv = 'code,name_ar,name_en,parent_code\nNCCHR,اللجنة الوطنية,National Committee,MOFA\nMOJ,وزارة العدل,Ministry of Justice,\n';
    const res = await coord.request({ method: 'POST', url: '/api/entities/import', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from(csv) });
    expect(res.json()).toEqual({ created: 1, updated: 0, unchanged: 1 });
    const bad = 'code,name_ar,name_en\nNEW1,جديد,New one\nNEW2,,Missing Arabic\n';
    const r2 = await coord.request({ method: 'POST', url: '/api/entities/import', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from(bad) });
    expect(r2.statusCode).toBe(400);
    // the reader's language (this coordinator's is Arabic), naming the row and the field either way
    expect(r2.json().error.message).toBe('حقل مطلوب فارغ. (الصف 3، الحقل «name_ar»)');
    expect(r2.json().error.details).toEqual({ row: 3, field: 'name_ar' });
    expect((await viewer.request({ method: 'GET', url: '/api/entities' })).json().items.some((x: { code: string }) => x.code === 'NEW1')).toBe(false);
  });

  it('lists source documents with counts and shows one', async () => {
    const docs = (await viewer.request({ method: 'GET', url: '/api/documents?body=UPR' })).json();
    expect(docs.total).toBe(4);
    const doc = docs.items.find((d: { symbol: string }) => d.symbol === 'A/HRC/44/98');
    expect(doc.recommendations).toBe(75);
    const one = (await viewer.request({ method: 'GET', url: `/api/documents/${doc.id}` })).json();
    expect(one.byStatus.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(75);
    expect((await viewer.request({ method: 'GET', url: '/api/documents/nope' })).statusCode).toBe(404);
  });

  it('filters and counts by assigned entity, matching the status-by-entity dashboard', async () => {
    const all = (await viewer.request({ method: 'GET', url: '/api/recommendations?pageSize=1' })).json();
    expect(all.facets.entity.length).toBeGreaterThan(0);
    const moj = (await viewer.request({ method: 'GET', url: '/api/entities' })).json().items.find((e: { code: string }) => e.code === 'MOJ');
    const facet = all.facets.entity.find((f: { value: string }) => f.value === moj.id);
    expect(facet.label_en).toBe('Ministry of Justice');
    const filtered = (await viewer.request({ method: 'GET', url: `/api/recommendations?entity=${moj.id}&pageSize=200` })).json();
    expect(filtered.total).toBe(facet.count);
    const dash = (await viewer.request({ method: 'GET', url: '/api/dashboard/status?by=entity' })).json();
    const row = dash.rows.find((r: { value: string }) => r.value === moj.id);
    expect(row.total).toBe(filtered.total);
    const ids = filtered.items.map((i: { id: string }) => i.id);
    const assigned = await h.database.db.selectFrom('assignments').select('recommendation_id').where('entity_id', '=', moj.id).execute();
    for (const a of assigned) if (a.recommendation_id) expect(ids).toContain(a.recommendation_id);
  });
});
