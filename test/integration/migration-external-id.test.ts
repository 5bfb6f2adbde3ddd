/**
 * Migration 008 rebuilds SQLite's `recommendations` table (the external id's uniqueness becomes a named index).
 * On a register that already holds data, on both engines: every row and link survives, the full-text index
 * still finds them, uniqueness holds, deleting a recommendation still cascades, and foreign keys are on again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { writeUhriJson } from '../../bench/gen-uhri.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { importRecords, parseFile } from '../../src/imports/index.ts';
import { createTestDatabase, ENGINES, pgSkipReason } from '../helpers/engines.ts';
import { fullTextDrift, hitsForOwnWord } from '../helpers/fulltext.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-migration-008-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(ENGINES)('migration 008 on a populated register (%s)', (engine) => {
  it.skipIf(engine === 'postgres' && pgSkipReason)('keeps every row, link and index entry', async () => {
    const file = join(tmp, `m008-${engine}.json`);
    await writeUhriJson(file, { count: 300, seed: 5, useSharedData: false });
    const t = await createTestDatabase(engine, { migrate: false });
    try {
      const { db } = t;
      await migrateToLatest(db, engine, '2026-11-30-007-fts-vocabulary');
      await importRecords(db, await parseFile('uhri-json', file, { worker: false }), { source: 'test' });
      const snapshot = async () => ({
        recommendations: await db.selectFrom('recommendations').selectAll().orderBy('id').execute(),
        links: await db.selectFrom('recommendation_terms').selectAll().orderBy('recommendation_id').orderBy('term_id').execute(),
        search: await db.selectFrom('recommendation_search').select(['search_rowid', 'recommendation_id', 'terms']).orderBy('search_rowid').execute(),
      });
      const before = await snapshot();
      expect(before.recommendations).toHaveLength(300);

      expect(await migrateToLatest(db, engine)).toContain('2026-11-30-008-external-id-index');
      expect(await snapshot()).toEqual(before);
      if (engine === 'sqlite') expect((await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)).rows[0]?.foreign_keys).toBe(1);
      expect(await fullTextDrift(t)).toEqual({ extra: 0, missing: 0 });
      const first = before.search[0]!;
      expect(await hitsForOwnWord(t, first)).toContain(Number(first.search_rowid));

      const held = before.recommendations[0]!;
      await expect(db.insertInto('recommendations').values({ ...held, id: 'another-id' }).execute()).rejects.toThrow(/unique|duplicate/i);
      await db.deleteFrom('recommendations').where('id', '=', held.id).execute();
      expect(await db.selectFrom('recommendation_terms').select('term_id').where('recommendation_id', '=', held.id).execute()).toEqual([]);
      expect(await db.selectFrom('recommendation_search').select('search_rowid').where('recommendation_id', '=', held.id).execute()).toEqual([]);
    } finally {
      await t.drop();
    }
  }, 60_000);
});
