import { sql, type Kysely } from 'kysely';

/**
 * Frozen: PostgreSQL only (issue 15). A first import's postings (migration 006) in byte blocks.
 *
 * `recommendation_fts_blocks (lexeme, blk, n, data)` holds, per token and block of 1,024 index rows (`blk` =
 * search_rowid >> 10), how many of its entries have `fa` > 0 (`n`: a term's count of rows is their sum, less the
 * moved rows') and that block's postings of the token as one byte string, in row id order: per row its row id
 * (4 bytes), `fa` and `fb` (2 bytes each), `dl` (4 bytes), then when `fa` is 32,767 (the cap) the true count of
 * positions (4 bytes), then its positions in `terms` (4 bytes each; as many as `fa` otherwise): exactly the row
 * layout's fields, big-endian as int4send/int2send write them. Only a first import's bulk path writes blocks (a few
 * hundred thousand keys instead of millions of rows to copy and key); the empty token's postings (each index row's
 * token count, for the statistics and the integrity check) stay rows of `recommendation_fts_postings`.
 *
 * Single-row writes keep the row layout: the trigger (migrations 006, 021, 041, 042) writes the changed rows'
 * postings into `recommendation_fts_postings` as before and, while any block exists, records each updated (with a
 * changed text) or deleted index row in `recommendation_fts_moved`: readers take the blocks' entries of rows not
 * moved, plus the rows table. A row's non-empty postings are thus in one place only: its block (not moved) or the
 * rows table. The content version (migration 042) moves when either table moved.
 *
 * `rasd_fts_block_postings(lexeme, data)` decodes one block into the row layout (for checks and tests; searches
 * decode the bytes in the application, src/db/dialect/postgres-postings.ts).
 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`create table recommendation_fts_blocks (
      lexeme text collate "C" not null,
      blk integer not null,
      n integer not null,
      data bytea not null,
      constraint recommendation_fts_blocks_pk primary key (lexeme, blk))`.execute(db);
  // stored as written: neither compressed nor moved out of line unless too wide for a page
  await sql`alter table recommendation_fts_blocks alter column data set storage external`.execute(db);
  await sql`create table recommendation_fts_moved (search_rowid integer not null constraint recommendation_fts_moved_pk primary key)`.execute(db);

  await sql`create function rasd_fts_block_postings(lex text, data bytea)
    returns table (lexeme text, search_rowid integer, fa smallint, fb smallint, dl integer, pa bytea)
    language plpgsql immutable as $$
    declare
      at integer := 0;
      n integer;
    begin
      lexeme := lex;
      while at < length(data) loop
        search_rowid := ('x' || encode(substring(data from at + 1 for 4), 'hex'))::bit(32)::integer;
        fa := ('x' || encode(substring(data from at + 5 for 2), 'hex'))::bit(16)::integer::smallint;
        fb := ('x' || encode(substring(data from at + 7 for 2), 'hex'))::bit(16)::integer::smallint;
        dl := ('x' || encode(substring(data from at + 9 for 4), 'hex'))::bit(32)::integer;
        at := at + 12;
        n := fa;
        if fa = 32767 then
          n := ('x' || encode(substring(data from at + 1 for 4), 'hex'))::bit(32)::integer;
          at := at + 4;
        end if;
        pa := substring(data from at + 1 for 4 * n);
        at := at + 4 * n;
        return next;
      end loop;
    end $$`.execute(db);

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
        if exists (select 1 from recommendation_fts_blocks) then
          execute 'insert into recommendation_fts_moved select o.search_rowid from old_rows o on conflict do nothing';
          get diagnostics k = row_count;
          moved := moved + k;
        end if;
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
        if exists (select 1 from recommendation_fts_blocks) then
          execute 'insert into recommendation_fts_moved
            select o.search_rowid from old_rows o join new_rows n on n.search_rowid = o.search_rowid
             where (o.terms, o.words) is distinct from (n.terms, n.words)
            on conflict do nothing';
          get diagnostics k = row_count;
          moved := moved + k;
        end if;
      end if;
      if moved > 0 then
        insert into recommendation_fts_versions(n) values (1);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create or replace function rasd_fts_postings_truncate() returns trigger language plpgsql as $$
    begin
      truncate recommendation_fts_postings, recommendation_fts_blocks, recommendation_fts_moved;
      insert into recommendation_fts_versions(n) values (1);
      return null;
    end $$`.execute(db);
  await sql`analyze recommendation_fts_blocks, recommendation_fts_moved`.execute(db);
}
