/**
 * Read-your-own-writes for an import: the run goes on after its request is answered, and once its writes commit every
 * later list of the user who started it (any of their sessions) holds it, even while the register is still being
 * rebuilt for other readers, and whoever else writes meanwhile. On both engines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUhriJson } from '../../bench/gen-uhri.ts';
import { closeHarness, createHarness, describeEachEngine, TEST_PASSWORD, type Harness, type TestClient } from '../helpers/http.ts';
import { upload } from '../helpers/imports.ts';

describeEachEngine('an import is seen by every later list of its importer', (engine) => {
  let h: Harness;
  let importer: TestClient;
  let importerAgain: TestClient;
  let other: TestClient;
  const total = async (c: TestClient) => (await c.request({ method: 'GET', url: '/api/recommendations?pageSize=1' })).json().total as number;

  beforeAll(async () => {
    h = await createHarness(engine);
    const email = `importer.${engine}.${Date.now()}@test.example`;
    importer = await h.loginAs('coordinator', { email });
    importerAgain = await h.login(email, TEST_PASSWORD); // a second session of the same person
    other = await h.loginAs('coordinator');
    const first = await upload(h, importer, 'uhri-json', 'export-full-en.json', buildUhriJson({ count: 20, seed: 1, useSharedData: false }), { dryRun: 'false' });
    expect(first.status).toBe('succeeded');
    expect(await total(importer)).toBe(20);
  });
  afterAll(() => closeHarness(h));

  it('every request of the importer after the commit sees it, though another user wrote while it started', async () => {
    const bytes = buildUhriJson({ count: 5000, seed: 2, useSharedData: false });
    const preview = await upload(h, importer, 'uhri-json', 'export-full-en.json', bytes);
    expect(preview.status).toBe('succeeded');
    const expected = 20 + (preview.result.new as number);
    expect(expected).toBeGreaterThan(3000);
    const rec = (await other.request({ method: 'GET', url: '/api/recommendations?pageSize=1' })).json().items[0] as { id: string; version: number };
    // another user's writes answered around the commit request
    const [commit] = await Promise.all([
      importer.request({ method: 'POST', url: `/api/imports/${preview.id}/commit` }),
      ...Array.from({ length: 4 }, (_, k) => other.request({ method: 'PATCH', url: `/api/recommendations/${rec.id}`, payload: { version: rec.version + k, notes: `note ${k}` } })),
    ]);
    expect(commit.statusCode).toBe(202);
    // a list answered while the run goes on (where the engine answers it before the run's commit): the register
    // catches up with every write noted so far, the commit request's own included; the importer must still wait
    // for the run's writes afterwards
    const during = await total(other);
    if (h.app.importRuns.inFlight.has(commit.json().id)) expect(during).toBe(20);
    await h.app.importRuns.inFlight.get(commit.json().id);
    // thousands of new recommendations: more than 5% of the register, so it is rebuilt while the previous snapshot answers others
    expect(await total(importer)).toBe(expected);
    expect(await total(importerAgain)).toBe(expected);
    expect(await total(importer)).toBe(expected);
  });
});
