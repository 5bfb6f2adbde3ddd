/**
 * The public portal's rules: what is published (recommendations with `is_public`, approved updates marked
 * public, accepted clusters) and nothing else. Lists, facets and counts run on the register index over the
 * published recommendations only (`queryPublished`), so a facet never counts, names or labels anything
 * unpublished.
 */
import type { Kysely } from 'kysely';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import { listQuerySchema, queryPublished, type FacetCount, type ListQuery } from '../recommendations/index.ts';
import { notFound } from '../shared/errors.ts';
import {
  acceptedCluster,
  entityNames,
  latestPublishedChanges,
  mechanismsAndBodies,
  openDataRows,
  publicTerms,
  referenceData,
  publicUpdates,
  publishedItems,
  publishedClusterIds,
  publishedRecommendation,
  responsibleEntities,
  statusChanges,
  statusLabels,
  statusSince,
} from './portal.repository.ts';
import type { PublicDetail, PublicListQuery } from './portal.schema.ts';

const NO_CLUSTER = '\u0000';

/** Published recommendations for this query: `{ items, total, page, pageSize, facets }`. */
export async function publicList(db: Kysely<DB>, dialect: EngineDialect, query: PublicListQuery) {
  const accepted = (await referenceData(db, dialect)).acceptedClusters;
  // a suggested (not accepted) cluster is internal: filtering by it finds nothing
  const q: ListQuery = { ...query, cluster: query.cluster?.map((c) => (accepted.has(c) ? c : NO_CLUSTER)) };
  const { ids, total, facets } = await queryPublished(db, dialect, q);
  const items = await publishedItems(db, ids);
  return { items, total, page: query.page, pageSize: query.pageSize, facets: publicFacets(facets, accepted) };
}

function publicFacets(facets: Record<string, FacetCount[]>, accepted: Set<string>): Record<string, FacetCount[]> {
  return { ...facets, cluster: (facets.cluster ?? []).filter((f) => accepted.has(f.value)) };
}

/** One published recommendation as the public sees it; unpublished or unknown → 404 not_found. */
export async function publicRecommendation(db: Kysely<DB>, dialect: EngineDialect, id: string): Promise<PublicDetail> {
  const rec = await publishedRecommendation(db, id);
  if (!rec) throw notFound('Recommendation');
  const [terms, history, labels, cluster, entities, updates] = await Promise.all([
    publicTerms(db, [id]),
    statusChanges(db, id),
    referenceData(db, dialect).then((r) => r.statuses),
    rec.cluster_id ? acceptedCluster(db, rec.cluster_id) : Promise.resolve(undefined),
    responsibleEntities(db, id, rec.cluster_id),
    publicUpdates(db, id, rec.cluster_id),
  ]);
  const label = labels.find((l) => l.code === rec.status);
  return {
    id: rec.id,
    paragraph: rec.paragraph,
    kind: rec.kind,
    position: rec.position,
    status: rec.status,
    text_ar: rec.text_ar,
    text_en: rec.text_en,
    text_fr: rec.text_fr,
    original_lang: rec.original_lang,
    document_symbol: rec.document_symbol,
    document_date: rec.document_date,
    body_code: rec.body_code,
    mechanism_code: rec.mechanism_code,
    recommending_states: JSON.parse(rec.recommending_states) as string[],
    status_label_ar: label?.label_ar ?? null,
    status_label_en: label?.label_en ?? null,
    status_since: history.find((h) => h.status === rec.status)?.date ?? rec.created_at,
    status_history: history,
    document_type: rec.document_type,
    document_url: rec.document_url,
    upr_cycle: rec.upr_cycle,
    body: { name_ar: rec.body_name_ar, name_en: rec.body_name_en },
    mechanism: { name_ar: rec.mechanism_name_ar, name_en: rec.mechanism_name_en },
    terms: terms.map(({ recommendation_id: _, ...t }) => t),
    cluster: cluster ?? null,
    entities,
    updates,
  };
}

/** A list query from a few fields (the rest: no filter). */
const listQuery = (fields: Record<string, unknown>): ListQuery => listQuerySchema.parse(fields);
const EMPTY: ListQuery = listQuery({ page: 1, pageSize: 1 });

export interface Breakdown {
  facet: 'mechanism' | 'body' | 'theme' | 'sdg';
  rows: { value: string; label_ar: string | null; label_en: string | null; total: number; counts: Record<string, number> }[];
}

/**
 * Progress at a glance: published recommendations by status, and each facet's values by status
 * (`within` narrows it all, e.g. to one mechanism or cluster).
 */
export async function publicProgress(db: Kysely<DB>, dialect: EngineDialect, facets: Breakdown['facet'][], within: Partial<ListQuery> = {}) {
  const { statuses, mechanisms, bodies } = await referenceData(db, dialect);
  const base = { ...EMPTY, ...within };
  const overall = await queryPublished(db, dialect, base);
  const byStatus = await Promise.all(statuses.map((s) => queryPublished(db, dialect, { ...base, status: [s.code] })));
  const totals: Record<string, number> = {};
  for (const [k, s] of statuses.entries()) totals[s.code] = byStatus[k]!.total;
  const names = new Map<string, { ar: string; en: string }>();
  for (const m of mechanisms) names.set(`mechanism:${m.code}`, { ar: m.name_ar, en: m.name_en });
  for (const b of bodies) names.set(`body:${b.code}`, { ar: b.name_ar, en: b.name_en });
  const breakdowns: Breakdown[] = facets.map((facet) => ({
    facet,
    rows: (overall.facets[facet] ?? []).map((f) => {
      const counts: Record<string, number> = {};
      for (const [k, s] of statuses.entries()) counts[s.code] = byStatus[k]!.facets[facet]?.find((x) => x.value === f.value)?.count ?? 0;
      const name = names.get(`${facet}:${f.value}`);
      return { value: f.value, label_ar: name?.ar ?? f.label_ar ?? null, label_en: name?.en ?? f.label_en ?? null, total: f.count, counts };
    }),
  }));
  return { total: overall.total, statuses, totals, breakdowns };
}

export async function publicMechanism(db: Kysely<DB>, code: string) {
  const { mechanisms, bodies } = await mechanismsAndBodies(db);
  const mechanism = mechanisms.find((m) => m.code === code);
  if (!mechanism) throw notFound('Mechanism');
  return { mechanism, bodies: bodies.filter((b) => b.mechanism_id === mechanism.id) };
}

export async function publicBody(db: Kysely<DB>, code: string) {
  const { mechanisms, bodies } = await mechanismsAndBodies(db);
  const body = bodies.find((b) => b.code === code);
  if (!body) throw notFound('Body');
  return { body, mechanism: mechanisms.find((m) => m.id === body.mechanism_id)! };
}

/** An accepted cluster with at least one published member; otherwise 404. */
export async function publicCluster(db: Kysely<DB>, dialect: EngineDialect, id: string) {
  const cluster = await acceptedCluster(db, id);
  if (!cluster) throw notFound('Cluster');
  const members = await queryPublished(db, dialect, { ...EMPTY, cluster: [id], pageSize: 200, sort: 'paragraph', order: 'asc' });
  if (members.total === 0) throw notFound('Cluster');
  return { cluster, total: members.total, items: await publishedItems(db, members.ids) };
}

/** Accepted clusters with published members, and every published id (for the sitemap). */
export async function publicIndex(db: Kysely<DB>, dialect: EngineDialect) {
  const all = await queryPublished(db, dialect, { ...listQuery({ sort: 'paragraph' }), all: true });
  return { ids: all.ids, clusters: await publishedClusterIds(db) };
}

export interface OpenDataRecord {
  id: string;
  document_symbol: string;
  paragraph: string | null;
  document_date: string | null;
  body: string;
  mechanism: string;
  kind: string;
  position: string | null;
  status: string;
  status_label_ar: string | null;
  status_label_en: string | null;
  status_since: string;
  original_lang: string | null;
  text_ar: string | null;
  text_en: string | null;
  text_fr: string | null;
  recommending_states: string[];
  themes: string[];
  affected_persons: string[];
  sdgs: string[];
  entities_ar: string[];
  entities_en: string[];
  cluster_ar: string | null;
  cluster_en: string | null;
}

/** The published set for open data, in batches of 1,000 (paragraph order within document), so memory stays flat. */
export async function* openDataBatches(db: Kysely<DB>, dialect: EngineDialect): AsyncGenerator<OpenDataRecord[]> {
  const { ids } = await queryPublished(db, dialect, { ...listQuery({ sort: 'date', order: 'asc' }), all: true });
  const labels = await statusLabels(db);
  const statusOf = new Map(labels.map((l) => [l.code, l]));
  const clusters = await db.selectFrom('clusters').select(['id', 'title_ar', 'title_en']).where('status', '=', 'accepted').execute();
  const clusterOf = new Map(clusters.map((c) => [c.id, c]));
  for (let k = 0; k < ids.length; k += 1000) {
    const rows = await openDataRows(db, ids.slice(k, k + 1000));
    const batch = rows.map((r) => r.id);
    const [terms, since, entities] = await Promise.all([publicTerms(db, batch), statusSince(db, batch), entityNames(db, rows)]);
    const termsOf = new Map<string, typeof terms>();
    for (const t of terms) termsOf.set(t.recommendation_id, [...(termsOf.get(t.recommendation_id) ?? []), t]);
    yield rows.map((r) => {
      const ts = termsOf.get(r.id) ?? [];
      const pick = (...kinds: string[]) => ts.filter((t) => kinds.includes(t.kind)).map((t) => t.code);
      const cluster = r.cluster_id ? clusterOf.get(r.cluster_id) : undefined;
      const ents = entities.get(r.id) ?? [];
      return {
        id: r.id,
        document_symbol: r.document_symbol,
        paragraph: r.paragraph,
        document_date: r.document_date,
        body: r.body_code,
        mechanism: r.mechanism_code,
        kind: r.kind,
        position: r.position,
        status: r.status,
        status_label_ar: statusOf.get(r.status)?.label_ar ?? null,
        status_label_en: statusOf.get(r.status)?.label_en ?? null,
        status_since: since.get(r.id) ?? r.created_at,
        original_lang: r.original_lang,
        text_ar: r.text_ar,
        text_en: r.text_en,
        text_fr: r.text_fr,
        recommending_states: JSON.parse(r.recommending_states) as string[],
        themes: pick('theme'),
        affected_persons: pick('affected_person'),
        sdgs: pick('sdg_goal', 'sdg_target'),
        entities_ar: ents.map((e) => e.name_ar),
        entities_en: ents.map((e) => e.name_en),
        cluster_ar: cluster?.title_ar ?? null,
        cluster_en: cluster?.title_en ?? null,
      };
    });
  }
}

/** The latest status changes of published recommendations (the Atom feed). */
export async function publicStatusFeed(db: Kysely<DB>, limit = 100) {
  const [changes, labels] = await Promise.all([latestPublishedChanges(db, limit), statusLabels(db)]);
  return { changes, labels: new Map(labels.map((l) => [l.code, l])) };
}
