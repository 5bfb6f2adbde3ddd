/**
 * PostgreSQL hit lists from `recommendation_fts_postings` (migration 006) by index-only scans, ranked by SQLite
 * FTS5's own bm25 computed here: both engines find the same recommendations and give them the same scores.
 *
 * Ranking through the tsvector (`ts_rank`) has to read every hit's row and its out-of-line tsvector: about
 * 0.3–0.5 s for a query with 30,000 hits among 250,000; the postings answer the same in a few tens of milliseconds.
 */
import type { TokenClause } from '../../text/index.ts';
import type { HitList } from './hit-list.ts';
import type { RawStatement } from './types.ts';

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

/** Builds one statement's select list, numbering its parameters. */
function statement(build: (param: (v: string) => string) => string[]): RawStatement {
  const parameters: string[] = [];
  const columns = build((v) => `$${parameters.push(v)}`);
  return { sql: `select ${columns.join(', ')}`, parameters };
}

function where(c: TokenClause & { kind: 'term' | 'prefix' }, param: (v: string) => string): string {
  return c.kind === 'term' ? `lexeme = ${param(c.token)} and fa > 0` : `lexeme >= ${param(c.token)} and lexeme < ${param(after(c.token))}`;
}

/**
 * Two statements for a non-empty list of clauses (`all`: every clause must match; `any`: one is enough, the
 * candidates of "similar recommendations"), run side by side on two connections:
 * - `hits`, with
 *   - `list`: the rows matching every term and prefix, packed as bytes (4-byte row id, token count, and per
 *     clause its counts in `terms` and in `words`). A term is its stem in `terms`; a prefix, any token of either
 *     column starting with it, summed per row (a prefix alone comes as one row per matching token, summed in JS:
 *     faster than a group by). Plain joins, so that the planner starts from the rarest and probes the others by key;
 *   - `p0`, `p1`…: per phrase, the rows holding all its words in `terms` (row id, token count, and per word the
 *     length and bytes of its positions); the positions tell which rows hold the phrase, and how often;
 *   - with `any`, instead of `list`: `t0`, `t1`… per term or prefix, its own rows (as a lone prefix's above);
 * - `counts`, only with several clauses and `all`: `n0`, `n1`… each term's or prefix's own number of rows (for idf).
 */
export function postingsSql(clauses: readonly TokenClause[], mode: 'all' | 'any' = 'all'): { hits: RawStatement; counts: RawStatement | null } {
  const tokens = clauses.flatMap((c, i) => (c.kind === 'phrase' ? [] : [{ c, i }]));
  const hits = statement((param) => {
    const columns: string[] = [];
    if (mode === 'any') {
      for (const { c, i } of tokens) {
        columns.push(`(select string_agg(int4send(search_rowid) || int4send(dl) || int4send(fa::integer) || int4send(fb::integer), ''::bytea)
          from ${P} where ${where(c, param)}) as t${i}`);
      }
    } else if (tokens.length > 0) {
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
    mode === 'all' && clauses.length > 1 && tokens.length > 0
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

/** Per row of the candidates: its row id, token count and, per clause, its weighted count (FTS5 sums the column weights of the instances). */
class Candidates {
  rowids: Int32Array;
  lengths: Int32Array;
  freq: Float64Array;
  n = 0;
  private readonly slot = new Map<number, number>();
  constructor(
    readonly clauses: number,
    capacity: number,
  ) {
    this.rowids = new Int32Array(capacity);
    this.lengths = new Int32Array(capacity);
    this.freq = new Float64Array(capacity * clauses);
  }
  /** The candidate of this row id, added when new (merge: several rows of a prefix, or of `any` clauses, are one). */
  at(rowid: number, dl: number, merge: boolean): number {
    let h = merge ? this.slot.get(rowid) : undefined;
    if (h === undefined) {
      h = this.n++;
      if (merge) this.slot.set(rowid, h);
      this.rowids[h] = rowid;
      this.lengths[h] = dl;
    }
    return h;
  }
}

/** Reads rows of (row id, token count, then per clause its counts in `terms` and `words`) into the candidates. */
function readRows(buf: Buffer | null, into: Candidates, clauseIndexes: number[], kinds: TokenClause['kind'][], merge: boolean): void {
  if (!buf) return;
  const { termsWeight, wordsWeight } = BM25;
  const width = 8 + 8 * clauseIndexes.length;
  for (let at = 0; at < buf.length; at += width) {
    const h = into.at(buf.readInt32BE(at), buf.readInt32BE(at + 4), merge);
    for (const [t, i] of clauseIndexes.entries()) {
      // A term matches in `terms` only (FTS5's column filter): its counts in `words` are not its instances.
      const f2 = kinds[t] === 'term' ? 0 : buf.readInt32BE(at + 12 + 8 * t);
      into.freq[h * into.clauses + i]! += buf.readInt32BE(at + 8 + 8 * t) * termsWeight + f2 * wordsWeight;
    }
  }
}

/** The hit list from postingsSql's row, each hit scored as FTS5's bm25 (`terms` weight 1.0, `words` 0.2) would score it. */
export function postingsHitList(row: PostingsRow, clauses: readonly TokenClause[], stats: IndexStats, ranked: boolean, mode: 'all' | 'any' = 'all'): HitList {
  const C = clauses.length;
  const phrases = clauses.map((c, i) => (c.kind === 'phrase' ? phraseRows(row[`p${i}`] as Buffer | null, c.tokens.length) : null));
  const tokens = clauses.flatMap((c, i) => (c.kind === 'phrase' ? [] : [i]));
  const kinds = clauses.map((c) => c.kind);
  const bytes = (b: unknown) => (b instanceof Buffer ? b.length : 0);
  // Each clause's own number of rows, for idf.
  const hits = clauses.map((_, i) => phrases[i]?.size ?? 0);
  let cands: Candidates;

  if (mode === 'any') {
    // Every row of every clause is a candidate.
    const capacity = tokens.reduce((a, i) => a + bytes(row[`t${i}`]) / 16, 0) + phrases.reduce((a, p) => a + (p?.size ?? 0), 0);
    cands = new Candidates(C, capacity);
    for (const i of tokens) readRows(row[`t${i}`] as Buffer | null, cands, [i], [kinds[i]!], true);
    for (const [i, p] of phrases.entries()) {
      for (const [rowid, { dl, f }] of p ?? []) cands.freq[cands.at(rowid, dl, true) * C + i] = f * BM25.termsWeight;
    }
    // A clause's rows are the candidates it counts in.
    for (const i of tokens) for (let h = 0; h < cands.n; h++) if (cands.freq[h * C + i]! > 0) hits[i]!++;
  } else {
    // The rows of the terms and prefixes (or of the first phrase), then those holding every phrase.
    if (tokens.length > 0) {
      const list = row.list as Buffer | null;
      cands = new Candidates(C, bytes(list) / (8 + 8 * tokens.length));
      // Only a lone prefix has several rows per row id (one per matching token).
      readRows(list, cands, tokens, tokens.map((i) => kinds[i]!), tokens.length === 1 && kinds[tokens[0]!] === 'prefix');
      for (const i of tokens) hits[i] = C > 1 ? Number(row[`n${i}`]) : cands.n;
    } else {
      const first = phrases.find((p) => p !== null)!;
      cands = new Candidates(C, first.size);
      for (const [rowid, { dl }] of first) cands.at(rowid, dl, false);
    }
    let kept = 0;
    for (let h = 0; h < cands.n; h++) {
      let ok = true;
      for (let i = 0; i < C && ok; i++) {
        const x = phrases[i]?.get(cands.rowids[h]!);
        if (x) cands.freq[h * C + i] = x.f * BM25.termsWeight;
        else ok = !phrases[i];
      }
      if (!ok) continue;
      cands.rowids[kept] = cands.rowids[h]!;
      cands.lengths[kept] = cands.lengths[h]!;
      cands.freq.copyWithin(kept * C, h * C, h * C + C);
      kept++;
    }
    cands.n = kept;
  }

  const { k1, b } = BM25;
  let scores: Float64Array | null = null;
  if (ranked) {
    scores = new Float64Array(cands.n);
    const avgdl = stats.rows > 0 ? stats.tokens / stats.rows : 1;
    const idf = hits.map((nHit) => {
      const v = Math.log((stats.rows - nHit + 0.5) / (nHit + 0.5));
      return v > 0 ? v : 1e-6;
    });
    for (let h = 0; h < cands.n; h++) {
      const norm = k1 * (1 - b + (b * cands.lengths[h]!) / avgdl);
      let score = 0;
      for (let i = 0; i < C; i++) {
        const f = cands.freq[h * C + i]!;
        score += (idf[i]! * (f * (k1 + 1))) / (f + norm);
      }
      scores[h] = score;
    }
  }
  return { rowids: cands.rowids.slice(0, cands.n), scores };
}
