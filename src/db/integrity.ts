import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

/**
 * The database's integrity check (`rasd check`, and the kill -9 runs of `npm run bench -- faults`). Read-only.
 * - SQLite: `PRAGMA integrity_check` (pages, indexes, constraints), `PRAGMA foreign_key_check` (every foreign key)
 *   and the full-text index's own check (`integrity-check` of FTS5 against recommendation_search).
 * - PostgreSQL (its pages are its own business): every foreign key of the schema, read from the catalogue, checked
 *   for rows that point nowhere; no index left invalid (an interrupted `create index concurrently`); the search
 *   postings consistent with recommendation_search (one length row per indexed recommendation, none for a
 *   recommendation that is gone).
 * - Both: every recommendation has its search row (a start-up indexes any that lack one, so after a start this is 0).
 * Each problem is one line of English for the operator; an empty list means the check passed.
 */
export interface IntegrityReport {
  engine: 'sqlite' | 'postgres';
  ok: boolean;
  problems: string[];
  /** what was checked: foreign keys examined (PostgreSQL; SQLite checks them all at once) and the tables' count */
  checked: { foreignKeys: number; tables: number };
}

export async function checkIntegrity(db: Kysely<DB>, engine: 'sqlite' | 'postgres'): Promise<IntegrityReport> {
  const problems: string[] = [];
  let foreignKeys = 0;
  let tables = 0;
  if (engine === 'sqlite') {
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    for (const r of integrity.rows) if (r.integrity_check !== 'ok') problems.push(`integrity_check: ${r.integrity_check}`);
    const fk = await sql<{ table: string; rowid: number | null; parent: string; fkid: number }>`pragma foreign_key_check`.execute(db);
    const byTable = new Map<string, number>();
    for (const r of fk.rows) byTable.set(`${r.table} → ${r.parent}`, (byTable.get(`${r.table} → ${r.parent}`) ?? 0) + 1);
    for (const [pair, n] of byTable) problems.push(`foreign key: ${n} row(s) of ${pair} point to no row`);
    try {
      await sql`insert into recommendation_fts(recommendation_fts) values ('integrity-check')`.execute(db);
    } catch (err) {
      problems.push(`full-text index: ${(err as Error).message}`);
    }
    tables = (await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table'`.execute(db)).rows[0]?.n ?? 0;
  } else {
    const fks = await sql<{ name: string; child: string; parent: string; cols: string[]; refcols: string[] }>`
      select c.conname as name, c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
        array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as cols,
        array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as refcols
      from pg_constraint c join pg_namespace ns on ns.oid = c.connamespace
      where c.contype = 'f' and ns.nspname = current_schema()
      order by 1`.execute(db);
    foreignKeys = fks.rows.length;
    const id = (s: string) => sql.id(...s.split('.'));
    for (const fk of fks.rows) {
      const notNull = sql.join(fk.cols.map((c) => sql`t.${sql.id(c)} is not null`), sql` and `);
      const match = sql.join(fk.cols.map((c, i) => sql`p.${sql.id(fk.refcols[i]!)} = t.${sql.id(c)}`), sql` and `);
      const r = await sql<{ n: string }>`select count(*) as n from ${id(fk.child)} t where ${notNull} and not exists (select 1 from ${id(fk.parent)} p where ${match})`.execute(db);
      const n = Number(r.rows[0]?.n ?? 0);
      if (n > 0) problems.push(`foreign key ${fk.name}: ${n} row(s) of ${fk.child} point to no row of ${fk.parent}`);
    }
    const invalid = await sql<{ name: string }>`
      select i.indexrelid::regclass::text as name from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace ns on ns.oid = c.relnamespace
      where ns.nspname = current_schema() and not (i.indisvalid and i.indisready)`.execute(db);
    for (const r of invalid.rows) problems.push(`index ${r.name} is not valid`);
    const unposted = await sql<{ n: string }>`select count(*) as n from recommendation_search s
      where not exists (select 1 from recommendation_fts_postings p where p.lexeme = '' and p.search_rowid = s.search_rowid)`.execute(db);
    if (Number(unposted.rows[0]?.n ?? 0) > 0) problems.push(`search postings: ${unposted.rows[0]!.n} indexed recommendation(s) have no postings`);
    const orphan = await sql<{ n: string }>`select count(*) as n from recommendation_fts_postings p
      where p.lexeme = '' and not exists (select 1 from recommendation_search s where s.search_rowid = p.search_rowid)`.execute(db);
    if (Number(orphan.rows[0]?.n ?? 0) > 0) problems.push(`search postings: ${orphan.rows[0]!.n} posting list(s) belong to no indexed recommendation`);
    tables = Number((await sql<{ n: string }>`select count(*) as n from pg_tables where schemaname = current_schema()`.execute(db)).rows[0]?.n ?? 0);
  }
  const unindexed = await sql<{ n: number | string }>`select count(*) as n from recommendations r
    where not exists (select 1 from recommendation_search s where s.recommendation_id = r.id)`.execute(db);
  if (Number(unindexed.rows[0]?.n ?? 0) > 0) problems.push(`search: ${unindexed.rows[0]!.n} recommendation(s) have no search row (a start of the server indexes them)`);
  return { engine, ok: problems.length === 0, problems, checked: { foreignKeys, tables } };
}
