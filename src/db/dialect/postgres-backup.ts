import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { insertRows } from './insert-rows.ts';
import type { BackupDialect, NativeDump, TableInfo } from './types.ts';

/**
 * Backup on PostgreSQL. The snapshot is one repeatable-read, read-only transaction: every table is read as of
 * its start, whatever commits meanwhile. Its snapshot is exported (`pg_export_snapshot`) and `pg_dump
 * --snapshot` dumps exactly the same state in the custom format beside it, when pg_dump is installed (set
 * `PG_DUMP` to use another binary); without it, or when it fails (say, an older pg_dump than the server),
 * the portable rows alone make the backup, and `note` says why.
 */
export function postgresBackup(url: string): BackupDialect {
  return {
    tables,
    async snapshot(db, dir, read) {
      return db
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute(async (trx) => {
          const { rows } = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
          const dump = pgDump(url, rows[0]!.id, dir);
          // the dump must finish while this transaction (and so its exported snapshot) is still open
          const [result, native] = await Promise.all([read(trx), dump]);
          return { result, native: native.dump, note: native.note };
        });
    },
    async insertRows(trx, table, rows) {
      await insertRows(trx, table, rows, true);
    },
    async afterLoad(trx, list) {
      for (const t of list) {
        if (!t.identity) continue;
        await sql`select setval(pg_get_serial_sequence(${t.name}, ${t.identity}),
          coalesce((select max(${sql.ref(t.identity)}) from ${sql.table(t.name)}), 0) + 1, false)`.execute(trx);
      }
    },
  };
}

async function tables(db: Kysely<any>): Promise<TableInfo[]> {
  const { rows: cols } = await sql<{ table_name: string; column_name: string; is_identity: string; is_generated: string }>`
    select c.table_name, c.column_name, c.is_identity, c.is_generated
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
     where c.table_schema = current_schema()
       and c.table_name not like '%fts%' and c.table_name not like 'kysely\\_%' and c.table_name <> 'register_changes'
     order by c.table_name, c.ordinal_position`.execute(db);
  const { rows: keys } = await sql<{ table_name: string; column_name: string; constraint_type: string; ref: string | null }>`
    select k.table_name, k.column_name, c.constraint_type, u.table_name as ref
      from information_schema.table_constraints c
      join information_schema.key_column_usage k on k.constraint_schema = c.constraint_schema and k.constraint_name = c.constraint_name
      left join information_schema.constraint_column_usage u
        on c.constraint_type = 'FOREIGN KEY' and u.constraint_schema = c.constraint_schema and u.constraint_name = c.constraint_name
     where c.table_schema = current_schema() and c.constraint_type in ('PRIMARY KEY', 'FOREIGN KEY')
     order by k.table_name, c.constraint_name, k.ordinal_position`.execute(db);
  const byName = new Map<string, TableInfo>();
  for (const c of cols) {
    let t = byName.get(c.table_name);
    if (!t) byName.set(c.table_name, (t = { name: c.table_name, columns: [], primaryKey: [], references: [], identity: null }));
    if (c.is_generated !== 'NEVER' || c.column_name.includes('fts')) continue;
    t.columns.push(c.column_name);
    if (c.is_identity === 'YES') t.identity = c.column_name;
  }
  for (const k of keys) {
    const t = byName.get(k.table_name);
    if (!t) continue;
    if (k.constraint_type === 'PRIMARY KEY') t.primaryKey.push(k.column_name);
    else if (k.ref && !t.references.some((r) => r.column === k.column_name && r.table === k.ref)) t.references.push({ column: k.column_name, table: k.ref });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

function pgDump(url: string, snapshot: string, dir: string): Promise<{ dump: NativeDump | null; note: string | null }> {
  const file = 'rasd.pgdump';
  const bin = process.env.PG_DUMP || 'pg_dump';
  return new Promise((resolve) => {
    const child = spawn(bin, ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, `--file=${path.join(dir, file)}`, `--dbname=${url}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    const fail = (why: string) => {
      fs.rmSync(path.join(dir, file), { force: true });
      resolve({ dump: null, note: why });
    };
    child.on('error', (e: NodeJS.ErrnoException) => fail(e.code === 'ENOENT' ? 'pg_dump is not installed' : `pg_dump could not start: ${e.message}`));
    child.on('close', (code) => {
      if (code === 0) resolve({ dump: { file, format: 'pg_dump-custom' }, note: null });
      else fail(`pg_dump failed (exit ${code}): ${err.trim().split('\n').pop() ?? ''}`.slice(0, 500));
    });
  });
}
