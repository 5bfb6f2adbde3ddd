import { sql, type Kysely } from 'kysely';

/**
 * Frozen: a row-level change log for the in-memory register (src/recommendations/register-index.ts), so
 * that it is patched from the recommendations a write changed instead of being rebuilt from scratch.
 * Triggers on both engines write one row per changed recommendation (`recommendation_id`), per changed
 * cluster assignment (`cluster_id`: every recommendation of that cluster), or one row with a `scope`:
 * 'labels' (a cluster, entity or term label changed) or 'full' (documents, bodies, mechanisms or term
 * codes changed, or a statement changed more than 10,000 rows: rebuild).
 * - SQLite: row triggers; `seq` orders the rows in commit order (one writer). `tx` is unused.
 * - PostgreSQL: statement triggers with transition tables; `tx` is the writing transaction's id, since
 *   `seq` order is not commit order there (readers re-read from the oldest transaction still running).
 */
const LARGE = 10000;

/** table → the columns whose values name changed recommendations / clusters */
const ROW_TABLES: Record<string, { rec: string | null; cluster: string | null }> = {
  recommendations: { rec: 'id', cluster: null },
  recommendation_terms: { rec: 'recommendation_id', cluster: null },
  recommendation_search: { rec: 'recommendation_id', cluster: null },
  assignments: { rec: 'recommendation_id', cluster: 'cluster_id' },
};
/** table → scope per event (absent: nothing to do) */
const SCOPE_TABLES: Record<string, Partial<Record<'insert' | 'update' | 'delete', 'labels' | 'full'>>> = {
  documents: { update: 'full', delete: 'full' },
  bodies: { update: 'full', delete: 'full' },
  mechanisms: { update: 'full', delete: 'full' },
  terms: { update: 'full', delete: 'full' },
  clusters: { update: 'labels', delete: 'labels' },
  entities: { update: 'labels', delete: 'labels' },
};

export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('register_changes')
    .addColumn('seq', 'integer', (c) => (engine === 'sqlite' ? c.autoIncrement().primaryKey().notNull() : c.generatedAlwaysAsIdentity().primaryKey()))
    .addColumn('tx', engine === 'sqlite' ? 'integer' : 'bigint', (c) =>
      engine === 'sqlite' ? c : c.defaultTo(sql`(pg_current_xact_id()::text::bigint)`),
    )
    .addColumn('recommendation_id', 'text')
    .addColumn('cluster_id', 'text')
    .addColumn('scope', 'text')
    .execute();
  await db.schema.createIndex('register_changes_tx_idx').on('register_changes').column('tx').execute();

  if (engine === 'sqlite') {
    for (const [table, { rec, cluster }] of Object.entries(ROW_TABLES)) {
      const cols = (row: 'new' | 'old') => `${rec ? `${row}.${rec}` : 'null'}, ${cluster ? `${row}.${cluster}` : 'null'}`;
      await sql
        .raw(`create trigger register_changes_${table}_ai after insert on ${table} begin
          insert into register_changes(recommendation_id, cluster_id) values (${cols('new')}); end`)
        .execute(db);
      await sql
        .raw(`create trigger register_changes_${table}_ad after delete on ${table} begin
          insert into register_changes(recommendation_id, cluster_id) values (${cols('old')}); end`)
        .execute(db);
      await sql
        .raw(`create trigger register_changes_${table}_au after update on ${table} begin
          insert into register_changes(recommendation_id, cluster_id) values (${cols('old')});
          insert into register_changes(recommendation_id, cluster_id) select ${cols('new')}
            where ${[rec, cluster].filter(Boolean).map((c) => `new.${c} is not old.${c}`).join(' or ')}; end`)
        .execute(db);
    }
    for (const [table, events] of Object.entries(SCOPE_TABLES)) {
      for (const [event, scope] of Object.entries(events)) {
        await sql
          .raw(`create trigger register_changes_${table}_a${event[0]} after ${event} on ${table} begin
            insert into register_changes(scope) values ('${scope}'); end`)
          .execute(db);
      }
    }
    return;
  }

  for (const [table, { rec, cluster }] of Object.entries(ROW_TABLES)) {
    const cols = (rows: string) => `select ${rec ?? 'null'}, ${cluster ?? 'null'} from ${rows}`;
    await sql
      .raw(`create function register_changes_${table}() returns trigger language plpgsql as $$
      declare n bigint;
      begin
        if TG_OP = 'DELETE' then select count(*) into n from old_rows; else select count(*) into n from new_rows; end if;
        if n > ${LARGE} then
          insert into register_changes(scope) values ('full');
        elsif TG_OP = 'INSERT' then
          insert into register_changes(recommendation_id, cluster_id) ${cols('new_rows')};
        elsif TG_OP = 'DELETE' then
          insert into register_changes(recommendation_id, cluster_id) ${cols('old_rows')};
        elsif n > 0 then
          insert into register_changes(recommendation_id, cluster_id) ${cols('old_rows')} union ${cols('new_rows')};
        end if;
        return null;
      end $$`)
      .execute(db);
    await sql
      .raw(`create trigger register_changes_${table}_ai after insert on ${table} referencing new table as new_rows
        for each statement execute function register_changes_${table}()`)
      .execute(db);
    await sql
      .raw(`create trigger register_changes_${table}_au after update on ${table} referencing old table as old_rows new table as new_rows
        for each statement execute function register_changes_${table}()`)
      .execute(db);
    await sql
      .raw(`create trigger register_changes_${table}_ad after delete on ${table} referencing old table as old_rows
        for each statement execute function register_changes_${table}()`)
      .execute(db);
  }
  for (const scope of ['labels', 'full']) {
    await sql
      .raw(`create function register_changes_${scope}() returns trigger language plpgsql as $$
      begin
        insert into register_changes(scope) values ('${scope}');
        return null;
      end $$`)
      .execute(db);
  }
  for (const [table, events] of Object.entries(SCOPE_TABLES)) {
    for (const [event, scope] of Object.entries(events)) {
      await sql
        .raw(`create trigger register_changes_${table}_a${event[0]} after ${event} on ${table}
          for each statement execute function register_changes_${scope}()`)
        .execute(db);
    }
  }
  // truncating a watched table (tests, maintenance) rebuilds
  for (const table of [...Object.keys(ROW_TABLES), ...Object.keys(SCOPE_TABLES)]) {
    await sql
      .raw(`create trigger register_changes_${table}_at after truncate on ${table} for each statement execute function register_changes_full()`)
      .execute(db);
  }
}
