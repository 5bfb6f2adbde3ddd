/**
 * SQLite full-text queries split across worker threads (src/db/dialect/sqlite-fts.ts) return exactly what
 * one query in the main thread returns, scores included; when the workers die, search goes on in the
 * main thread. SQLite only: PostgreSQL runs its queries in its own server processes.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FtsWorkers, runHitList } from '../../src/db/dialect/sqlite-fts.ts';
import { indexRecommendations } from '../../src/search/index.ts';
import { parseQuery, toFts5Match } from '../../src/text/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/engines.ts';
import { makeRecommendations } from '../helpers/followup.ts';

describe('SQLite full-text workers', () => {
  let t: TestDatabase;
  let raw: Database.Database;
  let workers: FtsWorkers;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    const ids = [...(await makeRecommendations(t.db, 150, { body: 'CAT' })), ...(await makeRecommendations(t.db, 150, { body: 'CRC' }))];
    // vary the texts so that scores differ
    for (const [i, id] of ids.entries()) {
      await t.db.updateTable('recommendations').set({ text_en: `Test recommendation ${i} ${'torture '.repeat(i % 4)} women ${i % 7 === 0 ? 'children' : ''}` }).where('id', '=', id).execute();
    }
    await indexRecommendations(t.db, ids);
    raw = new Database(t.target.engine === 'sqlite' ? t.target.file : '', { readonly: true });
    workers = new FtsWorkers(t.target.engine === 'sqlite' ? t.target.file : '', 2);
  });
  afterAll(async () => {
    await workers?.close();
    raw?.close();
    await t?.drop();
  });

  it.each(['torture', 'women', 'child*', '"test recommendation"', 'nothingmatches'])('%s: same hits and scores as one query', async (q) => {
    const match = toFts5Match(parseQuery(q));
    for (const ranked of [true, false]) {
      const one = runHitList(raw, match, ranked);
      const split = await workers.hitList(match, ranked, 300);
      const pairs = (h: typeof one) => [...h.rowids].map((r, k) => `${r}:${h.scores?.[k] ?? ''}`).sort();
      expect(pairs(split)).toEqual(pairs(one));
      if (q !== 'nothingmatches') expect(one.rowids.length).toBeGreaterThan(0);
    }
  });

  it('finds rows beyond the row id it was told is the last (written meanwhile)', async () => {
    const all = await workers.hitList(toFts5Match(parseQuery('women')), false, 10);
    expect(all.rowids.length).toBe(300);
  });

  it('falls back to the main thread when the workers are gone', async () => {
    await t.db.selectFrom('recommendations').select('id').limit(1).execute();
    const search = t.dialect.search;
    const before = await search.hitList(t.db, parseQuery('women'), true);
    await (t.dialect as unknown as { close(): Promise<void> }).close();
    const after = await search.hitList(t.db, parseQuery('women'), true);
    expect([...after.rowids].sort()).toEqual([...before.rowids].sort());
  });
});
