/**
 * PostgreSQL hit lists from `recommendation_fts_postings` (migration 006) by index-only scans, and from the blocks of
 * a first import (`recommendation_fts_blocks`, migration 044: decoded here, the rows moved out of them left out),
 * ranked by SQLite FTS5's own bm25 computed here: both engines find the same recommendations and give them the same
 * scores.
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
const B = 'recommendation_fts_blocks';
/** rows per block (migration 044): a block is row id >> BLOCK_BITS */
const BLOCK_BITS = 10;
const BLOCK = 1 << BLOCK_BITS;
/** the cap of a block entry's fa, at which its true count of positions follows (migration 044) */
const CAP = 32767;

/**
 * A token's blocks, one row per block holding it (`blk`, `d`): a term's one block, a prefix's every matching token's
 * block of that number, their entries one token after another in token order.
 */
function blockSource(c: { kind: 'term' | 'prefix'; token: string }, param: (v: string) => string): string {
  return c.kind === 'term'
    ? `(select blk, data as d from ${B} where lexeme = ${param(c.token)})`
    : `(select blk, string_agg(data, ''::bytea order by lexeme) as d from ${B} where lexeme >= ${param(c.token)} and lexeme < ${param(after(c.token))} group by blk)`;
}

/** The sum of a term's blocks' `n` (their entries with fa > 0, moved rows' included), `lexeme` an SQL expression. */
export function blockCountSql(lexeme: string): string {
  return `(select coalesce(sum(n), 0) from ${B} where lexeme = ${lexeme})::integer`;
}

/** A term's blocks holding rows moved out of the blocks, as blockGroups packs them (`lexeme` an SQL expression). */
export function movedBlocksSql(lexeme: string): string {
  return blockGroups([
    `(select blk, data as d from ${B} b where lexeme = ${lexeme} and exists (select 1 from recommendation_fts_moved m
       where m.search_rowid >= b.blk << ${BLOCK_BITS} and m.search_rowid < (b.blk + 1) << ${BLOCK_BITS}))`,
  ]);
}

/**
 * The blocks holding every one of `sources`, packed as bytes: per block its number, the length and row ids of its rows
 * moved out of the blocks (migration 044), then per source the length and bytes of its entries.
 */
function blockGroups(sources: string[]): string {
  const segments = sources.map((_, k) => `int4send(length(b${k}.d)) || b${k}.d`).join(' || ');
  const joins = sources
    .slice(1)
    .map((s, k) => ` join ${s} b${k + 1} on b${k + 1}.blk = b0.blk`)
    .join('');
  return `(select string_agg(int4send(b0.blk) || int4send(length(m.x)) || m.x || ${segments}, ''::bytea) from ${sources[0]} b0${joins}
    cross join lateral (select coalesce(string_agg(int4send(search_rowid), ''::bytea), ''::bytea) as x from recommendation_fts_moved
      where search_rowid >= b0.blk << ${BLOCK_BITS} and search_rowid < (b0.blk + 1) << ${BLOCK_BITS}) m)`;
}

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
        columns.push(`${blockGroups([blockSource(c, param)])} as tb${i}`);
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
      columns.push(`${blockGroups(tokens.map(({ c }) => blockSource(c, param)))} as blist`);
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
      columns.push(`${blockGroups(c.tokens.map((t) => blockSource({ kind: 'term', token: t }, param)))} as pb${i}`);
    }
    return columns;
  });
  const counts =
    mode === 'all' && clauses.length > 1 && tokens.length > 0
      ? statement((param) =>
          tokens.flatMap(({ c, i }) => [
            `(select count(${c.kind === 'term' ? '*' : 'distinct search_rowid'}) from ${P} where ${where(c, param)})::integer as n${i}`,
            // a term's rows in blocks: the blocks' counts, less those of its rows moved out; a prefix's: decoded
            ...(c.kind === 'term'
              ? [`${blockCountSql(param(c.token))} as ns${i}`, `${movedBlocksSql(param(c.token))} as nb${i}`]
              : [`${blockGroups([blockSource(c, param)])} as nb${i}`]),
          ]),
        )
      : null;
  return { hits, counts };
}

export type PostingsRow = Record<string, number | Buffer | null>;

/** Bytes written in turn (the row layouts postingsHitList reads). */
class Bytes {
  buf = Buffer.allocUnsafe(4096);
  at = 0;
  room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
  int(v: number): void {
    this.buf.writeInt32BE(v, this.at);
    this.at += 4;
  }
  done(): Buffer | null {
    return this.at > 0 ? this.buf.subarray(0, this.at) : null;
  }
}

/** Per row of a block (row id - block start): marks stamped per block, so that nothing is cleared between blocks. */
const scratch = { moved: new Int32Array(BLOCK), seen: new Int32Array(BLOCK), level: new Int32Array(BLOCK), dl: new Int32Array(BLOCK), stamp: 0 };

/**
 * Each block of blockGroups' bytes: its first row id, its stamp (`scratch.moved[row - first] === stamp` for a row
 * moved out of the blocks) and where each source's entries are (offset and length, in turn).
 */
function eachBlock(buf: Buffer | null, sources: number, fn: (first: number, stamp: number, segments: Int32Array) => void): void {
  if (!buf) return;
  const segments = new Int32Array(2 * sources);
  let at = 0;
  while (at < buf.length) {
    const first = buf.readInt32BE(at) << BLOCK_BITS;
    const moved = buf.readInt32BE(at + 4);
    at += 8;
    if (scratch.stamp >= 0x7fffffff) {
      scratch.moved.fill(0);
      scratch.seen.fill(0);
      scratch.stamp = 0;
    }
    const stamp = ++scratch.stamp;
    for (let j = 0; j < moved; j += 4) scratch.moved[buf.readInt32BE(at + j) - first] = stamp;
    at += moved;
    for (let k = 0; k < sources; k++) {
      segments[2 * k] = at + 4;
      segments[2 * k + 1] = buf.readInt32BE(at);
      at += 4 + segments[2 * k + 1]!;
    }
    fn(first, stamp, segments);
  }
}

/**
 * Each entry of one source of a block (migration 044's layout) whose row is not moved (or, with `moved`, is): row id,
 * fa, fb, dl, where its positions start and how many.
 */
function eachEntry(
  buf: Buffer,
  segments: Int32Array,
  k: number,
  first: number,
  stamp: number,
  fn: (rowid: number, fa: number, fb: number, dl: number, positionsAt: number, positions: number) => void,
  moved = false,
): void {
  let at = segments[2 * k]!;
  const end = at + segments[2 * k + 1]!;
  while (at < end) {
    const rowid = buf.readInt32BE(at);
    const fa = buf.readInt16BE(at + 4);
    const fb = buf.readInt16BE(at + 6);
    const dl = buf.readInt32BE(at + 8);
    at += 12;
    let n = fa;
    if (fa === CAP) {
      n = buf.readInt32BE(at);
      at += 4;
    }
    if ((scratch.moved[rowid - first] === stamp) === moved) fn(rowid, fa, fb, dl, at, n);
    at += 4 * n;
  }
}

/**
 * The blocks' rows as the rows table's `list` (or `t…`) gives them: rows holding every token (a term in `terms`: fa >
 * 0), with their token count and per token its counts in `terms` and `words` (a prefix's summed over its tokens). A
 * lone token gives one row per entry, as the rows table does (a prefix's several tokens of a row, in token order).
 */
function blockList(buf: Buffer | null, kinds: readonly ('term' | 'prefix')[]): Buffer | null {
  const T = kinds.length;
  const out = new Bytes();
  const f1 = new Int32Array(T > 1 ? BLOCK * T : 0);
  const f2 = new Int32Array(T > 1 ? BLOCK * T : 0);
  const { seen, level, dl } = scratch;
  eachBlock(buf, T, (first, stamp, segments) => {
    if (T === 1) {
      eachEntry(buf!, segments, 0, first, stamp, (rowid, fa, fb, n) => {
        if (kinds[0] === 'term' && fa === 0) return;
        out.room(16);
        out.int(rowid);
        out.int(n);
        out.int(fa);
        out.int(fb);
      });
      return;
    }
    for (let k = 0; k < T; k++) {
      const term = kinds[k] === 'term';
      eachEntry(buf!, segments, k, first, stamp, (rowid, fa, fb, n) => {
        if (term && fa === 0) return;
        const o = rowid - first;
        if (k === 0 && seen[o] !== stamp) {
          seen[o] = stamp;
          level[o] = 1;
          dl[o] = n;
          f1[o * T] = fa;
          f2[o * T] = fb;
        } else if (seen[o] === stamp && level[o] === k) {
          level[o] = k + 1;
          f1[o * T + k] = fa;
          f2[o * T + k] = fb;
        } else if (seen[o] === stamp && level[o] === k + 1) {
          f1[o * T + k]! += fa;
          f2[o * T + k]! += fb;
        }
      });
    }
    for (let o = 0; o < BLOCK; o++) {
      if (seen[o] !== stamp || level[o] !== T) continue;
      out.room(8 + 8 * T);
      out.int(first + o);
      out.int(dl[o]!);
      for (let k = 0; k < T; k++) {
        out.int(f1[o * T + k]!);
        out.int(f2[o * T + k]!);
      }
    }
  });
  return out.done();
}

/** How many rows of the blocks hold a prefix (any of its tokens, in either column), as the rows table's `n…` counts them. */
function blockCount(buf: Buffer | null): number {
  let n = 0;
  const { seen } = scratch;
  eachBlock(buf, 1, (first, stamp, segments) => {
    eachEntry(buf!, segments, 0, first, stamp, (rowid) => {
      if (seen[rowid - first] === stamp) return;
      seen[rowid - first] = stamp;
      n++;
    });
  });
  return n;
}

/** A term's rows in blocks: its blocks' `n` less the entries with fa > 0 of rows moved out (movedBlocksSql's bytes). */
export function termBlockCount(n: number, movedBlocks: Buffer | null): number {
  let moved = 0;
  eachBlock(movedBlocks, 1, (first, stamp, segments) => {
    eachEntry(
      movedBlocks!,
      segments,
      0,
      first,
      stamp,
      (_rowid, fa) => {
        if (fa > 0) moved++;
      },
      true,
    );
  });
  return n - moved;
}

/** The blocks' rows holding every word of a phrase in `terms`, as the rows table's `p…` gives them (row id, token count, per word its positions' length and bytes). */
function blockPhrase(buf: Buffer | null, words: number): Buffer | null {
  const out = new Bytes();
  const at = new Int32Array(BLOCK * words);
  const count = new Int32Array(BLOCK * words);
  const { seen, level, dl } = scratch;
  eachBlock(buf, words, (first, stamp, segments) => {
    for (let k = 0; k < words; k++) {
      eachEntry(buf!, segments, k, first, stamp, (rowid, fa, _fb, n, positionsAt, positions) => {
        if (fa === 0) return;
        const o = rowid - first;
        if (k === 0) {
          seen[o] = stamp;
          level[o] = 1;
          dl[o] = n;
        } else if (seen[o] !== stamp || level[o] !== k) return;
        else level[o] = k + 1;
        at[o * words + k] = positionsAt;
        count[o * words + k] = positions;
      });
    }
    for (let o = 0; o < BLOCK; o++) {
      if (seen[o] !== stamp || level[o] !== words) continue;
      let bytes = 8;
      for (let k = 0; k < words; k++) bytes += 4 + 4 * count[o * words + k]!;
      out.room(bytes);
      out.int(first + o);
      out.int(dl[o]!);
      for (let k = 0; k < words; k++) {
        const length = 4 * count[o * words + k]!;
        out.int(length);
        const from = at[o * words + k]!;
        buf!.copy(out.buf, out.at, from, from + length);
        out.at += length;
      }
    }
  });
  return out.done();
}

/** Two parts of one column (the rows table's and the blocks'), as one. */
function joined(a: unknown, b: Buffer | null): Buffer | null {
  const x = a instanceof Buffer ? a : null;
  if (!b) return x;
  return x ? Buffer.concat([x, b]) : b;
}

/** postingsSql's row with the blocks' columns (`blist`, `tb…`, `pb…`, `nb…`) folded into the rows table's. */
function withBlocks(row: PostingsRow, clauses: readonly TokenClause[], mode: 'all' | 'any'): PostingsRow {
  const out: PostingsRow = { ...row };
  const tokens = clauses.flatMap((c, i) => (c.kind === 'phrase' ? [] : [{ c, i }]));
  if (mode === 'any') {
    for (const { c, i } of tokens) out[`t${i}`] = joined(row[`t${i}`], blockList(row[`tb${i}`] as Buffer | null, [c.kind as 'term' | 'prefix']));
  } else if (tokens.length > 0) {
    out.list = joined(row.list, blockList(row.blist as Buffer | null, tokens.map(({ c }) => c.kind as 'term' | 'prefix')));
  }
  for (const [i, c] of clauses.entries()) {
    if (c.kind === 'phrase') out[`p${i}`] = joined(row[`p${i}`], blockPhrase(row[`pb${i}`] as Buffer | null, c.tokens.length));
    else if (`nb${i}` in row) {
      const nb = row[`nb${i}`] as Buffer | null;
      out[`n${i}`] = Number(row[`n${i}`]) + (c.kind === 'term' ? termBlockCount(Number(row[`ns${i}`]), nb) : blockCount(nb));
    }
  }
  return out;
}

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
export function postingsHitList(fetched: PostingsRow, clauses: readonly TokenClause[], stats: IndexStats, ranked: boolean, mode: 'all' | 'any' = 'all'): HitList {
  const row = withBlocks(fetched, clauses, mode);
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
