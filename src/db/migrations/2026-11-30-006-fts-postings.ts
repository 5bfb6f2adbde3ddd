import { sql, type Kysely } from 'kysely';

/**
 * Frozen: on PostgreSQL, search and relevance without visiting the table. `recommendation_fts_postings` holds one
 * row per distinct token of each index row (migration 003's `terms` and `words`, split on spaces as FTS5's
 * tokenizer does): how often it occurs in `terms` (fa) and in `words` (fb), its positions in `terms` (pa, 4-byte
 * integers, for phrases) and the row's token count (dl). A primary key that includes every column answers every
 * query by index-only scans, and the application computes FTS5's bm25 from it (src/db/dialect/postgres-postings.ts),
 * so both engines find and rank alike. One more row per index row, with the empty token, carries its token count
 * for the table-wide statistics. Statement triggers with transition tables keep it in step with
 * `recommendation_search` (one statement per import batch, not one per row). SQLite needs none of this: FTS5
 * does it.
 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`create function rasd_fts_postings(r integer, terms text, words text)
    returns table (lexeme text, search_rowid integer, fa smallint, fb smallint, dl integer, pa bytea)
    language sql immutable as $$
      with t as (select w, (o - 1)::integer as p, 1 as a, 0 as b
                   from unnest(array_remove(string_to_array(terms, ' '), '')) with ordinality as x(w, o)
                 union all
                 select w, null, 0, 1 from unnest(array_remove(string_to_array(words, ' '), '')) as y(w)),
           n as (select count(*)::integer as dl from t)
      select t.w, r, least(sum(t.a), 32767)::smallint, least(sum(t.b), 32767)::smallint, n.dl,
             coalesce(string_agg(int4send(t.p), ''::bytea order by t.p) filter (where t.p is not null), ''::bytea)
        from t, n group by t.w, n.dl
      union all
      select '', r, 0::smallint, 0::smallint, n.dl, ''::bytea from n
    $$`.execute(db);
  await sql`create table recommendation_fts_postings (
      lexeme text collate "C" not null,
      search_rowid integer not null,
      fa smallint not null,
      fb smallint not null,
      dl integer not null,
      pa bytea not null)`.execute(db);
  await sql`insert into recommendation_fts_postings
    select p.* from recommendation_search s, lateral rasd_fts_postings(s.search_rowid, s.terms, s.words) p`.execute(db);
  await sql`alter table recommendation_fts_postings
    add constraint recommendation_fts_postings_pk primary key (lexeme, search_rowid) include (fa, fb, dl, pa)`.execute(db);

  // An update re-derives only the rows whose text changed (an upsert of unchanged texts touches nothing).
  await sql`create function rasd_fts_postings_sync() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        delete from recommendation_fts_postings p
          using (select x.lexeme, x.search_rowid from old_rows o, lateral rasd_fts_postings(o.search_rowid, o.terms, o.words) x) d
          where p.lexeme = d.lexeme and p.search_rowid = d.search_rowid;
      elsif tg_op = 'INSERT' then
        insert into recommendation_fts_postings
          select x.* from new_rows n, lateral rasd_fts_postings(n.search_rowid, n.terms, n.words) x;
      else
        delete from recommendation_fts_postings p
          using (select x.lexeme, x.search_rowid
                   from old_rows o join new_rows n on n.search_rowid = o.search_rowid,
                        lateral rasd_fts_postings(o.search_rowid, o.terms, o.words) x
                  where (o.terms, o.words) is distinct from (n.terms, n.words)) d
          where p.lexeme = d.lexeme and p.search_rowid = d.search_rowid;
        insert into recommendation_fts_postings
          select x.* from old_rows o join new_rows n on n.search_rowid = o.search_rowid,
                          lateral rasd_fts_postings(n.search_rowid, n.terms, n.words) x
           where (o.terms, o.words) is distinct from (n.terms, n.words);
      end if;
      return null;
    end $$`.execute(db);
  // A trigger with transition tables serves one event only.
  await sql`create trigger recommendation_search_fts_postings_ai after insert on recommendation_search
    referencing new table as new_rows for each statement execute function rasd_fts_postings_sync()`.execute(db);
  await sql`create trigger recommendation_search_fts_postings_au after update on recommendation_search
    referencing old table as old_rows new table as new_rows for each statement execute function rasd_fts_postings_sync()`.execute(db);
  await sql`create trigger recommendation_search_fts_postings_ad after delete on recommendation_search
    referencing old table as old_rows for each statement execute function rasd_fts_postings_sync()`.execute(db);
  await sql`create function rasd_fts_postings_truncate() returns trigger language plpgsql as $$
    begin
      truncate recommendation_fts_postings;
      return null;
    end $$`.execute(db);
  await sql`create trigger recommendation_search_fts_postings_at after truncate on recommendation_search
    for each statement execute function rasd_fts_postings_truncate()`.execute(db);
  await sql`analyze recommendation_fts_postings`.execute(db);
}
