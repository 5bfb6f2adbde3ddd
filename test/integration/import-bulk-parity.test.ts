/**
 * The bulk path of a first import into an empty register (EngineDialect.bulkLoad: on SQLite its indexes, full-text
 * trigger and change-log triggers set aside, the rows written by statements prepared once on the writer connection,
 * the indexes and FTS5 built at the end; on PostgreSQL COPY and postings built once) stores exactly what the
 * row-by-row path stores, on both engines: the same recommendations (every imported column), documents, terms and
 * term links, the same search index rows, and the same hits with the same scores; the engine's full-text index is
 * consistent; the change log holds one `full` row instead of one per written row. The bulk side reads the file through
 * the parse worker (texts pre-analysed there), the row side in this thread (analysed at write): the same index.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUhriJson, generateUhriRecords, type UhriJsonRecord } from '../../bench/gen-uhri.ts';
import { importRecords, parseFile } from '../../src/imports/index.ts';
import { parseQuery } from '../../src/text/index.ts';
import { createTestDatabase, ENGINES, pgSkipReason, type Engine, type TestDatabase } from '../helpers/engines.ts';
import { fullTextDrift, hitScores } from '../helpers/fulltext.ts';
import { storedIndexRows, storedLinks, storedRecommendations } from '../helpers/import-snapshot.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-import-bulk-parity-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** English and Arabic records of several bodies and documents; a few texts with quotes, tabs, newlines, backslashes. */
function fixtureRecords(): UhriJsonRecord[] {
  const records = [
    ...generateUhriRecords({ count: 900, lang: 'en', seed: 31, useSharedData: false }),
    ...generateUhriRecords({ count: 500, lang: 'ar', seed: 31 ^ 0x40000000, useSharedData: false }),
  ];
  const awkward = [
    "Ratify the Convention\\against torture \\N and 'quoted' \"twice\" report",
    'Protect\tjournalists\tand human rights defenders',
    'Abolish the death penalty;\r\nestablish a moratorium\nnow',
    'حماية حقوق المرأة و\\الطفل\tفي التشريعات الوطنية',
    '   Leading and trailing spaces are trimmed   ',
  ];
  awkward.forEach((text, i) => (records[i * 11]!.Text = `${i + 1}. ${text}`));
  return records;
}

function fixture(): string {
  const file = join(tmp, 'fixture.json');
  writeFileSync(file, buildUhriJson({ records: fixtureRecords() }));
  return file;
}
const COUNT = 1400;

const QUERIES = [
  'torture', 'ratify', 'ratif*', '"death penalty"', 'death penalty', 'child*', 'journalists', 'domestic violence',
  'human rights defenders', '"optional protocol" torture', 'التعذيب', 'الإعدام', 'حقوق', 'الاتج*', '"عقوبة الإعدام"', 'moratorium', 'quoted',
];

async function imported(engine: Engine, bulk: boolean, file: string): Promise<TestDatabase> {
  const t = await createTestDatabase(engine);
  const records = await parseFile('uhri-json', file, { worker: bulk });
  const outcome = await importRecords(t.db, records, { source: 'test', bulkLoad: bulk ? t.dialect.bulkLoad : undefined });
  expect(outcome).toMatchObject({ total: COUNT, new: COUNT, invalid: 0 });
  return t;
}

async function documents(t: TestDatabase): Promise<unknown[]> {
  return t.db
    .selectFrom('documents as d')
    .innerJoin('bodies as b', 'b.id', 'd.body_id')
    .select(['d.symbol', 'b.code', 'd.type', 'd.title_ar', 'd.title_en', 'd.country', 'd.date', 'd.upr_cycle', 'd.upr_session', 'd.url'])
    .orderBy('d.symbol')
    .execute();
}

async function terms(t: TestDatabase): Promise<unknown[]> {
  return t.db.selectFrom('terms').select(['kind', 'code', 'label_ar', 'label_en', 'sort']).orderBy('kind').orderBy('code').execute();
}

describe.each(ENGINES)('bulk path and row path of a first import store the same (%s)', (engine) => {
  const skip = engine === 'postgres' && Boolean(pgSkipReason);
  let bulk: TestDatabase;
  let row: TestDatabase;
  beforeAll(async () => {
    if (skip) return;
    const file = fixture();
    bulk = await imported(engine, true, file);
    row = await imported(engine, false, file);
  }, 180_000);
  afterAll(async () => {
    await bulk?.drop();
    await row?.drop();
  });

  it.skipIf(skip)('took the bulk path on one side only: one full change row against one per written row', async () => {
    expect(await bulk.db.selectFrom('register_changes').select(['recommendation_id', 'scope']).execute()).toEqual([{ recommendation_id: null, scope: 'full' }]);
    expect((await row.db.selectFrom('register_changes').select('seq').execute()).length).toBeGreaterThan(COUNT);
  });

  it.skipIf(skip)('writes the same recommendations, documents, terms, term links and index rows', async () => {
    const recs = await storedRecommendations(bulk);
    expect(recs).toHaveLength(COUNT);
    expect(recs).toEqual(await storedRecommendations(row));
    expect(await documents(bulk)).toEqual(await documents(row));
    expect(await terms(bulk)).toEqual(await terms(row));
    const l = await storedLinks(bulk);
    expect(l.length).toBeGreaterThan(COUNT);
    expect(l).toEqual(await storedLinks(row));
    const i = await storedIndexRows(bulk);
    expect(i).toHaveLength(COUNT);
    expect(i).toEqual(await storedIndexRows(row));
    expect(await fullTextDrift(bulk)).toEqual({ extra: 0, missing: 0 });
    // the awkward texts came through unchanged (trimmed, as the row path trims)
    const texts = (recs as { text_en: string | null }[]).map((r) => r.text_en ?? '');
    expect(texts.some((x) => x.includes("Convention\\against torture \\N and 'quoted' \"twice\" report"))).toBe(true);
    expect(texts.some((x) => x.includes('journalists\tand'))).toBe(true);
    expect(texts.some((x) => x.endsWith('Leading and trailing spaces are trimmed'))).toBe(true);
  });

  it.skipIf(skip).each(QUERIES)('finds the same hits with the same scores: %s', async (q) => {
    const [a, b] = [await hitScores(bulk, q), await hitScores(row, q)];
    expect(b.size, `no hits for ${q}`).toBeGreaterThan(0);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [id, score] of b) expect(a.get(id), `${q}: ${id}`).toBeCloseTo(score, 9);
    if (parseQuery(q).clauses.length > 1) {
      const [x, y] = [await hitScores(bulk, q, 'any'), await hitScores(row, q, 'any')];
      expect([...x.keys()].sort()).toEqual([...y.keys()].sort());
      for (const [id, score] of y) expect(x.get(id), `${q} (any): ${id}`).toBeCloseTo(score, 9);
    }
  });

  it.skipIf(skip)('a later import into the filled register updates both the same way', async () => {
    const changed = join(tmp, `changed-${engine}.json`);
    const records = fixtureRecords();
    records[3]!.Text = `${records[3]!.Text} Independent prison inspections.`;
    writeFileSync(changed, buildUhriJson({ records: records.slice(0, 50) }));
    for (const t of [bulk, row]) {
      expect(await importRecords(t.db, await parseFile('uhri-json', changed, { worker: false }), { source: 'test', bulkLoad: t.dialect.bulkLoad })).toMatchObject({
        new: 0,
        updated: 1,
        unchanged: 49,
      });
    }
    expect(await storedRecommendations(bulk)).toEqual(await storedRecommendations(row));
    expect(await storedIndexRows(bulk)).toEqual(await storedIndexRows(row));
    expect([...(await hitScores(bulk, 'inspections')).keys()]).toEqual([...(await hitScores(row, 'inspections')).keys()]);
    expect(await fullTextDrift(bulk)).toEqual({ extra: 0, missing: 0 });
  });
});
