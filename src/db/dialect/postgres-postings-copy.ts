/**
 * A first import's COPYs on PostgreSQL (postgres-bulk.ts): COPY's text format (`copyLine`), and a chunk's index rows
 * and postings as bytes, built on the import's thread or in a worker thread (postgres-postings-worker.ts). No
 * imports: the worker loads this file alone.
 */
/** COPY's binary format: the signature, no flags, no header extension (PostgreSQL's COPY, "Binary Format"). */
const BINARY_HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** a tuple's fixed bytes: its field count and six field lengths, the row id, the counts and the row length */
const TUPLE_BYTES = 2 + 6 * 4 + 4 + 2 + 2 + 4;

/**
 * Writes `s` at `at` as UTF-8 and returns its length in bytes (room for 3 bytes per UTF-16 unit must be there). A
 * short ASCII string is written a byte at a time: a token is a few letters, most of them ASCII, and Buffer's `write`
 * is a native call each time (about a fifth of the postings worker's time at 250,000 records went to it).
 */
function writeUtf8(buf: Buffer, s: string, at: number): number {
  const n = s.length;
  if (n > 32) return buf.write(s, at, 'utf8');
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    // the rest from the first other character on (a surrogate pair is not split: it starts there)
    if (c >= 0x80) return i + buf.write(s.slice(i), at + i, 'utf8');
    buf[at + i] = c;
  }
  return n;
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field of COPY's text format: null as `\N`, backslash, tab, newline and carriage return escaped. */
export function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : String(v);
  return SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : s;
}

/** One row of COPY's text format, its newline included. */
export const copyLine = (values: readonly unknown[]): string => `${values.map(copyField).join('\t')}\n`;

const BACKSLASH = 0x5c;
/** COPY's text format, as bytes: what follows a backslash for each character `copyField` escapes */
const ESCAPED: Record<number, number> = { 0x09: 0x74, 0x0a: 0x6e, 0x0d: 0x72, 0x5c: 0x5c };

/**
 * Writes `s` at `at` as one field of COPY's text format (backslash, tab, newline and carriage return escaped), in
 * UTF-8, and returns the bytes written (room for 3 bytes per UTF-16 unit must be there).
 */
function writeTextField(buf: Buffer, s: string, at: number): number {
  const n = s.length;
  let out = at;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      out += buf.write(copyField(s.slice(i)), out, 'utf8');
      return out - at;
    }
    const e = ESCAPED[c];
    if (e === undefined) buf[out++] = c;
    else {
      buf[out++] = BACKSLASH;
      buf[out++] = e;
    }
  }
  return out - at;
}

/**
 * The index rows of a first import's chunk as the bytes of `COPY recommendation_search (search_rowid,
 * recommendation_id, terms, words, indexed_at) from stdin` (text format): row `i` has the id `firstId + i`. Built
 * beside the chunk's postings (in the postings worker for a full chunk), so that the import's thread neither joins
 * nor encodes these texts, the longest it sends after the recommendations'.
 */
export function searchRowsCopy(
  firstId: number,
  ids: readonly string[],
  terms: readonly string[],
  words: readonly string[],
  indexedAt: readonly string[],
): Buffer {
  let size = 0;
  for (let i = 0; i < ids.length; i++) size += 3 * (ids[i]!.length + terms[i]!.length + words[i]!.length + indexedAt[i]!.length) + 16;
  // never from Node's shared pool: the bytes may be transferred to another thread
  const buf = Buffer.allocUnsafeSlow(Math.max(size, 1));
  let at = 0;
  for (let i = 0; i < ids.length; i++) {
    at += buf.write(String(firstId + i), at, 'latin1');
    buf[at++] = 0x09;
    at += writeTextField(buf, ids[i]!, at);
    buf[at++] = 0x09;
    at += writeTextField(buf, terms[i]!, at);
    buf[at++] = 0x09;
    at += writeTextField(buf, words[i]!, at);
    buf[at++] = 0x09;
    at += writeTextField(buf, indexedAt[i]!, at);
    buf[at++] = 0x0a;
  }
  return buf.subarray(0, at);
}

/** One chunk of a first import's index rows: its first row's id (the others follow in order), each row's recommendation, `terms`, `words` and time. */
export interface ChunkRows {
  firstId: number;
  ids: string[];
  terms: string[];
  words: string[];
  indexedAt: string[];
}

/** A chunk's two COPYs: the index rows' (`rows`, text) and their postings' (`postings`, binary). */
export function chunkCopies(c: ChunkRows): { rows: Buffer; postings: Buffer } {
  const copy = new PostingsCopy(c.terms.length * 2048);
  for (let i = 0; i < c.terms.length; i++) copy.add(c.firstId + i, c.terms[i]!, c.words[i]!);
  return { rows: searchRowsCopy(c.firstId, c.ids, c.terms, c.words, c.indexedAt), postings: copy.end() };
}

/**
 * The postings of index rows, exactly as `rasd_fts_postings(r, terms, words)` (migration 006) computes them, written
 * as the tuples of one `COPY … (FORMAT binary)` of `recommendation_fts_postings`'s columns (lexeme, search_rowid,
 * fa, fb, dl, pa): per index row, its columns split on single spaces, empty tokens left out; per distinct token its
 * count in `terms` (fa) and in `words` (fb), capped at 32,767, its 0-based positions among the tokens of `terms` as
 * 4-byte big-endian integers in order (pa, int4send's bytes), the row's token count (dl); and one more posting with
 * the empty token carrying the token count. Tokens in order of first appearance (the key is built afterwards).
 *
 * Bytes rather than COPY's text (where each position was 8 hexadecimal digits, every number a string, and the server
 * parsed them all back): no string per posting or position for the collector, and nothing for the server to parse.
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

  constructor(capacity = 1 << 16) {
    // never from Node's shared pool: the bytes may be transferred to another thread
    this.buf = Buffer.allocUnsafeSlow(Math.max(capacity, 64));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    BINARY_HEADER.copy(this.buf, 0);
  }

  /** the tuples so far, with the trailer: one COPY's whole input (the writer is not used afterwards) */
  end(): Buffer {
    this.room(2);
    this.view.setInt16(this.at, -1);
    return this.buf.subarray(0, this.at + 2);
  }

  /** Adds the postings of one index row. */
  add(rowid: number, terms: string, words: string): void {
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
    // at most 3 bytes of UTF-8 per UTF-16 unit of a token
    this.room(TUPLE_BYTES * (tokens.length + 1) + 3 * (terms.length + words.length) + 4 * positions);
    const { buf, view } = this;
    let at = this.at;
    for (let s = 0; s <= tokens.length; s++) {
      const token = s < tokens.length ? tokens[s]! : '';
      view.setInt16(at, 6);
      const length = token === '' ? 0 : writeUtf8(buf, token, at + 6);
      view.setInt32(at + 2, length);
      at += 6 + length;
      const fa = s < tokens.length ? this.fa[s]! : 0;
      const fb = s < tokens.length ? this.fb[s]! : 0;
      view.setInt32(at, 4);
      view.setInt32(at + 4, rowid);
      view.setInt32(at + 8, 2);
      view.setInt16(at + 12, Math.min(fa, 32767));
      view.setInt32(at + 14, 2);
      view.setInt16(at + 18, Math.min(fb, 32767));
      view.setInt32(at + 20, 4);
      view.setInt32(at + 24, dl);
      view.setInt32(at + 28, 4 * fa);
      at += 32;
      if (s < tokens.length) this.paAt[s] = at;
      at += 4 * fa;
    }
    // each position of `terms`, in order, into its token's positions
    for (let p = 0; p < positions; p++) {
      const s = this.bySlot[p]!;
      view.setInt32(this.paAt[s]!, p);
      this.paAt[s]! += 4;
    }
    this.at = at;
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

  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }
}
