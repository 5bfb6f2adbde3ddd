/**
 * The duplicates page of a large register is worked out in a worker thread with its own connection
 * (src/recommendations/duplicates-workers.ts). On both engines, over the demo workspace: the worker's pairs are those
 * worked out on the server's connection, and a pair kept apart is left out by both. The register: 60 generated UHRI
 * records imported, then the same records again under other ids (a second source of the same recommendations).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUhriJson, generateUhriRecords } from '../../bench/gen-uhri.ts';
import { duplicateCandidates, listDuplicateCandidates } from '../../src/recommendations/merge.service.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness } from '../helpers/http.ts';
import { upload } from '../helpers/imports.ts';

describeEachEngine('the duplicates page in a worker thread', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
    const c = await h.loginAs('coordinator');
    const records = [...generateUhriRecords({ count: 60, seed: 5, useSharedData: false })];
    for (const [source, suffix] of [['first.json', ''], ['second.json', '-again']] as const) {
      const run = await upload(h, c, 'uhri-json', source, buildUhriJson({ records: records.map((r) => ({ ...r, AnnotationId: `${r.AnnotationId}${suffix}` })) }), { dryRun: 'false' });
      expect(run.result).toMatchObject({ new: 60 });
    }
  });
  afterAll(async () => closeHarness(h));

  it('gives the pairs the server works out itself, without a pair kept apart', async () => {
    const opts = { limit: 500 };
    const own = await duplicateCandidates(h.database.db, opts);
    expect(own.total).toBe(60); // each record and its second source's copy
    const fromWorker = await listDuplicateCandidates(h.database.db, h.database.dialect, opts, { workersFrom: 1 });
    expect(fromWorker).toEqual(own);
    // below the threshold, the server's own connection
    expect(await listDuplicateCandidates(h.database.db, h.database.dialect, opts, { workersFrom: 1_000_000 })).toEqual(own);

    const c = await h.loginAs('coordinator');
    const first = own.items[0]!;
    const apart = await c.request({ method: 'POST', url: '/api/recommendations/duplicates/keep-apart', payload: { aId: first.a.id, bId: first.b.id } });
    expect(apart.statusCode, apart.body).toBe(204);
    const after = await listDuplicateCandidates(h.database.db, h.database.dialect, opts, { workersFrom: 1 });
    expect(after.total).toBe(own.total - 1);
    expect(after.items.some((p) => p.a.id === first.a.id && p.b.id === first.b.id)).toBe(false);
    expect(after).toEqual(await duplicateCandidates(h.database.db, opts));
  });
});
