/**
 * PostgreSQL's postings in blocks (migration 044): a first import's bulk path writes its postings as byte blocks of
 * 1,024 index rows, and every later write keeps the row layout, recording the rows it moves out of the blocks. A
 * register loaded by the bulk path and the same register loaded row by row must then answer every search alike (the
 * same hits, the same bm25 scores, the same document counts) after each kind of later write: an edit of a record's
 * text, a deletion, a second-language import re-indexing every record, and a rebuild of the whole index. Were a block
 * and the rows table to disagree (a moved row's old words still read from its block, or its new ones missed), the
 * bulk-loaded register would find what the other does not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUhriJson, generateUhriRecords, type UhriJsonRecord } from '../../bench/gen-uhri.ts';
import { importRecords, parseFile } from '../../src/imports/index.ts';
import { indexRecommendations, reindexAll } from '../../src/search/index.ts';
import { createTestDatabase, pgSkipReason, type TestDatabase } from '../helpers/engines.ts';
import { fullTextDrift, hitScores } from '../helpers/fulltext.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-fts-blocks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** More index rows than one block holds (1,024), so that the records sit in two blocks. */
const COUNT = 1300;
const SEED = 44;

function write(name: string, records: UhriJsonRecord[]): string {
  const file = join(tmp, name);
  writeFileSync(file, buildUhriJson({ records }));
  return file;
}

const EN = () => [...generateUhriRecords({ count: COUNT, lang: 'en', seed: SEED, useSharedData: false })];
const AR = () => [...generateUhriRecords({ count: COUNT, lang: 'ar', seed: SEED, useSharedData: false })];

/**
 * Terms, prefixes, phrases, several clauses; `any` as "similar recommendations" asks. "consider", "commission",
 * "government" and "institution" are stems of some rows' `terms` and unstemmed words of other rows' `words` (a term
 * counts only the former).
 */
const QUERIES = [
  'consider', 'commission government', 'institution*', 'consider torture',
  'torture', 'rights', 'human rights', '"human rights"', 'right*', 'child* protection', 'women education', '"death penalty" moratorium',
  'ombudsperson', 'zorbaxian', 'zorbax*', '"zorbaxian quiltenor"', 'quiltenor prisons', 'حقوق', 'التعذيب', '"حقوق الإنسان"', 'الاتج*',
];

async function imported(bulk: boolean, file: string): Promise<TestDatabase> {
  const t = await createTestDatabase('postgres');
  const outcome = await importRecords(t.db, await parseFile('uhri-json', file, { worker: false, lang: 'en' }), { source: 'test', bulkLoad: bulk ? t.dialect.bulkLoad : undefined });
  expect(outcome).toMatchObject({ new: COUNT, invalid: 0 });
  return t;
}

const count = async (t: TestDatabase, table: 'recommendation_fts_blocks' | 'recommendation_fts_moved') =>
  (await sql<{ n: number }>`select count(*)::integer as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n;

describe.skipIf(pgSkipReason)('PostgreSQL postings in blocks and the rows moved out of them', () => {
  let blocks: TestDatabase;
  let rows: TestDatabase;
  /** words of the edited records' texts before the edit */
  const oldWords: string[] = [];
  /** the commonest and the rarest tokens of the first import */
  const stems: string[] = [];
  beforeAll(async () => {
    const file = write('en.json', EN());
    blocks = await imported(true, file);
    rows = await imported(false, file);
  }, 120_000);
  afterAll(async () => {
    await blocks?.drop();
    await rows?.drop();
  });

  /** Both registers give every query the same hits and scores (and, for words, the same document counts). */
  async function answerAlike(queries: readonly string[]): Promise<void> {
    for (const q of queries) {
      for (const mode of ['all', 'any'] as const) {
        const [a, b] = [await hitScores(blocks, q, mode), await hitScores(rows, q, mode)];
        expect([...a.entries()].sort(), `${q} (${mode})`).toEqual([...b.entries()].sort());
      }
    }
    // document counts ("similar recommendations"), whole and capped
    const words = [...stems, ...oldWords, 'consider', 'commission', 'government', 'ombudsperson', 'zorbaxian', 'nosuchword'];
    for (const cap of [20_000, 5]) {
      const counts = async (t: TestDatabase) => [...(await t.dialect.search.documentCounts(t.db, words, cap)).entries()].sort();
      const held = await counts(blocks);
      expect(held.length).toBeGreaterThan(4);
      expect(held).toEqual(await counts(rows));
    }
    for (const t of [blocks, rows]) expect(await fullTextDrift(t)).toEqual({ extra: 0, missing: 0 });
  }

  it('holds a first import in blocks, the other register in rows, and both answer alike', async () => {
    expect(await count(blocks, 'recommendation_fts_blocks')).toBeGreaterThan(0);
    expect(await count(rows, 'recommendation_fts_blocks')).toBe(0);
    for (const order of [sql`count(*) desc`, sql`count(*)`]) {
      const { rows: found } = await sql<{ lexeme: string }>`select lexeme from recommendation_fts_postings where lexeme <> ''
        group by lexeme order by ${order}, lexeme limit 3`.execute(rows.db);
      stems.push(...found.map((r) => r.lexeme));
    }
    await answerAlike(QUERIES);
  });

  it('an edit after the import: the old words no longer find the record, the new ones do', async () => {
    const picked = await blocks.db
      .selectFrom('recommendation_search as s')
      .innerJoin('recommendations as r', 'r.id', 's.recommendation_id')
      .select(['r.external_id', 's.search_rowid', 's.terms'])
      .orderBy('s.search_rowid')
      .execute();
    // one record of each block, and the last one
    const edited = [picked[3]!, picked[1100]!, picked[picked.length - 1]!];
    for (const e of edited) oldWords.push(...e.terms.split(' ').filter((w) => w.length > 6).slice(0, 2));
    expect(oldWords.length).toBeGreaterThan(2);
    const texts = ['Establish a zorbaxian quiltenor office for prisons', 'An ombudsperson for the quiltenor zorbaxian prisons', 'Appoint an ombudsperson'];
    for (const t of [blocks, rows]) {
      for (const [k, e] of edited.entries()) {
        const r = await t.db.selectFrom('recommendations').select(['id', 'version']).where('external_id', '=', e.external_id).executeTakeFirstOrThrow();
        await t.db.transaction().execute(async (trx) => {
          await trx.updateTable('recommendations').set({ text_en: texts[k]!, text_ar: null, text_fr: null, version: r.version + 1 }).where('id', '=', r.id).execute();
          await indexRecommendations(trx, [r.id]);
        });
      }
    }
    expect(await count(blocks, 'recommendation_fts_moved')).toBe(3);
    expect(await count(rows, 'recommendation_fts_moved')).toBe(0);
    // the edited records are found by their new words only
    const found = [...(await hitScores(blocks, 'ombudsperson')).keys()].sort();
    expect(found).toEqual([edited[1]!.external_id, edited[2]!.external_id].sort());
    for (const w of oldWords) {
      const hits = await hitScores(blocks, w);
      for (const e of edited) if (!texts.join(' ').toLowerCase().includes(w)) expect(hits.has(e.external_id), w).toBe(false);
    }
    await answerAlike([...QUERIES, ...oldWords]);
  });

  it('a deletion: the record is found no more', async () => {
    const gone = await blocks.db.selectFrom('recommendations').select('external_id').where('text_en', 'like', '%zorbaxian quiltenor office%').executeTakeFirstOrThrow();
    const other = await blocks.db.selectFrom('recommendation_search as s').innerJoin('recommendations as r', 'r.id', 's.recommendation_id')
      .select('r.external_id').orderBy('s.search_rowid').offset(500).limit(1).executeTakeFirstOrThrow();
    for (const t of [blocks, rows]) await t.db.deleteFrom('recommendations').where('external_id', 'in', [gone.external_id, other.external_id]).execute();
    // the edited record was moved already; the other one moves now
    expect(await count(blocks, 'recommendation_fts_moved')).toBe(4);
    expect((await hitScores(blocks, '"zorbaxian quiltenor"')).size).toBe(0);
    await answerAlike([...QUERIES, ...oldWords]);
  });

  it('a second-language import re-indexing every record, then a rebuild of the index', async () => {
    const file = write('ar.json', AR());
    for (const t of [blocks, rows]) {
      const outcome = await importRecords(t.db, await parseFile('uhri-json', file, { worker: false, lang: 'ar' }), { source: 'test', bulkLoad: t.dialect.bulkLoad });
      expect(outcome).toMatchObject({ new: 2, invalid: 0 });
    }
    expect(await count(blocks, 'recommendation_fts_moved')).toBeGreaterThan(COUNT - 10);
    await answerAlike([...QUERIES, ...oldWords]);
    for (const t of [blocks, rows]) await reindexAll(t.db, t.dialect.search);
    await answerAlike([...QUERIES, ...oldWords]);
  });
});
