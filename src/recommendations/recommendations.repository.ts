import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB, TermKind } from '../db/schema.ts';
import type { TextSearch } from '../search/index.ts';
import type { FacetName, ListQuery } from './recommendations.schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

const TERM_FACETS: Partial<Record<FacetName, TermKind[]>> = {
  theme: ['theme'],
  affected: ['affected_person'],
  sdg: ['sdg_goal', 'sdg_target'],
};

/** Base query: recommendations joined with their document, body and mechanism. */
function base(db: Q) {
  return db
    .selectFrom('recommendations as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .innerJoin('bodies as b', 'b.id', 'd.body_id')
    .innerJoin('mechanisms as m', 'm.id', 'b.mechanism_id');
}
type Base = ReturnType<typeof base>;

/** Facet value expression for the plain (non-term) facets. */
function facetColumn(name: FacetName) {
  switch (name) {
    case 'mechanism':
      return sql<string>`m.code`;
    case 'body':
      return sql<string>`b.code`;
    case 'document':
      return sql<string>`d.symbol`;
    case 'cycle':
      return sql<string>`cast(d.upr_cycle as text)`;
    case 'position':
      return sql<string>`r.position`;
    case 'kind':
      return sql<string>`r.kind`;
    case 'status':
      return sql<string>`r.status`;
    case 'year':
      return sql<string>`substr(d.date, 1, 4)`;
    case 'cluster':
      return sql<string>`r.cluster_id`;
    default:
      return null;
  }
}

/** Facets with few distinct values (per body, cycle, year…): counted together in one grouped query. */
const GROUPED_FACETS: FacetName[] = ['mechanism', 'body', 'cycle', 'position', 'kind', 'status', 'year'];

/** Assignments of a recommendation: directly, or through its cluster. */
function assignedTo(eb: ExpressionBuilder<any, any>, entityIds?: string[]) {
  let q = eb
    .selectFrom('assignments as a')
    .where((w: ExpressionBuilder<any, any>) =>
      w.or([w('a.recommendation_id', '=', w.ref('r.id')), w.and([w('a.cluster_id', 'is not', null), w('a.cluster_id', '=', w.ref('r.cluster_id'))])]),
    );
  if (entityIds) q = q.where('a.entity_id', 'in', entityIds);
  return q.select(sql`1`.as('one'));
}

function applyFilters(q: Base, query: ListQuery, skip?: FacetName, text?: TextSearch | null): Base {
  let out = q;
  // Full-text condition (FTS5 / tsvector through the engine dialect); a query with nothing
  // searchable in it arrives here as null and does not filter.
  if (text) out = out.where(sql<SqlBool>`r.id in (select h.recommendation_id from ${text.hits} as h)`);
  for (const name of Object.keys(query) as (keyof ListQuery)[]) {
    const values = query[name];
    if (!Array.isArray(values) || values.length === 0 || name === skip) continue;
    const facet = name as FacetName;
    const col = facetColumn(facet);
    if (col) {
      out = out.where(col as Expression<string>, 'in', values);
      continue;
    }
    if (facet === 'entity') {
      out = out.where((eb) => eb.exists(assignedTo(eb, values)));
      continue;
    }
    const kinds = TERM_FACETS[facet];
    if (kinds) {
      out = out.where((eb) =>
        eb.exists(
          eb
            .selectFrom('recommendation_terms as rt')
            .innerJoin('terms as t', 't.id', 'rt.term_id')
            .whereRef('rt.recommendation_id', '=', 'r.id')
            .where('t.kind', 'in', kinds)
            .where('t.code', 'in', values)
            .select(sql`1`.as('one')),
        ),
      );
    }
  }
  return out;
}

function selectItems(q: Base) {
  return q
    .select([
      'r.id',
      'r.paragraph',
      'r.text_ar',
      'r.text_en',
      'r.text_fr',
      'r.kind',
      'r.position',
      'r.status',
      'r.recommending_states',
      'r.version',
      'r.updated_at',
      'd.symbol as document_symbol',
      'd.date as document_date',
      'd.upr_cycle',
      'b.code as body_code',
      'm.code as mechanism_code',
      'r.cluster_id',
    ]);
}

export async function listRecommendations(db: Q, query: ListQuery, text?: TextSearch | null) {
  const filtered = applyFilters(base(db), query, undefined, text);
  const sort = query.sort ?? (text ? 'relevance' : 'date');
  const orderCol =
    sort === 'paragraph' ? 'r.paragraph' : sort === 'updated' ? 'r.updated_at' : sort === 'status' ? 'r.status' : 'd.date';
  // Relevance: rank the hits that pass every filter, driven from the full-text side (joining the
  // hits table expression to recommendations makes SQLite rescan it per row), then load that page.
  if (sort === 'relevance' && text) {
    const ranked = await db
      .selectFrom(text.hits.as('h'))
      .select(['h.recommendation_id'])
      .where('h.recommendation_id', 'in', filtered.select('r.id'))
      .orderBy(sql`h.score`, 'desc')
      .orderBy('h.recommendation_id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute();
    const ids = ranked.map((x) => x.recommendation_id);
    const rows = ids.length ? await selectItems(base(db).where('r.id', 'in', ids)).execute() : [];
    const byId = new Map(rows.map((x) => [x.id, x]));
    const totalRow = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return {
      items: ids.map((id) => byId.get(id)!).filter(Boolean).map((i) => ({ ...i, recommending_states: JSON.parse(i.recommending_states) as string[] })),
      total: Number(totalRow.n),
    };
  }
  const ordered = filtered.orderBy(orderCol, query.order);
  const items = await selectItems(ordered)
    .orderBy('r.id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const totalRow = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return {
    items: items.map((i) => ({ ...i, recommending_states: JSON.parse(i.recommending_states) as string[] })),
    total: Number(totalRow.n),
  };
}

export interface FacetCount {
  value: string;
  count: number;
  label_ar?: string | null;
  label_en?: string | null;
}

/** Counts per facet value, each facet ignoring its own selection (standard faceted navigation). */
export async function facetCounts(
  db: Q,
  query: ListQuery,
  names: readonly FacetName[],
  text?: TextSearch | null,
): Promise<Record<string, FacetCount[]>> {
  const out: Record<string, FacetCount[]> = {};
  // Low-cardinality facets without a selection of their own share one grouped pass over the hits,
  // aggregated here; the others (selected ones ignore their own filter) get a query each.
  const shared = GROUPED_FACETS.filter((n) => names.includes(n) && !(query[n]?.length ?? 0));
  if (shared.length > 1) {
    const exprs = shared.map((n) => facetColumn(n)!);
    const rows = (await applyFilters(base(db), query, undefined, text)
      .select([...exprs.map((e, i) => e.as(shared[i]!)), (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy(exprs)
      .execute()) as Record<string, unknown>[];
    for (const name of shared) {
      const counts = new Map<string, number>();
      for (const row of rows) {
        if (row[name] === null || row[name] === undefined) continue;
        const value = String(row[name]);
        counts.set(value, (counts.get(value) ?? 0) + Number(row.count));
      }
      out[name] = [...counts]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
        .slice(0, 50);
    }
  }
  for (const name of names) {
    if (out[name]) continue;
    const filtered = applyFilters(base(db), query, name, text);
    const col = facetColumn(name);
    if (col) {
      const rows = await filtered
        .select([col.as('value'), (eb) => eb.fn.countAll<number>().as('count')])
        .groupBy(col)
        .orderBy('count', 'desc')
        .limit(50)
        .execute();
      out[name] = rows.filter((r) => r.value !== null).map((r) => ({ value: String(r.value), count: Number(r.count) }));
      if (name === 'cluster' && out[name].length > 0) {
        const titles = await db.selectFrom('clusters').select(['id', 'title_ar', 'title_en']).where('id', 'in', out[name].map((f) => f.value)).execute();
        const byId = new Map(titles.map((t) => [t.id, t]));
        out[name] = out[name].map((f) => ({ ...f, label_ar: byId.get(f.value)?.title_ar ?? null, label_en: byId.get(f.value)?.title_en ?? null }));
      }
      continue;
    }
    if (name === 'entity') {
      const rows = await filtered
        .innerJoin('assignments as a', (j) =>
          j.on((eb) => eb.or([eb('a.recommendation_id', '=', eb.ref('r.id')), eb.and([eb('a.cluster_id', 'is not', null), eb('a.cluster_id', '=', eb.ref('r.cluster_id'))])])),
        )
        .innerJoin('entities as e', 'e.id', 'a.entity_id')
        .select(['e.id as value', 'e.name_ar as label_ar', 'e.name_en as label_en', (eb) => eb.fn.count<number>('r.id').distinct().as('count')])
        .groupBy(['e.id', 'e.name_ar', 'e.name_en'])
        .orderBy('count', 'desc')
        .limit(50)
        .execute();
      out[name] = rows.map((r) => ({ value: r.value, label_ar: r.label_ar, label_en: r.label_en, count: Number(r.count) }));
      continue;
    }
    const kinds = TERM_FACETS[name];
    if (!kinds) continue;
    const rows = await filtered
      .innerJoin('recommendation_terms as rt', 'rt.recommendation_id', 'r.id')
      .innerJoin('terms as t', 't.id', 'rt.term_id')
      .where('t.kind', 'in', kinds)
      .select(['t.code as value', 't.label_ar', 't.label_en', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy(['t.code', 't.label_ar', 't.label_en'])
      .orderBy('count', 'desc')
      .limit(50)
      .execute();
    out[name] = rows.map((r) => ({ value: r.value, label_ar: r.label_ar, label_en: r.label_en, count: Number(r.count) }));
  }
  return out;
}

export async function findRecommendation(db: Q, id: string) {
  return base(db)
    .selectAll('r')
    .select([
      'd.symbol as document_symbol',
      'd.type as document_type',
      'd.date as document_date',
      'd.upr_cycle',
      'd.upr_session',
      'd.country',
      'd.url as document_url',
      'b.code as body_code',
      'b.name_ar as body_name_ar',
      'b.name_en as body_name_en',
      'm.code as mechanism_code',
      'm.name_ar as mechanism_name_ar',
      'm.name_en as mechanism_name_en',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

export async function termsOf(db: Q, id: string) {
  return db
    .selectFrom('recommendation_terms as rt')
    .innerJoin('terms as t', 't.id', 'rt.term_id')
    .select(['t.id', 't.kind', 't.code', 't.label_ar', 't.label_en'])
    .where('rt.recommendation_id', '=', id)
    .orderBy('t.kind')
    .orderBy('t.sort')
    .orderBy('t.code')
    .execute();
}

export async function statusHistoryOf(db: Q, id: string) {
  return db
    .selectFrom('status_history as h')
    .leftJoin('users as u', 'u.id', 'h.changed_by')
    .select(['h.id', 'h.from_status', 'h.to_status', 'h.reason', 'h.changed_at', 'u.name as changed_by_name'])
    .where('h.recommendation_id', '=', id)
    .orderBy('h.changed_at', 'desc')
    .execute();
}
