import { sql, type Kysely } from 'kysely';

/**
 * Frozen: full-text search, saved views, clusters and background jobs.
 *
 * Search index. `recommendation_search` (both engines, same columns) holds, per recommendation,
 * the output of the text pipeline over paragraph + document symbol + text_ar + text_en + text_fr:
 * `terms` (stemmed tokens in order) and `words` (unstemmed forms, for prefix search). The
 * application writes it (engine-neutral upsert); each engine indexes it:
 * - SQLite: external-content FTS5 table `recommendation_fts(terms, words)` over it
 *   (content_rowid = search_rowid), kept in sync by triggers; no second copy of the text.
 * - PostgreSQL: a stored generated column `fts_tsv` (terms weight A, words weight B) with a GIN index.
 * Engine-specific objects carry `fts` in their names (the schema snapshot ignores them).
 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  const serial = (col: any) =>
    engine === 'sqlite' ? col.autoIncrement().primaryKey().notNull() : col.generatedAlwaysAsIdentity().primaryKey();

  await db.schema
    .createTable('recommendation_search')
    .addColumn('search_rowid', 'integer', serial)
    .addColumn('recommendation_id', 'text', (c) => c.notNull().unique().references('recommendations.id').onDelete('cascade'))
    .addColumn('terms', 'text', (c) => c.notNull())
    .addColumn('words', 'text', (c) => c.notNull())
    .addColumn('indexed_at', 'text', (c) => c.notNull())
    .execute();

  if (engine === 'sqlite') {
    await sql`create virtual table recommendation_fts using fts5(terms, words, tokenize = 'ascii', content = 'recommendation_search', content_rowid = 'search_rowid')`.execute(db);
    await sql`create trigger recommendation_search_fts_ai after insert on recommendation_search begin
      insert into recommendation_fts(rowid, terms, words) values (new.search_rowid, new.terms, new.words);
    end`.execute(db);
    await sql`create trigger recommendation_search_fts_ad after delete on recommendation_search begin
      insert into recommendation_fts(recommendation_fts, rowid, terms, words) values ('delete', old.search_rowid, old.terms, old.words);
    end`.execute(db);
    await sql`create trigger recommendation_search_fts_au after update on recommendation_search begin
      insert into recommendation_fts(recommendation_fts, rowid, terms, words) values ('delete', old.search_rowid, old.terms, old.words);
      insert into recommendation_fts(rowid, terms, words) values (new.search_rowid, new.terms, new.words);
    end`.execute(db);
  } else {
    await sql`alter table recommendation_search add column fts_tsv tsvector generated always as
      (setweight(to_tsvector('simple', terms), 'A') || setweight(to_tsvector('simple', words), 'B')) stored`.execute(db);
    await sql`create index recommendation_search_fts_gin on recommendation_search using gin (fts_tsv)`.execute(db);
  }

  await db.schema
    .createTable('saved_views')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('saved_views_user_idx').on('saved_views').column('user_id').execute();

  await db.schema
    .createTable('clusters')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('title_ar', 'text')
    .addColumn('title_en', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('similarity_pct', 'integer')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('clusters_status_idx').on('clusters').column('status').execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('phase', 'text')
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('jobs_kind_status_idx').on('jobs').columns(['kind', 'status']).execute();
}
