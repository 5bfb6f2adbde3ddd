import { sql, type Kysely } from 'kysely';

/**
 * Frozen: on PostgreSQL, the tables behind the public portal's page cache (src/portal/page-cache.ts) and the plan
 * page's cache (src/plan/plan-read.service.ts) notify `rasd_changes` too (migration 005 covered only the register's),
 * so that a write made by another instance or a `rasd` command makes this process's cached pages stale.
 */
const TABLES = [
  'statuses',
  'status_history',
  'progress_updates',
  'update_measures',
  'update_indicators',
  'glossary_entries',
  'settings',
  'consultation_comments',
  'plans',
  'plan_pillars',
  'plan_objectives',
  'plan_actions',
  'plan_action_partners',
  'plan_action_recommendations',
  'plan_action_clusters',
  'plan_action_sdgs',
  'plan_indicators',
  'plan_indicator_values',
] as const;

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine !== 'postgres') return;
  // some already notify (the glossary, migration 017)
  const { rows } = await sql<{ name: string }>`select tgname as name from pg_trigger where not tgisinternal`.execute(db);
  const existing = new Set(rows.map((r) => r.name));
  for (const table of TABLES) {
    if (existing.has(`${table}_notify_changes`)) continue;
    await sql`create trigger ${sql.raw(`${table}_notify_changes`)} after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function rasd_notify_changes()`.execute(db);
  }
}
