/**
 * A first import's postings on PostgreSQL as the bytes of two binary COPYs (postgres-bulk.ts), built on the import's
 * thread or in a worker thread (postgres-postings-worker.ts). No imports: the worker loads this file alone.
 */
/** COPY's binary format: the signature, no flags, no header extension (PostgreSQL's COPY, "Binary Format"). */
const BINARY_HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** a statistics row's bytes: field count, six field lengths, the empty token, row id, counts, row length, no positions */
const ROW_BYTES = 2 + 6 * 4 + 4 + 2 + 2 + 4;
/** rows per block: a posting's block is its row id >> BLOCK_BITS (migration 044) */
export const BLOCK_BITS = 10;
/** `fa` and `fb` are capped here (smallint), as `rasd_fts_postings` caps them; at the cap a block entry carries its true count of positions */
const CAP = 32767;

/** Per binary COPY: its bytes so far. */
class CopyBytes {
  buf: Buffer;
  /** the same bytes, for the integers (DataView's writes are big-endian and cheaper than Buffer's checked ones) */
  view: DataView;
  at = BINARY_HEADER.length;
  constructor(capacity: number) {
    // never from Node's shared pool: the bytes may be transferred to another thread
    this.buf = Buffer.allocUnsafeSlow(Math.max(capacity, 64));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    BINARY_HEADER.copy(this.buf, 0);
  }
  room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }
  end(): Buffer {
    this.room(2);
    this.view.setInt16(this.at, -1);
    return this.buf.subarray(0, this.at + 2);
  }
}

/**
 * The postings of index rows, exactly as `rasd_fts_postings(r, terms, words)` (migration 006) computes them: per index
 * row, its columns split on single spaces, empty tokens left out; per distinct token its count in `terms` (fa) and in
 * `words` (fb), capped at 32,767, its 0-based positions among the tokens of `terms` in order (pa), the row's token
 * count (dl); and one more posting with the empty token carrying the token count. Written as two binary COPYs:
 * - `rows`: the empty token's postings, as tuples of `recommendation_fts_postings` (lexeme, search_rowid, fa, fb, dl, pa);
 * - `blocks`: every other posting, one tuple of `recommendation_fts_blocks` (lexeme, blk, n, data) per token and block
 *   of 1,024 rows, its entries in row id order in the layout of migration 044, `n` the entries with fa > 0.
 * Rows must come in increasing row id order, and a block's rows to one writer (`end` writes the last block as it is).
 */
export class PostingsCopy {
  private readonly rows: CopyBytes;
  private readonly blocks: CopyBytes;
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
    this.rows = new CopyBytes(Math.max(64, capacity >> 4));
    this.blocks = new CopyBytes(capacity);
  }

  /** each COPY's whole input, with its trailer (the writer is not used afterwards) */
  end(): { rows: Buffer; blocks: Buffer } {
    this.flush();
    return { rows: this.rows.end(), blocks: this.blocks.end() };
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
    // the empty token's posting: a row of its own
    const r = this.rows;
    r.room(ROW_BYTES);
    const v = r.view;
    const at = r.at;
    v.setInt16(at, 6);
    v.setInt32(at + 2, 0);
    v.setInt32(at + 6, 4);
    v.setInt32(at + 10, rowid);
    v.setInt32(at + 14, 2);
    v.setInt16(at + 18, 0);
    v.setInt32(at + 20, 2);
    v.setInt16(at + 24, 0);
    v.setInt32(at + 26, 4);
    v.setInt32(at + 30, dl);
    v.setInt32(at + 34, 0);
    r.at = at + 38;

    this.grow(tokens.length, positions);
    // one entry per token, each token's positions laid out in turn
    let pos = this.nPositions;
    for (let s = 0; s < tokens.length; s++) {
      const e = this.entries++;
      this.eSlot[e] = this.blockSlotOf(tokens[s]!);
      this.eRow[e] = rowid;
      this.eFa[e] = this.fa[s]!;
      this.eFb[e] = this.fb[s]!;
      this.eDl[e] = dl;
      this.ePos[e] = pos;
      this.paAt[s] = pos;
      pos += this.fa[s]!;
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
    for (const token of this.blockTokens) bytes += 2 + 4 + 3 * token.length + 8 + 8 + 4;
    bytes += n * 16 + 4 * this.nPositions;
    const b = this.blocks;
    b.room(bytes);
    const { buf, view } = b;
    let at = b.at;
    for (let t = 0; t < tokenCount; t++) {
      const token = this.blockTokens[t]!;
      view.setInt16(at, 4);
      const length = buf.write(token, at + 6, 'utf8');
      view.setInt32(at + 2, length);
      at += 6 + length;
      view.setInt32(at, 4);
      view.setInt32(at + 4, this.blk);
      view.setInt32(at + 8, 4);
      const countAt = at + 12;
      const lengthAt = at + 16;
      at += 20;
      let inTerms = 0;
      for (let i = start[t]!; i < start[t + 1]!; i++) {
        const e = order[i]!;
        const fa = this.eFa[e]!;
        if (fa > 0) inTerms++;
        view.setInt32(at, this.eRow[e]!);
        view.setInt16(at + 4, Math.min(fa, CAP));
        view.setInt16(at + 6, Math.min(this.eFb[e]!, CAP));
        view.setInt32(at + 8, this.eDl[e]!);
        at += 12;
        if (fa >= CAP) {
          view.setInt32(at, fa);
          at += 4;
        }
        const p0 = this.ePos[e]!;
        for (let k = 0; k < fa; k++, at += 4) view.setInt32(at, this.positions[p0 + k]!);
      }
      view.setInt32(countAt, inTerms);
      view.setInt32(lengthAt, at - lengthAt - 4);
    }
    b.at = at;
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

  /** room for `entries` more entries and `positions` more positions in the block being gathered */
  private grow(entries: number, positions: number): void {
    const need = this.entries + entries;
    if (need > this.eRow.length) {
      const size = Math.max(need, this.eRow.length * 2);
      const more = (a: Int32Array) => {
        const b = new Int32Array(size);
        b.set(a);
        return b;
      };
      this.eSlot = more(this.eSlot);
      this.eRow = more(this.eRow);
      this.eFa = more(this.eFa);
      this.eFb = more(this.eFb);
      this.eDl = more(this.eDl);
      this.ePos = more(this.ePos);
    }
    if (this.nPositions + positions > this.positions.length) {
      const b = new Int32Array(Math.max(this.nPositions + positions, this.positions.length * 2));
      b.set(this.positions);
      this.positions = b;
    }
  }

  private slotOf(token: string): number {
    let s = this.slot.get(token);
    if (s === undefined) {
      s = this.tokens.length;
      this.slot.set(token, s);
      this.tokens.push(token);
      if (s >= this.fa.length) {
        const grow = (a: Int32Array) => {
          const b = new Int32Array(a.length * 2);
          b.set(a);
          return b;
        };
        this.fa = grow(this.fa);
        this.fb = grow(this.fb);
        this.paAt = grow(this.paAt);
      }
      this.fa[s] = 0;
      this.fb[s] = 0;
    }
    return s;
  }
}
