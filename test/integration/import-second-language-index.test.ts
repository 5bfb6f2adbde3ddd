/**
 * A second-language import (the Arabic file of records the register holds in English) updates every record in
 * multi-row statements and re-indexes them through the row path; on both engines:
 * - each record gets its Arabic text and one more version, its English text and its local work stay;
 * - the full-text index equals a fresh computation from the rows, and every query's hits and scores are those a
 *   full rebuild of the index gives;
 * - phrases are matched by position: the words of a phrase next to each other and in order, not merely present.
 *   The Arabic texts come in before the English ones in the indexed text, so every English position moved: a
 *   phrase of the Arabic text and one of the English text are both checked after the update.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUhriJson, generateUhriRecords, type UhriJsonRecord } from '../../bench/gen-uhri.ts';
import { importRecords, parseFile } from '../../src/imports/index.ts';
import { reindexAll } from '../../src/search/index.ts';
import { fullTextDrift, hitScores } from '../helpers/fulltext.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness, type TestClient } from '../helpers/http.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-second-language-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** More records than one import chunk (500) and than one update statement (100) or index upsert (25) holds. */
const COUNT = 620;
const SEED = 33;

/** The records whose texts a phrase query tells apart: the phrase's words in order and together, reversed, apart. */
const PHRASES: { en: string; ar: string }[] = [
  { en: 'Establish a zorbaxian quiltenor office for prisons', ar: 'إنشاء مكتب زربخي قلتنوري للسجون' },
  { en: 'The quiltenor zorbaxian office must be independent', ar: 'يجب أن يكون المكتب قلتنوري زربخي مستقلا' },
  { en: 'A zorbaxian review and a quiltenor budget', ar: 'مراجعة زربخي وميزانية قلتنوري' },
];

function files(): { en: string; ar: string; ids: string[] } {
  const en = [...generateUhriRecords({ count: COUNT, lang: 'en', seed: SEED, useSharedData: false })];
  const ar = [...generateUhriRecords({ count: COUNT, lang: 'ar', seed: SEED, useSharedData: false })];
  // the same record in both files: same id, same paragraph number in front of its text
  const withText = (r: UhriJsonRecord, text: string) => (r.Text = `${(r.Text ?? '').match(/^[\d.]+/)?.[0] ?? '1.'} ${text}`);
  PHRASES.forEach((p, i) => {
    withText(en[i * 11]!, p.en);
    withText(ar[i * 11]!, p.ar);
  });
  const write = (name: string, records: UhriJsonRecord[]) => {
    const file = join(tmp, name);
    writeFileSync(file, buildUhriJson({ records }));
    return file;
  };
  return { en: write('export-full-en.json', en), ar: write('export-full-ar.json', ar), ids: PHRASES.map((_, i) => en[i * 11]!.AnnotationId!) };
}

describeEachEngine('second-language import and the full-text index', (engine) => {
  let h: Harness;
  let viewer: TestClient;
  let ids: string[];
  let before: Map<string, { version: number; text_en: string | null }>;
  beforeAll(async () => {
    h = await createHarness(engine);
    const f = files();
    ids = f.ids;
    const db = h.database.db;
    const first = await importRecords(db, await parseFile('uhri-json', f.en, { worker: false, lang: 'en' }), { source: 'test', bulkLoad: h.database.dialect.bulkLoad });
    expect(first).toMatchObject({ new: COUNT, invalid: 0 });
    // local work on one record, which the second language must leave alone
    await db.updateTable('recommendations').set({ notes: 'Local note', status: 'in_progress' }).where('external_id', '=', ids[0]!).execute();
    const rows = await db.selectFrom('recommendations').select(['external_id', 'version', 'text_en']).execute();
    before = new Map(rows.map((r) => [r.external_id, { version: r.version, text_en: r.text_en }]));
    const second = await importRecords(db, await parseFile('uhri-json', f.ar, { worker: false, lang: 'ar' }), { source: 'test', bulkLoad: h.database.dialect.bulkLoad });
    expect(second).toMatchObject({ new: 0, updated: COUNT, invalid: 0 });
    viewer = await h.loginAs('viewer');
  }, 120_000);
  afterAll(() => closeHarness(h));

  /** The external ids a search through the API finds. */
  async function found(q: string): Promise<string[]> {
    const res = await viewer.request({ method: 'GET', url: `/api/recommendations?q=${encodeURIComponent(q)}&pageSize=200` });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const items = (res.json() as { items: { id: string }[] }).items.map((i) => i.id);
    if (items.length === 0) return [];
    const rows = await h.database.db.selectFrom('recommendations').select('external_id').where('id', 'in', items).execute();
    return rows.map((r) => r.external_id).sort();
  }

  it('gives every record its Arabic text and one more version, and keeps the English text and local work', async () => {
    const rows = await h.database.db.selectFrom('recommendations').select(['external_id', 'version', 'text_en', 'text_ar', 'notes', 'status']).execute();
    expect(rows).toHaveLength(COUNT);
    for (const r of rows) {
      const was = before.get(r.external_id)!;
      expect(r.version, r.external_id).toBe(was.version + 1);
      expect(r.text_en).toBe(was.text_en);
      expect(r.text_ar, r.external_id).toMatch(/[\u0600-\u06FF]/);
    }
    const local = rows.find((r) => r.external_id === ids[0])!;
    expect(local).toMatchObject({ notes: 'Local note', status: 'in_progress' });
    expect(local.text_ar).toContain('زربخي قلتنوري');
  });

  it('matches a phrase only where its words stand together and in order, in both languages, after the positions moved', async () => {
    expect(await found('"zorbaxian quiltenor"')).toEqual([ids[0]]);
    expect(await found('zorbaxian quiltenor')).toEqual([...ids].sort());
    expect(await found('"quiltenor zorbaxian"')).toEqual([ids[1]]);
    expect(await found('"زربخي قلتنوري"')).toEqual([ids[0]]);
    expect(await found('"قلتنوري زربخي"')).toEqual([ids[1]]);
    expect(await found('زربخي قلتنوري')).toEqual([...ids].sort());
  });

  it('holds the index a full rebuild gives: same postings, same hits and scores', async () => {
    expect(await fullTextDrift(h.database)).toEqual({ extra: 0, missing: 0 });
    const queries = ['"zorbaxian quiltenor"', 'zorbaxian', 'quilten*', '"زربخي قلتنوري"', 'حقوق', 'torture', 'rights', '"human rights"', 'child*'];
    const held = new Map<string, Map<string, number>>();
    for (const q of queries) held.set(q, await hitScores(h.database, q));
    await reindexAll(h.database.db, h.database.dialect.search);
    expect(await fullTextDrift(h.database)).toEqual({ extra: 0, missing: 0 });
    for (const q of queries) {
      const fresh = await hitScores(h.database, q);
      const was = held.get(q)!;
      expect([...was.keys()].sort(), q).toEqual([...fresh.keys()].sort());
      for (const [id, score] of fresh) expect(was.get(id), `${q}: ${id}`).toBeCloseTo(score, 9);
    }
    expect(held.get('"zorbaxian quiltenor"')!.size).toBe(1);
  });
});
