/**
 * A first import's postings on PostgreSQL as the bytes of a binary COPY (postgres-bulk.ts), built on the import's
 * thread or in a worker thread (postgres-postings-worker.ts). No imports: the worker loads this file alone.
 */
/** COPY's binary format: the signature, no flags, no header extension (PostgreSQL's COPY, "Binary Format"). */
const BINARY_HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** rows per block: a posting's block is its row id >> BLOCK_BITS (migration 046) */
export const BLOCK_BITS = 7;
/** element type oids of the arrays (pg_type): int4, int2, bytea */
const INT4 = 23;
const INT2 = 21;
const BYTEA = 17;
/** a one-dimensional array's header in the binary format, its field length included: length, ndim, flags, element type, size, lower bound */
const ARRAY_HEAD = 4 + 20;

/**
 * The postings of index rows in blocks (migration 046), exactly as `rasd_fts_postings(r, terms, words)` (migration
 * 006) computes them row by row, written as the tuples of one `COPY … (FORMAT binary)` of `recommendation_fts_blocks`'s
 * columns (lexeme, blk, rowids, fa, fb, dl, pa): per index row, its columns split on single spaces, empty tokens left
 * out; per distinct token its count in `terms` (fa) and in `words` (fb), capped at 32,767, its 0-based positions among
 * the tokens of `terms` as 4-byte big-endian integers in order (pa, int4send's bytes), the row's token count (dl); and
 * one more posting with the empty token carrying the token count. Those of one token and block of 128 rows go into one
 * tuple, as arrays in row id order. Rows must come in increasing row id order, and a block's rows in one COPY.
 */
export class PostingsCopy {
  private buf: Buffer;
  /** the same bytes, for the integers (DataView's writes are big-endian and cheaper than Buffer's checked ones) */
  private view: DataView;
  private at = BINARY_HEADER.length;
  /** per row: a token's slot, the slots' tokens and counts, where each slot's positions go */
  private readonly slot = new Map<string, number>();
  private readonly tokens: string[] = [];
  private fa = new Int32Array(64);
  private fb = new Int32Array(64);
  private paAt = new Int32Array(64);
  /** per row: the slot of each token of `terms`, by position */
  private bySlot = new Int32Array(256);

  /** the block being gathered, and its tokens' slots */
  private blk = -1;
  private readonly blockSlot = new Map<string, number>();
  private readonly blockTokens: string[] = [];
  /** per entry (one token of one row) of the block: its token's block slot, row id, counts, token count, positions */
  private eSlot = new Int32Array(4096);
  private eRow = new Int32Array(4096);
  private eFa = new Int32Array(4096);
  private eFb = new Int32Array(4096);
  private eDl = new Int32Array(4096);
  private ePos = new Int32Array(4096);
  private entries = 0;
  private positions = new Int32Array(16384);
  private nPositions = 0;

  constructor(capacity = 1 << 16) {
    // never from Node's shared pool: the bytes may be transferred to another thread
    this.buf = Buffer.allocUnsafeSlow(Math.max(capacity, 64));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    BINARY_HEADER.copy(this.buf, 0);
  }

  /** the tuples so far, with the trailer: one COPY's whole input (the writer is not used afterwards) */
  end(): Buffer {
    this.flush();
    this.room(2);
    this.view.setInt16(this.at, -1);
    return this.buf.subarray(0, this.at + 2);
  }

  /** Adds the postings of one index row (row ids in increasing order). */
  add(rowid: number, terms: string, words: string): void {
    if (rowid >> BLOCK_BITS !== this.blk) {
      this.flush();
      this.blk = rowid >> BLOCK_BITS;
    }
    const { slot, tokens } = this;
    slot.clear();
    tokens.length = 0;
    const termList = terms.split(' ');
    if (this.bySlot.length < termList.length) this.bySlot = new Int32Array(termList.length * 2);
    let positions = 0;
    for (const w of termList) {
      if (w === '') continue;
      const s = this.slotOf(w);
      this.fa[s]! += 1;
      this.bySlot[positions++] = s;
    }
    let dl = positions;
    for (const w of words.split(' ')) {
      if (w === '') continue;
      this.fb[this.slotOf(w)]! += 1;
      dl += 1;
    }
    this.grow(tokens.length + 1, positions);
    // one entry per token, then the empty token's; each token's positions laid out in turn
    let pos = this.nPositions;
    for (let s = 0; s <= tokens.length; s++) {
      const e = this.entries++;
      this.eSlot[e] = this.blockSlotOf(s < tokens.length ? tokens[s]! : '');
      this.eRow[e] = rowid;
      this.eFa[e] = s < tokens.length ? this.fa[s]! : 0;
      this.eFb[e] = s < tokens.length ? this.fb[s]! : 0;
      this.eDl[e] = dl;
      this.ePos[e] = pos;
      if (s < tokens.length) {
        this.paAt[s] = pos;
        pos += this.fa[s]!;
      }
    }
    // each position of `terms`, in order, into its token's positions
    for (let p = 0; p < positions; p++) this.positions[this.paAt[this.bySlot[p]!]!++] = p;
    this.nPositions = pos;
  }

  /** Writes the block gathered so far: one tuple per token, its entries in row order. */
  private flush(): void {
    const n = this.entries;
    if (n === 0) return;
    const tokenCount = this.blockTokens.length;
    // the entries grouped by token (a counting sort, stable: row order kept)
    const start = new Int32Array(tokenCount + 1);
    for (let e = 0; e < n; e++) start[this.eSlot[e]! + 1]! += 1;
    for (let t = 0; t < tokenCount; t++) start[t + 1]! += start[t]!;
    const order = new Int32Array(n);
    const next = start.slice(0, tokenCount);
    for (let e = 0; e < n; e++) order[next[this.eSlot[e]!]!++] = e;
    let bytes = 0;
    for (const token of this.blockTokens) bytes += 2 + 4 + 3 * token.length + 8 + 5 * ARRAY_HEAD;
    bytes += n * (8 + 6 + 6 + 8 + 4) + 4 * this.nPositions;
    this.room(bytes);
    const { buf, view } = this;
    let at = this.at;
    const array = (type: number, count: number) => {
      view.setInt32(at + 4, 1);
      view.setInt32(at + 8, 0);
      view.setInt32(at + 12, type);
      view.setInt32(at + 16, count);
      view.setInt32(at + 20, 1);
      at += ARRAY_HEAD;
    };
    for (let t = 0; t < tokenCount; t++) {
      const from = start[t]!;
      const to = start[t + 1]!;
      const count = to - from;
      const token = this.blockTokens[t]!;
      view.setInt16(at, 7);
      const length = token === '' ? 0 : buf.write(token, at + 6, 'utf8');
      view.setInt32(at + 2, length);
      at += 6 + length;
      view.setInt32(at, 4);
      view.setInt32(at + 4, this.blk);
      at += 8;
      let fieldAt = at;
      array(INT4, count);
      for (let i = from; i < to; i++, at += 8) {
        view.setInt32(at, 4);
        view.setInt32(at + 4, this.eRow[order[i]!]!);
      }
      view.setInt32(fieldAt, at - fieldAt - 4);
      fieldAt = at;
      array(INT2, count);
      for (let i = from; i < to; i++, at += 6) {
        view.setInt32(at, 2);
        view.setInt16(at + 4, Math.min(this.eFa[order[i]!]!, 32767));
      }
      view.setInt32(fieldAt, at - fieldAt - 4);
      fieldAt = at;
      array(INT2, count);
      for (let i = from; i < to; i++, at += 6) {
        view.setInt32(at, 2);
        view.setInt16(at + 4, Math.min(this.eFb[order[i]!]!, 32767));
      }
      view.setInt32(fieldAt, at - fieldAt - 4);
      fieldAt = at;
      array(INT4, count);
      for (let i = from; i < to; i++, at += 8) {
        view.setInt32(at, 4);
        view.setInt32(at + 4, this.eDl[order[i]!]!);
      }
      view.setInt32(fieldAt, at - fieldAt - 4);
      fieldAt = at;
      array(BYTEA, count);
      for (let i = from; i < to; i++) {
        const e = order[i]!;
        const fa = this.eFa[e]!;
        const p0 = this.ePos[e]!;
        view.setInt32(at, 4 * fa);
        at += 4;
        for (let k = 0; k < fa; k++, at += 4) view.setInt32(at, this.positions[p0 + k]!);
      }
      view.setInt32(fieldAt, at - fieldAt - 4);
    }
    this.at = at;
    this.entries = 0;
    this.nPositions = 0;
    this.blockSlot.clear();
    this.blockTokens.length = 0;
  }

  private blockSlotOf(token: string): number {
    let s = this.blockSlot.get(token);
    if (s === undefined) {
      s = this.blockTokens.length;
      this.blockSlot.set(token, s);
      this.blockTokens.push(token);
    }
    return s;
  }

  private slotOf(token: string): number {
    let s = this.slot.get(token);
    if (s === undefined) {
      s = this.tokens.length;
      this.slot.set(token, s);
      this.tokens.push(token);
      if (s >= this.fa.length) {
        this.fa = grown(this.fa, s + 1);
        this.fb = grown(this.fb, s + 1);
        this.paAt = grown(this.paAt, s + 1);
      }
      this.fa[s] = 0;
      this.fb[s] = 0;
    }
    return s;
  }

  /** room for `entries` more entries and `positions` more positions in the block's arrays */
  private grow(entries: number, positions: number): void {
    const e = this.entries + entries;
    if (e > this.eSlot.length) {
      this.eSlot = grown(this.eSlot, e);
      this.eRow = grown(this.eRow, e);
      this.eFa = grown(this.eFa, e);
      this.eFb = grown(this.eFb, e);
      this.eDl = grown(this.eDl, e);
      this.ePos = grown(this.ePos, e);
    }
    if (this.nPositions + positions > this.positions.length) this.positions = grown(this.positions, this.nPositions + positions);
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }
}

/** a copy of `a` with room for at least `n` values */
function grown(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(a.length * 2, n));
  b.set(a);
  return b;
}
