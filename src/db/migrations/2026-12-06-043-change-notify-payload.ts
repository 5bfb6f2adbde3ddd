import { sql, type Kysely } from 'kysely';

/**
 * Frozen: on PostgreSQL, the notifications on `rasd_changes` (migrations 005, 017, 032) name the table written and
 * the transaction that wrote: `<table> <transaction id>` (`pg_current_xact_id()`; PostgreSQL folds identical
 * notifications of one transaction, so one per table written).
 * - The table: a value built from a few tables (the glossary's index) is not built again after every write of any
 *   other table (`EngineDialect.externalChanges` with tables).
 * - The transaction: a process that has read the register's change log (migration 020) with a snapshot in which that
 *   transaction had already committed knows that read held its changes, and does not read the log again for it
 *   (src/recommendations/register-index.ts).
 * An empty payload (a process of an earlier version) names neither: it counts for every table and as unknown.
 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`create or replace function rasd_notify_changes() returns trigger language plpgsql as $$
    begin
      perform pg_notify('rasd_changes', tg_table_name || ' ' || pg_current_xact_id()::text);
      return null;
    end $$`.execute(db);
}
