/**
 * The register reads its change log after every write (register-index.ts). When the rows are too many to patch (past
 * `limit`), or name more recommendations than a patch is worth (past `recs`), each engine says `more` without sending
 * them: after an import of 20,000 records into 250,000, PostgreSQL sent 50,001 rows as JSON, and SQLite read them on
 * the server's thread, only for the register to rebuild.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildUhriJson } from '../../bench/gen-uhri.ts';
import { registerIndex } from '../../src/recommendations/register-index.ts';
import { closeHarness, createHarness, describeEachEngine, type Harness } from '../helpers/http.ts';
import { upload } from '../helpers/imports.ts';

describeEachEngine("the register's reads of its change log", (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(engine);
    const coord = await h.loginAs('coordinator');
    const run = await upload(h, coord, 'uhri-json', 'export-full-en.json', buildUhriJson({ count: 3, seed: 4, useSharedData: false }), { dryRun: 'false' });
    expect(run.status).toBe('succeeded');
    await registerIndex(h.database.db, h.database.dialect).settled();
  });
  afterAll(() => closeHarness(h));

  it('tell "more" without the rows past `limit` rows or `recs` recommendations, and give them otherwise', async () => {
    const { db, dialect } = h.database;
    const { next } = await dialect.registerChanges(db, null, 0);
    // one statement: a change row for each of the three recommendations
    await db.updateTable('recommendations').set({ updated_at: '2026-12-06T21:00:00.000Z' }).execute();
    // (PostgreSQL reads from the oldest transaction running anywhere on the server: with other tests running, the
    // import's rows may come back too; they name the same three recommendations, or none)
    const named = (rows: { recommendation_id: string | null }[]) => new Set(rows.flatMap((r) => (r.recommendation_id ? [r.recommendation_id] : []))).size;

    const all = await dialect.registerChanges(db, next, 100, 3);
    expect(all.more).toBeFalsy();
    expect(named(all.rows)).toBe(3);
    for (const [limit, recs] of [
      [100, 2],
      [2, 100],
    ] as const) {
      const past = await dialect.registerChanges(db, next, limit, recs);
      expect(past.more, `limit ${limit}, recs ${recs}`).toBe(true);
      expect(past.rows).toEqual([]);
    }

    if (dialect.registerChangesAndReads) {
      const read = (recs: number) => dialect.registerChangesAndReads!(db, next, 100, [], 32, null, recs);
      const given = await read(3);
      expect(given.more).toBeFalsy();
      expect(named(given.rows)).toBe(3);
      const told = await read(2);
      expect(told.more).toBe(true);
      expect(told.rows).toEqual([]);
    } else expect(engine).toBe('sqlite');
  });
});
