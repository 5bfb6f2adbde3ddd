/**
 * Copies a benchmark's SQLite database into a PostgreSQL one with plain batched INSERTs, for the benchmarks that
 * measure reading (export): the import service's PostgreSQL path stalls at 250,000 records (a separate issue), and
 * what is measured here is the export, not the import.
 *
 * The PostgreSQL database is migrated first by the caller; every table the two databases share is emptied, then
 * filled row for row with the SQLite values (same ids, same text, booleans as 0/1 on both engines), inside one
 * transaction with `session_replication_role = replica` (foreign keys and triggers are not checked while the copy
 * runs, so that tables can be filled in any order). Triggers do not run: the full-text postings
 * (`recommendation_fts_postings`) stay empty, so the copy serves list and export benchmarks, not search ones.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

/** Tables a copy leaves alone: migration bookkeeping and SQLite's own. */
const SKIP = new Set(['kysely_migration', 'kysely_migration_lock', 'sqlite_sequence', 'sqlite_stat1', 'sqlite_stat4']);
/** PostgreSQL caps a statement at 65,535 parameters. */
const MAX_PARAMS = 60_000;

export async function copySqliteToPostgres(sqliteFile: string, pgUrl: string, log: (msg: string) => void = () => {}): Promise<void> {
  const source = new Database(sqliteFile, { readonly: true });
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    const sqliteTables = new Set(
      (source.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]).map((t) => t.name).filter((n) => !SKIP.has(n)),
    );
    const { rows: pgColumns } = await client.query<{ table_name: string; column_name: string; is_identity: string; is_generated: string }>(
      `select table_name, column_name, is_identity, is_generated from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`,
    );
    const pgTables = new Map<string, { columns: string[]; identity: boolean }>();
    for (const c of pgColumns) {
      if (SKIP.has(c.table_name)) continue;
      const t = pgTables.get(c.table_name) ?? { columns: [], identity: false };
      if (c.is_generated !== 'ALWAYS') t.columns.push(c.column_name);
      if (c.is_identity === 'YES') t.identity = true;
      pgTables.set(c.table_name, t);
    }
    const shared = [...pgTables.keys()].filter((t) => sqliteTables.has(t));
    await client.query('begin');
    await client.query('set local session_replication_role = replica');
    await client.query(`truncate ${shared.map((t) => `"${t}"`).join(', ')}`);
    for (const table of shared) {
      const sqliteColumns = new Set((source.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name));
      const { columns: all, identity } = pgTables.get(table)!;
      const columns = all.filter((c) => sqliteColumns.has(c));
      const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
      const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')})${identity ? ' overriding system value' : ''} values `;
      let batch: unknown[][] = [];
      let copied = 0;
      const flush = async () => {
        if (!batch.length) return;
        const values = batch.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
        await client.query(head + values, batch.flat());
        copied += batch.length;
        batch = [];
      };
      const select = source.prepare(`select ${columns.map((c) => `"${c}"`).join(', ')} from "${table}"`).raw(true);
      for (const row of select.iterate() as Iterable<unknown[]>) {
        batch.push(row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
        if (batch.length === perStatement) await flush();
      }
      await flush();
      if (copied) log(`copied ${copied} rows of ${table}`);
      if (identity) {
        // identity columns continue after the copied values
        for (const c of pgColumns.filter((x) => x.table_name === table && x.is_identity === 'YES')) {
          await client.query(`select setval(pg_get_serial_sequence($1, $2), greatest(1, (select coalesce(max("${c.column_name}"), 0) from "${table}")))`, [table, c.column_name]);
        }
      }
    }
    await client.query('commit');
    await client.query('analyze');
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
    source.close();
  }
}
