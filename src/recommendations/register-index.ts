/**
 * The register in memory, for listing: per recommendation, the value of every facet, the sort keys and
 * the full-text row id, as typed arrays. One pass over the candidates (all recommendations, or the
 * full-text hits the engine returns in one round trip) filters, counts every facet (each one
 * ignoring its own selection) and picks the page; only that page's rows are then read from the database.
 *
 * Freshness: the snapshot is rebuilt on first use after any write to the tables it reads, by this
 * process (EngineDialect.changes) or by another one (EngineDialect.externalChanges).
 */
import { sql, type Kysely } from 'kysely';
import { StampedValue } from '../db/changes.ts';
import { compareNatural } from '../shared/natural-sort.ts';
import type { HitList } from '../db/dialect/hit-list.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import { FACETS, type FacetName, type ListQuery } from './recommendations.schema.ts';

const WATCHED = ['recommendations', 'recommendation_terms', 'recommendation_search', 'terms', 'documents', 'bodies', 'mechanisms', 'assignments', 'clusters', 'entities'];
const FACET_LIMIT = 50;
const TERM_FACETS = { theme: ['theme'], affected: ['affected_person'], sdg: ['sdg_goal', 'sdg_target'] } as const;
const LABELLED = new Set<FacetName>(['cluster', 'theme', 'affected', 'sdg', 'entity']);
export type SortKey = 'date' | 'paragraph' | 'updated' | 'status';

export interface FacetCount {
  value: string;
  count: number;
  label_ar?: string | null;
  label_en?: string | null;
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
}

/**
 * Facet values, laid out so that counting touches few cache lines per recommendation: the single-valued
 * facets row by row (`codes[i * stride + slot]`, -1 for none), the multi-valued ones in one list per
 * recommendation (`values[offsets[i] .. offsets[i + 1])`). Each stored value is the index of its counter
 * in one array of all facets' counters: a facet's value v is stored as `base + v`.
 */
interface Layout {
  stride: number;
  codes: Int32Array;
  offsets: Int32Array;
  values: Int32Array;
  /** counters of all facets together */
  size: number;
}

/** A facet with at most one value per recommendation. */
class SingleColumn {
  constructor(
    readonly dict: Dictionary,
    private readonly layout: Layout,
    readonly slot: number,
    readonly base: number,
  ) {}
  matches(i: number, accept: Uint8Array): boolean {
    const c = this.layout.codes[i * this.layout.stride + this.slot]!;
    return c >= 0 && accept[c - this.base] === 1;
  }
  count(i: number, counts: Int32Array): void {
    const c = this.layout.codes[i * this.layout.stride + this.slot]!;
    if (c >= 0) counts[c]!++;
  }
}

/** A facet with any number of values per recommendation. */
class MultiColumn {
  constructor(
    readonly dict: Dictionary,
    private readonly layout: Layout,
    readonly base: number,
  ) {}
  matches(i: number, accept: Uint8Array): boolean {
    const { offsets, values } = this.layout;
    const end = this.base + this.dict.values.length;
    for (let j = offsets[i]!, stop = offsets[i + 1]!; j < stop; j++) {
      const v = values[j]!;
      if (v >= this.base && v < end && accept[v - this.base] === 1) return true;
    }
    return false;
  }
  count(i: number, counts: Int32Array): void {
    const { offsets, values } = this.layout;
    const end = this.base + this.dict.values.length;
    for (let j = offsets[i]!, stop = offsets[i + 1]!; j < stop; j++) {
      const v = values[j]!;
      if (v >= this.base && v < end) counts[v]!++;
    }
  }
}

type Column = SingleColumn | MultiColumn;

/** One sort key: rank of each recommendation's value (equal values share a rank; -1 for none). */
function rankValues(values: (string | null)[], natural = false): Int32Array {
  const order = values.map((_, i) => i).filter((i) => values[i] !== null);
  if (natural) order.sort((a, b) => compareNatural(values[a], values[b]));
  else order.sort((a, b) => (values[a]! < values[b]! ? -1 : values[a]! > values[b]! ? 1 : 0));
  const rank = new Int32Array(values.length).fill(-1);
  let r = 0;
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && values[order[k]!] !== values[order[k - 1]!]) r++;
    rank[order[k]!] = r;
  }
  return rank;
}

export class RegisterSnapshot {
  private readonly ranks = new Map<SortKey, Int32Array>();
  constructor(
    /** recommendation ids; a recommendation's position here is its number */
    readonly ids: string[],
    /** each recommendation's place in id order (code units), for ties */
    private readonly idRank: Int32Array,
    /** full-text row id → recommendation number (-1: none) */
    readonly rowidToRec: Int32Array,
    readonly columns: Record<FacetName, Column>,
    private readonly layout: Layout,
    private readonly sortValues: Record<SortKey, (string | null)[]>,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  private rank(key: SortKey): Int32Array {
    let r = this.ranks.get(key);
    if (!r) this.ranks.set(key, (r = rankValues(this.sortValues[key], key === 'paragraph')));
    return r;
  }

  /**
   * Filters the candidates (every recommendation, or the full-text hits with their scores), counts the
   * facets and returns the ids of the requested page. Ties are broken by recommendation id.
   */
  query(
    query: ListQuery,
    order: { by: 'relevance' } | { by: SortKey; direction: 'asc' | 'desc' },
    hits: { recs: Int32Array; scores: Float64Array | null } | null,
  ): { ids: string[]; total: number; facets: Record<string, FacetCount[]> } {
    const filters: { column: Column; accept: Uint8Array; facet: number }[] = [];
    const names = FACETS;
    const counted = names.map((name) => this.columns[name]);
    for (const [facet, name] of names.entries()) {
      const values = query[name];
      if (!values?.length) continue;
      const column = this.columns[name];
      const accept = new Uint8Array(column.dict.values.length);
      for (const v of values) {
        const c = column.dict.lookup(v);
        if (c !== undefined) accept[c] = 1;
      }
      filters.push({ column, accept, facet });
    }
    // Pass 1: the recommendations passing every filter, and per facet those failing only that facet's
    // own filter (they count in that facet alone).
    const n = hits ? hits.recs.length : this.size;
    const passing = new Int32Array(n);
    const passingScore = hits?.scores ? new Float64Array(n) : null;
    const failedOnly: number[][] = names.map(() => []);
    let total = 0;
    for (let k = 0; k < n; k++) {
      const i = hits ? hits.recs[k]! : k;
      let fails = 0;
      let failed = -1;
      for (let f = 0; f < filters.length; f++) {
        if (!filters[f]!.column.matches(i, filters[f]!.accept)) {
          failed = filters[f]!.facet;
          if (++fails > 1) break;
        }
      }
      if (fails === 0) {
        passing[total] = i;
        if (passingScore) passingScore[total] = hits!.scores![k]!;
        total++;
      } else if (fails === 1) failedOnly[failed]!.push(i);
    }
    // Pass 2: counts. Passing recommendations count in every facet, read row by row; the others in
    // the one facet whose filter they fail.
    const { stride, codes, offsets, values, size } = this.layout;
    const all = new Int32Array(size);
    for (let k = 0; k < total; k++) {
      const i = passing[k]!;
      for (let s = 0, b = i * stride; s < stride; s++) {
        const c = codes[b + s]!;
        if (c >= 0) all[c]!++;
      }
      for (let j = offsets[i]!, end = offsets[i + 1]!; j < end; j++) all[values[j]!]!++;
    }
    for (const [c, rows] of failedOnly.entries()) for (const i of rows) counted[c]!.count(i, all);
    const counts = counted.map((column) => all.subarray(column.base, column.base + column.dict.values.length));

    const idRank = this.idRank;
    let before: (a: number, b: number) => boolean;
    if (order.by === 'relevance') {
      const score = passingScore ?? new Float64Array(total); // no scores: id order
      before = (a, b) => score[a]! > score[b]! || (score[a] === score[b] && idRank[passing[a]!]! < idRank[passing[b]!]!);
    } else {
      const rank = this.rank(order.by);
      const sign = order.direction === 'asc' ? 1 : -1;
      before = (a, b) => {
        const ra = rank[passing[a]!]!;
        const rb = rank[passing[b]!]!;
        if (ra !== rb) return ra === -1 ? false : rb === -1 ? true : (ra - rb) * sign < 0;
        return idRank[passing[a]!]! < idRank[passing[b]!]!;
      };
    }
    const offset = (query.page - 1) * query.pageSize;
    const top = topK(total, offset + query.pageSize, before);
    const ids = top.slice(offset).map((p) => this.ids[passing[p]!]!);

    const facets: Record<string, FacetCount[]> = {};
    for (const [c, name] of names.entries()) {
      const dict = counted[c]!.dict;
      const cs = counts[c]!;
      const found: number[] = [];
      for (let v = 0; v < cs.length; v++) if (cs[v]! > 0) found.push(v);
      const values = dict.values;
      const top = topK(found.length, FACET_LIMIT, (a, b) => {
        const x = found[a]!;
        const y = found[b]!;
        return cs[x]! > cs[y]! || (cs[x] === cs[y] && values[x]! < values[y]!);
      }).map((p) => found[p]!);
      facets[name] = top.map((v) =>
        LABELLED.has(name)
          ? { value: dict.values[v]!, count: cs[v]!, label_ar: dict.labelAr[v] ?? null, label_en: dict.labelEn[v] ?? null }
          : { value: dict.values[v]!, count: cs[v]! },
      );
    }
    return { ids, total, facets };
  }
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

const SEP = '\x1f';

/**
 * The rows of a table aggregated by the engine into one string (string_agg exists in both engines) and
 * split into one flat list of fields, row after row: one JS string per field instead of one JS object
 * per row, several times faster for the hundreds of thousands of rows of a large register. Missing
 * values come back as ''.
 */
async function fieldsOf(db: Kysely<DB>, table: string, columns: string[]): Promise<string[]> {
  const fields = sql.join(
    columns.map((c) => sql`replace(coalesce(cast(${sql.ref(c)} as text), ''), ${SEP}, ' ')`),
    sql` || ${SEP} || `,
  );
  const { rows } = await sql<{ list: string | null }>`select string_agg(${fields}, ${SEP}) as list from ${sql.table(table)}`.execute(db);
  const list = rows[0]?.list;
  return list ? list.split(SEP) : [];
}

type Labels = Map<string, { ar: string | null; en: string | null }>;

const SINGLE_FACETS = ['mechanism', 'body', 'document', 'cycle', 'position', 'kind', 'status', 'year', 'cluster'] as const;
const MULTI_FACETS = ['theme', 'affected', 'sdg', 'entity'] as const;
type Pairs = { rec: number[]; code: number[] };

/** Lays the facet values out (see Layout) and wraps each facet in its column. */
function layOut(
  n: number,
  single: Record<(typeof SINGLE_FACETS)[number], { values: (string | null)[]; labels?: Labels }>,
  multi: Record<(typeof MULTI_FACETS)[number], { dict: Dictionary; pairs: Pairs }>,
): { layout: Layout; columns: Record<FacetName, Column> } {
  const stride = SINGLE_FACETS.length;
  const codes = new Int32Array(n * stride);
  const rowLength = new Int32Array(n);
  for (const { pairs } of Object.values(multi)) for (const r of pairs.rec) rowLength[r]!++;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + rowLength[i]!;
  const values = new Int32Array(offsets[n]!);
  const layout: Layout = { stride, codes, offsets, values, size: 0 };
  const columns = {} as Record<FacetName, Column>;
  for (const [slot, name] of SINGLE_FACETS.entries()) {
    const { values: vs, labels } = single[name];
    const dict = new Dictionary();
    const local = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = vs[i]!;
      local[i] = v === null ? -1 : dict.code(v, labels?.get(v)?.ar ?? null, labels?.get(v)?.en ?? null);
    }
    const base = layout.size;
    for (let i = 0; i < n; i++) codes[i * stride + slot] = local[i]! < 0 ? -1 : base + local[i]!;
    layout.size += dict.values.length;
    columns[name] = new SingleColumn(dict, layout, slot, base);
  }
  const fill = offsets.slice(0, n);
  for (const name of MULTI_FACETS) {
    const { dict, pairs } = multi[name];
    const base = layout.size;
    for (let k = 0; k < pairs.rec.length; k++) values[fill[pairs.rec[k]!]!++] = base + pairs.code[k]!;
    layout.size += dict.values.length;
    columns[name] = new MultiColumn(dict, layout, base);
  }
  return { layout, columns };
}

const REC_COLUMNS = ['id', 'document_id', 'position', 'kind', 'status', 'cluster_id', 'updated_at', 'paragraph'];

/** Reads the register into a snapshot. */
export async function buildSnapshot(db: Kysely<DB>): Promise<RegisterSnapshot> {
  const [recFields, searchFields, linkFields, documents, clusters, terms, assignments, entities] = await Promise.all([
    fieldsOf(db, 'recommendations', REC_COLUMNS),
    fieldsOf(db, 'recommendation_search', ['recommendation_id', 'search_rowid']),
    fieldsOf(db, 'recommendation_terms', ['recommendation_id', 'term_id']),
    db
      .selectFrom('documents as d')
      .innerJoin('bodies as b', 'b.id', 'd.body_id')
      .innerJoin('mechanisms as m', 'm.id', 'b.mechanism_id')
      .select(['d.id', 'm.code as mechanism', 'b.code as body', 'd.symbol', 'd.upr_cycle', 'd.date'])
      .execute(),
    db.selectFrom('clusters').select(['id', 'title_ar', 'title_en']).execute(),
    db.selectFrom('terms').select(['id', 'kind', 'code', 'label_ar', 'label_en']).execute(),
    db.selectFrom('assignments').select(['recommendation_id', 'cluster_id', 'entity_id']).execute(),
    db.selectFrom('entities').select(['id', 'name_ar', 'name_en']).execute(),
  ]);

  // Recommendations are numbered in full-text row id order, so that the hits (which the engines list in
  // about that order) are read from memory in sequence; those not indexed come last. `idRank` orders
  // them by id (code units, like `<`), for ties.
  const C = REC_COLUMNS.length;
  const docs = new Map(documents.map((d) => [d.id, d]));
  const rawRow = new Map<string, number>();
  for (let r = 0; r * C < recFields.length; r++) if (docs.has(recFields[r * C + 1]!)) rawRow.set(recFields[r * C]!, r * C);
  const indexed: { id: string; rowid: number }[] = [];
  for (let k = 0; k < searchFields.length; k += 2) if (rawRow.has(searchFields[k]!)) indexed.push({ id: searchFields[k]!, rowid: Number(searchFields[k + 1]) });
  indexed.sort((a, b) => a.rowid - b.rowid);
  const recOf = new Map<string, number>();
  const ids: string[] = [];
  for (const { id } of indexed) recOf.set(id, ids.push(id) - 1);
  for (const id of rawRow.keys()) if (!recOf.has(id)) recOf.set(id, ids.push(id) - 1);
  const n = ids.length;
  const idRank = new Int32Array(n);
  for (const [r, id] of [...ids].sort().entries()) idRank[recOf.get(id)!] = r;
  const rowidToRec = new Int32Array((indexed.at(-1)?.rowid ?? 0) + 1).fill(-1);
  for (const { id, rowid } of indexed) rowidToRec[rowid] = recOf.get(id)!;

  const at = Int32Array.from(ids, (id) => rawRow.get(id)!);
  const field = (name: string) => {
    const k = REC_COLUMNS.indexOf(name);
    return Array.from(at, (p) => recFields[p + k]! || null);
  };
  const docOf = Array.from(at, (p) => docs.get(recFields[p + 1]!)!);

  // Taxonomy terms: one pass over the links, each term belonging to at most one facet.
  const termFacets = Object.keys(TERM_FACETS) as (keyof typeof TERM_FACETS)[];
  const termDicts = termFacets.map(() => new Dictionary());
  const termPairs = termFacets.map(() => ({ rec: [] as number[], code: [] as number[] }));
  const termOf = new Map<string, { facet: number; code: number }>();
  for (const t of terms) {
    const facet = termFacets.findIndex((f) => (TERM_FACETS[f] as readonly string[]).includes(t.kind));
    if (facet >= 0) termOf.set(t.id, { facet, code: termDicts[facet]!.code(t.code, t.label_ar, t.label_en) });
  }
  for (let k = 0; k < linkFields.length; k += 2) {
    const term = termOf.get(linkFields[k + 1]!);
    const rec = term && recOf.get(linkFields[k]!);
    if (!term || rec === undefined) continue;
    termPairs[term.facet]!.rec.push(rec);
    termPairs[term.facet]!.code.push(term.code);
  }

  // Entities: assigned directly, or through the recommendation's cluster; each counted once.
  const clusterOf = field('cluster_id');
  const entityDict = new Dictionary();
  const entityById = new Map(entities.map((e) => [e.id, e]));
  const entitiesOf = new Map<number, Set<number>>();
  const byCluster = new Map<string, Set<number>>();
  const add = <K>(map: Map<K, Set<number>>, key: K, code: number) => map.set(key, (map.get(key) ?? new Set()).add(code));
  for (const a of assignments) {
    const e = entityById.get(a.entity_id);
    const code = entityDict.code(a.entity_id, e?.name_ar ?? null, e?.name_en ?? null);
    const rec = a.recommendation_id ? recOf.get(a.recommendation_id) : undefined;
    if (rec !== undefined) add(entitiesOf, rec, code);
    if (a.cluster_id) add(byCluster, a.cluster_id, code);
  }
  for (let i = 0; i < n; i++) {
    const cluster = clusterOf[i];
    for (const code of (cluster && byCluster.get(cluster)) || []) add(entitiesOf, i, code);
  }
  const entityPairs = { rec: [] as number[], code: [] as number[] };
  for (const [rec, codes] of entitiesOf) {
    for (const code of codes) {
      entityPairs.rec.push(rec);
      entityPairs.code.push(code);
    }
  }

  const status = field('status');
  const { layout, columns } = layOut(
    n,
    {
      mechanism: { values: docOf.map((d) => d.mechanism) },
      body: { values: docOf.map((d) => d.body) },
      document: { values: docOf.map((d) => d.symbol) },
      cycle: { values: docOf.map((d) => (d.upr_cycle === null ? null : String(d.upr_cycle))) },
      position: { values: field('position') },
      kind: { values: field('kind') },
      status: { values: status },
      year: { values: docOf.map((d) => (d.date ? d.date.slice(0, 4) : null)) },
      cluster: { values: clusterOf, labels: new Map(clusters.map((c) => [c.id, { ar: c.title_ar, en: c.title_en }])) },
    },
    {
      theme: { dict: termDicts[0]!, pairs: termPairs[0]! },
      affected: { dict: termDicts[1]!, pairs: termPairs[1]! },
      sdg: { dict: termDicts[2]!, pairs: termPairs[2]! },
      entity: { dict: entityDict, pairs: entityPairs },
    },
  );
  return new RegisterSnapshot(ids, idRank, rowidToRec, columns, layout, {
    date: docOf.map((d) => d.date),
    paragraph: field('paragraph'),
    updated: field('updated_at'),
    status,
  });
}

/** The current snapshot of one database, rebuilt on first use after a change. */
export class RegisterIndex {
  private readonly snapshot = new StampedValue<RegisterSnapshot>();
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: EngineDialect,
  ) {}

  async current(): Promise<RegisterSnapshot> {
    // Taken before reading, so that a write made while building makes the next call rebuild.
    const stamp = `${this.dialect.changes.stamp(WATCHED)}/${await this.dialect.externalChanges(this.db)}`;
    return this.snapshot.get(stamp, () => buildSnapshot(this.db));
  }
}

const indexes = new WeakMap<EngineDialect, RegisterIndex>();
/** The index of the database behind this dialect (one per database handle). */
export function registerIndex(db: Kysely<DB>, dialect: EngineDialect): RegisterIndex {
  let index = indexes.get(dialect);
  if (!index) indexes.set(dialect, (index = new RegisterIndex(db, dialect)));
  return index;
}

/** Full-text hits (row ids) as recommendation numbers of a snapshot, with their scores; unknown row ids are dropped. */
export function hitsOf(hits: HitList, rowidToRec: Int32Array): { recs: Int32Array; scores: Float64Array | null } {
  const recs = new Int32Array(hits.rowids.length);
  const scores = hits.scores ? new Float64Array(hits.rowids.length) : null;
  let n = 0;
  for (let k = 0; k < hits.rowids.length; k++) {
    const rowid = hits.rowids[k]!;
    const rec = rowid < rowidToRec.length ? rowidToRec[rowid]! : -1;
    if (rec < 0) continue;
    if (scores) scores[n] = hits.scores![k]!;
    recs[n++] = rec;
  }
  return { recs: recs.subarray(0, n), scores: scores ? scores.subarray(0, n) : null };
}
