import { sql, type Kysely } from 'kysely';

/**
 * Frozen: PostgreSQL only (issue 15). A content version of the postings (migration 006), so that a text query's hits
 * (and bm25's statistics) are kept until the postings change, not only until the register's next write
 * (`SearchDialect.contentVersion`, src/db/dialect/postgres.ts).
 *
 * `recommendation_fts_versions` gets one row of weight 1 from every statement that changes the postings: the
 * postings trigger adds it when its statements moved any posting (an upsert of unchanged texts adds none), the
 * truncate trigger always. The version is the sum of the weights a snapshot sees:
 * - the row is written in the transaction that changes the postings, so a snapshot sees the new postings exactly when
 *   it sees the new weight (a sequence's value would move before the commit, and hits of the old postings would be
 *   kept under the new number);
 * - inserts never wait for one another (a counter row updated in place would make every writer of the index wait for
 *   a long import's commit), and the sum only grows: one sum is one committed state of the postings;
 * - rows are folded into one of the same total weight by the reader (`delete … returning` + insert, in one statement:
 *   two folds at once each re-insert only what they themselves deleted), so the sum does not move.
 * The function keeps `jit = off` (migration 041): CREATE OR REPLACE sets every property it does not name back.

 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`create table recommendation_fts_versions (n bigint not null)`.execute(db);
  await sql`create or replace function rasd_fts_postings_sync() returns trigger language plpgsql set jit = off as $$
    declare
      moved bigint := 0;
      k bigint;
    begin
      if tg_op = 'DELETE' then
        execute 'delete from recommendation_fts_postings p
          using (select x.lexeme, x.search_rowid from old_rows o, lateral rasd_fts_postings(o.search_rowid, o.terms, o.words) x) d
          where p.lexeme = d.lexeme and p.search_rowid = d.search_rowid';
        get diagnostics moved = row_count;
      elsif tg_op = 'INSERT' then
        execute 'insert into recommendation_fts_postings
          select x.* from new_rows n, lateral rasd_fts_postings(n.search_rowid, n.terms, n.words) x';
        get diagnostics moved = row_count;
      else
        execute 'delete from recommendation_fts_postings p
          using (select x.lexeme, x.search_rowid
                   from old_rows o join new_rows n on n.search_rowid = o.search_rowid,
                        lateral rasd_fts_postings(o.search_rowid, o.terms, o.words) x
                  where (o.terms, o.words) is distinct from (n.terms, n.words)) d
          where p.lexeme = d.lexeme and p.search_rowid = d.search_rowid';
        get diagnostics moved = row_count;
        execute 'insert into recommendation_fts_postings
          select x.* from old_rows o join new_rows n on n.search_rowid = o.search_rowid,
                          lateral rasd_fts_postings(n.search_rowid, n.terms, n.words) x
           where (o.terms, o.words) is distinct from (n.terms, n.words)';
        get diagnostics k = row_count;
        moved := moved + k;
      end if;
      if moved > 0 then
        insert into recommendation_fts_versions(n) values (1);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create or replace function rasd_fts_postings_truncate() returns trigger language plpgsql as $$
    begin
      truncate recommendation_fts_postings;
      insert into recommendation_fts_versions(n) values (1);
      return null;
    end $$`.execute(db);
}
