import { sql, type Kysely } from 'kysely';

/**
 * Frozen: on PostgreSQL, every statement that writes to a table the in-memory register index reads
 * (src/recommendations/register-index.ts) sends a notification on channel `rasd_changes` when its
 * transaction commits (one per transaction: PostgreSQL folds identical notifications), so that other
 * server processes refresh their index after, say, a `rasd import` from the command line. SQLite needs
 * nothing: other connections' commits show in PRAGMA data_version.
 */
const NOTIFYING_TABLES = [
  'recommendations',
  'recommendation_terms',
  'recommendation_search',
  'terms',
  'documents',
  'bodies',
  'mechanisms',
  'assignments',
  'clusters',
  'entities',
] as const;

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`create function rasd_notify_changes() returns trigger language plpgsql as $$
    begin
      perform pg_notify('rasd_changes', '');
      return null;
    end $$`.execute(db);
  for (const table of NOTIFYING_TABLES) {
    await sql`create trigger ${sql.raw(`${table}_notify_changes`)} after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function rasd_notify_changes()`.execute(db);
  }
}
