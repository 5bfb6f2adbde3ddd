/**
 * The portal's reads. Every query here names the columns it returns (never selectAll) and filters on
 * `recommendations.is_public = 1`, approved and public updates, accepted clusters: what leaves through the
 * portal is a whitelist.
 */
import { sql, type Kysely } from 'kysely';
import { StampedValue } from '../db/changes.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import { recommendationsWithSource } from '../db/recommendation-source.ts';

function published(db: Kysely<DB>) {
  return recommendationsWithSource(db)
    .where('r.is_public', '=', 1);
}

const ITEM_COLUMNS = [
  'r.id',
  'r.paragraph',
  'r.kind',
  'r.position',
  'r.status',
  'r.text_ar',
  'r.text_en',
  'r.text_fr',
  'r.original_lang',
  'd.symbol as document_symbol',
  'd.date as document_date',
  'b.code as body_code',
  'm.code as mechanism_code',
] as const;

/** Published rows of these ids, in the order of `ids`. */
export async function publishedItems(db: Kysely<DB>, ids: readonly string[]) {
  if (!ids.length) return [];
  const rows = await published(db).select(ITEM_COLUMNS).where('r.id', 'in', ids).execute();
  const byId = new Map(rows.map((x) => [x.id, x]));
  return ids.map((id) => byId.get(id)).filter((x) => x !== undefined);
}

export async function publishedRecommendation(db: Kysely<DB>, id: string) {
  return published(db)
    .select([
      ...ITEM_COLUMNS,
      'r.recommending_states',
      'r.cluster_id',
      'r.created_at',
      'd.type as document_type',
      'd.url as document_url',
      'd.upr_cycle',
      'b.name_ar as body_name_ar',
      'b.name_en as body_name_en',
      'm.name_ar as mechanism_name_ar',
      'm.name_en as mechanism_name_en',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

/** Themes, affected persons and SDGs of these recommendations (never national tags). */
export async function publicTerms(db: Kysely<DB>, ids: readonly string[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('recommendation_terms as rt')
    .innerJoin('terms as t', 't.id', 'rt.term_id')
    .select(['rt.recommendation_id', 't.kind', 't.code', 't.label_ar', 't.label_en'])
    .where('rt.recommendation_id', 'in', ids)
    .where('t.kind', 'in', ['theme', 'affected_person', 'sdg_goal', 'sdg_target'])
    .orderBy('t.kind')
    .orderBy('t.sort')
    .orderBy('t.code')
    .execute();
}

/** Status changes (to-status and date only: the reasons and people are internal). */
export async function statusChanges(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('status_history')
    .select(['to_status as status', 'changed_at as date'])
    .where('recommendation_id', '=', id)
    .orderBy('changed_at', 'desc')
    .execute();
}

export async function statusLabels(db: Kysely<DB>) {
  return db.selectFrom('statuses').select(['code', 'label_ar', 'label_en', 'color', 'sort']).orderBy('sort').execute();
}

export async function acceptedCluster(db: Kysely<DB>, id: string) {
  return db.selectFrom('clusters').select(['id', 'title_ar', 'title_en']).where('id', '=', id).where('status', '=', 'accepted').executeTakeFirst();
}

export async function acceptedClusterIds(db: Kysely<DB>): Promise<Set<string>> {
  const rows = await db.selectFrom('clusters').select('id').where('status', '=', 'accepted').execute();
  return new Set(rows.map((r) => r.id));
}

/** The entities assigned to a recommendation, directly or through its cluster: names and role only. */
export async function responsibleEntities(db: Kysely<DB>, recommendationId: string, clusterId: string | null) {
  const rows = await db
    .selectFrom('assignments as a')
    .innerJoin('entities as e', 'e.id', 'a.entity_id')
    .select(['e.id', 'e.name_ar', 'e.name_en', 'a.role'])
    .where((eb) => (clusterId ? eb.or([eb('a.recommendation_id', '=', recommendationId), eb('a.cluster_id', '=', clusterId)]) : eb('a.recommendation_id', '=', recommendationId)))
    .orderBy('a.role')
    .orderBy('e.name_en')
    .execute();
  const seen = new Map<string, { name_ar: string; name_en: string; role: string }>();
  for (const r of rows) if (!seen.has(r.id) || r.role === 'lead') seen.set(r.id, { name_ar: r.name_ar, name_en: r.name_en, role: r.role });
  return [...seen.values()].sort((a, b) => (a.role === b.role ? 0 : a.role === 'lead' ? -1 : 1));
}

/** Approved updates marked public, of the recommendation's assignments or its cluster's. */
export async function publicUpdates(db: Kysely<DB>, recommendationId: string, clusterId: string | null) {
  const updates = await db
    .selectFrom('progress_updates as u')
    .innerJoin('assignments as a', 'a.id', 'u.assignment_id')
    .innerJoin('entities as e', 'e.id', 'u.entity_id')
    .select(['u.id', 'u.period_start', 'u.period_end', 'u.reviewed_at as approved_at', 'u.text_ar', 'u.text_en', 'e.name_ar', 'e.name_en'])
    .where('u.status', '=', 'approved')
    .where('u.is_public', '=', 1)
    .where((eb) => (clusterId ? eb.or([eb('a.recommendation_id', '=', recommendationId), eb('a.cluster_id', '=', clusterId)]) : eb('a.recommendation_id', '=', recommendationId)))
    .orderBy('u.reviewed_at', 'desc')
    .execute();
  const ids = updates.map((u) => u.id);
  const [measures, indicators] = ids.length
    ? await Promise.all([
        db.selectFrom('update_measures').select(['update_id', 'type', 'description_ar', 'description_en']).where('update_id', 'in', ids).orderBy('sort').execute(),
        db.selectFrom('update_indicators').select(['update_id', 'name', 'value', 'unit']).where('update_id', 'in', ids).orderBy('sort').execute(),
      ])
    : [[], []];
  return updates.map((u) => ({
    id: u.id,
    entity: { name_ar: u.name_ar, name_en: u.name_en },
    period_start: u.period_start,
    period_end: u.period_end,
    approved_at: u.approved_at,
    text_ar: u.text_ar,
    text_en: u.text_en,
    measures: measures.filter((m) => m.update_id === u.id).map(({ update_id: _, ...m }) => m),
    indicators: indicators.filter((m) => m.update_id === u.id).map(({ update_id: _, ...m }) => m),
  }));
}

export async function mechanismsAndBodies(db: Kysely<DB>) {
  const [mechanisms, bodies] = await Promise.all([
    db.selectFrom('mechanisms').select(['id', 'code', 'name_ar', 'name_en']).orderBy('sort').execute(),
    db.selectFrom('bodies').select(['id', 'code', 'mechanism_id', 'name_ar', 'name_en']).orderBy('sort').execute(),
  ]);
  return { mechanisms, bodies };
}

/** The latest status changes of published recommendations, newest first (for the Atom feed). */
export async function latestPublishedChanges(db: Kysely<DB>, limit: number) {
  return db
    .selectFrom('status_history as h')
    .innerJoin('recommendations as r', 'r.id', 'h.recommendation_id')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .select(['h.id', 'h.from_status', 'h.to_status', 'h.changed_at', 'r.id as recommendation_id', 'r.paragraph', 'd.symbol as document_symbol'])
    .where('r.is_public', '=', 1)
    .orderBy('h.changed_at', 'desc')
    .orderBy('h.id')
    .limit(limit)
    .execute();
}

/** When each of these recommendations reached its current status (the latest change to it). */
export async function statusSince(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('status_history')
    .select(['recommendation_id', sql<string>`max(changed_at)`.as('at')])
    .where('recommendation_id', 'in', ids)
    .groupBy('recommendation_id')
    .execute();
  return new Map(rows.map((r) => [r.recommendation_id, r.at]));
}

/** For open data: per recommendation, the names of its responsible entities (directly or through its cluster). */
export async function entityNames(db: Kysely<DB>, recs: readonly { id: string; cluster_id: string | null }[]) {
  const ids = recs.map((r) => r.id);
  const clusters = [...new Set(recs.map((r) => r.cluster_id).filter((c): c is string => c !== null))];
  if (!ids.length) return new Map<string, { name_ar: string; name_en: string; role: string }[]>();
  const rows = await db
    .selectFrom('assignments as a')
    .innerJoin('entities as e', 'e.id', 'a.entity_id')
    .select(['a.recommendation_id', 'a.cluster_id', 'a.role', 'e.id', 'e.name_ar', 'e.name_en'])
    .where((eb) => eb.or([eb('a.recommendation_id', 'in', ids), ...(clusters.length ? [eb('a.cluster_id', 'in', clusters)] : [])]))
    .execute();
  const byKey = new Map<string, typeof rows>();
  for (const a of rows) {
    const key = a.recommendation_id ? `r:${a.recommendation_id}` : `c:${a.cluster_id}`;
    byKey.set(key, [...(byKey.get(key) ?? []), a]);
  }
  const out = new Map<string, { name_ar: string; name_en: string; role: string }[]>();
  for (const r of recs) {
    const mine = [...(byKey.get(`r:${r.id}`) ?? []), ...(r.cluster_id ? (byKey.get(`c:${r.cluster_id}`) ?? []) : [])];
    const seen = new Map<string, { name_ar: string; name_en: string; role: string }>();
    for (const a of mine) if (!seen.has(a.id) || a.role === 'lead') seen.set(a.id, { name_ar: a.name_ar, name_en: a.name_en, role: a.role });
    out.set(r.id, [...seen.values()]);
  }
  return out;
}

/** Rows for open data, in batches: the published list columns plus the cluster and created date. */
export async function openDataRows(db: Kysely<DB>, ids: readonly string[]) {
  if (!ids.length) return [];
  const rows = await published(db).select([...ITEM_COLUMNS, 'r.cluster_id', 'r.recommending_states', 'r.created_at']).where('r.id', 'in', ids).execute();
  const byId = new Map(rows.map((x) => [x.id, x]));
  return ids.map((id) => byId.get(id)).filter((x) => x !== undefined);
}

/** Accepted clusters with at least one published member. */
export async function publishedClusterIds(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom('clusters as c')
    .select('c.id')
    .where('c.status', '=', 'accepted')
    .where((eb) => eb.exists(eb.selectFrom('recommendations as r').select('r.id').whereRef('r.cluster_id', '=', 'c.id').where('r.is_public', '=', 1)))
    .orderBy('c.id')
    .execute();
  return rows.map((r) => r.id);
}

export interface ReferenceData {
  statuses: Awaited<ReturnType<typeof statusLabels>>;
  mechanisms: Awaited<ReturnType<typeof mechanismsAndBodies>>['mechanisms'];
  bodies: Awaited<ReturnType<typeof mechanismsAndBodies>>['bodies'];
  acceptedClusters: Set<string>;
}
const REFERENCE_TABLES = ['statuses', 'mechanisms', 'bodies', 'clusters'];
const references = new WeakMap<EngineDialect, StampedValue<ReferenceData>>();

/** Statuses, mechanisms, bodies and accepted clusters, read again only after one of their tables changed. */
export async function referenceData(db: Kysely<DB>, dialect: EngineDialect): Promise<ReferenceData> {
  let cached = references.get(dialect);
  if (!cached) references.set(dialect, (cached = new StampedValue<ReferenceData>()));
  const stamp = `${dialect.changes.stamp(REFERENCE_TABLES)}/${await dialect.externalChanges(db)}`;
  return cached.get(stamp, async () => {
    const [statuses, { mechanisms, bodies }, acceptedClusters] = await Promise.all([statusLabels(db), mechanismsAndBodies(db), acceptedClusterIds(db)]);
    return { statuses, mechanisms, bodies, acceptedClusters };
  });
}

/**
 * Stakeholders' comments on a published recommendation that a coordinator accepted and chose to show in public
 * (issue 16): the organisation's name, the text and the date only (no author's name or e-mail, no attachment).
 */
export async function publicConsultationComments(db: Kysely<DB>, recommendationId: string) {
  return db
    .selectFrom('consultation_comments as cc')
    .innerJoin('recommendations as r', 'r.id', 'cc.item_id')
    .innerJoin('consultations as c', 'c.id', 'cc.consultation_id')
    .leftJoin('stakeholder_profiles as p', 'p.user_id', 'cc.author_id')
    .select(['cc.id', 'p.organisation', 'cc.body', 'cc.created_at', 'c.title_ar', 'c.title_en'])
    .where('cc.item_type', '=', 'recommendation')
    .where('cc.item_id', '=', recommendationId)
    .where('cc.status', '=', 'accepted')
    .where('cc.is_public', '=', 1)
    .where('r.is_public', '=', 1)
    .orderBy('cc.created_at')
    .execute();
}
