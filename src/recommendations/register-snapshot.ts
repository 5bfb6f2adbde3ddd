/**
 * The register in memory, for listing (see register-index.ts for how it is loaded and kept current): per
 * recommendation, the value of every facet, the sort keys and the full-text row id, in typed arrays that
 * are patched in place when a recommendation changes. One pass over the candidates (all recommendations,
 * or the full-text hits) filters, counts every facet (each one ignoring its own selection) and picks the
 * page; with no query and no filter nothing is visited: the counts are kept up to date as recommendations
 * change, and each sort order is kept as a sorted list.
 */
import { FACETS, type FacetName, type ListQuery } from './recommendations.schema.ts';
import { compareNatural } from '../shared/natural-sort.ts';
import type { Yielder } from '../shared/yielder.ts';

export type SortKey = 'date' | 'paragraph' | 'updated' | 'status';
export const SORT_KEYS = ['date', 'paragraph', 'updated', 'status'] as const satisfies readonly SortKey[];
export const SINGLE_FACETS = ['mechanism', 'body', 'document', 'cycle', 'position', 'kind', 'status', 'year', 'cluster'] as const;
export const MULTI_FACETS = ['theme', 'affected', 'sdg', 'entity'] as const;
const FACET_LIMIT = 50;
/** the comma-separated pieces of one filter value read at most (the older `theme=a,b` form) */
const MAX_SELECTION_PIECES = 200;
const LABELLED = new Set<FacetName>(['cluster', 'theme', 'affected', 'sdg', 'entity']);

export interface FacetCount {
  value: string;
  count: number;
  label_ar?: string | null;
  label_en?: string | null;
}

/** A facet value with its labels. */
export interface Labelled {
  value: string;
  ar: string | null;
  en: string | null;
}

/** What the register keeps of one recommendation. */
export interface RecRow {
  id: string;
  /** full-text row id (recommendation_search.search_rowid) */
  rowid: number | null;
  /** per SINGLE_FACETS; the cluster's carries its labels */
  single: (Labelled | string | null)[];
  /** per MULTI_FACETS, each value once */
  multi: Labelled[][];
  /** per SORT_KEYS */
  sort: (string | null)[];
  /** shown on the public portal */
  published: boolean;
}

/** The order of sort values (and of ids, for ties). */
export function compareSortValues(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One sort key: rank of each recommendation's value (equal values share a rank; -1 for none). */
export function rankValues(values: (string | null)[]): Int32Array {
  const order = values.map((_, i) => i).filter((i) => values[i] !== null);
  order.sort((a, b) => compareSortValues(values[a]!, values[b]!));
  const rank = new Int32Array(values.length).fill(-1);
  let r = 0;
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && compareSortValues(values[order[k]!]!, values[order[k - 1]!]!) !== 0) r++;
    rank[order[k]!] = r;
  }
  return rank;
}

/** Distinct values of one facet, numbered, with their labels. */
class Dictionary {
  readonly values: string[] = [];
  readonly labelAr: (string | null)[] = [];
  readonly labelEn: (string | null)[] = [];
  private readonly codes = new Map<string, number>();
  code(value: string, labelAr: string | null = null, labelEn: string | null = null): number {
    let c = this.codes.get(value);
    if (c === undefined) {
      c = this.values.length;
      this.codes.set(value, c);
      this.values.push(value);
      this.labelAr.push(labelAr);
      this.labelEn.push(labelEn);
    }
    return c;
  }
  lookup(value: string): number | undefined {
    return this.codes.get(value);
  }
  relabel(value: string, ar: string | null, en: string | null): void {
    const c = this.codes.get(value);
    if (c === undefined) return;
    this.labelAr[c] = ar;
    this.labelEn[c] = en;
  }
}

/**
 * One facet's counters: a range [base, base + capacity) of one array of all facets' counters. A stored
 * facet value is the index of its counter (base + dictionary code); capacity leaves room for new values.
 */
interface Facet {
  name: FacetName;
  dict: Dictionary;
  base: number;
  capacity: number;
  /** position in a row of `codes` (single-valued facets), or -1 */
  slot: number;
}

/** distinct values of a sort key kept to be shared at most (past them, a value not met yet is kept as read) */
const INTERNED_MAX = 50_000;

/** Every value of one sort key, with a rank per recommendation (NaN: none) that stays ordered under patches. */
class SortColumn {
  values: (string | null)[] = [];
  rank = new Float64Array(0);
  /** distinct values in order, with their ranks */
  private distinct: string[] = [];
  private distinctRank: number[] = [];
  private ready = false;
  /**
   * Each value once, when values repeat (dates, statuses, timestamps): a recommendation's value is then the string
   * every other recommendation with that value holds, not a string of its own read from the database (at 250,000
   * recommendations, about 8 MB of the heap per key). Null for a key whose values are all different (ids).
   */
  private readonly interned: Map<string, string> | null;

  /** the order of values: code units (ids, dates, statuses), or natural for paragraph numbers (79.2 before 79.10) */
  constructor(
    private readonly compare: (a: string, b: string) => number = compareSortValues,
    repeated = true,
  ) {
    this.interned = repeated ? new Map() : null;
  }

  grow(capacity: number): void {
    const r = new Float64Array(capacity).fill(Number.NaN);
    r.set(this.rank.subarray(0, Math.min(this.rank.length, capacity)));
    this.rank = r;
  }

  /** Ranks every value (0, 1, 2…, in slices); returns the recommendations with a value, in order. */
  async finish(n: number, pause: Yielder): Promise<Int32Array> {
    const values = this.values;
    let m = 0;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) if (values[i] !== null && values[i] !== undefined) order[m++] = i;
    const sorted = await mergeSort(order.subarray(0, m), (a, b) => this.compare(values[a]!, values[b]!), pause);
    let r = -1;
    for (let k = 0; k < sorted.length; k++) {
      const v = values[sorted[k]!]!;
      if (k === 0 || this.compare(v, values[sorted[k - 1]!]!) !== 0) {
        r++;
        this.distinct.push(v);
        this.distinctRank.push(r);
      }
      this.rank[sorted[k]!] = r;
    }
    this.ready = true;
    return sorted;
  }

  set(i: number, v: string | null): void {
    if (this.ready && this.values[i] === v) return; // the same value: the same rank (renumbering keeps the ranks in step)
    if (v !== null && this.interned) {
      const same = this.interned.get(v);
      if (same !== undefined) v = same;
      else if (this.interned.size < INTERNED_MAX) this.interned.set(v, v);
    }
    this.values[i] = v;
    if (this.ready) this.rank[i] = v === null ? Number.NaN : this.rankOf(v);
  }

  /** The rank of a value: that of an equal one, or one between its neighbours'. */
  private rankOf(v: string): number {
    const d = this.distinct;
    let lo = 0;
    let hi = d.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(d[mid]!, v) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo < d.length && this.compare(d[lo]!, v) === 0) return this.distinctRank[lo]!;
    let r: number;
    if (d.length === 0) r = 0;
    else if (lo === d.length) r = this.distinctRank[lo - 1]! + 1;
    else if (lo === 0) r = this.distinctRank[0]! - 1;
    else {
      const a = this.distinctRank[lo - 1]!;
      const b = this.distinctRank[lo]!;
      r = (a + b) / 2;
      if (!(r > a && r < b)) {
        this.renumber();
        return this.rankOf(v);
      }
    }
    d.splice(lo, 0, v);
    this.distinctRank.splice(lo, 0, r);
    return r;
  }

  /** Ranks 0, 1, 2… again, keeping the order (no room was left between two neighbours). */
  private renumber(): void {
    const old = this.distinctRank;
    const rank = this.rank;
    for (let i = 0; i < rank.length; i++) {
      const x = rank[i]!;
      if (x !== x) continue;
      let lo = 0;
      let hi = old.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (old[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      rank[i] = lo;
    }
    this.distinctRank = old.map((_, k) => k);
  }
}

/** Sorts positions by `cmp` (stable), in slices. */
async function mergeSort(items: Int32Array, cmp: (a: number, b: number) => number, pause: Yielder): Promise<Int32Array> {
  const n = items.length;
  let src = Int32Array.from(items);
  let dst = new Int32Array(n);
  const RUN = 2048;
  for (let s = 0; s < n; s += RUN) {
    const run = src.subarray(s, Math.min(n, s + RUN));
    const sorted = Array.from(run).sort(cmp);
    run.set(sorted);
    await pause();
  }
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let a = lo;
      let b = mid;
      let k = lo;
      while (a < mid && b < hi) dst[k++] = cmp(src[b]!, src[a]!) < 0 ? src[b++]! : src[a++]!;
      while (a < mid) dst[k++] = src[a++]!;
      while (b < hi) dst[k++] = src[b++]!;
      await pause();
    }
    [src, dst] = [dst, src];
  }
  return src;
}

/** The live recommendations in one sort order (key, direction; no value last; ties by id), kept sorted. */
class OrderIndex {
  list: Int32Array;
  length = 0;
  constructor(
    /** the sort key (SORT_KEYS position) */
    readonly key: number,
    readonly cmp: (a: number, b: number) => number,
    list: Int32Array,
  ) {
    this.list = list;
    this.length = list.length;
  }
  private lowerBound(i: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cmp(this.list[mid]!, i) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Where a recommendation stands (its values as when it was placed). */
  indexOf(i: number): number {
    const k = this.lowerBound(i);
    if (k >= this.length || this.list[k] !== i) throw new Error('register order out of step');
    return k;
  }
  remove(i: number): void {
    this.removeAt(this.indexOf(i));
  }
  removeAt(k: number): void {
    this.list.copyWithin(k, k + 1, this.length);
    this.length--;
  }
  /**
   * The recommendation at `k` has new values: left where it is if it is still in order there, otherwise moved to its
   * new place, shifting only the entries between the two places.
   */
  reposition(k: number, i: number): void {
    const list = this.list;
    const len = this.length;
    if (k + 1 < len && this.cmp(i, list[k + 1]!) > 0) {
      // further on: the first entry after it that it precedes, searched past k
      let lo = k + 1;
      let hi = len;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.cmp(list[mid]!, i) < 0) lo = mid + 1;
        else hi = mid;
      }
      list.copyWithin(k, k + 1, lo);
      list[lo - 1] = i;
    } else if (k > 0 && this.cmp(list[k - 1]!, i) > 0) {
      // earlier: searched before k
      let lo = 0;
      let hi = k;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.cmp(list[mid]!, i) < 0) lo = mid + 1;
        else hi = mid;
      }
      list.copyWithin(lo + 1, lo, k);
      list[lo] = i;
    }
  }
  /**
   * `reposition(k, i)` left for later (`settle`): an edit's move, made after the reply to the next list when that list
   * is in another order. One at a time: the move must be made before the list is read or changed again.
   */
  defer(k: number, i: number): void {
    this.settle();
    this.laterAt = k;
    this.laterRec = i;
  }
  private laterAt = -1;
  private laterRec = -1;
  /** Makes the move left for later, if any: the list is in order again. */
  settle(): void {
    if (this.laterAt < 0) return;
    const k = this.laterAt;
    this.laterAt = -1;
    this.reposition(k, this.laterRec);
  }
  insert(i: number): void {
    if (this.length === this.list.length) {
      const grown = new Int32Array(Math.max(16, this.list.length * 2));
      grown.set(this.list);
      this.list = grown;
    }
    const k = this.lowerBound(i);
    this.list.copyWithin(k + 1, k, this.length);
    this.list[k] = i;
    this.length++;
  }
  /** Many changed at once: drops the marked ones in one pass, then merges them back in their new places. */
  replace(marked: Uint8Array, changed: number[], alive: Uint8Array): void {
    let m = 0;
    for (let k = 0; k < this.length; k++) {
      const i = this.list[k]!;
      if (!marked[i]) this.list[m++] = i;
    }
    const back = changed.filter((i) => alive[i]).sort(this.cmp);
    const total = m + back.length;
    const out = new Int32Array(Math.max(total, this.list.length));
    let a = 0;
    let b = 0;
    let k = 0;
    while (a < m && b < back.length) out[k++] = this.cmp(back[b]!, this.list[a]!) < 0 ? back[b++]! : this.list[a++]!;
    while (a < m) out[k++] = this.list[a++]!;
    while (b < back.length) out[k++] = back[b++]!;
    this.list = out;
    this.length = total;
  }
}

const EMPTY = new Int32Array(0);

/** A counter's entry in a large patch's gathered posting-list changes. */
function pendingOf(pending: Map<number, { removed: number[]; added: number[] }>, c: number): { removed: number[]; added: number[] } {
  let d = pending.get(c);
  if (!d) pending.set(c, (d = { removed: [], added: [] }));
  return d;
}

/**
 * Per facet value (counter index), the live recommendations holding it, in ascending order: a filter with
 * no full-text query walks the lists of the values it accepts instead of every recommendation.
 */
class Postings {
  lists: Int32Array[] = [];
  lens = new Int32Array(0);

  /** Lists of every counter from the recommendations' values (`valuesOf` fills `buf`, returns how many). */
  build(counters: number, n: number, alive: Uint8Array, valuesOf: (i: number) => number, buffer: () => Int32Array): void {
    const size = new Int32Array(counters);
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      const m = valuesOf(i);
      const buf = buffer();
      for (let j = 0; j < m; j++) size[buf[j]!]!++;
    }
    this.lists = Array.from(size, (c) => new Int32Array(c + (c >> 4) + 4));
    this.lens = new Int32Array(counters);
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      const m = valuesOf(i);
      const buf = buffer();
      for (let j = 0; j < m; j++) {
        const c = buf[j]!;
        this.lists[c]![this.lens[c]!++] = i;
      }
    }
  }

  private at(c: number, i: number): number {
    const list = this.lists[c]!;
    let lo = 0;
    let hi = this.lens[c]!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(c: number, i: number): void {
    let list = this.lists[c] ?? EMPTY;
    const len = this.lens[c]!;
    const k = this.at(c, i);
    if (list[k] === i && k < len) return;
    if (len === list.length) {
      const grown = new Int32Array(Math.max(8, len * 2));
      grown.set(list);
      this.lists[c] = list = grown;
    }
    list.copyWithin(k + 1, k, len);
    list[k] = i;
    this.lens[c] = len + 1;
  }

  remove(c: number, i: number): void {
    const list = this.lists[c];
    if (!list) return;
    const len = this.lens[c]!;
    const k = this.at(c, i);
    if (k >= len || list[k] !== i) return;
    list.copyWithin(k, k + 1, len);
    this.lens[c] = len - 1;
  }

  /**
   * Many changes to one list at once (a large patch, `RegisterSnapshot.apply`): the removed dropped and the added merged
   * in, in one pass over the list, instead of one shift of the list per change.
   */
  patch(c: number, removed: number[], added: number[]): void {
    removed.sort((a, b) => a - b);
    added.sort((a, b) => a - b);
    const list = this.lists[c] ?? EMPTY;
    const len = this.lens[c]!;
    const most = len + added.length;
    const out = new Int32Array(most + (most >> 4) + 4);
    let r = 0;
    let a = 0;
    let k = 0;
    for (let j = 0; j < len; j++) {
      const x = list[j]!;
      while (r < removed.length && removed[r]! < x) r++;
      if (r < removed.length && removed[r] === x) continue;
      while (a < added.length && added[a]! < x) out[k++] = added[a++]!;
      if (a < added.length && added[a] === x) a++; // there already
      out[k++] = x;
    }
    while (a < added.length) out[k++] = added[a++]!;
    this.lists[c] = out;
    this.lens[c] = k;
  }

  /** The counters moved (a facet outgrew its room): old counter c is now map[c]. */
  remap(map: Int32Array, counters: number): void {
    const lists: Int32Array[] = Array.from({ length: counters }, () => EMPTY);
    const lens = new Int32Array(counters);
    for (let c = 0; c < this.lists.length; c++) {
      lists[map[c]!] = this.lists[c]!;
      lens[map[c]!] = this.lens[c]!;
    }
    this.lists = lists;
    this.lens = lens;
  }
}

/** A facet with at most one value per recommendation. */
class SingleColumn {
  constructor(
    private readonly r: RegisterSnapshot,
    readonly facet: Facet,
  ) {}
  get dict(): Dictionary {
    return this.facet.dict;
  }
  matches(i: number, accept: Uint8Array): boolean {
    const c = this.r.codes[i * this.r.stride + this.facet.slot]!;
    return c >= 0 && accept[c - this.facet.base] === 1;
  }
  count(i: number, counts: Int32Array): void {
    const c = this.r.codes[i * this.r.stride + this.facet.slot]!;
    if (c >= 0) counts[c]!++;
  }
}

/** A facet with any number of values per recommendation. */
class MultiColumn {
  constructor(
    private readonly r: RegisterSnapshot,
    readonly facet: Facet,
  ) {}
  get dict(): Dictionary {
    return this.facet.dict;
  }
  matches(i: number, accept: Uint8Array): boolean {
    const r = this.r;
    const vs = r.multiValues(i);
    const from = r.multiFrom(i);
    const to = r.multiTo(i);
    const base = this.facet.base;
    const end = base + this.facet.capacity;
    for (let j = from; j < to; j++) {
      const v = vs[j]!;
      if (v >= base && v < end && accept[v - base] === 1) return true;
    }
    return false;
  }
  count(i: number, counts: Int32Array): void {
    const r = this.r;
    const vs = r.multiValues(i);
    const from = r.multiFrom(i);
    const to = r.multiTo(i);
    const base = this.facet.base;
    const end = base + this.facet.capacity;
    for (let j = from; j < to; j++) {
      const v = vs[j]!;
      if (v >= base && v < end) counts[v]!++;
    }
  }
}

type Column = SingleColumn | MultiColumn;
/** A facet filter of a query: the accepted values (dictionary codes); `own`: its counts are the kept unfiltered ones. */
interface Filter {
  column: Column;
  accept: Uint8Array;
  codes: number[];
  own: boolean;
}

/** Candidates of a query: recommendation numbers, with their full-text scores when ranked. */
export interface Candidates {
  recs: Int32Array;
  scores: Float64Array | null;
}

/**
 * A text query's live candidates with their facet values copied side by side, in candidate order: candidate
 * k's single-valued codes at `codes[k * stride + slot]`, its multi-valued ones at `multi[from[k] .. from[k + 1])`.
 * Filtering and counting them then read memory in order instead of one scattered register row per candidate
 * (at 250,000 the rows' cache misses were most of a query's time). Made once per register version
 * (`RegisterSnapshot.prepare`) and kept with the query's hits; `query` uses the copy only at that version.
 */
export interface PreparedCandidates extends Candidates {
  version: number;
  codes: Int32Array;
  from: Int32Array;
  multi: Int32Array;
}

export class RegisterSnapshot {
  /** recommendation number → id (kept for removed ones) */
  readonly ids: string[] = [];
  private readonly recOf = new Map<string, number>();
  /** recommendation numbers in use (removed ones included) */
  n = 0;
  /** recommendations present */
  live = 0;
  alive = new Uint8Array(0);
  /** 1 where the recommendation is published on the public portal */
  published = new Uint8Array(0);
  private publishedList: { version: number; recs: Int32Array } | null = null;
  private recRowid = new Int32Array(0);
  /** full-text row id → recommendation number (-1: none) */
  rowidToRec = new Int32Array(0);

  readonly stride = SINGLE_FACETS.length;
  /** single-valued facets, row by row: codes[i * stride + slot] (-1: none) */
  codes = new Int32Array(0);
  /** multi-valued facets of recommendations 0..compactN-1: values[offsets[i] .. offsets[i + 1]) … */
  private offsets = new Int32Array(1);
  private values = new Int32Array(0);
  private compactN = 0;
  /** … unless patched since: their own list here */
  private over = new Uint8Array(0);
  private readonly extra = new Map<number, Int32Array>();

  private readonly facets: Facet[];
  readonly columns: Record<FacetName, Column>;
  /** counters of all facets together */
  private counters = 0;
  /** every live recommendation counted: the facets with no query and no filter */
  private allCounts = new Int32Array(0);

  private readonly sorts: Record<SortKey | 'id', SortColumn>;
  private orders: Map<string, OrderIndex> | null = null;
  /** goes up with every change, for values kept per version */
  version = 0;
  /**
   * A newer register is being built from the database (a large change) while this one still answers: values
   * read from the database meanwhile (full-text hits, page rows) may be newer than this register, so none is
   * kept per version any more.
   */
  superseded = false;
  /** the facet lists with no query and no filter, each made again when its counts or labels change */
  private unfiltered: Record<string, FacetCount[]> | null = null;
  private readonly dirtyFacets = new Set<FacetName>();
  /** per recommendation, the version that last changed it */
  private changedAt = new Int32Array(0);
  /** a patched recommendation's values before the patch (patchOne), renumbered with the others by relayout */
  private oldValues = new Int32Array(64);
  private oldCount = 0;
  /** per facet value, the recommendations holding it (once loaded) */
  private postings: Postings | null = null;
  /**
   * During a large patch (`apply`), per counter the recommendations that lost and gained it, each list then patched
   * once (`Postings.patch`); renumbered by relayout
   */
  private pending: Map<number, { removed: number[]; added: number[] }> | null = null;
  private mark = new Uint16Array(0);
  private scratchList = new Int32Array(0);
  private valueBuffer = new Int32Array(64);

  /** `expected`: the number of values of each facet and (`recommendations`) of recommendations, to make room for at once */
  constructor(expected: Partial<Record<FacetName, number>> = {}, recommendations = 0) {
    this.facets = [];
    const columns = {} as Record<FacetName, Column>;
    for (const [slot, name] of SINGLE_FACETS.entries()) this.facets.push({ name, dict: new Dictionary(), base: 0, capacity: 0, slot });
    for (const name of MULTI_FACETS) this.facets.push({ name, dict: new Dictionary(), base: 0, capacity: 0, slot: -1 });
    for (const f of this.facets) {
      f.capacity = room(expected[f.name] ?? 0);
      f.base = this.counters;
      this.counters += f.capacity;
      columns[f.name] = f.slot >= 0 ? new SingleColumn(this, f) : new MultiColumn(this, f);
    }
    this.columns = columns;
    this.allCounts = new Int32Array(this.counters);
    this.sorts = { date: new SortColumn(), paragraph: new SortColumn(compareNatural), updated: new SortColumn(), status: new SortColumn(), id: new SortColumn(compareSortValues, false) };
    // the per-recommendation arrays sized once (grown by half each time they are full, they could hold half again)
    if (recommendations > 0) this.ensureCapacity(recommendations + (recommendations >> 6));
  }

  /**
   * The room for a register read again from the same database: as many values per facet as this one's dictionaries
   * hold, and its recommendations and an eighth more (grown on demand past that), so that a rebuild need not count
   * them in the database first (right after an import's commit, `count(*)` of 270,000 recommendations took 140 ms of
   * the server's thread).
   */
  sizes(): { expected: Partial<Record<FacetName, number>>; recommendations: number } {
    const expected: Partial<Record<FacetName, number>> = {};
    for (const f of this.facets) expected[f.name] = f.dict.values.length;
    return { expected, recommendations: this.live + (this.live >> 3) };
  }

  /** recommendations present */
  get size(): number {
    return this.live;
  }

  /**
   * The candidates of a public query: the published recommendations, or the published ones among the
   * full-text hits (with their scores). Pass the result as `hits` to `query`.
   */
  publishedCandidates(hits: { recs: Int32Array; scores: Float64Array | null } | null): { recs: Int32Array; scores: Float64Array | null } {
    if (!hits) {
      if (this.publishedList?.version !== this.version) {
        const list: number[] = [];
        for (let i = 0; i < this.n; i++) if (this.alive[i] && this.published[i]) list.push(i);
        this.publishedList = { version: this.version, recs: Int32Array.from(list) };
      }
      return { recs: this.publishedList.recs, scores: null };
    }
    const recs = new Int32Array(hits.recs.length);
    const scores = hits.scores ? new Float64Array(hits.recs.length) : null;
    let m = 0;
    for (let k = 0; k < hits.recs.length; k++) {
      const i = hits.recs[k]!;
      if (!this.published[i]) continue;
      if (scores) scores[m] = hits.scores![k]!;
      recs[m++] = i;
    }
    return { recs: recs.subarray(0, m), scores: scores ? scores.subarray(0, m) : null };
  }

  /** The live ones among these candidates, with their facet values copied side by side (see PreparedCandidates). */
  prepare(hits: Candidates): PreparedCandidates {
    const { alive, stride } = this;
    const n = hits.recs.length;
    let m = 0;
    let size = 0;
    for (let k = 0; k < n; k++) {
      const i = hits.recs[k]!;
      if (!alive[i]) continue;
      m++;
      size += this.multiTo(i) - this.multiFrom(i);
    }
    const recs = new Int32Array(m);
    const scores = hits.scores ? new Float64Array(m) : null;
    const codes = new Int32Array(m * stride);
    const from = new Int32Array(m + 1);
    const multi = new Int32Array(size);
    let j = 0;
    let at = 0;
    for (let k = 0; k < n; k++) {
      const i = hits.recs[k]!;
      if (!alive[i]) continue;
      recs[j] = i;
      if (scores) scores[j] = hits.scores![k]!;
      for (let s = 0, b = i * stride, d = j * stride; s < stride; s++) codes[d + s] = this.codes[b + s]!;
      const vs = this.multiValues(i);
      for (let x = this.multiFrom(i), to = this.multiTo(i); x < to; x++) multi[at++] = vs[x]!;
      from[++j] = at;
    }
    return { recs, scores, version: this.version, codes, from, multi };
  }

  /** The number of a recommendation, if present. */
  numberOf(id: string): number | undefined {
    const i = this.recOf.get(id);
    return i !== undefined && this.alive[i] ? i : undefined;
  }

  /** Numbers of the live recommendations whose cluster is this one. */
  inCluster(clusterId: string): number[] {
    const f = this.facets[SINGLE_FACETS.indexOf('cluster')]!;
    const c = f.dict.lookup(clusterId);
    if (c === undefined) return [];
    const want = f.base + c;
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) if (this.alive[i] && this.codes[i * this.stride + f.slot] === want) out.push(i);
    return out;
  }

  /** The list holding a recommendation's multi-valued facet values (counter indexes), from multiFrom(i) to multiTo(i): no allocation. */
  multiValues(i: number): Int32Array {
    if (this.over[i]) return this.extra.get(i) ?? EMPTY;
    return i < this.compactN ? this.values : EMPTY;
  }
  multiFrom(i: number): number {
    return this.over[i] || i >= this.compactN ? 0 : this.offsets[i]!;
  }
  multiTo(i: number): number {
    if (this.over[i]) return (this.extra.get(i) ?? EMPTY).length;
    return i < this.compactN ? this.offsets[i + 1]! : 0;
  }

  /** The multi-valued facet values of a recommendation: a list and the range in it. */
  multiOf(i: number): [Int32Array, number, number] {
    if (this.over[i]) {
      const own = this.extra.get(i) ?? EMPTY;
      return [own, 0, own.length];
    }
    if (i >= this.compactN) return [EMPTY, 0, 0];
    return [this.values, this.offsets[i]!, this.offsets[i + 1]!];
  }

  relabel(facet: FacetName, value: string, ar: string | null, en: string | null): void {
    this.columns[facet].dict.relabel(value, ar, en);
    this.dirtyFacets.add(facet);
  }

  private ensureCapacity(n: number): void {
    if (n <= this.alive.length) return;
    const cap = Math.max(n, Math.ceil(this.alive.length * 1.5), 64);
    const grow = <T extends Int32Array | Uint8Array>(a: T, size: number, fill: number): T => {
      const b = new (a.constructor as { new (n: number): T })(size);
      if (fill !== 0) b.fill(fill);
      b.set(a);
      return b;
    };
    this.alive = grow(this.alive, cap, 0);
    this.published = grow(this.published, cap, 0);
    this.over = grow(this.over, cap, 0);
    this.recRowid = grow(this.recRowid, cap, -1);
    this.changedAt = grow(this.changedAt, cap, 0);
    this.codes = grow(this.codes, cap * this.stride, -1);
    for (const s of Object.values(this.sorts)) s.grow(cap);
  }

  /** The counter of a facet value, making room for a new one (moving the counters) if need be. */
  private counter(f: Facet, v: Labelled | string): number {
    const value = typeof v === 'string' ? v : v.value;
    let c = f.dict.lookup(value);
    if (c === undefined) {
      c = typeof v === 'string' ? f.dict.code(value) : f.dict.code(value, v.ar, v.en);
      if (c >= f.capacity) this.relayout(f);
    }
    return f.base + c;
  }

  /** Gives a facet more room, moving every facet's counters and rewriting every stored value. */
  private relayout(full: Facet): void {
    const map = new Int32Array(this.counters);
    let size = 0;
    const bases = this.facets.map((f) => {
      const capacity = f === full ? Math.max(room(f.dict.values.length), f.capacity * 2) : f.capacity;
      const base = size;
      for (let v = 0; v < f.capacity; v++) map[f.base + v] = base + v;
      size += capacity;
      return { base, capacity };
    });
    const remap = (a: Int32Array) => {
      for (let k = 0; k < a.length; k++) if (a[k]! >= 0) a[k] = map[a[k]!]!;
    };
    remap(this.codes.subarray(0, this.n * this.stride));
    remap(this.values);
    for (const own of this.extra.values()) remap(own);
    remap(this.oldValues.subarray(0, this.oldCount));
    if (this.pending) this.pending = new Map([...this.pending].map(([c, d]) => [map[c]!, d]));
    const counts = new Int32Array(size);
    for (const [k, f] of this.facets.entries()) {
      counts.set(this.allCounts.subarray(f.base, f.base + f.capacity), bases[k]!.base);
      f.base = bases[k]!.base;
      f.capacity = bases[k]!.capacity;
    }
    this.allCounts = counts;
    this.counters = size;
    this.postings?.remap(map, size);
  }

  /** Adds a recommendation's values to the unfiltered counts (a build's; a patch counts what changed: setCounted). */
  private tally(i: number): void {
    const m = this.valuesOf(i);
    const buf = this.valueBuffer;
    for (let j = 0; j < m; j++) this.allCounts[buf[j]!]!++;
  }

  /** The facet whose counter this is has new counts: its kept unfiltered list is made again when next asked. */
  private touchCounter(c: number): void {
    for (let f = 0; f < this.facets.length; f++) {
      const facet = this.facets[f]!;
      if (c >= facet.base && c < facet.base + facet.capacity) {
        this.dirtyFacets.add(facet.name);
        return;
      }
    }
  }

  /**
   * One loaded recommendation set again (`row`) or removed (null), patched where it changed: the counts and posting
   * lists of the values it lost or gained only, and each sort order only where its place moved (one shift of the
   * entries between its old and new place). A value kept by an edit is left alone, so that an edit of one field
   * costs what that field's lists cost, not what every list of the recommendation costs.
   */
  private patchOne(i: number, row: RecRow | null, orders: OrderIndex[], postings: Postings | null): void {
    const was = this.alive[i] === 1;
    // the moves left for later by the previous recommendation patched, first: each order searched in order
    for (const o of orders) o.settle();
    // where it stands now in every order whose key changes (found with its values before the change; -1: its key keeps
    // its value, so it keeps its place there, ties being broken by id)
    const at = was ? orders.map((o) => (row && this.sorts[SORT_KEYS[o.key]!].values[i] === (row.sort[o.key] ?? null) ? -1 : o.indexOf(i))) : null;
    this.setCounted(i, row, postings);
    for (const [k, o] of orders.entries()) {
      if (at && row) {
        // the move itself waits (settleOrders, or the next read or change of that order): an edit's moves in the orders
        // the next list does not read (an edited status moves the recommendation in the status and "updated" orders:
        // shifts of up to the whole register) are then made after that list is answered
        if (at[k]! >= 0) o.defer(at[k]!, i);
      } else if (at) o.removeAt(at[k]!);
      else if (row) o.insert(i);
    }
  }

  /**
   * Sets (row) or removes (null) a loaded recommendation, counting only the values it lost or gained: in the posting
   * lists at once (`postings`), or gathered in `pending` during a large patch, or not at all (null: built again after).
   */
  private setCounted(i: number, row: RecRow | null, postings: Postings | null): void {
    let before = 0;
    if (this.alive[i] === 1) {
      before = this.valuesOf(i);
      if (this.oldValues.length < before) this.oldValues = new Int32Array(before * 2);
      this.oldValues.set(this.valueBuffer.subarray(0, before));
    }
    // relayout (a facet outgrowing its room while the row is set) renumbers these too
    this.oldCount = before;
    this.set(i, row);
    this.oldCount = 0;
    const old = this.oldValues;
    const after = row ? this.valuesOf(i) : 0;
    const now = this.valueBuffer;
    const pending = this.pending;
    for (let j = 0; j < before; j++) {
      const c = old[j]!;
      let kept = false;
      for (let k = 0; k < after && !kept; k++) kept = now[k] === c;
      if (kept) continue;
      this.allCounts[c]!--;
      this.touchCounter(c);
      if (pending) pendingOf(pending, c).removed.push(i);
      else postings?.remove(c, i);
    }
    for (let k = 0; k < after; k++) {
      const c = now[k]!;
      let kept = false;
      for (let j = 0; j < before && !kept; j++) kept = old[j] === c;
      if (kept) continue;
      this.allCounts[c]!++;
      this.touchCounter(c);
      if (pending) pendingOf(pending, c).added.push(i);
      else postings?.add(c, i);
    }
  }

  /**
   * Sets (row) or removes (null) recommendations. While loading, rows come in id order and nothing is
   * counted or ordered yet (finish() does it); afterwards the counts and orders follow each change.
   */
  apply(list: { id: string; row: RecRow | null }[]): void {
    if (list.length === 0) return;
    const changes = [...new Map(list.map((c) => [c.id, c])).values()];
    this.version++;
    const loaded = this.orders !== null;
    const touched: number[] = [];
    for (const { id, row } of changes) {
      let i = this.recOf.get(id);
      if (i === undefined) {
        if (!row) continue;
        this.ensureCapacity(this.n + 1);
        i = this.n++;
        this.ids[i] = id;
        this.recOf.set(id, i);
        if (loaded) this.sorts.id.set(i, id);
        else this.sorts.id.values[i] = id;
      }
      touched.push(i);
      this.changedAt[i] = this.version;
    }
    const orders = this.orders ? [...this.orders.values()] : [];
    // the moves an earlier patch left for later, first: each order in order before it is searched or changed
    for (const o of orders) o.settle();
    const many = touched.length > 32;
    if (loaded && !many) {
      // a few: each one patched where it changed
      for (const { id, row } of changes) {
        const i = this.recOf.get(id);
        if (i !== undefined) this.patchOne(i, row, orders, this.postings);
      }
      return;
    }
    const marked = many ? new Uint8Array(this.n) : null;
    for (const i of touched) {
      if (marked) marked[i] = 1;
      else if (this.alive[i]) for (const o of orders) o.remove(i);
    }
    // only the sort orders some change moves in are made again: in the others every recommendation keeps its place
    // (its key kept its value; ties are broken by id), e.g. a bulk priority edit moves none but "updated"
    const moving = marked
      ? orders.filter((o) =>
          changes.some(({ id, row }) => {
            const i = this.recOf.get(id)!;
            return !this.alive[i] || !row || this.sorts[SORT_KEYS[o.key]!].values[i] !== (row.sort[o.key] ?? null);
          }),
        )
      : orders;
    // the posting lists and counts follow only the values each recommendation lost or gained: each list touched is
    // made again once for the whole change (never more work than building every list again)
    if (loaded && this.postings) this.pending = new Map();
    for (const { id, row } of changes) {
      const i = this.recOf.get(id);
      if (i === undefined) continue;
      if (loaded) this.setCounted(i, row, null);
      else this.set(i, row);
    }
    if (this.pending) {
      for (const [c, d] of this.pending) this.postings!.patch(c, d.removed, d.added);
      this.pending = null;
    }
    if (loaded) this.unfiltered = null;
    if (marked) for (const o of moving) o.replace(marked, touched, this.alive);
    else for (const i of touched) if (this.alive[i]) for (const o of orders) o.insert(i);
  }

  /** Makes every sort order's move an edit left for later (OrderIndex.defer): for a moment when no one waits. */
  settleOrders(): void {
    if (this.orders) for (const o of this.orders.values()) o.settle();
  }

  /** A kept sort order, in order (its move left for later made). */
  private order(by: SortKey, direction: 'asc' | 'desc'): OrderIndex {
    const o = this.orders!.get(`${by}:${direction}`)!;
    o.settle();
    return o;
  }

  /** Whether a recommendation changed (or is unknown) after this version: a value kept from then is stale. */
  changedSince(id: string, version: number): boolean {
    const i = this.recOf.get(id);
    return i === undefined || this.changedAt[i]! > version;
  }

  private set(i: number, row: RecRow | null): void {
    const old = this.recRowid[i]!;
    if (old >= 0 && this.rowidToRec[old] === i) this.rowidToRec[old] = -1;
    this.recRowid[i] = -1;
    this.published[i] = row?.published ? 1 : 0;
    if (!row) {
      if (this.alive[i]) this.live--;
      this.alive[i] = 0;
      for (let s = 0; s < this.stride; s++) this.codes[i * this.stride + s] = -1;
      if (this.over[i] || i < this.compactN) this.setMulti(i, EMPTY);
      for (const key of SORT_KEYS) this.sorts[key].set(i, null);
      return;
    }
    if (!this.alive[i]) this.live++;
    this.alive[i] = 1;
    if (row.rowid !== null) {
      if (row.rowid >= this.rowidToRec.length) {
        const grown = new Int32Array(Math.max(row.rowid + 1, Math.ceil(this.rowidToRec.length * 1.5))).fill(-1);
        grown.set(this.rowidToRec);
        this.rowidToRec = grown;
      }
      this.rowidToRec[row.rowid] = i;
      this.recRowid[i] = row.rowid;
    }
    for (let s = 0; s < this.stride; s++) {
      const v = row.single[s];
      this.codes[i * this.stride + s] = v === null || v === undefined ? -1 : this.counter(this.facets[s]!, v);
    }
    // first make room for new values (the counters may move), then read them
    let count = 0;
    for (const [m, vs] of row.multi.entries()) {
      for (const v of vs) this.counter(this.facets[this.stride + m]!, v);
      count += vs.length;
    }
    const list = new Int32Array(count);
    let k = 0;
    for (const [m, vs] of row.multi.entries()) {
      const f = this.facets[this.stride + m]!;
      for (const v of vs) list[k++] = f.base + f.dict.lookup(v.value)!;
    }
    this.setMulti(i, list);
    for (const [s, key] of SORT_KEYS.entries()) this.sorts[key].set(i, row.sort[s] ?? null);
  }

  private setMulti(i: number, list: Int32Array): void {
    if (this.orders === null && i === this.compactN && !this.over[i]) {
      // loading: append
      const end = this.offsets[i]!;
      if (this.offsets.length < i + 2) {
        const grown = new Int32Array(Math.max(i + 2, this.offsets.length * 2));
        grown.set(this.offsets);
        this.offsets = grown;
      }
      if (this.values.length < end + list.length) {
        const grown = new Int32Array(Math.max(end + list.length, this.values.length * 2, 256));
        grown.set(this.values);
        this.values = grown;
      }
      this.values.set(list, end);
      this.offsets[i + 1] = end + list.length;
      this.compactN = i + 1;
      return;
    }
    this.over[i] = 1;
    this.extra.set(i, list);
    if (this.extra.size > Math.max(256, this.n >> 4)) this.compact();
  }

  /** Folds the patched lists back into the shared one. */
  private compact(): void {
    const offsets = new Int32Array(this.n + 1);
    for (let i = 0; i < this.n; i++) {
      const [, from, to] = this.multiOf(i);
      offsets[i + 1] = offsets[i]! + (to - from);
    }
    const values = new Int32Array(offsets[this.n]!);
    for (let i = 0; i < this.n; i++) {
      const [vs, from, to] = this.multiOf(i);
      values.set(vs.subarray(from, to), offsets[i]!);
    }
    this.offsets = offsets;
    this.values = values;
    this.compactN = this.n;
    this.over.fill(0);
    this.extra.clear();
  }

  /** After loading: ranks every sort key, counts, and sorts each order (in slices). */
  async finish(pause: Yielder): Promise<void> {
    const n = this.n;
    // the multi-valued lists were grown by doubling while loading: only what they hold is kept
    this.values = this.values.slice(0, this.offsets[this.compactN]!);
    this.offsets = this.offsets.slice(0, this.compactN + 1);
    const byId = await this.sorts.id.finish(n, pause);
    for (const key of SORT_KEYS) await this.sorts[key].finish(n, pause);
    for (let i = 0; i < n; i++) if (this.alive[i]) this.tally(i);
    await pause();
    this.buildPostings();
    await pause();
    const orders = new Map<string, OrderIndex>();
    const ids = this.sorts.id;
    for (const [keyAt, key] of SORT_KEYS.entries()) {
      const column = this.sorts[key];
      const rank = column.rank;
      for (const direction of ['asc', 'desc'] as const) {
        const sign = direction === 'asc' ? 1 : -1;
        // reads the arrays at each call: they are replaced when they grow
        const cmp = (a: number, b: number) => {
          const ra = column.rank[a]!;
          const rb = column.rank[b]!;
          const na = ra !== ra;
          const nb = rb !== rb;
          if (na !== nb) return na ? 1 : -1;
          if (!na && ra !== rb) return (ra - rb) * sign;
          return ids.rank[a]! - ids.rank[b]!;
        };
        // ranks are 0, 1, 2… now: a counting sort, in id order within a rank
        let top = -1;
        for (let i = 0; i < n; i++) if (this.alive[i] && rank[i]! > top) top = rank[i]!;
        const start = new Int32Array(top + 2);
        let none = 0;
        for (let i = 0; i < n; i++) {
          if (!this.alive[i]) continue;
          const r = rank[i]!;
          if (r !== r) none++;
          else start[(sign > 0 ? r : top - r) + 1]!++;
        }
        for (let r = 1; r < start.length; r++) start[r]! += start[r - 1]!;
        const list = new Int32Array(this.live);
        let noneAt = this.live - none;
        for (const i of byId) {
          if (!this.alive[i]) continue;
          const r = rank[i]!;
          if (r !== r) list[noneAt++] = i;
          else list[start[sign > 0 ? r : top - r]!++] = i;
        }
        orders.set(`${key}:${direction}`, new OrderIndex(keyAt, cmp, list));
        await pause();
      }
    }
    this.orders = orders;
  }

  /**
   * Filters the candidates (every recommendation, or the full-text hits with their scores), counts the
   * facets and returns the ids of the requested page. Ties are broken by recommendation id.
   */
  query(
    query: ListQuery,
    order: { by: 'relevance' } | { by: SortKey; direction: 'asc' | 'desc' },
    hits: Candidates | PreparedCandidates | null,
  ): { ids: string[]; total: number; facets: Record<string, FacetCount[]> } {
    const filters: Filter[] = [];
    for (const name of FACETS) {
      const values = this.selectedValues(name, query[name]);
      if (!values.length) continue;
      const column = this.columns[name];
      const accept = new Uint8Array(column.facet.capacity);
      const codes: number[] = [];
      for (const v of values) {
        const c = column.dict.lookup(v);
        if (c !== undefined && !accept[c]) {
          accept[c] = 1;
          codes.push(c);
        }
      }
      filters.push({ column, accept, codes, own: false });
    }
    const offset = (query.page - 1) * query.pageSize;
    if (!hits && filters.length === 0 && order.by !== 'relevance' && this.orders) {
      // nothing to filter: the kept counts and the kept order
      const o = this.order(order.by, order.direction);
      const ids: string[] = [];
      for (let k = offset; k < Math.min(o.length, offset + query.pageSize); k++) ids.push(this.ids[o.list[k]!]!);
      return { ids, total: this.live, facets: this.unfilteredFacets() };
    }
    if (!hits && filters.length === 1 && order.by !== 'relevance' && this.orders && this.postings) {
      const dense = this.denseFilter(filters[0]!, this.order(order.by, order.direction), offset, query.pageSize);
      if (dense) return dense;
    }
    // Pass 1: the recommendations passing every filter (they count in every facet), and those failing
    // exactly one filter (they count in that facet alone: each facet ignores its own selection).
    const all = new Int32Array(this.counters);
    const passing = this.scratch(hits ? hits.recs.length : this.n);
    const passingScore = hits?.scores ? new Float64Array(hits.recs.length) : null;
    let total = 0;
    const prepared = hits && 'codes' in hits && hits.version === this.version ? hits : null;
    if (prepared) {
      total = this.filterPrepared(prepared, filters, passing, passingScore, all);
    } else if (hits || !this.postings || filters.length === 0) {
      // the candidates are the full-text hits (or every recommendation: while loading, or sorted by relevance with no query)
      const n = hits ? hits.recs.length : this.n;
      const { alive, codes, stride } = this;
      // single-valued filters read their slot directly (no call per candidate)
      const nf = filters.length;
      const slot = Int32Array.from(filters, (f) => f.column.facet.slot);
      const base = Int32Array.from(filters, (f) => f.column.facet.base);
      for (let k = 0; k < n; k++) {
        const i = hits ? hits.recs[k]! : k;
        if (!alive[i]) continue;
        let fails = 0;
        let failed = -1;
        for (let f = 0; f < nf; f++) {
          const s = slot[f]!;
          let ok: boolean;
          if (s >= 0) {
            const c = codes[i * stride + s]!;
            ok = c >= 0 && filters[f]!.accept[c - base[f]!] === 1;
          } else ok = filters[f]!.column.matches(i, filters[f]!.accept);
          if (!ok) {
            failed = f;
            if (++fails > 1) break;
          }
        }
        if (fails === 0) {
          passing[total] = i;
          if (passingScore) passingScore[total] = hits!.scores![k]!;
          total++;
        } else if (fails === 1) filters[failed]!.column.count(i, all);
      }
    } else total = this.filterByPostings(filters, passing, all);
    // Pass 2: the passing recommendations in every facet, row by row (done by filterPrepared for prepared candidates)
    if (!prepared) this.countRows(passing, total, all);
    for (const f of filters) {
      if (f.own) all.set(this.allCounts.subarray(f.column.facet.base, f.column.facet.base + f.column.facet.capacity), f.column.facet.base);
    }

    const idRank = this.sorts.id.rank;
    let before: (a: number, b: number) => boolean;
    if (order.by === 'relevance') {
      const score = passingScore ?? new Float64Array(total); // no scores: id order
      before = (a, b) => score[a]! > score[b]! || (score[a] === score[b] && this.idBefore(passing[a]!, passing[b]!, idRank));
    } else {
      const rank = this.sorts[order.by].rank;
      const sign = order.direction === 'asc' ? 1 : -1;
      before = (a, b) => {
        const ra = rank[passing[a]!]!;
        const rb = rank[passing[b]!]!;
        const na = ra !== ra;
        const nb = rb !== rb;
        if (na !== nb) return nb;
        if (!na && ra !== rb) return (ra - rb) * sign < 0;
        return this.idBefore(passing[a]!, passing[b]!, idRank);
      };
    }
    const top = topK(total, offset + query.pageSize, before);
    const ids = top.slice(offset).map((p) => this.ids[passing[p]!]!);
    return { ids, total, facets: this.facetLists(all) };
  }

  /**
   * The values a facet's filter selects. Each value is taken whole when the facet has it (a theme's name may
   * hold commas: "torture and other cruel, inhuman or degrading treatment"); otherwise it is read as the
   * older comma-separated form (`theme=a,b`, still found in shared links and saved views), its pieces
   * joined back wherever consecutive pieces make one value the facet has.
   */
  selectedValues(name: FacetName, values: readonly string[] | undefined): string[] {
    if (!values?.length) return [];
    const dict = this.columns[name].dict;
    const out: string[] = [];
    const add = (v: string) => {
      if (v && !out.includes(v)) out.push(v);
    };
    for (const raw of values) {
      const v = raw.trim();
      if (dict.lookup(v) !== undefined || !v.includes(',')) {
        add(v);
        continue;
      }
      const parts = v.split(',').slice(0, MAX_SELECTION_PIECES);
      for (let i = 0; i < parts.length; ) {
        let j = parts.length - 1;
        while (j > i && dict.lookup(parts.slice(i, j + 1).join(',').trim()) === undefined) j--;
        add(parts.slice(i, j + 1).join(',').trim());
        i = j + 1;
      }
    }
    return out;
  }

  /** Every facet's selected values as `selectedValues` reads them (facets without a filter left out). */
  selection(query: Partial<Record<FacetName, readonly string[] | undefined>>): Partial<Record<FacetName, string[]>> {
    const out: Partial<Record<FacetName, string[]>> = {};
    for (const name of FACETS) {
      const values = this.selectedValues(name, query[name]);
      if (values.length) out[name] = values;
    }
    return out;
  }

  /** A reusable array of at least n numbers (queries run one at a time: nothing awaits inside one). */
  private scratch(n: number): Int32Array {
    if (this.scratchList.length < n) this.scratchList = new Int32Array(Math.max(n, this.n));
    return this.scratchList;
  }

  /**
   * With no full-text query: the recommendations passing every filter (into `passing`, returned: how
   * many), found by walking the posting lists of the accepted values only. Rows failing exactly one filter
   * are counted in that facet; with a single filter, that facet's counts are the kept unfiltered ones
   * (`own`). Every recommendation missing at most one filter is in the lists of the two smallest filters.
   */
  private filterByPostings(filters: Filter[], passing: Int32Array, all: Int32Array): number {
    const postings = this.postings!;
    if (this.mark.length < this.n) this.mark = new Uint16Array(this.alive.length);
    const mark = this.mark;
    const VISITED = 1 << 15;
    const sizes = filters.map((f) => f.codes.reduce((a, c) => a + postings.lens[f.column.facet.base + c]!, 0));
    filters.forEach((f, bit) => {
      for (const c of f.codes) {
        const list = postings.lists[f.column.facet.base + c]!;
        const len = postings.lens[f.column.facet.base + c]!;
        for (let j = 0; j < len; j++) mark[list[j]!]! |= 1 << bit;
      }
    });
    const full = (1 << filters.length) - 1;
    let walk: number[];
    if (filters.length === 1) {
      filters[0]!.own = true;
      walk = [0];
    } else {
      const bySize = filters.map((_, k) => k).sort((a, b) => sizes[a]! - sizes[b]!);
      walk = [bySize[0]!, bySize[1]!];
    }
    let total = 0;
    for (const w of walk) {
      const f = filters[w]!;
      for (const c of f.codes) {
        const list = postings.lists[f.column.facet.base + c]!;
        const len = postings.lens[f.column.facet.base + c]!;
        for (let j = 0; j < len; j++) {
          const i = list[j]!;
          const m = mark[i]!;
          if (m & VISITED) continue;
          mark[i] = m | VISITED;
          const missing = full & ~m;
          if (missing === 0) passing[total++] = i;
          else if ((missing & (missing - 1)) === 0) filters[31 - Math.clz32(missing)]!.column.count(i, all);
        }
      }
    }
    for (const f of filters) {
      for (const c of f.codes) {
        const list = postings.lists[f.column.facet.base + c]!;
        const len = postings.lens[f.column.facet.base + c]!;
        for (let j = 0; j < len; j++) mark[list[j]!] = 0;
      }
    }
    return total;
  }

  /**
   * One facet filter and no text query, keeping more than half the register (say, a status most recommendations
   * still have): its own facet's counts are the kept unfiltered ones, every other facet's are the kept ones minus
   * those of the recommendations it leaves out (fewer than those it keeps), and the page is read off the kept sort
   * order, which reaches it after about (offset + size) ÷ the share kept. Null for a narrower filter, which the
   * posting lists answer by visiting only the rows it keeps.
   */
  private denseFilter(f: Filter, o: OrderIndex, offset: number, size: number): { ids: string[]; total: number; facets: Record<string, FacetCount[]> } | null {
    const { base, capacity } = f.column.facet;
    const lens = this.postings!.lens;
    // a multi-valued facet's lists may hold a recommendation twice: an upper bound, enough to choose the way
    let most = 0;
    for (const c of f.codes) most += lens[base + c]!;
    if (most * 2 <= this.live) return null;
    const { alive, codes, stride, n } = this;
    const all = this.allCounts.slice();
    let left = 0;
    for (let i = 0; i < n; i++) {
      if (!alive[i] || f.column.matches(i, f.accept)) continue;
      left++;
      for (let s = 0, b = i * stride; s < stride; s++) {
        const c = codes[b + s]!;
        if (c >= 0) all[c]!--;
      }
      const vs = this.multiValues(i);
      for (let j = this.multiFrom(i), to = this.multiTo(i); j < to; j++) all[vs[j]!]!--;
    }
    all.set(this.allCounts.subarray(base, base + capacity), base);
    const ids: string[] = [];
    for (let k = 0, skip = offset; k < o.length && ids.length < size; k++) {
      const i = o.list[k]!;
      if (!f.column.matches(i, f.accept)) continue;
      if (skip > 0) skip--;
      else ids.push(this.ids[i]!);
    }
    return { ids, total: this.live - left, facets: this.facetLists(all) };
  }

  /**
   * Passes 1 and 2 over prepared candidates (their values side by side, all live): the passing ones into
   * `passing` as recommendation numbers (returned: how many), with their scores; every facet counted.
   */
  private filterPrepared(p: PreparedCandidates, filters: Filter[], passing: Int32Array, passingScore: Float64Array | null, all: Int32Array): number {
    const { stride } = this;
    const { codes, from, multi, recs } = p;
    // per counter, the filters accepting it (one bit each): a candidate's bits are those of its values
    const bits = new Uint16Array(this.counters);
    for (const [f, filter] of filters.entries()) for (const c of filter.codes) bits[filter.column.facet.base + c]! |= 1 << f;
    const full = (1 << filters.length) - 1;
    const singleSlot = Int32Array.from(filters.filter((f) => f.column.facet.slot >= 0), (f) => f.column.facet.slot);
    const ns = singleSlot.length;
    const multiFilters = ns < filters.length;
    const slot = Int32Array.from(filters, (f) => f.column.facet.slot);
    const base = Int32Array.from(filters, (f) => f.column.facet.base);
    const end = Int32Array.from(filters, (f) => f.column.facet.base + f.column.facet.capacity);
    let total = 0;
    for (let k = 0, n = recs.length; k < n; k++) {
      const b = k * stride;
      const lo = from[k]!;
      const hi = from[k + 1]!;
      // the filters this candidate satisfies: single-valued ones by their slot, multi-valued ones by its list
      let held = 0;
      for (let t = 0; t < ns; t++) {
        const c = codes[b + singleSlot[t]!]!;
        if (c >= 0) held |= bits[c]!;
      }
      if (multiFilters) for (let j = lo; j < hi; j++) held |= bits[multi[j]!]!;
      const missing = full & ~held;
      if (missing === 0) {
        // counted in every facet
        for (let s = 0; s < stride; s++) {
          const c = codes[b + s]!;
          if (c >= 0) all[c]!++;
        }
        for (let j = lo; j < hi; j++) all[multi[j]!]!++;
        passing[total] = recs[k]!;
        if (passingScore) passingScore[total] = p.scores![k]!;
        total++;
      } else if ((missing & (missing - 1)) === 0) {
        // one filter missed: counted in that filter's facet alone
        const f = 31 - Math.clz32(missing);
        if (slot[f]! >= 0) {
          const c = codes[b + slot[f]!]!;
          if (c >= 0) all[c]!++;
          continue;
        }
        const from0 = base[f]!;
        const to0 = end[f]!;
        for (let j = lo; j < hi; j++) {
          const v = multi[j]!;
          if (v >= from0 && v < to0) all[v]!++;
        }
      }
    }
    return total;
  }

  /** Counts these recommendations in every facet. */
  private countRows(rows: Int32Array, count: number, all: Int32Array): void {
    const { stride, codes, over, offsets, values, compactN } = this;
    for (let k = 0; k < count; k++) {
      const i = rows[k]!;
      for (let s = 0, b = i * stride; s < stride; s++) {
        const c = codes[b + s]!;
        if (c >= 0) all[c]!++;
      }
      if (over[i]) {
        const own = this.extra.get(i) ?? EMPTY;
        for (let j = 0; j < own.length; j++) all[own[j]!]!++;
      } else if (i < compactN) {
        for (let j = offsets[i]!, to = offsets[i + 1]!; j < to; j++) all[values[j]!]!++;
      }
    }
  }

  /** The facet values of a recommendation as counter indexes, into `valueBuffer`; returns how many. */
  private valuesOf(i: number): number {
    const vs = this.multiValues(i);
    const from = this.multiFrom(i);
    const to = this.multiTo(i);
    if (this.valueBuffer.length < this.stride + to - from) this.valueBuffer = new Int32Array((this.stride + to - from) * 2);
    const buf = this.valueBuffer;
    let m = 0;
    for (let s = 0, b = i * this.stride; s < this.stride; s++) {
      const c = this.codes[b + s]!;
      if (c >= 0) buf[m++] = c;
    }
    for (let j = from; j < to; j++) buf[m++] = vs[j]!;
    return m;
  }

  private buildPostings(): void {
    const postings = new Postings();
    postings.build(this.counters, this.n, this.alive, (i) => this.valuesOf(i), () => this.valueBuffer);
    this.postings = postings;
  }

  private idBefore(a: number, b: number, idRank: Float64Array): boolean {
    const x = idRank[a]!;
    const y = idRank[b]!;
    // ranked once loaded; while loading (never queried then) fall back to the ids
    return x === x && y === y ? x < y : this.ids[a]! < this.ids[b]!;
  }

  /** The facet lists with no query and no filter: kept, each one made again after its counts or labels changed. */
  private unfilteredFacets(): Record<string, FacetCount[]> {
    if (!this.unfiltered) {
      this.dirtyFacets.clear();
      this.unfiltered = this.facetLists(this.allCounts);
    } else if (this.dirtyFacets.size) {
      // a new object: an answer already given keeps its lists
      const facets = { ...this.unfiltered };
      for (const name of this.dirtyFacets) facets[name] = this.facetList(name, this.allCounts);
      this.dirtyFacets.clear();
      this.unfiltered = facets;
    }
    return this.unfiltered;
  }

  /** The top values of every facet from a counter array. */
  private facetLists(all: Int32Array): Record<string, FacetCount[]> {
    const facets: Record<string, FacetCount[]> = {};
    for (const name of FACETS) facets[name] = this.facetList(name, all);
    return facets;
  }

  /** The top values of one facet from a counter array. */
  private facetList(name: FacetName, all: Int32Array): FacetCount[] {
    const column = this.columns[name];
    const dict = column.dict;
    const cs = all.subarray(column.facet.base, column.facet.base + dict.values.length);
    const found: number[] = [];
    for (let v = 0; v < cs.length; v++) if (cs[v]! > 0) found.push(v);
    const values = dict.values;
    const top = topK(found.length, FACET_LIMIT, (a, b) => {
      const x = found[a]!;
      const y = found[b]!;
      return cs[x]! > cs[y]! || (cs[x] === cs[y] && values[x]! < values[y]!);
    }).map((p) => found[p]!);
    return top.map((v) =>
      LABELLED.has(name)
        ? { value: dict.values[v]!, count: cs[v]!, label_ar: dict.labelAr[v] ?? null, label_en: dict.labelEn[v] ?? null }
        : { value: dict.values[v]!, count: cs[v]! },
    );
  }
}

/** Room for a dictionary of n values and some new ones. */
function room(n: number): number {
  return Math.max(16, Math.ceil(n * 1.25) + 16);
}

/** Positions 0..n-1 of the best k (by `before`), best first: a bounded heap, n log k. */
export function topK(n: number, k: number, before: (a: number, b: number) => boolean): number[] {
  if (k <= 0 || n === 0) return [];
  const heap: number[] = []; // the worst kept one at the root
  const down = (from: number) => {
    for (let p = from; ; ) {
      const l = 2 * p + 1;
      const r = l + 1;
      let w = p;
      if (l < heap.length && before(heap[w]!, heap[l]!)) w = l;
      if (r < heap.length && before(heap[w]!, heap[r]!)) w = r;
      if (w === p) return;
      [heap[p], heap[w]] = [heap[w]!, heap[p]!];
      p = w;
    }
  };
  for (let x = 0; x < n; x++) {
    if (heap.length < k) {
      heap.push(x);
      for (let c = heap.length - 1; c > 0; ) {
        const p = (c - 1) >> 1;
        if (!before(heap[p]!, heap[c]!)) break;
        [heap[p], heap[c]] = [heap[c]!, heap[p]!];
        c = p;
      }
    } else if (before(x, heap[0]!)) {
      heap[0] = x;
      down(0);
    }
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
}
