import { sql, type Kysely } from 'kysely';

/**
 * Frozen: PostgreSQL only (issue 15).
 * - The tsvector column of `recommendation_search` and its GIN index are gone: nothing read them (search runs
 *   on the postings, migration 006), and keeping them cost about 15% of an import.
 * - The postings trigger runs its statements through EXECUTE, so that each is planned for the tables as they
 *   are now. As static statements they were planned once per connection and the plan kept: a plan made while
 *   the register was empty (a hash join over a full scan of the postings) stayed in use after a bulk load, and
 *   one 400-row update of a 250,000-record register ran for over 11 minutes.
 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`alter table recommendation_search drop column if exists fts_tsv`.execute(db);
  await sql`create or replace function rasd_fts_postings_sync() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        execute 'delete from recommendation_fts_postings p
          using (select x.lexeme, x.search_rowid from old_rows o, lateral rasd_fts_postings(o.search_rowid, o.terms, o.words) x) d
          where p.lexeme = d.lexeme and p.search_rowid = d.search_rowid';
      elsif tg_op = 'INSERT' then
        execute 'insert into recommendation_fts_postings
          select x.* from new_rows n, lateral rasd_fts_postings(n.search_rowid, n.terms, n.words) x';
      else
        execute 'delete from recommendation_fts_postings p
          using (select x.lexeme, x.search_rowid
                   from old_rows o join new_rows n on n.search_rowid = o.search_rowid,
                        lateral rasd_fts_postings(o.search_rowid, o.terms, o.words) x
                  where (o.terms, o.words) is distinct from (n.terms, n.words)) d
          where p.lexeme = d.lexeme and p.search_rowid = d.search_rowid';
        execute 'insert into recommendation_fts_postings
          select x.* from old_rows o join new_rows n on n.search_rowid = o.search_rowid,
                          lateral rasd_fts_postings(n.search_rowid, n.terms, n.words) x
           where (o.terms, o.words) is distinct from (n.terms, n.words)';
      end if;
      return null;
    end $$`.execute(db);
}
