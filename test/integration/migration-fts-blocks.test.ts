/**
 * Migration 046 (PostgreSQL): the postings move from one row per token and index row into blocks of 128 index rows.
 * On a register that already holds data: every posting survives (read through the view, row for row), every query
 * finds the same hits with the same scores; afterwards the trigger keeps the blocks in step with inserts, updates and
 * deletes (a block emptied is gone), and two transactions writing rows of one block at once both keep their postings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { writeUhriJson } from '../../bench/gen-uhri.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { importRecords, parseFile } from '../../src/imports/index.ts';
import { createTestDatabase, pgSkipReason, type TestDatabase } from '../helpers/engines.ts';
import { fullTextDrift, hitScores } from '../helpers/fulltext.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-migration-046-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const QUERIES = ['torture', 'ratif*', '"death penalty"', 'human rights defenders', 'child* protection', 'report', '"national human rights institution"'];

/** Every posting as one line (row id, token, counts, length, positions), sorted. */
async function postings(t: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ p: string }>`select concat_ws('|', search_rowid, lexeme, fa, fb, dl, encode(pa, 'hex')) as p
    from recommendation_fts_postings`.execute(t.db);
  return rows.map((r) => r.p).sort();
}

async function scores(t: TestDatabase): Promise<Record<string, [string, number][]>> {
  const out: Record<string, [string, number][]> = {};
  for (const q of QUERIES) out[q] = [...(await hitScores(t, q))].sort((a, b) => a[0].localeCompare(b[0]));
  return out;
}

describe.skipIf(pgSkipReason)('migration 046 on a populated register (postgres)', () => {
  it('keeps every posting and every hit, and the trigger keeps the blocks in step afterwards', async () => {
    const file = join(tmp, 'm046.json');
    await writeUhriJson(file, { count: 400, seed: 46, useSharedData: false });
    const t = await createTestDatabase('postgres', { migrate: false });
    try {
      const { db } = t;
      await migrateToLatest(db, 'postgres', '2026-12-06-043-change-notify-payload');
      await importRecords(db, await parseFile('uhri-json', file, { worker: false }), { source: 'test' });
      const before = await postings(t);
      expect(before.length).toBeGreaterThan(400 * 10);
      // the hits and scores of the same file imported into a register made at the latest migration
      const fresh = await createTestDatabase('postgres');
      let hits: Awaited<ReturnType<typeof scores>>;
      try {
        await importRecords(fresh.db, await parseFile('uhri-json', file, { worker: false }), { source: 'test' });
        hits = await scores(fresh);
      } finally {
        await fresh.drop();
      }
      expect(hits['torture']!.length).toBeGreaterThan(0);

      expect(await migrateToLatest(db, 'postgres')).toContain('2026-12-06-046-fts-blocks');
      expect(await postings(t)).toEqual(before);
      expect(await fullTextDrift(t)).toEqual({ extra: 0, missing: 0 });
      expect(await scores(t)).toEqual(hits);
      const blocks = (await sql<{ n: number }>`select count(distinct blk)::integer as n from recommendation_fts_blocks`.execute(db)).rows[0]!.n;
      expect(blocks).toBeGreaterThan(2);

      // updates within and across blocks, a whole block deleted, new rows in the last block and after it
      await sql`update recommendation_search s set terms = t.terms, words = t.words
        from recommendation_search t where t.search_rowid = s.search_rowid + 130 and s.search_rowid % 3 = 0`.execute(db);
      await sql`update recommendation_search set terms = terms || ' zzblockword' where search_rowid % 50 = 1`.execute(db);
      const gone = await sql<{ recommendation_id: string; terms: string; words: string; indexed_at: string }>`delete from recommendation_search
        where search_rowid between 128 and 255 returning recommendation_id, terms, words, indexed_at`.execute(db);
      expect(gone.rows).toHaveLength(128);
      expect(await fullTextDrift(t)).toEqual({ extra: 0, missing: 0 });
      expect((await sql<{ n: number }>`select count(*)::integer as n from recommendation_fts_blocks where blk = 1`.execute(db)).rows[0]!.n).toBe(0);
      for (const r of gone.rows) {
        await db.insertInto('recommendation_search').values(r).execute();
      }
      expect(await fullTextDrift(t)).toEqual({ extra: 0, missing: 0 });
      expect([...(await hitScores(t, 'zzblockword')).keys()]).toHaveLength(8);

      // two transactions writing rows of one block: the second waits for the first's block, and keeps its postings
      const url = (t.target as { url: string }).url;
      const [a, b] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
      await Promise.all([a.connect(), b.connect()]);
      try {
        const [x, y] = (await sql<{ id: number }>`select search_rowid as id from recommendation_search where search_rowid between 300 and 383 order by 1 limit 2`.execute(db)).rows;
        await a.query('begin');
        await a.query(`update recommendation_search set terms = terms || ' zzsameblock' where search_rowid = $1`, [x!.id]);
        await b.query('begin');
        const second = b.query(`update recommendation_search set terms = terms || ' zzsameblock' where search_rowid = $1`, [y!.id]);
        await new Promise((r) => setTimeout(r, 200));
        await a.query('commit');
        await second;
        await b.query('commit');
      } finally {
        await Promise.all([a.end(), b.end()]);
      }
      expect(await fullTextDrift(t)).toEqual({ extra: 0, missing: 0 });
      expect([...(await hitScores(t, 'zzsameblock')).keys()]).toHaveLength(2);
    } finally {
      await t.drop();
    }
  }, 120_000);
});
