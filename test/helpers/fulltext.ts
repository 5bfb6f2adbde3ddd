import { sql } from 'kysely';
import type { Database } from '../../src/db/create-db.ts';
import { parseQuery } from '../../src/text/index.ts';

/**
 * How far the engine's full-text index is from `recommendation_search`. SQLite: FTS5's own check of its index
 * against the rows (it throws on a difference). PostgreSQL: the postings a fresh computation from the rows would
 * not give (extra), and those it would give that are not there (missing).
 */
export async function fullTextDrift({ db, dialect }: Database): Promise<{ extra: number; missing: number }> {
  if (dialect.engine === 'sqlite') {
    await sql`insert into recommendation_fts(recommendation_fts, rank) values ('integrity-check', 1)`.execute(db);
    return { extra: 0, missing: 0 };
  }
  const r = await sql<{ extra: number; missing: number }>`with fresh as (
      select p.* from recommendation_search s, lateral rasd_fts_postings(s.search_rowid, s.terms, s.words) p)
    select (select count(*) from (select * from recommendation_fts_postings except all select * from fresh) x)::integer as extra,
           (select count(*) from (select * from fresh except all select * from recommendation_fts_postings) y)::integer as missing`.execute(db);
  return r.rows[0]!;
}

/** The row ids a search for one of this index row's own words (four letters or more) finds. */
export async function hitsForOwnWord({ db, dialect }: Database, row: { terms: string }): Promise<number[]> {
  const term = row.terms.split(' ').find((w) => /^[a-z]{4,}$/.test(w))!;
  return Array.from((await dialect.search.hitList(db, { clauses: [{ kind: 'term', term }] }, false)).rowids);
}

/** Every hit of a query with its relevance, by external id, as the engine's hit list gives it. */
export async function hitScores({ db, dialect }: Database, q: string, mode: 'all' | 'any' = 'all'): Promise<Map<string, number>> {
  const list = await dialect.search.hitList(db, parseQuery(q), true, mode);
  const rows = await db
    .selectFrom('recommendation_search as s')
    .innerJoin('recommendations as r', 'r.id', 's.recommendation_id')
    .select(['s.search_rowid', 'r.external_id'])
    .execute();
  const external = new Map(rows.map((r) => [Number(r.search_rowid), r.external_id]));
  return new Map([...list.rowids].map((rowid, k) => [external.get(rowid)!, list.scores![k]!]));
}
