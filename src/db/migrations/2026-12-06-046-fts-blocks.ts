import { sql, type Kysely } from 'kysely';

/**
 * Frozen: PostgreSQL only (issue 15). The postings (migration 006) stored as one row per token and block of 128 index
 * rows instead of one row per token and index row: about a tenth of the rows for a first import to copy and key.
 *
 * `recommendation_fts_blocks` holds, per token (`lexeme`) and block (`blk` = search_rowid >> 7), the postings of that
 * block's rows as parallel arrays in row id order: `rowids`, and per row `fa`, `fb`, `dl`, `pa` exactly as the row
 * layout held them (what `rasd_fts_postings` gives). Its key is (lexeme, blk) alone: a block is too wide for an index
 * tuple, and the key stays small. `toast_tuple_target` keeps a full block of a common token (about 3 KB) in its row,
 * uncompressed, rather than compressed into the TOAST table.
 *
 * `recommendation_fts_postings` becomes a view of the same rows (and columns, `blk` added last) as the table it
 * replaces, so that every reader (search, integrity, tests) reads postings as before; searches join rows of one
 * block by `blk` first, so that a probe reads one block.
 *
 * The trigger (migrations 006, 021, 041, 042) keeps the blocks in step with `recommendation_search` in one statement
 * per event: the blocks of the changed rows' old and new tokens are upserted, each losing the changed rows' entries
 * and gaining their new ones (ON CONFLICT takes the newest committed version of the block and locks it, so two
 * transactions writing rows of one block wait for each other instead of losing either's entries; in key order, so
 * that two such statements do not deadlock); blocks left empty are deleted. It still adds a content version row when it moved postings (migration 042).
 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`create table recommendation_fts_blocks (
      lexeme text collate "C" not null,
      blk integer not null,
      rowids integer[] not null,
      fa smallint[] not null,
      fb smallint[] not null,
      dl integer[] not null,
      pa bytea[] not null,
      constraint recommendation_fts_blocks_pk primary key (lexeme, blk))
    with (toast_tuple_target = 8160)`.execute(db);
  await sql`insert into recommendation_fts_blocks
    select lexeme, search_rowid >> 7, array_agg(search_rowid order by search_rowid), array_agg(fa order by search_rowid),
           array_agg(fb order by search_rowid), array_agg(dl order by search_rowid), array_agg(pa order by search_rowid)
      from recommendation_fts_postings group by 1, 2`.execute(db);
  await sql`drop table recommendation_fts_postings`.execute(db);
  await sql`create view recommendation_fts_postings as
    select p.lexeme, u.search_rowid, u.fa, u.fb, u.dl, u.pa, p.blk
      from recommendation_fts_blocks p cross join lateral unnest(p.rowids, p.fa, p.fb, p.dl, p.pa) as u(search_rowid, fa, fb, dl, pa)`.execute(db);

  // `ch`: the changed rows, with their old texts (null for an insert) and new ones (null for a delete)
  await sql`create function rasd_fts_blocks_sql(ch text) returns text language sql immutable as $f$
    select format($s$
      with ch as (%s),
      fresh as (select x.* from ch, lateral rasd_fts_postings(ch.search_rowid, ch.nt, ch.nw) x where ch.nt is not null),
      k as (select x.lexeme, x.search_rowid >> 7 as blk from ch, lateral rasd_fts_postings(ch.search_rowid, ch.ot, ch.ow) x where ch.ot is not null
            union select lexeme, search_rowid >> 7 from fresh),
      adds as (select k.lexeme, k.blk,
                      coalesce(array_agg(f.search_rowid order by f.search_rowid) filter (where f.search_rowid is not null), '{}') as rowids,
                      coalesce(array_agg(f.fa order by f.search_rowid) filter (where f.search_rowid is not null), '{}') as fa,
                      coalesce(array_agg(f.fb order by f.search_rowid) filter (where f.search_rowid is not null), '{}') as fb,
                      coalesce(array_agg(f.dl order by f.search_rowid) filter (where f.search_rowid is not null), '{}') as dl,
                      coalesce(array_agg(f.pa order by f.search_rowid) filter (where f.search_rowid is not null), '{}') as pa
                 from k left join fresh f on f.lexeme = k.lexeme and f.search_rowid >> 7 = k.blk group by k.lexeme, k.blk
                order by k.lexeme, k.blk),
      up as (insert into recommendation_fts_blocks as p select * from adds
               on conflict (lexeme, blk) do update set (rowids, fa, fb, dl, pa) = (
                 select coalesce(array_agg(r order by r), '{}'), coalesce(array_agg(a order by r), '{}'), coalesce(array_agg(b order by r), '{}'),
                        coalesce(array_agg(d order by r), '{}'), coalesce(array_agg(q order by r), '{}')
                   from (select * from unnest(p.rowids, p.fa, p.fb, p.dl, p.pa) u(r, a, b, d, q) where not exists (select 1 from ch where ch.search_rowid = u.r)
                         union all select * from unnest(excluded.rowids, excluded.fa, excluded.fb, excluded.dl, excluded.pa)) m)
               returning lexeme, blk, cardinality(rowids) as n)
      select count(*), coalesce(array_agg(lexeme) filter (where n = 0), '{}'), coalesce(array_agg(blk) filter (where n = 0), '{}') from up
    $s$, ch)
  $f$`.execute(db);
  // Statements run through EXECUTE, planned for the tables as they are now (migration 021), without JIT (041).
  await sql`create or replace function rasd_fts_postings_sync() returns trigger language plpgsql set jit = off as $$
    declare
      moved bigint;
      el text[];
      eb integer[];
    begin
      if tg_op = 'DELETE' then
        execute rasd_fts_blocks_sql('select o.search_rowid, o.terms as ot, o.words as ow, null::text as nt, null::text as nw from old_rows o') into moved, el, eb;
      elsif tg_op = 'INSERT' then
        execute rasd_fts_blocks_sql('select n.search_rowid, null::text as ot, null::text as ow, n.terms as nt, n.words as nw from new_rows n') into moved, el, eb;
      else
        execute rasd_fts_blocks_sql('select o.search_rowid, o.terms as ot, o.words as ow, n.terms as nt, n.words as nw
          from old_rows o join new_rows n on n.search_rowid = o.search_rowid where (o.terms, o.words) is distinct from (n.terms, n.words)') into moved, el, eb;
      end if;
      if cardinality(el) > 0 then
        execute 'delete from recommendation_fts_blocks p using unnest($1, $2) e(lexeme, blk)
          where p.lexeme = e.lexeme and p.blk = e.blk and cardinality(p.rowids) = 0' using el, eb;
      end if;
      if moved > 0 then
        insert into recommendation_fts_versions(n) values (1);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create or replace function rasd_fts_postings_truncate() returns trigger language plpgsql as $$
    begin
      truncate recommendation_fts_blocks;
      insert into recommendation_fts_versions(n) values (1);
      return null;
    end $$`.execute(db);
  await sql`analyze recommendation_fts_blocks`.execute(db);
}
