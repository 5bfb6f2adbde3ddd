/**
 * PostgreSQL's bulk path for a first import (src/db/dialect/postgres-bulk.ts: COPY, the postings computed in the
 * application and inserted once, the row triggers off for the transaction) gives exactly what the row path and its
 * triggers give: the same postings row for row, the same index rows and term links, and the same hits and scores
 * for every query; the triggers are on again afterwards and keep the index in step with later edits; the change log
 * holds one `full` row instead of one per row; a register filled meanwhile by someone else makes it step aside.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUhriJson, generateUhriRecords } from '../../bench/gen-uhri.ts';
import pg from 'pg';
import { checkReferences, copyText } from '../../src/db/dialect/postgres-bulk.ts';
import { PostingsCopy } from '../../src/db/dialect/postgres-postings-copy.ts';
import { importRecords, parseFile } from '../../src/imports/index.ts';
import { indexRecommendations } from '../../src/search/index.ts';
import { parseQuery } from '../../src/text/index.ts';
import { createTestDatabase, pgSkipReason, type TestDatabase } from '../helpers/engines.ts';
import { fullTextDrift, hitScores } from '../helpers/fulltext.ts';
import { storedIndexRows, storedLinks, storedRecommendations } from '../helpers/import-snapshot.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-import-bulk-pg-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** English and Arabic records, a few with texts that COPY's text format must escape. */
function fixture(): string {
  const records = [
    ...generateUhriRecords({ count: 700, lang: 'en', seed: 21, useSharedData: false }),
    ...generateUhriRecords({ count: 400, lang: 'ar', seed: 21 ^ 0x40000000, useSharedData: false }),
  ];
  const awkward = [
    'Ratify the Convention\\against torture \\N and \\\\ report',
    'Protect\tjournalists\tand human rights defenders',
    'Abolish the death penalty;\r\nestablish a moratorium\nnow',
    'حماية حقوق المرأة و\\الطفل\tفي التشريعات الوطنية',
  ];
  awkward.forEach((text, i) => (records[i * 7]!.Text = `${i + 1}. ${text}`));
  const file = join(tmp, 'fixture.json');
  writeFileSync(file, buildUhriJson({ records }));
  return file;
}

const QUERIES = [
  'torture', 'ratify', 'ratif*', '"death penalty"', 'death penalty', 'child*', 'journalists', 'domestic violence', 'Paris Principles',
  'human rights defenders', '"optional protocol" torture', 'التعذيب', 'الإعدام', 'حقوق', 'الاتج*', '"عقوبة الإعدام"', 'moratorium', 'report', 'against',
];

async function imported(bulk: boolean, file: string): Promise<TestDatabase> {
  const t = await createTestDatabase('postgres');
  const records = await parseFile('uhri-json', file, { worker: false });
  const outcome = await importRecords(t.db, records, { source: 'test', bulkLoad: bulk ? t.dialect.bulkLoad : undefined });
  expect(outcome).toMatchObject({ new: 1100, invalid: 0 });
  return t;
}

/** The postings with each row id replaced by its recommendation's external id, in a stable order. */
async function postings(t: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ p: string }>`select concat_ws('|', r.external_id, p.lexeme, p.fa, p.fb, p.dl, encode(p.pa, 'hex')) as p
      from recommendation_fts_postings p
      join recommendation_search s on s.search_rowid = p.search_rowid
      join recommendations r on r.id = s.recommendation_id`.execute(t.db);
  return rows.map((r) => r.p).sort();
}

const scores = (t: TestDatabase, q: string, mode: 'all' | 'any' = 'all') => hitScores(t, q, mode);

const disabledTriggers = async (t: TestDatabase) =>
  (await sql<{ tgname: string }>`select tgname from pg_trigger where not tgisinternal and tgenabled <> 'O'`.execute(t.db)).rows.map((r) => r.tgname);

describe.skipIf(pgSkipReason)('PostgreSQL bulk path of a first import', () => {
  let bulk: TestDatabase;
  let row: TestDatabase;
  beforeAll(async () => {
    const file = fixture();
    [bulk, row] = await Promise.all([imported(true, file), imported(false, file)]);
  }, 120_000);
  afterAll(async () => {
    await bulk?.drop();
    await row?.drop();
  });

  it('computes the postings of an index row exactly as rasd_fts_postings does, through a binary COPY', async () => {
    const cases: [string, string][] = [
      ['a b a c a', 'A B a'],
      ['', ''],
      ['  x  y x ', ' '],
      ['back\\slash tab\tin new\nline', 'x\\N \\\\'],
      ['حقوق المرأة حقوق', 'الحقوق المرأة'],
      [Array.from({ length: 40 }, (_, i) => `w${i % 7}`).join(' '), 'w1 w2 z'],
      // more distinct tokens and positions than the writer's first arrays hold, a count past int2, a 4-byte character
      [Array.from({ length: 300 }, (_, i) => `t${i}`).join(' '), `${'y '.repeat(33000)}𝒜`],
      // tokens of ASCII then other letters, and longer than the writer's byte-at-a-time path (32 characters)
      [`abcحقوق ${'x'.repeat(40)} abcحقوق é${'ي'.repeat(40)}`, `éa ${'long'.repeat(20)}`],
    ];
    // a small first buffer, so that it grows
    const copy = new PostingsCopy(16);
    for (const [k, [terms, words]] of cases.entries()) copy.add(k + 1, terms, words);
    const client = new pg.Client({ connectionString: (bulk.target as { url: string }).url });
    await client.connect();
    try {
      await client.query('create temp table copied (like recommendation_fts_postings)');
      await copyText(client, 'copy copied from stdin with (format binary)', copy.end());
      const norm = `concat_ws('|', search_rowid, lexeme, fa, fb, dl, encode(pa, 'hex'))`;
      const mine = (await client.query<{ p: string }>(`select ${norm} as p from copied order by 1`)).rows.map((r) => r.p);
      const sqlRows = (
        await client.query<{ p: string }>(
          `select ${norm} as p from unnest($1::text[], $2::text[]) with ordinality c(terms, words, k), lateral rasd_fts_postings(k::integer, terms, words) order by 1`,
          [cases.map((c) => c[0]), cases.map((c) => c[1])],
        )
      ).rows.map((r) => r.p);
      expect(mine.length).toBeGreaterThan(300);
      expect(mine).toEqual(sqlRows);
    } finally {
      await client.end();
    }
  });

  it('took the bulk path: one full change row, the content version moved, no trigger left disabled, the tables analyzed', async () => {
    const changes = await bulk.db.selectFrom('register_changes').select(['recommendation_id', 'scope']).execute();
    expect(changes).toEqual([{ recommendation_id: null, scope: 'full' }]);
    expect((await row.db.selectFrom('register_changes').select('seq').execute()).length).toBeGreaterThan(1100);
    expect(await disabledTriggers(bulk)).toEqual([]);
    // the postings' content version moved once (migration 042: the trigger that moves it was off)
    expect((await sql<{ n: number }>`select sum(n)::integer as n from recommendation_fts_versions`.execute(bulk.db)).rows[0]!.n).toBe(1);
    const { rows } = await sql<{ n: number }>`select reltuples::integer as n from pg_class where relname = 'recommendation_fts_postings'`.execute(bulk.db);
    expect(rows[0]!.n).toBeGreaterThan(1100);
    // the loaded table took the place of the empty one, with the same key and the byte-order collation of its tokens
    const shape = async (t: TestDatabase) => ({
      key: (await sql<{ conname: string; def: string }>`select conname, pg_get_constraintdef(oid) as def from pg_constraint
        where conrelid = 'recommendation_fts_postings'::regclass`.execute(t.db)).rows,
      columns: (await sql<{ column_name: string; data_type: string; collation_name: string | null; is_nullable: string }>`select column_name, data_type, collation_name, is_nullable
        from information_schema.columns where table_schema = current_schema() and table_name = 'recommendation_fts_postings' order by ordinal_position`.execute(t.db)).rows,
      tables: (await sql<{ relname: string }>`select relname from pg_class where relname like '%fts_postings%' and relkind = 'r' order by relname`.execute(t.db)).rows,
    });
    const [mine, theirs] = [await shape(bulk), await shape(row)];
    expect(mine).toEqual(theirs);
    expect(mine.key).toEqual([{ conname: 'recommendation_fts_postings_pk', def: 'PRIMARY KEY (lexeme, search_rowid) INCLUDE (fa, fb, dl, pa)' }]);
    expect(mine.columns[0]).toMatchObject({ column_name: 'lexeme', collation_name: 'C' });
  });

  it('writes the same recommendations, term links, index rows and postings as the row path', async () => {
    expect(await storedRecommendations(bulk)).toEqual(await storedRecommendations(row));
    expect(await storedLinks(bulk)).toEqual(await storedLinks(row));
    expect(await storedIndexRows(bulk)).toEqual(await storedIndexRows(row));
    // the new documents, sent ahead of each chunk's rows on the bulk path
    const documents = (t: TestDatabase) =>
      t.db
        .selectFrom('documents as d')
        .innerJoin('bodies as b', 'b.id', 'd.body_id')
        .select(['d.symbol', 'b.code', 'd.type', 'd.title_ar', 'd.title_en', 'd.country', 'd.date', 'd.upr_cycle', 'd.upr_session', 'd.url'])
        .orderBy('d.symbol')
        .execute();
    const docs = await documents(bulk);
    expect(docs.length).toBeGreaterThan(10);
    expect(docs).toEqual(await documents(row));
    const [a, b] = [await postings(bulk), await postings(row)];
    expect(a.length).toBeGreaterThan(1100 * 10);
    expect(a).toEqual(b);
    expect(await fullTextDrift(bulk)).toEqual({ extra: 0, missing: 0 });
    // the awkward texts came through COPY unchanged
    const texts = (await bulk.db.selectFrom('recommendations').select('text_en').execute()).map((r) => r.text_en ?? '');
    expect(texts.some((x) => x.includes('Convention\\against torture \\N and \\\\ report'))).toBe(true);
    expect(texts.some((x) => x.includes('journalists\tand'))).toBe(true);
  });

  it.each(QUERIES)('finds the same hits with the same scores: %s', async (q) => {
    const [a, b] = [await scores(bulk, q), await scores(row, q)];
    expect(b.size, `no hits for ${q}`).toBeGreaterThan(0);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [id, score] of b) expect(a.get(id), `${q}: ${id}`).toBeCloseTo(score, 9);
    if (parseQuery(q).clauses.length > 1) {
      const [x, y] = [await scores(bulk, q, 'any'), await scores(row, q, 'any')];
      expect([...x.keys()].sort()).toEqual([...y.keys()].sort());
      for (const [id, score] of y) expect(x.get(id), `${q} (any): ${id}`).toBeCloseTo(score, 9);
    }
  });

  it('leaves the triggers on: a later edit and a later import keep postings and change log in step', async () => {
    const one = await bulk.db.selectFrom('recommendations').select(['id', 'version']).orderBy('id').limit(1).executeTakeFirstOrThrow();
    await bulk.db.transaction().execute(async (trx) => {
      await trx.updateTable('recommendations').set({ text_en: 'Establish an ombudsperson for prisons', version: one.version + 1 }).where('id', '=', one.id).execute();
      await indexRecommendations(trx, [one.id]);
    });
    expect(await fullTextDrift(bulk)).toEqual({ extra: 0, missing: 0 });
    expect([...(await scores(bulk, 'ombudsperson')).keys()]).toHaveLength(1);
    const logged = await bulk.db.selectFrom('register_changes').select('recommendation_id').where('recommendation_id', '=', one.id).execute();
    expect(logged.length).toBeGreaterThan(0);

    // the register is no longer empty: a first import of other records takes the row path
    const file = join(tmp, 'more.json');
    writeFileSync(file, buildUhriJson({ records: [...generateUhriRecords({ count: 50, lang: 'en', seed: 21 ^ 0x20000000, useSharedData: false })] }));
    const outcome = await importRecords(bulk.db, await parseFile('uhri-json', file, { worker: false }), { source: 'test', bulkLoad: bulk.dialect.bulkLoad });
    expect(outcome).toMatchObject({ new: 50 });
    expect(await fullTextDrift(bulk)).toEqual({ extra: 0, missing: 0 });
    const rowsLogged = await bulk.db.selectFrom('register_changes').select('seq').where('recommendation_id', 'is not', null).execute();
    expect(rowsLogged.length).toBeGreaterThanOrEqual(50);
  });

  it('checks the foreign keys skipped by its unchecked COPYs once per set: a key its table does not hold fails', async () => {
    const one = await bulk.db.selectFrom('recommendations').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const attempt = bulk.db.transaction().execute(async (trx) => {
      await checkReferences(trx, ['recommendations', 'recommendation_terms', 'recommendation_search']); // all held
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`insert into recommendation_terms (recommendation_id, term_id) values (${one.id}, 'no-such-term')`.execute(trx);
      await sql`set local session_replication_role = origin`.execute(trx);
      await checkReferences(trx, ['recommendation_terms']);
    });
    await expect(attempt).rejects.toThrow(/recommendation_terms \(term_id\) that terms does not hold/);
    expect(await bulk.db.selectFrom('recommendation_terms').select('term_id').where('term_id', '=', 'no-such-term').execute()).toEqual([]);
  });

  it('locks the referenced rows other transactions see until it commits, as the row-level checks do', async () => {
    const link = await bulk.db.selectFrom('recommendation_terms').select('term_id').orderBy('term_id').limit(1).executeTakeFirstOrThrow();
    const other = new pg.Client({ connectionString: bulk.target.engine === 'postgres' ? bulk.target.url : '' });
    await other.connect();
    try {
      const deleteTerm = async () => {
        await other.query('begin');
        try {
          await other.query(`set local lock_timeout = '300ms'`);
          await other.query('delete from terms where id = $1', [link.term_id]);
          return 'deleted';
        } catch (e) {
          return (e as { code?: string }).code; // 55P03: lock_not_available
        } finally {
          await other.query('rollback');
        }
      };
      await bulk.db.transaction().execute(async (trx) => {
        await checkReferences(trx, ['recommendation_terms']);
        expect(await deleteTerm()).toBe('55P03');
      });
      expect(await deleteTerm()).toBe('deleted'); // rolled back: the term and its links stay
    } finally {
      await other.end();
    }
  });

  it('fails with the server\'s own error when a COPY sent while the next chunk was prepared fails, and leaves nothing', async () => {
    const t = await createTestDatabase('postgres');
    try {
      const records = [...generateUhriRecords({ count: 1200, lang: 'en', seed: 23, useSharedData: false })];
      records[1100]!.Text = `${records[1100]!.Text} \u0000`; // PostgreSQL stores no NUL character: the third chunk's COPY fails
      const file = join(tmp, 'nul.json');
      writeFileSync(file, buildUhriJson({ records }));
      const attempt = importRecords(t.db, await parseFile('uhri-json', file, { worker: false }), { source: 'test', bulkLoad: t.dialect.bulkLoad });
      await expect(attempt).rejects.toThrow(/0x00/);
      expect(await t.db.selectFrom('recommendations').select('id').execute()).toEqual([]);
      expect(await disabledTriggers(t)).toEqual([]);
      records[1100]!.Text = 'Ratify the Convention against Torture';
      writeFileSync(file, buildUhriJson({ records }));
      const outcome = await importRecords(t.db, await parseFile('uhri-json', file, { worker: false }), { source: 'test', bulkLoad: t.dialect.bulkLoad });
      expect(outcome).toMatchObject({ new: 1200, invalid: 0 });
      expect(await fullTextDrift(t)).toEqual({ extra: 0, missing: 0 });
    } finally {
      await t.drop();
    }
  });

  it('steps aside when the register is no longer empty once its locks are held', async () => {
    const session = await bulk.db.transaction().execute((trx) => bulk.dialect.bulkLoad!.begin(trx));
    expect(session).toBeNull();
    expect(await disabledTriggers(bulk)).toEqual([]);
  });
});
