/**
 * Migration 017 on a register that already holds data, on both engines: the glossary that ships with the app is
 * seeded (at least 500 Arabic/English pairs, no empty side), and status history written before as
 * "Approved progress update <id>[: comment]" becomes the code `update_approved` with the update's id, keeping only
 * the reviewer's comment as the reason; a person's own reason is left as it was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeUhriJson } from '../../bench/gen-uhri.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { importRecords, parseFile } from '../../src/imports/index.ts';
import { createTestDatabase, ENGINES, pgSkipReason } from '../helpers/engines.ts';

const tmp = mkdtempSync(join(tmpdir(), 'rasd-migration-017-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(ENGINES)('migration 017 (%s)', (engine) => {
  it.skipIf(engine === 'postgres' && pgSkipReason)('seeds the glossary and turns stored English status reasons into codes', async () => {
    const file = join(tmp, `m017-${engine}.json`);
    await writeUhriJson(file, { count: 3, seed: 7, useSharedData: false });
    const t = await createTestDatabase(engine, { migrate: false });
    try {
      const { db } = t;
      await migrateToLatest(db, engine, '2026-12-05-012-login-throttle');
      await importRecords(db, await parseFile('uhri-json', file, { worker: false }), { source: 'test' });
      const [a, b] = await db.selectFrom('recommendations').select('id').orderBy('id').limit(2).execute();
      const at = new Date().toISOString();
      const uid = '0b7f6a52-6c59-4c4e-9a3f-3f7d2c1e9a10';
      await db
        .insertInto('status_history')
        .values([
          { id: 'h1', recommendation_id: a!.id, from_status: 'not_started', to_status: 'in_progress', reason: `Approved progress update ${uid}`, changed_by: null, changed_at: at },
          { id: 'h2', recommendation_id: b!.id, from_status: 'not_started', to_status: 'implemented', reason: `Approved progress update ${uid}: تم التنفيذ`, changed_by: null, changed_at: at },
          { id: 'h3', recommendation_id: b!.id, from_status: 'implemented', to_status: 'in_progress', reason: 'Draft law returned', changed_by: null, changed_at: at },
        ] as never)
        .execute();

      expect(await migrateToLatest(db, engine)).toContain('2026-12-05-017-glossary');

      const rows = await db.selectFrom('status_history').select(['id', 'reason', 'reason_code', 'reason_params']).orderBy('id').execute();
      expect(rows).toEqual([
        { id: 'h1', reason: null, reason_code: 'update_approved', reason_params: JSON.stringify({ update_id: uid }) },
        { id: 'h2', reason: 'تم التنفيذ', reason_code: 'update_approved', reason_params: JSON.stringify({ update_id: uid }) },
        { id: 'h3', reason: 'Draft law returned', reason_code: null, reason_params: null },
      ]);

      const glossary = await db.selectFrom('glossary_entries').select(['term_ar', 'term_en']).execute();
      expect(glossary.length).toBeGreaterThanOrEqual(500);
      expect(glossary.every((g) => g.term_ar.trim() && g.term_en.trim() && /[\u0600-\u06ff]/.test(g.term_ar) && /[A-Za-z]/.test(g.term_en))).toBe(true);
      expect(glossary).toEqual(expect.arrayContaining([{ term_ar: 'البدون', term_en: 'Bidoon' }, { term_ar: 'اتفاقية مناهضة التعذيب', term_en: 'CAT' }]));
    } finally {
      await t.drop();
    }
  }, 60_000);
});
