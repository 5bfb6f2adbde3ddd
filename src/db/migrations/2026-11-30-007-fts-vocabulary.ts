import { sql, type Kysely } from 'kysely';

/**
 * Frozen: on SQLite, FTS5's vocabulary of the `terms` column as a table (`fts5vocab`, type `col`): for each token,
 * how many index rows hold it, read from the index itself. "Similar recommendations" uses it to pick a
 * recommendation's rarest words. PostgreSQL counts the same from its postings (migration 006).
 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine !== 'sqlite') return;
  await sql`create virtual table recommendation_fts_vocab using fts5vocab(recommendation_fts, col)`.execute(db);
}
