import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { insertRows } from './insert-rows.ts';
import type { BackupDialect, TableInfo } from './types.ts';

/** Pages copied per step of the online backup of an in-memory database, between which other work runs. */
const STEP_PAGES = 4096;

/**
 * Backup on SQLite. The snapshot is SQLite's online backup API (better-sqlite3 `backup`) into a new file: a
 * consistent database as of one commit; the portable rows are read from it, and it goes into the archive as the
 * native copy.
 *
 * A database file is copied by a worker thread on a read-only connection of its own, all pages in one step (one read
 * transaction, so it never starts again whatever the server writes meanwhile): the server's thread is not held. Before,
 * the server's own reader copied a few thousand pages per step and started again after every write of another
 * connection; after two restarts it copied everything left in one step, and at 250,000 recommendations (about 740 MB)
 * that one step held the server's thread for 0.5–0.75 s during the nightly backup (docs/PERFORMANCE.md). An in-memory
 * database has no second connection: it is still copied from `source` in steps on this thread.
 */
export function sqliteBackup(source: () => Database.Database, databaseFile: string | null): BackupDialect {
  return {
    tables,
    async snapshot(_db, dir, read) {
      const file = 'rasd.sqlite';
      const target = path.join(dir, file);
      if (databaseFile) await copyInWorker(databaseFile, target);
      // in memory, from the only connection: no other connection's write restarts the copy
      else await source().backup(target, { progress: () => STEP_PAGES });
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

/** The copy made by a worker thread (sqlite-backup-worker.mjs); rejects with its reason if it fails or dies. */
async function copyInWorker(file: string, target: string): Promise<void> {
  const worker = new Worker(new URL('./sqlite-backup-worker.mjs', import.meta.url), { workerData: { file, target } });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m: { ok: boolean; message?: string }) => (m.ok ? resolve() : reject(new Error(`the database copy failed: ${m.message}`))));
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the database copy stopped with exit code ${code}`)));
    });
  } finally {
    await worker.terminate();
  }
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
