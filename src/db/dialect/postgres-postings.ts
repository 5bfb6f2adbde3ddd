/**
 * PostgreSQL hit lists for queries of single tokens (terms and prefixes; phrases of two or more words go to
 * the tsvector instead), from `recommendation_fts_postings` (migration 006) by index-only scans, ranked by
 * SQLite FTS5's own bm25 computed here: both engines give the same scores.
 *
 * Ranking through the tsvector (`ts_rank`) has to read every hit's row and its out-of-line tsvector, about
 * 0.3–0.5 s for a query with 30,000 hits among 250,000; the postings answer the same in a few milliseconds.
 */
import type { TokenClause } from '../../text/index.ts';
import type { HitList } from './hit-list.ts';

/** bm25 as FTS5 computes it (fts5_aux.c), with the column weights of the SQLite search: `bm25(1.0, 0.2)`. */
export const BM25 = { k1: 1.2, b: 0.75, termsWeight: 1.0, wordsWeight: 0.2 } as const;

/** Row count and token total of the index, for bm25's idf and average length. */
export interface IndexStats {
  rows: number;
  tokens: number;
}

export const STATS_SQL = `select count(*)::integer as rows, coalesce(sum(dl), 0)::float8 as tokens
  from recommendation_fts_postings where lexeme = ''`;

/** The smallest string above every string that starts with `prefix` (code point order = collation "C"). */
function after(prefix: string): string {
  const last = prefix.codePointAt(prefix.length - 1)!;
  const head = prefix.slice(0, prefix.length - (last > 0xffff ? 2 : 1));
  return head + String.fromCodePoint(last + 1);
}

/**
 * One statement: the rows matching every clause (a term: the stem in `terms`; a prefix: any token of either
 * column starting with it, summed per row), packed as bytes (4-byte row id, token count, and per clause the
 * counts in `terms` and in `words`); with several clauses, also each clause's own number of rows (`n0`, `n1`…,
 * for idf; a single clause's is the number of hits). The clauses are plain joins, so that the planner can start
 * from the rarest one and probe the others by key.
 */
export function postingsSql(clauses: readonly TokenClause[]): { sql: string; parameters: string[] } {
  const parameters: string[] = [];
  const param = (v: string) => `$${parameters.push(v)}`;
  const where = (c: TokenClause) =>
    c.kind === 'term' ? `lexeme = ${param(c.token)} and fa > 0` : `lexeme >= ${param(c.token)} and lexeme < ${param(after(c.token))}`;
  const sources = clauses.map((c, i) =>
    c.kind === 'term' || clauses.length === 1 // one prefix alone: its tokens' rows, summed per row here (faster than group by)
      ? `(select search_rowid as r, fa::integer as f1, fb::integer as f2, dl from recommendation_fts_postings where ${where(c)}) c${i}`
      : `(select search_rowid as r, sum(fa)::integer as f1, sum(fb)::integer as f2, max(dl) as dl
           from recommendation_fts_postings where ${where(c)} group by search_rowid) c${i}`,
  );
  const counts =
    clauses.length > 1
      ? clauses.map((c, i) => `(select count(${c.kind === 'term' ? '*' : 'distinct search_rowid'}) from recommendation_fts_postings where ${where(c)})::integer as n${i}, `)
      : [];
  const fields = ['int4send(c0.r)', 'int4send(c0.dl)', ...clauses.flatMap((_, i) => [`int4send(c${i}.f1)`, `int4send(c${i}.f2)`])];
  const joins = sources.slice(1).map((s, i) => ` join ${s} on c${i + 1}.r = c0.r`).join('');
  return {
    sql: `select ${counts.join('')}(select string_agg(${fields.join(' || ')}, ''::bytea) from ${sources[0]}${joins}) as list`,
    parameters,
  };
}

export type PostingsRow = { list: Buffer | null } & Record<string, number | Buffer | null>;

/** The hit list from postingsSql's row, each hit scored as FTS5's bm25 would score it. */
export function postingsHitList(row: PostingsRow, clauses: readonly TokenClause[], stats: IndexStats, ranked: boolean): HitList {
  const buf = row.list ?? Buffer.alloc(0);
  const width = 8 + 8 * clauses.length;
  const rows = buf.length / width;
  // A prefix alone comes as one row per matching token: its rows' counts are summed per row id.
  const single = clauses.length === 1;
  const slot = new Map<number, number>();
  const rowids = new Int32Array(rows);
  const lengths = new Int32Array(rows);
  const freq = new Float64Array(rows * clauses.length);
  const { k1, b, termsWeight, wordsWeight } = BM25;
  let n = 0;
  for (let k = 0; k < rows; k++) {
    const at = k * width;
    const rowid = buf.readInt32BE(at);
    let h = single ? slot.get(rowid) : undefined;
    if (h === undefined) {
      h = n++;
      if (single) slot.set(rowid, h);
      rowids[h] = rowid;
      lengths[h] = buf.readInt32BE(at + 4);
    }
    // A term's clause matches in `terms` only (its f2 counts are not its instances): FTS5's column filter.
    for (let i = 0; i < clauses.length; i++) {
      const f2 = clauses[i]!.kind === 'term' ? 0 : buf.readInt32BE(at + 12 + 8 * i);
      freq[h * clauses.length + i]! += buf.readInt32BE(at + 8 + 8 * i) * termsWeight + f2 * wordsWeight;
    }
  }
  const avgdl = stats.rows > 0 ? stats.tokens / stats.rows : 1;
  const idf = clauses.map((_, i) => {
    const hits = single ? n : Number(row[`n${i}`]);
    const v = Math.log((stats.rows - hits + 0.5) / (hits + 0.5));
    return v > 0 ? v : 1e-6;
  });
  const scores = ranked ? new Float64Array(n) : null;
  if (scores) {
    for (let h = 0; h < n; h++) {
      const norm = k1 * (1 - b + (b * lengths[h]!) / avgdl);
      let score = 0;
      for (let i = 0; i < clauses.length; i++) {
        const f = freq[h * clauses.length + i]!;
        score += (idf[i]! * (f * (k1 + 1))) / (f + norm);
      }
      scores[h] = score;
    }
  }
  return { rowids: rowids.subarray(0, n), scores };
}
