import { sql, type Kysely } from 'kysely';

/**
 * Frozen: on PostgreSQL, the notifications on `rasd_changes` (migrations 005, 017, 032) name the transaction that
 * wrote (its id, as `pg_current_xact_id()` gives it; one notification per transaction still, PostgreSQL folding
 * identical ones). A process that has read the register's change log (migration 020) with a snapshot in which that
 * transaction had already committed knows that read held its changes, and does not read the log again for it
 * (src/recommendations/register-index.ts). An empty payload (a process of an earlier version) means "unknown".
 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`create or replace function rasd_notify_changes() returns trigger language plpgsql as $$
    begin
      perform pg_notify('rasd_changes', pg_current_xact_id()::text);
      return null;
    end $$`.execute(db);
}
