import { sql, type Kysely } from 'kysely';

/**
 * Frozen: on SQLite, the uniqueness of `recommendations.external_id` becomes a named index
 * (`recommendations_external_id_key`, PostgreSQL's name for the same constraint) instead of the column's
 * UNIQUE clause, whose automatic index cannot be dropped. A first import into an empty register sets its
 * table's indexes aside and builds them once at the end (EngineDialect.bulkLoad), which a column
 * constraint would not allow. The table is rebuilt (SQLite cannot drop a column constraint), with
 * foreign keys off so that dropping the old table deletes nothing, and checked before committing.
 * PostgreSQL keeps its constraint.
 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine !== 'sqlite') return;
  const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'recommendations'`.execute(db);
  const unique = /"external_id" text not null unique/;
  const create = rows[0]?.sql;
  if (!create || !unique.test(create)) throw new Error('recommendations: unexpected table definition');
  const indexes = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = 'recommendations' and sql is not null`.execute(db);
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin`.execute(db);
    try {
      await sql.raw(create.replace(unique, '"external_id" text not null').replace(/^CREATE TABLE "recommendations"/, 'CREATE TABLE "recommendations_new"')).execute(db);
      await sql`insert into recommendations_new select * from recommendations`.execute(db);
      await sql`drop table recommendations`.execute(db);
      await sql`alter table recommendations_new rename to recommendations`.execute(db);
      for (const i of indexes.rows) await sql.raw(i.sql).execute(db);
      await sql`create unique index recommendations_external_id_key on recommendations (external_id)`.execute(db);
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length) throw new Error(`foreign key check failed after rebuilding recommendations: ${JSON.stringify(broken.rows.slice(0, 3))}`);
      await sql`commit`.execute(db);
    } catch (err) {
      await sql`rollback`.execute(db);
      throw err;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
