/**
 * A first import into an empty register takes the engine's bulk path (EngineDialect.bulkLoad; SQLite sets the
 * filled tables' indexes and its full-text insert trigger aside and builds them at the end; PostgreSQL switches the
 * row triggers off for the transaction, COPYs the rows, builds the postings once and analyzes the loaded tables at the
 * end, so that later statements are not planned for an empty register: see also import-bulk-postgres.test.ts). On both engines:
 * the schema afterwards is the one before; the full-text index is complete and consistent; uniqueness still
 * holds; a dry run and a rejected file leave schema and data as they were; the next import takes the row path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { writeUhriJson } from '../../bench/gen-uhri.ts';
import { ImportRejected, importRecords, parseFile, type ImportRecord } from '../../src/imports/index.ts';
import { reindexAll } from '../../src/search/index.ts';
import { createTestDatabase, ENGINES, pgSkipReason, type TestDatabase } from '../helpers/engines.ts';
import { fullTextDrift, hitsForOwnWord } from '../helpers/fulltext.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-import-bulk-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function schemaObjects(t: TestDatabase): Promise<unknown[]> {
  if (t.dialect.engine === 'sqlite') {
    return (await sql`select type, name, sql from sqlite_master where name not like 'sqlite_stat%' order by name`.execute(t.db)).rows;
  }
  const indexes = await sql`select indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname`.execute(t.db);
  const triggers = await sql`select tgname, tgenabled from pg_trigger where not tgisinternal order by tgname`.execute(t.db);
  return [...indexes.rows, ...triggers.rows];
}

const count = async (t: TestDatabase, table: 'recommendations' | 'recommendation_terms' | 'recommendation_search') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

async function* withDuplicateAtEnd(records: AsyncIterable<ImportRecord> | Iterable<ImportRecord>): AsyncGenerator<ImportRecord> {
  let first: ImportRecord | undefined;
  for await (const r of records) {
    first ??= r;
    yield r;
  }
  if (first) yield { ...first, sourceRow: 99_999 };
}

describe.each(ENGINES)('first import into an empty register (%s)', (engine) => {
  it.skipIf(engine === 'postgres' && pgSkipReason)('builds the same schema and a complete index; dry runs and rejected files change nothing', async () => {
    const file = join(tmp, `bulk-${engine}.json`);
    await writeUhriJson(file, { count: 1200, seed: 7, useSharedData: false });
    const t = await createTestDatabase(engine);
    try {
      const bulkLoad = t.dialect.bulkLoad;
      expect(bulkLoad).toBeDefined();
      const run = async (o: { dryRun?: boolean; duplicate?: boolean } = {}) => {
        const records = await parseFile('uhri-json', file, { worker: false });
        return importRecords(t.db, o.duplicate ? withDuplicateAtEnd(records) : records, { source: 'test', bulkLoad, dryRun: Boolean(o.dryRun) });
      };
      const before = await schemaObjects(t);

      expect(await run({ dryRun: true })).toMatchObject({ new: 1200, invalid: 0 });
      expect(await schemaObjects(t)).toEqual(before);
      expect(await count(t, 'recommendations')).toBe(0);

      const rejected = await run({ duplicate: true }).catch((e: unknown) => e);
      expect(rejected).toBeInstanceOf(ImportRejected);
      expect((rejected as ImportRejected).outcome.issues[0]).toMatchObject({ row: 99_999, code: 'duplicate_key' });
      expect(await schemaObjects(t)).toEqual(before);
      expect(await count(t, 'recommendations')).toBe(0);

      expect(await run()).toMatchObject({ new: 1200, invalid: 0 });
      expect(await schemaObjects(t)).toEqual(before);
      expect(await count(t, 'recommendation_search')).toBe(1200);
      expect(await count(t, 'recommendation_terms')).toBeGreaterThan(1200);
      expect(await fullTextDrift(t)).toEqual({ extra: 0, missing: 0 });
      if (engine === 'sqlite') {
        // the build's settings are set back: the writer sorts on its own thread, FTS5 flushes at its default 1 MB
        const threads = await t.db.transaction().execute(async (trx) => (await sql<{ threads: number }>`pragma threads`.execute(trx)).rows[0]?.threads);
        expect(threads).toBe(0);
        const { rows } = await sql<{ v: number }>`select v from recommendation_fts_config where k = 'hashsize'`.execute(t.db);
        expect(rows.map((r) => Number(r.v))).toEqual([1024 * 1024]);
      }
      if (engine === 'postgres') {
        // analyzed in the import's transaction: the planner knows the tables are full (-1: never analyzed)
        const { rows } = await sql<{ relname: string; reltuples: number }>`select relname, reltuples::integer as reltuples from pg_class
          where relname in ('recommendations', 'recommendation_search', 'recommendation_fts_postings') order by relname`.execute(t.db);
        expect(rows.map((r) => [r.relname, r.reltuples >= 1200])).toEqual([
          ['recommendation_fts_postings', true],
          ['recommendation_search', true],
          ['recommendations', true],
        ]);
      }
      // every index row is found by a search for one of its own terms
      const sample = await t.db.selectFrom('recommendation_search').select(['search_rowid', 'terms']).orderBy('search_rowid', 'desc').limit(5).execute();
      for (const s of sample) expect(await hitsForOwnWord(t, s)).toContain(Number(s.search_rowid));
      // the rebuilt unique index holds
      const held = await t.db.selectFrom('recommendations').selectAll().limit(1).executeTakeFirstOrThrow();
      await expect(t.db.insertInto('recommendations').values({ ...held, id: 'another-id' }).execute()).rejects.toThrow(/unique|duplicate/i);
      // what the bulk path indexed is what a reindex computes
      const index = async () => t.db.selectFrom('recommendation_search').select(['recommendation_id', 'terms', 'words']).orderBy('recommendation_id').execute();
      const written = await index();
      await reindexAll(t.db, t.dialect.search);
      expect(await index()).toEqual(written);
      expect(await fullTextDrift(t)).toEqual({ extra: 0, missing: 0 });

      // the register is no longer empty: the row path, which finds every record unchanged
      expect(await run()).toMatchObject({ new: 0, unchanged: 1200 });
      expect(await schemaObjects(t)).toEqual(before);
    } finally {
      await t.drop();
    }
  }, 60_000);
});
