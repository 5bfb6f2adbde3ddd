/**
 * A facet value may hold a comma: UHRI's theme "Torture and other cruel, inhuman or degrading treatment". The
 * list, the export and the public portal take each repeated parameter whole (`theme=a&theme=b`); the older
 * comma-separated form (`theme=a,b`, in links shared before) is still read, its pieces joined back where they make
 * one value the register has. On both engines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUhriJson, type UhriJsonRecord } from '../../bench/gen-uhri.ts';
import { upload } from '../helpers/imports.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const TORTURE = 'Torture and other cruel, inhuman or degrading treatment';
// a theme named like the part before the comma: a split filter finds these instead
const DECOY = 'Torture and other cruel';
const EDUCATION = 'Right to education';
const code = (label: string) => label.toLowerCase();
const THEMES_BY_RECORD = [[TORTURE], [TORTURE], [TORTURE, EDUCATION], [DECOY], [DECOY], [EDUCATION], [], []];

describeEachEngine('list filters with commas in a value', (engine) => {
  let h: Harness;
  let coord: TestClient;
  let viewer: TestClient;
  const textsOf: Record<string, string[]> = {};
  const list = async (qs: string) => {
    const res = await viewer.request({ method: 'GET', url: `/api/recommendations?pageSize=50&${qs}` });
    expect(res.statusCode).toBe(200);
    return res.json() as { total: number; items: { id: string; text_en: string }[]; facets: Record<string, { value: string; count: number }[]>; selected: Record<string, string[]> };
  };
  const q = (...pairs: [string, string][]) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');

  beforeAll(async () => {
    h = await createHarness(engine);
    coord = await h.loginAs('coordinator');
    viewer = await h.loginAs('viewer');
    const records = JSON.parse(buildUhriJson({ count: THEMES_BY_RECORD.length, seed: 11, useSharedData: false }).toString('utf8')) as UhriJsonRecord[];
    records.forEach((r, i) => (r.Themes = THEMES_BY_RECORD[i]!.map((t) => `- ${t}`)));
    const run = await upload(h, coord, 'uhri-json', 'export-full-en.json', Buffer.from(JSON.stringify(records)), { dryRun: 'false' });
    expect(run.status).toBe('succeeded');
    const all = await list('');
    expect(all.total).toBe(THEMES_BY_RECORD.length);
    for (const label of [TORTURE, DECOY, EDUCATION]) textsOf[label] = (await list(q(['theme', code(label)]))).items.map((i) => i.text_en);
  });
  afterAll(() => closeHarness(h));

  it('takes a value with a comma whole, alone or repeated', async () => {
    const torture = await list(q(['theme', code(TORTURE)]));
    expect(torture.total).toBe(3);
    expect(torture.selected).toEqual({ theme: [code(TORTURE)] });
    expect(torture.facets.theme).toEqual(expect.arrayContaining([expect.objectContaining({ value: code(TORTURE), count: 3 })]));
    expect(textsOf[DECOY]).toHaveLength(2);
    for (const t of textsOf[DECOY]!) expect(torture.items.map((i) => i.text_en)).not.toContain(t);

    const both = await list(q(['theme', code(EDUCATION)], ['theme', code(TORTURE)]));
    expect(both.total).toBe(4); // 3 torture (one of them also education) + 1 education only
    expect(both.selected.theme).toEqual([code(EDUCATION), code(TORTURE)]);
  });

  it('still reads the older comma-separated form, joining pieces that make one value', async () => {
    const legacy = await list(q(['theme', `${code(EDUCATION)},${code(TORTURE)}`]));
    expect(legacy.total).toBe(4);
    expect(legacy.selected.theme).toEqual([code(EDUCATION), code(TORTURE)]);
    // pieces that are values of their own stay apart
    const apart = await list(q(['theme', `${code(DECOY)},${code(EDUCATION)}`]));
    expect(apart.selected.theme).toEqual([code(DECOY), code(EDUCATION)]);
    expect(apart.total).toBe(4);
    // other facets: two mechanisms' bodies as one comma-separated parameter
    const bodies = (await list('')).facets.body!.map((b) => b.value);
    const byBody = await list(q(['body', bodies.join(',')]));
    expect(byBody.total).toBe(THEMES_BY_RECORD.length);
  });

  it('exports the selection a value with a comma makes', async () => {
    const res = await viewer.request({ method: 'GET', url: `/api/exports/matrix?format=csv&lang=en&${q(['theme', code(TORTURE)])}` });
    expect(res.statusCode).toBe(200);
    const csv = res.body;
    for (const t of textsOf[TORTURE]!) expect(csv).toContain(t.slice(0, 60));
    for (const t of textsOf[DECOY]!) expect(csv).not.toContain(t.slice(0, 60));
  });

  it('filters the public portal by such a value, in its API and its pages', async () => {
    const ids = (await list('')).items.map((i) => i.id);
    expect((await coord.request({ method: 'POST', url: '/api/recommendations/bulk', payload: { ids, op: { action: 'publish' } } })).statusCode).toBe(200);
    const api = await h.app.inject({ method: 'GET', url: `/api/public/recommendations?${q(['theme', code(TORTURE)])}` });
    expect(api.statusCode).toBe(200);
    expect(api.json().total).toBe(3);
    const page = await h.app.inject({ method: 'GET', url: `/public/en/recommendations?${q(['theme', code(TORTURE)])}` });
    expect(page.statusCode).toBe(200);
    for (const t of textsOf[TORTURE]!) expect(page.body).toContain(t.slice(0, 40));
    for (const t of textsOf[DECOY]!) expect(page.body).not.toContain(t.slice(0, 40));
    // the chosen value's link (to remove it) names it whole
    expect(page.body).toContain(`theme=${new URLSearchParams({ x: code(TORTURE) }).toString().slice(2)}`);
  });
});
