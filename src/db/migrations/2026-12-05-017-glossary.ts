import { sql, type Kysely } from 'kysely';
import { GLOSSARY_SEED } from './2026-12-05-017-glossary.seed.ts';

/**
 * Frozen (issue 13).
 * - `glossary_entries`: the bilingual human-rights glossary that expands search queries across Arabic and English.
 *   One row pairs an Arabic and an English term; synonyms and abbreviations are more rows sharing one side
 *   (البدون ↔ Bidoon, البدون ↔ stateless; اتفاقية مناهضة التعذيب ↔ CAT). Seeded here with the glossary that ships
 *   with the app; coordinators edit it afterwards. On PostgreSQL its writes notify other processes (migration 005's
 *   function) so their cached glossary is read again.
 * - `status_history.reason_code` / `reason_params`: a status change made by the system is stored as a code and its
 *   parameters, rendered in the reader's language, with `reason` keeping only what a person wrote. Rows written
 *   before as "Approved progress update <id>[: comment]" become code `update_approved` with the update's id.
 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('glossary_entries')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('term_ar', 'text', (c) => c.notNull())
    .addColumn('term_en', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('glossary_entries_pair_key').on('glossary_entries').columns(['term_ar', 'term_en']).unique().execute();

  const now = new Date().toISOString();
  const seen = new Set<string>();
  const rows: { id: string; term_ar: string; term_en: string; note: null; version: number; created_at: string; updated_at: string }[] = [];
  for (const [ar, en] of GLOSSARY_SEED) {
    const key = `${ar}\u0000${en}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ id: crypto.randomUUID(), term_ar: ar, term_en: en, note: null, version: 1, created_at: now, updated_at: now });
  }
  for (let i = 0; i < rows.length; i += 200) {
    await db.insertInto('glossary_entries').values(rows.slice(i, i + 200)).execute();
  }

  await db.schema.alterTable('status_history').addColumn('reason_code', 'text').execute();
  await db.schema.alterTable('status_history').addColumn('reason_params', 'text').execute();
  const old = await db
    .selectFrom('status_history')
    .select(['id', 'reason'])
    .where('reason', 'like', 'Approved progress update %')
    .execute();
  for (const r of old as { id: string; reason: string }[]) {
    const m = /^Approved progress update (\S+?)(?::\s*([\s\S]*))?$/.exec(r.reason);
    if (!m) continue;
    await db
      .updateTable('status_history')
      .set({ reason_code: 'update_approved', reason_params: JSON.stringify({ update_id: m[1] }), reason: m[2]?.trim() || null })
      .where('id', '=', r.id)
      .execute();
  }

  if (engine === 'postgres') {
    await sql`create trigger glossary_entries_notify_changes after insert or update or delete or truncate on glossary_entries
      for each statement execute function rasd_notify_changes()`.execute(db);
  }
}
