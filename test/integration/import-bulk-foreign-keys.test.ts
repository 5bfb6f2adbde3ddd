/**
 * SQLite's first import into an empty register runs its transaction with the writer's foreign-key checks off and
 * checks every key once before the commit (sqlite-bulk.ts `transaction`, sqlite-driver.ts `withoutForeignKeys`). Here:
 * a key that points nowhere still fails the import with a clear error and nothing is written; the checks are on again
 * after every ending (success, dry run, rejected file, broken key); another transaction of this process never runs
 * without them, even one begun while the import runs; an import into a populated register keeps them row by row.
 * SQLite only: PostgreSQL's bulk path keeps its constraints (postgres-bulk.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { writeUhriJson } from '../../bench/gen-uhri.ts';
import type { BulkLoad, BulkSession } from '../../src/db/dialect/types.ts';
import { ImportRejected, importRecords, parseFile, type ImportRecord } from '../../src/imports/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/engines.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-import-fk-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** the writer's setting, outside any transaction (a pragma is not a plain read: it runs on the writer) */
const foreignKeys = async (db: Kysely<any>) => Number((await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)).rows[0]?.foreign_keys);
const count = async (t: TestDatabase, table: 'recommendations' | 'recommendation_terms' | 'documents') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

/** The engine's bulk load, its session's writer changed by `tamper`, noting the foreign-key setting inside the transaction. */
function spied(bulk: BulkLoad, seen: number[], tamper: (s: BulkSession) => BulkSession = (s) => s): BulkLoad {
  return {
    ...bulk,
    async begin(trx) {
      seen.push(Number((await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(trx)).rows[0]?.foreign_keys));
      const s = await bulk.begin(trx);
      return s && tamper(s);
    },
  };
}

async function* withDuplicateAtEnd(records: AsyncIterable<ImportRecord> | Iterable<ImportRecord>): AsyncGenerator<ImportRecord> {
  let first: ImportRecord | undefined;
  for await (const r of records) {
    first ??= r;
    yield r;
  }
  if (first) yield { ...first, sourceRow: 99_999 };
}

describe('a first import without row-by-row foreign-key checks (sqlite)', () => {
  it('fails on a key that points nowhere, writes nothing, and leaves the checks on after every ending', async () => {
    const file = join(tmp, 'fk.json');
    await writeUhriJson(file, { count: 700, seed: 11, useSharedData: false });
    const t = await createTestDatabase('sqlite');
    try {
      const bulk = t.dialect.bulkLoad!;
      expect(bulk.transaction).toBeDefined();
      const records = () => parseFile('uhri-json', file, { worker: false });
      const seen: number[] = [];
      expect(await foreignKeys(t.db)).toBe(1);

      // a link to a term that does not exist
      const badTerm = spied(bulk, seen, (s) => ({
        ...s,
        writer: { ...s.writer!, links: (rows) => s.writer!.links([...rows, { recommendation_id: rows[0]!.recommendation_id, term_id: 'no-such-term' }]) },
      }));
      await expect(importRecords(t.db, await records(), { source: 'test', bulkLoad: badTerm })).rejects.toThrow(
        /FOREIGN KEY constraint failed: recommendation_terms\.term_id → terms\.id: 1 value\(s\) not found, e\.g\. "no-such-term"/,
      );
      expect(seen).toEqual([0]);
      expect(await foreignKeys(t.db)).toBe(1);
      expect(await count(t, 'recommendations')).toBe(0);
      expect(await count(t, 'recommendation_terms')).toBe(0);

      // a recommendation of a document that does not exist
      const badDocument = spied(bulk, seen, (s) => ({
        ...s,
        writer: { ...s.writer!, recommendations: (rows) => s.writer!.recommendations(rows.map((r, i) => (i === 3 ? { ...r, document_id: 'no-such-document' } : r))) },
      }));
      await expect(importRecords(t.db, await records(), { source: 'test', bulkLoad: badDocument })).rejects.toThrow(
        /FOREIGN KEY constraint failed: recommendations\.document_id → documents\.id: 1 value\(s\) not found/,
      );
      expect(await foreignKeys(t.db)).toBe(1);
      expect(await count(t, 'documents')).toBe(0);

      // a dry run, then a rejected file
      expect(await importRecords(t.db, await records(), { source: 'test', bulkLoad: spied(bulk, seen), dryRun: true })).toMatchObject({ new: 700 });
      expect(await foreignKeys(t.db)).toBe(1);
      await expect(importRecords(t.db, withDuplicateAtEnd(await records()), { source: 'test', bulkLoad: spied(bulk, seen) })).rejects.toBeInstanceOf(ImportRejected);
      expect(await foreignKeys(t.db)).toBe(1);
      expect(await count(t, 'recommendations')).toBe(0);
      expect(seen).toEqual([0, 0, 0, 0]);

      // the import itself, while another transaction of this process waits for the writer: begun from inside the
      // import's own work (the same asynchronous context), it runs with the checks on all the same
      let other: Promise<number> | undefined;
      const withOther: BulkLoad = {
        ...spied(bulk, seen),
        async begin(trx) {
          other = t.db.transaction().execute(async (o) => Number((await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(o)).rows[0]?.foreign_keys));
          return spied(bulk, seen).begin(trx);
        },
      };
      expect(await importRecords(t.db, await records(), { source: 'test', bulkLoad: withOther })).toMatchObject({ new: 700, invalid: 0 });
      expect(await other).toBe(1);
      expect(seen).toEqual([0, 0, 0, 0, 0]);
      expect(await foreignKeys(t.db)).toBe(1);
      expect(await count(t, 'recommendations')).toBe(700);
      expect(await count(t, 'recommendation_terms')).toBeGreaterThan(700);

      // the register is no longer empty: the import's transaction keeps the checks (its links are checked at the row)
      const inside = async (trx: Kysely<any>) => Number((await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(trx)).rows[0]?.foreign_keys);
      expect(await bulk.transaction!(t.db, inside)).toBe(1);
      expect(await importRecords(t.db, await records(), { source: 'test', bulkLoad: bulk })).toMatchObject({ new: 0, unchanged: 700 });
      expect(await foreignKeys(t.db)).toBe(1);
    } finally {
      await t.drop();
    }
  }, 60_000);
});
