/**
 * The implementation matrix (SPEC §3.6): one row per recommendation of a list selection, with its source,
 * position, themes, SDGs, cluster, lead and supporting entities, status, the measures of its approved
 * progress updates and the latest approved update's text, in Arabic or English.
 *
 * The selection is the recommendations list's own (same filters, search and sort, all pages). Rows are read
 * in batches, in the selection's order, so that a writer can stream them with flat memory.
 */
import { MEASURE_TYPE_NAMES } from '../updates/index.ts';
import type { Kysely } from 'kysely';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import { selectRecommendationIds, type ListFilters } from '../recommendations/index.ts';
import { AppError } from '../server/errors.ts';
import { countryLabel } from '../shared/countries.ts';
import { MATRIX_LABELS, type MatrixLang } from './matrix-labels.ts';

export const MATRIX_COLUMNS = [
  'symbol',
  'paragraph',
  'text',
  'body',
  'states',
  'position',
  'themes',
  'sdgs',
  'cluster',
  'lead',
  'supporting',
  'status',
  'measures',
  'latestUpdate',
] as const;
export type MatrixColumn = (typeof MATRIX_COLUMNS)[number];

/** One row: single values as text, multi-valued cells as lists (each writer joins them its own way). */
export type MatrixRow = Record<MatrixColumn, string | string[]>;

export const emptySelection = () =>
  new AppError(422, 'empty_selection', 'No recommendation matches this selection: there is nothing to export. Change the search or the filters.');

/** The selection's ids in the list's order; an empty selection is an error (never an empty file). */
export async function selectMatrixIds(db: Kysely<DB>, dialect: EngineDialect, filters: ListFilters): Promise<string[]> {
  const ids = await selectRecommendationIds(db, dialect, filters);
  if (ids.length === 0) throw emptySelection();
  return ids;
}

/** A document symbol → the filter value of the list's `document` facet (the symbol itself). */
export function documentFilter(symbol: string | undefined): string[] | undefined {
  return symbol ? [symbol.trim()] : undefined;
}

type Texts = { ar: string | null; en: string | null; fr?: string | null };

/** The text in `lang`, else another language's with a marker naming it. */
export function pickLang(texts: Texts, lang: MatrixLang): string {
  const own = texts[lang]?.trim();
  if (own) return own;
  const order = lang === 'ar' ? (['en', 'fr'] as const) : (['ar', 'fr'] as const);
  for (const other of order) {
    const t = texts[other]?.trim();
    if (t) return `${MATRIX_LABELS[lang].inLanguage[other]} ${t}`;
  }
  return '';
}

const label = (lang: MatrixLang, ar: string | null, en: string | null, fallback: string) =>
  (lang === 'ar' ? ar || en : en || ar) || fallback;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Runs `fn` over `values` in chunks, so that no statement carries more than `size` parameters. */
async function chunked<T, R>(values: readonly T[], size: number, fn: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += size) out.push(...(await fn(values.slice(i, i + size))));
  return out;
}

interface Reference {
  /** document id → symbol and body code */
  documents: Map<string, { symbol: string; body: string }>;
  /** theme and SDG terms, in display order (kind, sort, code) */
  terms: Map<string, { kind: string; code: string; ar: string | null; en: string | null; rank: number }>;
  statuses: Map<string, { ar: string; en: string }>;
  entities: Map<string, { ar: string; en: string }>;
  clusters: Map<string, { ar: string | null; en: string | null }>;
  /** assignments by recommendation and by cluster: entity and role */
  byRec: Map<string, { id: string; entity: string; role: string }[]>;
  byCluster: Map<string, { id: string; entity: string; role: string }[]>;
}

/** The small tables (documents, terms, statuses, entities, clusters) and the assignments, read once per export. */
async function loadReference(db: Kysely<DB>): Promise<Reference> {
  const [documents, terms, statuses, entities, clusters, assignments] = await Promise.all([
    db.selectFrom('documents as d').innerJoin('bodies as b', 'b.id', 'd.body_id').select(['d.id', 'd.symbol', 'b.code']).execute(),
    db
      .selectFrom('terms')
      .select(['id', 'kind', 'code', 'label_ar', 'label_en'])
      .where('kind', 'in', ['theme', 'sdg_goal', 'sdg_target'])
      .orderBy('kind')
      .orderBy('sort')
      .orderBy('code')
      .execute(),
    db.selectFrom('statuses').select(['code', 'label_ar', 'label_en']).execute(),
    db.selectFrom('entities').select(['id', 'name_ar', 'name_en']).execute(),
    db.selectFrom('clusters').select(['id', 'title_ar', 'title_en']).execute(),
    db.selectFrom('assignments').select(['id', 'recommendation_id', 'cluster_id', 'entity_id', 'role']).orderBy('created_at').orderBy('id').execute(),
  ]);
  const byRec = new Map<string, { id: string; entity: string; role: string }[]>();
  const byCluster = new Map<string, { id: string; entity: string; role: string }[]>();
  for (const a of assignments) {
    const item = { id: a.id, entity: a.entity_id, role: a.role };
    if (a.recommendation_id) push(byRec, a.recommendation_id, item);
    if (a.cluster_id) push(byCluster, a.cluster_id, item);
  }
  return {
    documents: new Map(documents.map((d) => [d.id, { symbol: d.symbol, body: d.code }])),
    terms: new Map(terms.map((t, rank) => [t.id, { kind: t.kind, code: t.code, ar: t.label_ar, en: t.label_en, rank }])),
    statuses: new Map(statuses.map((s) => [s.code, { ar: s.label_ar, en: s.label_en }])),
    entities: new Map(entities.map((e) => [e.id, { ar: e.name_ar, en: e.name_en }])),
    clusters: new Map(clusters.map((c) => [c.id, { ar: c.title_ar, en: c.title_en }])),
    byRec,
    byCluster,
  };
}

/** The rows of one batch of ids, in the order of `ids`. */
async function readBatch(db: Kysely<DB>, ref: Reference, ids: string[], lang: MatrixLang): Promise<MatrixRow[]> {
  const L = MATRIX_LABELS[lang];
  // Plain reads by primary key (documents and terms come from memory): no joins, no sorting in the engine.
  const [recs, links] = await Promise.all([
    db
      .selectFrom('recommendations')
      .select(['id', 'document_id', 'paragraph', 'text_ar', 'text_en', 'text_fr', 'position', 'status', 'recommending_states', 'cluster_id'])
      .where('id', 'in', ids)
      .execute(),
    db.selectFrom('recommendation_terms').select(['recommendation_id', 'term_id']).where('recommendation_id', 'in', ids).execute(),
  ]);

  // Assignments of each recommendation: its own and its cluster's.
  const assignmentsOf = new Map<string, { id: string; entity: string; role: string }[]>();
  for (const r of recs) {
    assignmentsOf.set(r.id, [...(ref.byRec.get(r.id) ?? []), ...((r.cluster_id && ref.byCluster.get(r.cluster_id)) || [])]);
  }
  const assignmentIds = [...new Set([...assignmentsOf.values()].flat().map((a) => a.id))];
  const updates = await chunked(assignmentIds, 2000, (part) =>
    db
      .selectFrom('progress_updates')
      .select(['id', 'assignment_id', 'text_ar', 'text_en', 'reviewed_at'])
      .where('assignment_id', 'in', part)
      .where('status', '=', 'approved')
      .execute(),
  );
  const measures = await chunked(
    updates.map((u) => u.id),
    2000,
    (part) =>
      db
        .selectFrom('update_measures')
        .select(['update_id', 'type', 'description_ar', 'description_en', 'sort'])
        .where('update_id', 'in', part)
        .orderBy('update_id')
        .orderBy('sort')
        .execute(),
  );
  const updatesOf = new Map<string, typeof updates>();
  for (const u of updates) push(updatesOf, u.assignment_id, u);
  const measuresOf = new Map<string, typeof measures>();
  for (const m of measures) push(measuresOf, m.update_id, m);
  type TermRef = Reference['terms'] extends Map<string, infer T> ? T : never;
  const termsOf = new Map<string, TermRef[]>();
  for (const l of links) {
    const t = ref.terms.get(l.term_id);
    if (t) push(termsOf, l.recommendation_id, t);
  }
  for (const list of termsOf.values()) list.sort((a, b) => a.rank - b.rank);

  const byId = new Map(recs.map((r) => [r.id, r]));
  const rows: MatrixRow[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    const doc = r && ref.documents.get(r.document_id);
    if (!r || !doc) continue; // deleted since the selection was made
    const own = termsOf.get(id) ?? [];
    const assignments = assignmentsOf.get(id) ?? [];
    const entityNames = (role: string) => [
      ...new Set(
        assignments
          .filter((a) => a.role === role)
          .map((a) => {
            const e = ref.entities.get(a.entity);
            return e ? label(lang, e.ar, e.en, a.entity) : a.entity;
          }),
      ),
    ];
    // Approved updates, oldest review first; their measures in that order; the latest one's text.
    const approved = [...new Map(assignments.flatMap((a) => updatesOf.get(a.id) ?? []).map((u) => [u.id, u])).values()].sort((a, b) =>
      (a.reviewed_at ?? '') < (b.reviewed_at ?? '') ? -1 : (a.reviewed_at ?? '') > (b.reviewed_at ?? '') ? 1 : a.id < b.id ? -1 : 1,
    );
    const latest = approved.at(-1);
    const cluster = r.cluster_id ? ref.clusters.get(r.cluster_id) : undefined;
    const status = ref.statuses.get(r.status);
    rows.push({
      symbol: doc.symbol,
      paragraph: r.paragraph ?? '',
      text: pickLang({ ar: r.text_ar, en: r.text_en, fr: r.text_fr }, lang),
      body: doc.body,
      states: (JSON.parse(r.recommending_states) as string[]).map((s) => countryLabel(s, lang)),
      position: r.position ? L.positions[r.position] : '',
      themes: own.filter((t) => t.kind === 'theme').map((t) => label(lang, t.ar, t.en, t.code)),
      sdgs: own
        .filter((t) => t.kind !== 'theme')
        .map((t) => {
          const name = lang === 'ar' ? t.ar || t.en : t.en || t.ar;
          return name && name !== t.code ? `${t.code} ${name}` : t.code;
        }),
      cluster: cluster ? label(lang, cluster.ar, cluster.en, '') : '',
      lead: entityNames('lead'),
      supporting: entityNames('supporting'),
      status: status ? status[lang] : r.status,
      measures: approved.flatMap((u) =>
        (measuresOf.get(u.id) ?? []).map((m) => `${MEASURE_TYPE_NAMES[m.type][lang]}: ${pickLang({ ar: m.description_ar, en: m.description_en }, lang)}`),
      ),
      latestUpdate: latest ? pickLang({ ar: latest.text_ar, en: latest.text_en }, lang) : '',
    });
  }
  return rows;
}

/**
 * The matrix rows of `ids`, batch after batch, in order. The next batch is read while the caller writes
 * the current one.
 */
export async function* matrixRows(db: Kysely<DB>, ids: readonly string[], lang: MatrixLang, batchSize = 1000): AsyncGenerator<MatrixRow[]> {
  const ref = await loadReference(db);
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += batchSize) batches.push(ids.slice(i, i + batchSize));
  let next = batches.length ? readBatch(db, ref, batches[0]!, lang) : null;
  for (let b = 0; b < batches.length; b++) {
    const current = await next!;
    next = b + 1 < batches.length ? readBatch(db, ref, batches[b + 1]!, lang) : null;
    // A failed prefetch surfaces when it is awaited, not as an unhandled rejection meanwhile.
    next?.catch(() => undefined);
    yield current;
  }
}
