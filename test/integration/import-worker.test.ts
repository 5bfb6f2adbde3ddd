/**
 * A large UHRI JSON import parses in a worker thread that also pre-analyses each record's texts for the
 * search index. On both engines: the index rows it writes are exactly what `rasd reindex` computes from
 * the stored rows; a dry run writes nothing; a re-import changes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeUhriJson } from '../../bench/gen-uhri.ts';
import { importRecords, parseFile } from '../../src/imports/index.ts';
import { reindexAll } from '../../src/search/index.ts';
import { createTestDatabase, ENGINES, pgSkipReason } from '../helpers/engines.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-import-worker-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(ENGINES)('import through the parse worker (%s)', (engine) => {
  it.skipIf(engine === 'postgres' && pgSkipReason)('indexes as reindex would, dry-runs and re-imports without changes', async () => {
    const file = join(tmp, `export-full-en-${engine}.json`);
    await writeUhriJson(file, { count: 1500, seed: 11, useSharedData: false });
    const database = await createTestDatabase(engine);
    try {
      const { db } = database;
      const run = async (dryRun: boolean) => importRecords(db, await parseFile('uhri-json', file, { worker: true }), { source: 'test', dryRun });
      const dry = await run(true);
      expect(dry.new).toBe(1500);
      expect(Number((await db.selectFrom('recommendations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);

      const first = await run(false);
      expect(first).toMatchObject({ new: 1500, updated: 0, invalid: 0 });
      const index = async () =>
        (await db.selectFrom('recommendation_search').select(['recommendation_id', 'terms', 'words']).orderBy('recommendation_id').execute());
      const written = await index();
      expect(written).toHaveLength(1500);
      await reindexAll(db, database.dialect.search);
      expect(await index()).toEqual(written);

      const again = await run(false);
      expect(again).toMatchObject({ new: 0, updated: 0, unchanged: 1500 });
    } finally {
      await database.drop();
    }
  }, 60_000);
});
