/**
 * Finding the same recommendation from two sources: for each new record, the most similar comparable older one
 * (Dice coefficient of the two texts' word sets at or above SIMILARITY_THRESHOLD), the first of equally similar
 * records in the older records' order winning, pairs kept apart by a coordinator left out.
 *
 * The plain definition compares every new record with every older record of its state, kind and UPR cycle:
 * quadratic (an import of 20,000 into a register of 100,000 of one state: about 10⁸ comparisons, 23 ms of CPU per new record). Here each group of
 * comparable records (same state, kind and UPR cycle; or same document and paragraph) gets an inverted index from
 * word to records, built on first use, and a new record is compared only with the records that share one of its
 * rarest words, within the sizes a Dice ≥ t allows:
 * - a set b can reach Dice(a, b) ≥ t only if t/(2−t)·|a| ≤ |b| ≤ (2−t)/t·|a|, and then shares at least
 *   α = ⌈t/(2−t)·|a|⌉ words with a (and ⌈t/(2−t)·|b|⌉, by the same reasoning from b's side);
 * - with the words of every set ordered rarest first (the fewest records of the group holding them), two sets
 *   reaching the threshold share a word within both their first |·| − α + 1 words (prefix filtering): each older
 *   record is listed under those words only, and a new record looks up its own first ones;
 * - each candidate's similarity is then computed exactly as textSimilarity does (same integers, same division), the
 *   ones at or above the threshold are replayed in the older records' order through the same checks and the same
 *   "strictly more similar than the best so far" rule as the plain definition, so the result is the same pairs with
 *   the same similarities (src/recommendations/merge.service.test.ts compares it with the plain definition).
 * Each text's words are made once per call, as sorted ids of interned words; two state names are compared once.
 */

/** The words of a text, for comparing two sources' versions of one recommendation. */
export function textTokens(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f\u064b-\u065f]/g, '')
      .replace(/[’']/g, '')
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 1),
  );
}

/** Dice coefficient of two word sets (1: same words). */
export function textSimilarity(a: Set<string>, b: Set<string>): number {
  if (a.size + b.size === 0) return 0;
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return (2 * n) / (a.size + b.size);
}

/** Words of a state's name that say nothing about which state it is. */
const GENERIC = new Set(['the', 'of', 'and', 'republic', 'islamic', 'democratic', 'people', 'peoples', 'arab', 'united', 'kingdom', 'state', 'states', 'federation', 'federal', 'plurinational', 'bolivarian', 'socialist', 'great', 'britain', 'northern', 'popular', 'union', 'jamahiriya', 'libyan']);

function stateTokens(name: string): string[] {
  const t = [...textTokens(name)].filter((w) => !GENERIC.has(w));
  // "Libyan Arab Jamahiriya": its distinctive word is "libyan"
  if (t.length === 0) return [...textTokens(name)].filter((w) => w !== 'the' && w !== 'of' && w !== 'arab');
  return t;
}

/** Two spellings of one state: "Iran" / "Islamic Republic of Iran", "Syria" / "Syrian Arab Republic", "Laos" / "Lao People’s…". */
export function sameState(a: string, b: string): boolean {
  const ta = stateTokens(a);
  const tb = stateTokens(b);
  return ta.some((x) => tb.some((y) => Math.min(x.length, y.length) >= 3 && (x.startsWith(y) || y.startsWith(x))));
}

export const SIMILARITY_THRESHOLD = 0.8;

export interface Candidate {
  id: string;
  document_id: string;
  country: string | null;
  upr_cycle: number | null;
  kind: string;
  paragraph: string | null;
  states: string[];
  /** the text compared; its word set is made only when its group is first searched (most records never are) */
  text: string;
}

export interface CandidatePair {
  aId: string;
  bId: string;
  similarity: number;
}

/**
 * Same state under review, same kind, a recommending state in common (or none on both), and either the same
 * document and paragraph (a UHRI record and the report's own text), or two UPR sources of the same cycle (the
 * Working Group report and UPR Info, which has no UN symbol). Two paragraphs of one document, or two treaty-body
 * documents, are never one recommendation.
 */
export function comparable(a: Candidate, b: Candidate): boolean {
  return comparableWith(a, b, sameState);
}

function comparableWith(a: Candidate, b: Candidate, same: (x: string, y: string) => boolean): boolean {
  if (a.id === b.id || a.kind !== b.kind) return false;
  if (!a.country || !b.country || a.country.toLowerCase() !== b.country.toLowerCase()) return false;
  if (a.document_id === b.document_id) {
    if (!a.paragraph || !b.paragraph || a.paragraph !== b.paragraph) return false;
  } else if (a.upr_cycle === null || a.upr_cycle !== b.upr_cycle) return false;
  if (a.states.length === 0 && b.states.length === 0) return true;
  return a.states.some((x) => b.states.some((y) => same(x, y)));
}

/** The groups a record can have comparable records in (see `comparable`): its document and paragraph, its UPR cycle. */
function groupKeys(c: Candidate): { paragraph: string | null; cycle: string | null } {
  const base = `${c.country?.toLowerCase()}|${c.kind}|`;
  return { paragraph: c.paragraph ? `${base}${c.document_id}|${c.paragraph}` : null, cycle: c.upr_cycle !== null ? `${base}${c.upr_cycle}` : null };
}

/** Below this many records a group is compared record by record (an index would cost more than it saves). */
const SCAN_BELOW = 32;
/** Floating-point slack on the size bounds, so that they never exclude a record at the threshold exactly. */
const SLACK = 1e-9;

/** Smallest and largest word count a set can have to reach Dice ≥ t with a set of `size` words. */
export function diceSizeBounds(size: number, t: number): [min: number, max: number] {
  return [Math.ceil((t * size) / (2 - t) - SLACK), Math.floor(((2 - t) * size) / t + SLACK)];
}

/** How many of a set's words, rarest first, hold one of the words it shares with any set reaching the threshold. */
function prefixLength(size: number): number {
  return size - Math.max(diceSizeBounds(size, SIMILARITY_THRESHOLD)[0], 1) + 1;
}

/** Word ids ordered rarest first in a group (fewest members holding them), then by id. */
function rarestFirst(words: Int32Array, frequency: Map<number, number>): Float64Array {
  // one number per word, sorted as numbers: its count above 2^26, its id below (words are ascending ids: the last is
  // the largest; past 2^26 distinct words, compared one by one)
  if (words.length > 0 && words[words.length - 1]! >= WORD_ID_SPAN) {
    return Float64Array.from(Array.from(words).sort((a, b) => (frequency.get(a) ?? 0) - (frequency.get(b) ?? 0) || a - b));
  }
  const keys = new Float64Array(words.length);
  for (let k = 0; k < words.length; k++) keys[k] = (frequency.get(words[k]!) ?? 0) * WORD_ID_SPAN + words[k]!;
  keys.sort();
  for (let k = 0; k < keys.length; k++) keys[k] = keys[k]! % WORD_ID_SPAN;
  return keys;
}
const WORD_ID_SPAN = 2 ** 26;

/** Common elements of two ascending arrays of distinct ids. */
function overlap(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

/** Lets other work run every 8 ms (the matching runs in an import's transaction, or on the server's thread for the duplicates page). */
class Slices {
  private start = performance.now();
  async pause(): Promise<void> {
    if (performance.now() - this.start <= 8) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.start = performance.now();
  }
}

interface Group {
  /** positions in `olds`, ascending */
  members: number[];
  /** large groups, built on first search: see `indexOf` */
  index?: { frequency: Map<number, number>; postings: Map<number, number[]> };
}

const NO_POSTING: number[] = [];

/** The older records, grouped and indexed for `best`. */
class MatchIndex {
  private readonly wordIds = new Map<string, number>();
  /** the words of each older record, by position, made when its group is first searched */
  private readonly oldWords: (Int32Array | undefined)[];
  private readonly paragraphs = new Map<string, Group>();
  private readonly cycles = new Map<string, Group>();
  private readonly sameStates = new Map<string, boolean>();
  /** seen[position] === stamp: already a candidate of the current search */
  private readonly seen: Int32Array;
  private stamp = 0;
  private readonly same = (x: string, y: string): boolean => {
    const key = `${x}\u0000${y}`;
    let v = this.sameStates.get(key);
    if (v === undefined) this.sameStates.set(key, (v = sameState(x, y)));
    return v;
  };

  constructor(
    private readonly olds: readonly Candidate[],
    private readonly slices: Slices,
  ) {
    this.seen = new Int32Array(olds.length);
    this.oldWords = new Array<Int32Array | undefined>(olds.length);
    const add = (groups: Map<string, Group>, key: string, i: number) => {
      const g = groups.get(key);
      if (g) g.members.push(i);
      else groups.set(key, { members: [i] });
    };
    olds.forEach((o, i) => {
      const k = groupKeys(o);
      if (k.paragraph) add(this.paragraphs, k.paragraph, i);
      if (k.cycle) add(this.cycles, k.cycle, i);
    });
  }

  /** A text's distinct words as ascending interned ids. */
  private wordsOf(text: string): Int32Array {
    const set = textTokens(text);
    const w = new Int32Array(set.size);
    let i = 0;
    for (const word of set) {
      let id = this.wordIds.get(word);
      if (id === undefined) this.wordIds.set(word, (id = this.wordIds.size));
      w[i++] = id;
    }
    return w.sort();
  }

  /** The words of the older record at position i, made once. */
  private wordsAt(i: number): Int32Array {
    return (this.oldWords[i] ??= this.wordsOf(this.olds[i]!.text));
  }

  /**
   * A group's index: how many members hold each word, and, for each word, the members holding it among their rarest
   * words (rarest first by that count, then by id: one order for every record of the group). A member is listed
   * under its first |o| − α + 1 words only, α being the fewest words it can share with a set reaching the
   * threshold: any two sets reaching it share a word within both their first |·| − α + 1 words (the first of the
   * words they share, in that order, is there in both), so the common words need no lists.
   */
  private async indexOf(g: Group): Promise<NonNullable<Group['index']>> {
    if (g.index) return g.index;
    const frequency = new Map<number, number>();
    for (let k = 0; k < g.members.length; k++) {
      if ((k & 255) === 0) await this.slices.pause();
      for (const w of this.wordsAt(g.members[k]!)) frequency.set(w, (frequency.get(w) ?? 0) + 1);
    }
    const postings = new Map<number, number[]>();
    for (let k = 0; k < g.members.length; k++) {
      if ((k & 255) === 0) await this.slices.pause();
      const i = g.members[k]!;
      const words = rarestFirst(this.wordsAt(i), frequency);
      for (let j = 0, n = prefixLength(words.length); j < n; j++) {
        const p = postings.get(words[j]!);
        if (p) p.push(i);
        else postings.set(words[j]!, [i]);
      }
    }
    return (g.index = { frequency, postings });
  }

  /**
   * The members of `g` before `limit` whose similarity with `words` can reach the threshold, each with its exact
   * similarity, added to `found` (each position once per search: `seen`).
   */
  private async search(g: Group, words: Int32Array, limit: number, found: { i: number; s: number }[]) {
    const size = words.length;
    const [min, max] = diceSizeBounds(size, SIMILARITY_THRESHOLD);
    const check = (i: number) => {
      if (i >= limit || this.seen[i] === this.stamp) return;
      this.seen[i] = this.stamp;
      const ow = this.wordsAt(i);
      if (ow.length < min || ow.length > max) return;
      const s = (2 * overlap(words, ow)) / (size + ow.length);
      if (s >= SIMILARITY_THRESHOLD) found.push({ i, s });
    };
    if (g.members.length < SCAN_BELOW) {
      for (const i of g.members) check(i);
      return;
    }
    const { frequency, postings } = await this.indexOf(g);
    const rarest = rarestFirst(words, frequency);
    for (let k = 0, n = prefixLength(size); k < n; k++) for (const i of postings.get(rarest[k]!) ?? NO_POSTING) check(i);
  }

  /**
   * The most similar comparable record of `olds` before `limit` for `n` (aId: the older record), or undefined. `at`:
   * n's own position when it is one of `olds` (its words are then made once).
   */
  async best(n: Candidate, apart: ReadonlySet<string>, limit = this.olds.length, at?: number): Promise<CandidatePair | undefined> {
    const words = at === undefined ? this.wordsOf(n.text) : this.wordsAt(at);
    // Dice with an empty set is 0, under any threshold
    if (words.length === 0) return undefined;
    const k = groupKeys(n);
    const found: { i: number; s: number }[] = [];
    this.stamp++;
    const byParagraph = k.paragraph ? this.paragraphs.get(k.paragraph) : undefined;
    if (byParagraph) await this.search(byParagraph, words, limit, found);
    const byCycle = k.cycle ? this.cycles.get(k.cycle) : undefined;
    if (byCycle) await this.search(byCycle, words, limit, found);
    if (found.length === 0) return undefined;
    // the plain definition's walk, over the records that can pass its similarity test: same checks, same order
    found.sort((a, b) => a.i - b.i);
    let best: CandidatePair | undefined;
    for (const { i, s } of found) {
      const o = this.olds[i]!;
      if (o.document_id === n.document_id && o.id >= n.id) continue; // within one document, each pair once
      if (!comparableWith(n, o, this.same)) continue;
      const [aId, bId] = n.id < o.id ? [n.id, o.id] : [o.id, n.id];
      if (apart.has(`${aId}|${bId}`)) continue;
      if (!best || s > best.similarity) best = { aId: o.id, bId: n.id, similarity: Math.round(s * 1000) / 1000 };
    }
    return best;
  }
}

/**
 * For each record of `news`, the most similar comparable record of `olds` (at or above the threshold), the first of
 * equally similar records in `olds` order winning. Pairs kept apart by a coordinator (`apart`: "aId|bId", the smaller
 * id first) are left out. Yields to other work every 8 ms.
 */
export async function bestMatches(news: readonly Candidate[], olds: readonly Candidate[], apart: ReadonlySet<string>): Promise<CandidatePair[]> {
  const slices = new Slices();
  const index = new MatchIndex(olds, slices);
  const out: CandidatePair[] = [];
  for (const n of news) {
    await slices.pause();
    const best = await index.best(n, apart);
    if (best) out.push(best);
  }
  return out;
}

/**
 * The candidate pairs of a whole register, each pair once: the records grouped by document (documents in the order
 * their first record comes), each record matched against the records of its own document and of the documents
 * before it, in that order (what calling bestMatches once per document with the records so far gives, in one index).
 */
export async function duplicatePairs(all: readonly Candidate[], apart: ReadonlySet<string>): Promise<CandidatePair[]> {
  const docs = new Map<string, Candidate[]>();
  for (const c of all) {
    const d = docs.get(c.document_id);
    if (d) d.push(c);
    else docs.set(c.document_id, [c]);
  }
  const ordered = [...docs.values()].flat();
  const slices = new Slices();
  const index = new MatchIndex(ordered, slices);
  const out: CandidatePair[] = [];
  let at = 0;
  for (const block of docs.values()) {
    const end = at + block.length;
    for (const n of block) {
      await slices.pause();
      const best = await index.best(n, apart, end, at++);
      if (best) out.push(best);
    }
  }
  return out;
}
