/**
 * The register in memory, for listing: per recommendation, the value of every facet, the sort keys and
 * the full-text row id, as typed arrays. One pass over the candidates (all recommendations, or the
 * full-text hits the engine returns in one aggregated string) filters, counts every facet (each one
 * ignoring its own selection) and picks the page; only that page's rows are then read from the database.
 *
 * Freshness: the snapshot is rebuilt on first use after any write to the tables it reads, by this
 * process (EngineDialect.changes) or by another one (EngineDialect.externalChanges).
 */
import { sql, type Kysely } from 'kysely';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import type { FacetName, ListQuery } from './recommendations.schema.ts';

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

/** A facet with at most one value per recommendation (-1: none). */
class SingleColumn {
  constructor(
    readonly dict: Dictionary,
    readonly codes: Int32Array,
  ) {}
  matches(i: number, accept: Uint8Array): boolean {
    const c = this.codes[i]!;
    return c >= 0 && accept[c] === 1;
  }
  count(i: number, counts: Int32Array): void {
    const c = this.codes[i]!;
    if (c >= 0) counts[c]!++;
  }
}

/** A facet with any number of values per recommendation: values[offsets[i] .. offsets[i+1]). */
class MultiColumn {
  constructor(
    readonly dict: Dictionary,
    readonly offsets: Int32Array,
    readonly values: Int32Array,
  ) {}
  matches(i: number, accept: Uint8Array): boolean {
    for (let j = this.offsets[i]!, end = this.offsets[i + 1]!; j < end; j++) if (accept[this.values[j]!] === 1) return true;
    return false;
  }
  count(i: number, counts: Int32Array): void {
    for (let j = this.offsets[i]!, end = this.offsets[i + 1]!; j < end; j++) counts[this.values[j]!]!++;
  }
  /** From distinct (recommendation, value) pairs. */
  static from(n: number, dict: Dictionary, { rec, code }: { rec: number[]; code: number[] }): MultiColumn {
    const offsets = new Int32Array(n + 1);
    for (const r of rec) offsets[r + 1]!++;
    for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
    const fill = offsets.slice(0, n);
    const values = new Int32Array(rec.length);
    for (let k = 0; k < rec.length; k++) values[fill[rec[k]!]!++] = code[k]!;
    return new MultiColumn(dict, offsets, values);
  }
}

type Column = SingleColumn | MultiColumn;

/** One sort key: rank of each recommendation's value (equal values share a rank; -1 for none). */
function rankValues(values: (string | null)[]): Int32Array {
  const order = values.map((_, i) => i).filter((i) => values[i] !== null);
  order.sort((a, b) => (values[a]! < values[b]! ? -1 : values[a]! > values[b]! ? 1 : 0));
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
    /** recommendation ids in code-unit order; a recommendation's position here is its number */
    readonly ids: string[],
    /** full-text row id → recommendation number (-1: none) */
    readonly rowidToRec: Int32Array,
    readonly columns: Record<FacetName, Column>,
    private readonly sortValues: Record<SortKey, (string | null)[]>,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  private rank(key: SortKey): Int32Array {
    let r = this.ranks.get(key);
    if (!r) this.ranks.set(key, (r = rankValues(this.sortValues[key])));
    return r;
  }

  /**
   * Filters the candidates (every recommendation, or the full-text hits with their scores), counts the
   * facets and returns the ids of the requested page. Ties are broken by recommendation id.
   */
  query(
    query: ListQuery,
    names: readonly FacetName[],
    order: { by: 'relevance' } | { by: SortKey; direction: 'asc' | 'desc' },
    hits: { recs: Int32Array; scores: Float64Array | null } | null,
  ): { ids: string[]; total: number; facets: Record<string, FacetCount[]> } {
    const filters: { column: Column; accept: Uint8Array; facet: number }[] = [];
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
    const counts = counted.map((c) => new Int32Array(c.dict.values.length));
    const n = hits ? hits.recs.length : this.size;
    const passing = new Int32Array(n);
    const passingScore = hits?.scores ? new Float64Array(n) : null;
    let total = 0;
    for (let k = 0; k < n; k++) {
      const i = hits ? hits.recs[k]! : k;
      let fails = 0;
      let failed = -1;
      for (const f of filters) {
        if (!f.column.matches(i, f.accept)) {
          failed = f.facet;
          if (++fails > 1) break;
        }
      }
      if (fails === 0) {
        passing[total] = i;
        if (passingScore) passingScore[total] = hits!.scores![k]!;
        total++;
        for (let c = 0; c < counted.length; c++) counted[c]!.count(i, counts[c]!);
      } else if (fails === 1) {
        counted[failed]!.count(i, counts[failed]!);
      }
    }

    let before: (a: number, b: number) => boolean;
    if (order.by === 'relevance' && passingScore) {
      before = (a, b) => passingScore[a]! > passingScore[b]! || (passingScore[a] === passingScore[b] && passing[a]! < passing[b]!);
    } else {
      const rank = this.rank(order.by === 'relevance' ? 'date' : order.by);
      const sign = order.by !== 'relevance' && order.direction === 'asc' ? 1 : -1;
      before = (a, b) => {
        const ra = rank[passing[a]!]!;
        const rb = rank[passing[b]!]!;
        if (ra !== rb) return ra === -1 ? false : rb === -1 ? true : (ra - rb) * sign < 0;
        return passing[a]! < passing[b]!;
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
      found.sort((a, b) => cs[b]! - cs[a]! || dict.values[a]!.localeCompare(dict.values[b]!));
      facets[name] = found.slice(0, FACET_LIMIT).map((v) =>
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

/** A single-valued column from one value (or null) per recommendation. */
function singleColumn(values: (string | null)[], labels?: Labels): SingleColumn {
  const dict = new Dictionary();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    codes[i] = v === null ? -1 : dict.code(v, labels?.get(v)?.ar ?? null, labels?.get(v)?.en ?? null);
  }
  return new SingleColumn(dict, codes);
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

  // Recommendations numbered in id order (the default sort compares code units, like `<`).
  const C = REC_COLUMNS.length;
  const docs = new Map(documents.map((d) => [d.id, d]));
  const rawRow = new Map<string, number>();
  for (let r = 0; r * C < recFields.length; r++) if (docs.has(recFields[r * C + 1]!)) rawRow.set(recFields[r * C]!, r * C);
  const ids = [...rawRow.keys()].sort();
  const n = ids.length;
  const recOf = new Map<string, number>();
  const at = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    recOf.set(ids[i]!, i);
    at[i] = rawRow.get(ids[i]!)!;
  }
  const field = (name: string) => {
    const k = REC_COLUMNS.indexOf(name);
    return Array.from(at, (p) => recFields[p + k]! || null);
  };
  const docOf = Array.from(at, (p) => docs.get(recFields[p + 1]!)!);

  let maxRowid = 0;
  for (let k = 1; k < searchFields.length; k += 2) maxRowid = Math.max(maxRowid, Number(searchFields[k]));
  const rowidToRec = new Int32Array(maxRowid + 1).fill(-1);
  for (let k = 0; k < searchFields.length; k += 2) {
    const rec = recOf.get(searchFields[k]!);
    if (rec !== undefined) rowidToRec[Number(searchFields[k + 1])] = rec;
  }

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
  const columns: Record<FacetName, Column> = {
    mechanism: singleColumn(docOf.map((d) => d.mechanism)),
    body: singleColumn(docOf.map((d) => d.body)),
    document: singleColumn(docOf.map((d) => d.symbol)),
    cycle: singleColumn(docOf.map((d) => (d.upr_cycle === null ? null : String(d.upr_cycle)))),
    position: singleColumn(field('position')),
    kind: singleColumn(field('kind')),
    status: singleColumn(status),
    year: singleColumn(docOf.map((d) => (d.date ? d.date.slice(0, 4) : null))),
    cluster: singleColumn(clusterOf, new Map(clusters.map((c) => [c.id, { ar: c.title_ar, en: c.title_en }]))),
    theme: MultiColumn.from(n, termDicts[0]!, termPairs[0]!),
    affected: MultiColumn.from(n, termDicts[1]!, termPairs[1]!),
    sdg: MultiColumn.from(n, termDicts[2]!, termPairs[2]!),
    entity: MultiColumn.from(n, entityDict, entityPairs),
  };
  return new RegisterSnapshot(ids, rowidToRec, columns, {
    date: docOf.map((d) => d.date),
    paragraph: field('paragraph'),
    updated: field('updated_at'),
    status,
  });
}

/** The current snapshot of one database, rebuilt on first use after a change. */
export class RegisterIndex {
  private snapshot: { stamp: string; value: Promise<RegisterSnapshot> } | null = null;
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: EngineDialect,
  ) {}

  async current(): Promise<RegisterSnapshot> {
    // Taken before reading, so that a write made while building makes the next call rebuild.
    const stamp = `${this.dialect.changes.stamp(WATCHED)}/${await this.dialect.externalChanges(this.db)}`;
    if (this.snapshot?.stamp !== stamp) {
      const value = buildSnapshot(this.db);
      this.snapshot = { stamp, value };
      value.catch(() => {
        if (this.snapshot?.value === value) this.snapshot = null;
      });
    }
    return this.snapshot.value;
  }
}

const indexes = new WeakMap<EngineDialect, RegisterIndex>();
/** The index of the database behind this dialect (one per database handle). */
export function registerIndex(db: Kysely<DB>, dialect: EngineDialect): RegisterIndex {
  let index = indexes.get(dialect);
  if (!index) indexes.set(dialect, (index = new RegisterIndex(db, dialect)));
  return index;
}

/** Parses SearchDialect.hitList output into recommendation numbers (and scores) of this snapshot. */
export function parseHitList(list: string, snapshot: RegisterSnapshot, ranked: boolean): { recs: Int32Array; scores: Float64Array | null } {
  const recs = new Int32Array((list.length >> 1) + 1);
  const scores = ranked ? new Float64Array((list.length >> 1) + 1) : null;
  let n = 0;
  let num = 0;
  let neg = false;
  let field = 0;
  let rec = -1;
  const end = (value: number) => {
    if (field === 0) {
      rec = value < snapshot.rowidToRec.length ? snapshot.rowidToRec[value]! : -1;
      if (!ranked && rec >= 0) recs[n++] = rec;
    } else if (rec >= 0) {
      recs[n] = rec;
      scores![n++] = value;
    }
    field = ranked ? 1 - field : 0;
  };
  for (let k = 0; k <= list.length; k++) {
    const ch = k < list.length ? list.charCodeAt(k) : 32;
    if (ch === 32) {
      if (k > 0) end(neg ? -num : num);
      num = 0;
      neg = false;
    } else if (ch === 45) neg = true;
    else num = num * 10 + (ch - 48);
  }
  return { recs: recs.subarray(0, n), scores: scores ? scores.subarray(0, n) : null };
}
