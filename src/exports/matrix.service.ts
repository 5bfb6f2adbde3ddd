/**
 * The implementation matrix (SPEC §3.6): one row per recommendation of a list selection, with its source,
 * position, themes, SDGs, cluster, lead and supporting entities, status, the measures of its approved
 * progress updates and the latest approved update's text, in Arabic or English.
 *
 * The selection is the recommendations list's own (same filters, search and sort, all pages). Rows are read
 * in batches, in the selection's order, so that a writer can stream them with flat memory.
 */
import { MEASURE_TYPE_NAMES } from '../updates/index.ts';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB, Position } from '../db/schema.ts';
import { selectRecommendationIds, type ListFilters } from '../recommendations/index.ts';
import { AppError } from '../shared/errors.ts';
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

const SEP = '\x1f';
const OTHER_LANGS: Record<MatrixLang, readonly ('ar' | 'en' | 'fr')[]> = { ar: ['en', 'fr'], en: ['ar', 'fr'] };

/** A column as separator-free text ('' for null), for `aggregate`. */
const plain = (column: string) => sql`replace(coalesce(cast(${sql.ref(column)} as text), ''), ${SEP}, ' ')`;

/**
 * `{prefix}_{lang}` and, only when that one is empty, the other languages' texts (else ''): a text in the
 * matrix's language is all that is read of a row that has it.
 */
function texts(prefix: string, lang: MatrixLang, others: readonly string[]) {
  const own = sql.ref(`${prefix}_${lang}`);
  return [plain(`${prefix}_${lang}`), ...others.map((o) => sql`case when coalesce(trim(${own}), '') = '' then ${plain(`${prefix}_${o}`)} else '' end`)];
}

/** The texts read by `texts` back as `pickLang` takes them. */
function textsOf(fields: string[], at: number, lang: MatrixLang, others: readonly ('ar' | 'en' | 'fr')[]): Texts {
  const t: Texts = { ar: null, en: null, fr: null };
  t[lang] = fields[at]!;
  others.forEach((o, k) => (t[o] = fields[at + 1 + k]!));
  return t;
}

/**
 * The rows `where` selects from `table`, aggregated by the engine into one string (string_agg exists in both
 * engines) and split into a flat list of fields, row after row: one JS string per field instead of one JS object
 * per row (several times less work for the JS side and its garbage collector on a large export).
 */
async function aggregate(db: Kysely<DB>, table: string, columns: RawBuilder<unknown>[], where: RawBuilder<unknown>): Promise<string[]> {
  const row = sql.join(columns, sql` || ${SEP} || `);
  const { rows } = await sql<{ list: string | null }>`select string_agg(${row}, ${SEP}) as list from ${sql.table(table)} where ${where}`.execute(db);
  const list = rows[0]?.list;
  return list ? list.split(SEP) : [];
}

const among = (column: string, values: readonly string[]) => sql`${sql.ref(column)} in (${sql.join(values)})`;

/** The rows of one batch of ids, in the order of `ids`. */
async function readBatch(db: Kysely<DB>, ref: Reference, ids: string[], lang: MatrixLang): Promise<MatrixRow[]> {
  const L = MATRIX_LABELS[lang];
  const recOthers = OTHER_LANGS[lang];
  const updOthers = recOthers.filter((o) => o !== 'fr');
  // Plain reads by primary key (documents, terms, entities and assignments come from memory): no joins, no sorting in the engine.
  const REC = ['id', 'document_id', 'paragraph', 'position', 'status', 'recommending_states', 'cluster_id'];
  const recWidth = REC.length + 1 + recOthers.length;
  const [recFields, linkFields] = await Promise.all([
    aggregate(db, 'recommendations', [...REC.map(plain), ...texts('text', lang, recOthers)], among('id', ids)),
    aggregate(db, 'recommendation_terms', [plain('recommendation_id'), plain('term_id')], among('recommendation_id', ids)),
  ]);
  const recAt = new Map<string, number>();
  for (let k = 0; k < recFields.length; k += recWidth) recAt.set(recFields[k]!, k);

  // Assignments of each recommendation: its own and its cluster's.
  const assignmentsOf = new Map<string, { id: string; entity: string; role: string }[]>();
  const assignmentIds = new Set<string>();
  for (const [id, k] of recAt) {
    const cluster = recFields[k + 6]!;
    const own = ref.byRec.get(id);
    const shared = cluster ? ref.byCluster.get(cluster) : undefined;
    const list = own && shared ? [...own, ...shared] : (own ?? shared);
    if (!list) continue;
    assignmentsOf.set(id, list);
    for (const a of list) assignmentIds.add(a.id);
  }
  // Approved updates (id, assignment, reviewed at, text) and their measures (update, type, sort, description).
  const UPD = 3 + 1 + updOthers.length;
  const MEAS = 3 + 1 + updOthers.length;
  const updateFields: string[] = [];
  const assignmentList = [...assignmentIds];
  for (let i = 0; i < assignmentList.length; i += 2000) {
    const part = assignmentList.slice(i, i + 2000);
    updateFields.push(
      ...(await aggregate(
        db,
        'progress_updates',
        [plain('id'), plain('assignment_id'), plain('reviewed_at'), ...texts('text', lang, updOthers)],
        sql`${among('assignment_id', part)} and status = 'approved'`,
      )),
    );
  }
  const updateIds: string[] = [];
  for (let k = 0; k < updateFields.length; k += UPD) updateIds.push(updateFields[k]!);
  const measureFields: string[] = [];
  for (let i = 0; i < updateIds.length; i += 2000) {
    const part = updateIds.slice(i, i + 2000);
    measureFields.push(
      ...(await aggregate(db, 'update_measures', [plain('update_id'), plain('type'), plain('sort'), ...texts('description', lang, updOthers)], among('update_id', part))),
    );
  }
  type Update = { id: string; reviewedAt: string; text: string; measures: { sort: number; text: string }[] };
  const updateById = new Map<string, Update>();
  const updatesOf = new Map<string, Update[]>();
  for (let k = 0; k < updateFields.length; k += UPD) {
    const u: Update = { id: updateFields[k]!, reviewedAt: updateFields[k + 2]!, text: pickLang(textsOf(updateFields, k + 3, lang, updOthers), lang), measures: [] };
    updateById.set(u.id, u);
    push(updatesOf, updateFields[k + 1]!, u);
  }
  for (let k = 0; k < measureFields.length; k += MEAS) {
    const type = measureFields[k + 1] as keyof typeof MEASURE_TYPE_NAMES;
    const text = `${MEASURE_TYPE_NAMES[type][lang]}: ${pickLang(textsOf(measureFields, k + 3, lang, updOthers), lang)}`;
    updateById.get(measureFields[k]!)?.measures.push({ sort: Number(measureFields[k + 2]), text });
  }
  type TermRef = Reference['terms'] extends Map<string, infer T> ? T : never;
  const termsOf = new Map<string, TermRef[]>();
  for (let k = 0; k < linkFields.length; k += 2) {
    const t = ref.terms.get(linkFields[k + 1]!);
    if (t) push(termsOf, linkFields[k]!, t);
  }
  for (const list of termsOf.values()) list.sort((a, b) => a.rank - b.rank);

  const entityName = (id: string) => {
    const e = ref.entities.get(id);
    return e ? label(lang, e.ar, e.en, id) : id;
  };
  const byReview = (a: Update, b: Update) => (a.reviewedAt < b.reviewedAt ? -1 : a.reviewedAt > b.reviewedAt ? 1 : a.id < b.id ? -1 : 1);
  const rows: MatrixRow[] = [];
  for (const id of ids) {
    const k = recAt.get(id);
    if (k === undefined) continue; // deleted since the selection was made
    const doc = ref.documents.get(recFields[k + 1]!);
    if (!doc) continue;
    const position = recFields[k + 3]! as Position | '';
    const statusCode = recFields[k + 4]!;
    const clusterId = recFields[k + 6]!;
    const own = termsOf.get(id) ?? [];
    const assignments = assignmentsOf.get(id) ?? [];
    const lead = new Set<string>();
    const supporting = new Set<string>();
    const approved = new Map<string, Update>();
    for (const a of assignments) {
      (a.role === 'lead' ? lead : a.role === 'supporting' ? supporting : null)?.add(entityName(a.entity));
      for (const u of updatesOf.get(a.id) ?? []) approved.set(u.id, u);
    }
    // Approved updates, oldest review first; their measures in that order; the latest one's text.
    const updates = [...approved.values()].sort(byReview);
    const cluster = clusterId ? ref.clusters.get(clusterId) : undefined;
    const status = ref.statuses.get(statusCode);
    const themes: string[] = [];
    const sdgs: string[] = [];
    for (const t of own) {
      if (t.kind === 'theme') themes.push(label(lang, t.ar, t.en, t.code));
      else {
        const name = lang === 'ar' ? t.ar || t.en : t.en || t.ar;
        sdgs.push(name && name !== t.code ? `${t.code} ${name}` : t.code);
      }
    }
    rows.push({
      symbol: doc.symbol,
      paragraph: recFields[k + 2]!,
      text: pickLang(textsOf(recFields, k + REC.length, lang, recOthers), lang),
      body: doc.body,
      states: (JSON.parse(recFields[k + 5]!) as string[]).map((s) => countryLabel(s, lang)),
      position: position ? L.positions[position] : '',
      themes,
      sdgs,
      cluster: cluster ? label(lang, cluster.ar, cluster.en, '') : '',
      lead: [...lead],
      supporting: [...supporting],
      status: status ? status[lang] : statusCode,
      measures: updates.flatMap((u) => (u.measures.length > 1 ? u.measures.sort((a, b) => a.sort - b.sort) : u.measures).map((m) => m.text)),
      latestUpdate: updates.at(-1)?.text ?? '',
    });
  }
  return rows;
}

/** Rows read per batch. */
export const MATRIX_BATCH = 1000;

/**
 * The matrix rows of `ids`, batch after batch, in order. The next batch is read while the caller writes
 * the current one. With `share`, only every `share.of`-th batch from `share.part` (a worker's share of an
 * export that several read in parallel: see matrix-csv-workers.ts).
 */
export async function* matrixRows(db: Kysely<DB>, ids: readonly string[], lang: MatrixLang, share = { part: 0, of: 1 }): AsyncGenerator<MatrixRow[]> {
  const ref = await loadReference(db);
  const batches: string[][] = [];
  for (let i = share.part * MATRIX_BATCH; i < ids.length; i += share.of * MATRIX_BATCH) batches.push(ids.slice(i, i + MATRIX_BATCH));
  let next = batches.length ? readBatch(db, ref, batches[0]!, lang) : null;
  for (let b = 0; b < batches.length; b++) {
    const current = await next!;
    next = b + 1 < batches.length ? readBatch(db, ref, batches[b + 1]!, lang) : null;
    // A failed prefetch surfaces when it is awaited, not as an unhandled rejection meanwhile.
    next?.catch(() => undefined);
    yield current;
  }
}
