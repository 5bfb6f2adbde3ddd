import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { insertRows } from './insert-rows.ts';
import type { BackupDialect, TableInfo } from './types.ts';

/** Pages copied per step of the online backup, between which other work runs. */
const STEP_PAGES = 4096;

/**
 * Backup on SQLite. The snapshot is SQLite's online backup API (better-sqlite3 `backup`) from `source` into a
 * new file: it copies a few thousand pages per step, and starts again when another connection wrote meanwhile;
 * after two such restarts it copies everything left in one step (one read transaction), so it always ends,
 * whatever the write load. The copy is a consistent database as of one commit; the portable rows are read from
 * it, and it goes into the archive as the native copy.
 */
export function sqliteBackup(source: () => Database.Database): BackupDialect {
  return {
    tables,
    async snapshot(_db, dir, read) {
      const file = 'rasd.sqlite';
      const target = path.join(dir, file);
      let restarts = 0;
      let lastRemaining = Number.POSITIVE_INFINITY;
      await source().backup(target, {
        progress: ({ remainingPages }) => {
          if (remainingPages > lastRemaining) restarts += 1;
          lastRemaining = remainingPages;
          return restarts >= 2 ? 0x7fffffff : STEP_PAGES;
        },
      });
      const copy = new Database(target);
      copy.pragma('journal_mode = DELETE'); // a self-contained file, without -wal/-shm beside it
      const snap = new Kysely<any>({ dialect: new SqliteDialect({ database: copy }) });
      try {
        const result = await read(snap);
        return { result, native: { file, format: 'sqlite' }, note: null };
      } finally {
        await snap.destroy();
      }
    },
    async insertRows(trx, table, rows) {
      await insertRows(trx, table, rows, false);
    },
    async afterLoad() {
      // AUTOINCREMENT's counter (sqlite_sequence) follows explicitly inserted keys by itself.
    },
  };
}

async function tables(db: Kysely<any>): Promise<TableInfo[]> {
  const { rows: names } = await sql<{ name: string }>`select name from sqlite_master where type = 'table'
    and name not like 'sqlite\\_%' escape '\\' and name not like 'kysely\\_%' escape '\\' and name not like '%fts%' and name <> 'register_changes' order by name`.execute(db);
  const out: TableInfo[] = [];
  for (const { name } of names) {
    const { rows: cols } = await sql<{ name: string; type: string; pk: number }>`select name, type, pk from pragma_table_info(${name})`.execute(db);
    const { rows: fks } = await sql<{ table: string; from: string }>`select "table", "from" from pragma_foreign_key_list(${name})`.execute(db);
    const columns = cols.filter((c) => !c.name.includes('fts'));
    const primaryKey = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    const only = primaryKey.length === 1 ? columns.find((c) => c.name === primaryKey[0]) : undefined;
    out.push({
      name,
      columns: columns.map((c) => c.name),
      primaryKey,
      references: fks.map((f) => ({ column: f.from, table: f.table })),
      identity: only && only.type.toUpperCase() === 'INTEGER' ? only.name : null,
    });
  }
  return out;
}
