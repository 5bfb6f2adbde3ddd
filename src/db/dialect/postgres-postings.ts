/**
 * PostgreSQL hit lists from `recommendation_fts_postings` (migration 006) by index-only scans, ranked by SQLite
 * FTS5's own bm25 computed here: both engines find the same recommendations and give them the same scores.
 *
 * Ranking through the tsvector (`ts_rank`) has to read every hit's row and its out-of-line tsvector: about
 * 0.3–0.5 s for a query with 30,000 hits among 250,000; the postings answer the same in a few tens of milliseconds.
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

const P = 'recommendation_fts_postings';

type Statement = { sql: string; parameters: string[] };

/** Builds one statement's select list, numbering its parameters. */
function statement(build: (param: (v: string) => string) => string[]): Statement {
  const parameters: string[] = [];
  const columns = build((v) => `$${parameters.push(v)}`);
  return { sql: `select ${columns.join(', ')}`, parameters };
}

function where(c: TokenClause & { kind: 'term' | 'prefix' }, param: (v: string) => string): string {
  return c.kind === 'term' ? `lexeme = ${param(c.token)} and fa > 0` : `lexeme >= ${param(c.token)} and lexeme < ${param(after(c.token))}`;
}

/**
 * Two statements for a non-empty list of clauses, run side by side on two connections:
 * - `hits`, with
 *   - `list`: the rows matching every term and prefix, packed as bytes (4-byte row id, token count, and per
 *     clause its counts in `terms` and in `words`). A term is its stem in `terms`; a prefix, any token of either
 *     column starting with it, summed per row (a prefix alone comes as one row per matching token, summed in JS:
 *     faster than a group by). Plain joins, so that the planner starts from the rarest and probes the others by key;
 *   - `p0`, `p1`…: per phrase, the rows holding all its words in `terms` (row id, token count, and per word the
 *     length and bytes of its positions); the positions tell which rows hold the phrase, and how often;
 * - `counts`, only with several clauses: `n0`, `n1`… each term's or prefix's own number of rows (for idf).
 */
export function postingsSql(clauses: readonly TokenClause[]): { hits: Statement; counts: Statement | null } {
  const tokens = clauses.flatMap((c, i) => (c.kind === 'phrase' ? [] : [{ c, i }]));
  const hits = statement((param) => {
    const columns: string[] = [];
    if (tokens.length > 0) {
      const sources = tokens.map(({ c }, k) =>
        c.kind === 'term' || tokens.length === 1
          ? `(select search_rowid as r, fa::integer as f1, fb::integer as f2, dl from ${P} where ${where(c, param)}) c${k}`
          : `(select search_rowid as r, sum(fa)::integer as f1, sum(fb)::integer as f2, max(dl) as dl from ${P}
               where ${where(c, param)} group by search_rowid) c${k}`,
      );
      const fields = ['int4send(c0.r)', 'int4send(c0.dl)', ...tokens.flatMap((_, k) => [`int4send(c${k}.f1)`, `int4send(c${k}.f2)`])];
      const joins = sources.slice(1).map((s, k) => ` join ${s} on c${k + 1}.r = c0.r`).join('');
      columns.push(`(select string_agg(${fields.join(' || ')}, ''::bytea) from ${sources[0]}${joins}) as list`);
    }
    for (const [i, c] of clauses.entries()) {
      if (c.kind !== 'phrase') continue;
      const fields = ['int4send(w0.search_rowid)', 'int4send(w0.dl)', ...c.tokens.map((_, k) => `int4send(length(w${k}.pa)) || w${k}.pa`)];
      const joins = c.tokens
        .slice(1)
        .map((t, k) => ` join ${P} w${k + 1} on w${k + 1}.search_rowid = w0.search_rowid and w${k + 1}.lexeme = ${param(t)} and w${k + 1}.fa > 0`)
        .join('');
      columns.push(`(select string_agg(${fields.join(' || ')}, ''::bytea) from ${P} w0${joins}
        where w0.lexeme = ${param(c.tokens[0]!)} and w0.fa > 0) as p${i}`);
    }
    return columns;
  });
  const counts =
    clauses.length > 1 && tokens.length > 0
      ? statement((param) =>
          tokens.map(({ c, i }) => `(select count(${c.kind === 'term' ? '*' : 'distinct search_rowid'}) from ${P} where ${where(c, param)})::integer as n${i}`),
        )
      : null;
  return { hits, counts };
}

export type PostingsRow = Record<string, number | Buffer | null>;

/** How many times the words follow each other: starts p in the first list with p + k in the k-th list. */
function occurrences(buf: Buffer, lists: { at: number; length: number }[]): number {
  let n = 0;
  const first = lists[0]!;
  for (let s = 0; s < first.length; s += 4) {
    const start = buf.readInt32BE(first.at + s);
    let all = true;
    for (let k = 1; k < lists.length && all; k++) {
      const { at, length } = lists[k]!;
      all = false;
      for (let j = 0; j < length; j += 4) {
        const p = buf.readInt32BE(at + j);
        if (p >= start + k) {
          all = p === start + k;
          break;
        }
      }
    }
    if (all) n++;
  }
  return n;
}

/** Per phrase: its rows holding it, with their token count and how often they hold it. */
function phraseRows(buf: Buffer | null, words: number): Map<number, { dl: number; f: number }> {
  const out = new Map<number, { dl: number; f: number }>();
  if (!buf) return out;
  let at = 0;
  while (at < buf.length) {
    const rowid = buf.readInt32BE(at);
    const dl = buf.readInt32BE(at + 4);
    at += 8;
    const lists: { at: number; length: number }[] = [];
    for (let k = 0; k < words; k++) {
      const length = buf.readInt32BE(at);
      lists.push({ at: at + 4, length });
      at += 4 + length;
    }
    const f = occurrences(buf, lists);
    if (f > 0) out.set(rowid, { dl, f });
  }
  return out;
}

/** The hit list from postingsSql's row, each hit scored as FTS5's bm25 (`terms` weight 1.0, `words` 0.2) would score it. */
export function postingsHitList(row: PostingsRow, clauses: readonly TokenClause[], stats: IndexStats, ranked: boolean): HitList {
  const C = clauses.length;
  const phrases = clauses.map((c, i) => (c.kind === 'phrase' ? phraseRows(row[`p${i}`] as Buffer | null, c.tokens.length) : null));
  const tokens = clauses.flatMap((c, i) => (c.kind === 'phrase' ? [] : [i]));
  const { k1, b, termsWeight, wordsWeight } = BM25;

  // Candidates: the rows of the terms and prefixes (or of the first phrase), each with its token count and
  // per clause its weighted count (FTS5 sums the column weights of the instances).
  let rowids: Int32Array;
  let lengths: Int32Array;
  let freq: Float64Array;
  let n = 0;
  if (tokens.length > 0) {
    const buf = (row.list as Buffer | null) ?? Buffer.alloc(0);
    const width = 8 + 8 * tokens.length;
    const rows = buf.length / width;
    rowids = new Int32Array(rows);
    lengths = new Int32Array(rows);
    freq = new Float64Array(rows * C);
    const single = tokens.length === 1;
    const slot = new Map<number, number>();
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
      for (const [t, i] of tokens.entries()) {
        // A term matches in `terms` only (FTS5's column filter): its counts in `words` are not its instances.
        const f2 = clauses[i]!.kind === 'term' ? 0 : buf.readInt32BE(at + 12 + 8 * t);
        freq[h * C + i]! += buf.readInt32BE(at + 8 + 8 * t) * termsWeight + f2 * wordsWeight;
      }
    }
  } else {
    const first = phrases.find((p) => p !== null)!;
    rowids = new Int32Array(first.size);
    lengths = new Int32Array(first.size);
    freq = new Float64Array(first.size * C);
    for (const [rowid, { dl }] of first) {
      rowids[n] = rowid;
      lengths[n++] = dl;
    }
  }
  // Each clause's own number of rows, for idf.
  const hits = clauses.map((_, i) => phrases[i]?.size ?? (C > 1 ? Number(row[`n${i}`]) : n));

  // Keep the candidates holding every phrase.
  let kept = 0;
  for (let h = 0; h < n; h++) {
    let ok = true;
    for (let i = 0; i < C && ok; i++) {
      const p = phrases[i];
      if (!p) continue;
      const x = p.get(rowids[h]!);
      if (x) freq[h * C + i] = x.f * termsWeight;
      else ok = false;
    }
    if (!ok) continue;
    rowids[kept] = rowids[h]!;
    lengths[kept] = lengths[h]!;
    for (let i = 0; i < C; i++) freq[kept * C + i] = freq[h * C + i]!;
    kept++;
  }

  let scores: Float64Array | null = null;
  if (ranked) {
    scores = new Float64Array(kept);
    const avgdl = stats.rows > 0 ? stats.tokens / stats.rows : 1;
    const idf = hits.map((nHit) => {
      const v = Math.log((stats.rows - nHit + 0.5) / (nHit + 0.5));
      return v > 0 ? v : 1e-6;
    });
    for (let h = 0; h < kept; h++) {
      const norm = k1 * (1 - b + (b * lengths[h]!) / avgdl);
      let score = 0;
      for (let i = 0; i < C; i++) {
        const f = freq[h * C + i]!;
        score += (idf[i]! * (f * (k1 + 1))) / (f + norm);
      }
      scores[h] = score;
    }
  }
  return { rowids: rowids.slice(0, kept), scores };
}
