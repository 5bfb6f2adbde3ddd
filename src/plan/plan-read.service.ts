import { sql, type Kysely } from 'kysely';
import { compareNatural } from '../shared/natural-sort.ts';
import type { Actor } from '../auth/permissions.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { DB, PlanStatus } from '../db/schema.ts';
import { FACETS, selectAndNarrow, type ListFilters } from '../recommendations/index.ts';
import { actionProgress, attainment, meanProgress } from './plan-progress.ts';
import type { CoverageQuery, Disaggregation } from './plan.schema.ts';
import { findPlan } from './plan.service.ts';

/** Separates the fields of a value read as one string. */
const SEP = '\x1f';

export const todayUtc = (now = new Date()): string => now.toISOString().slice(0, 10);

/**
 * Plans, newest first, with their counts and overall progress: a summary read with a handful of grouped queries
 * over all plans at once (no plan tree is built). The progress is the same roll-up as the plan page's
 * (plan-progress.ts), from each action's status and the latest approved value of each of its indicators.
 */
export async function listPlans(db: Kysely<DB>) {
  const count = (table: 'plan_pillars' | 'plan_objectives' | 'plan_actions' | 'plan_indicators') =>
    db.selectFrom(table).select(['plan_id', (eb) => eb.fn.countAll<number | string>().as('n')]).groupBy('plan_id').execute();
  const [plans, pillars, objectives, actions, indicators, recs, pillarRows, objectiveRows, actionRows, actionIndicators, latest] = await Promise.all([
    db.selectFrom('plans').selectAll().orderBy('created_at', 'desc').execute(),
    count('plan_pillars'),
    count('plan_objectives'),
    count('plan_actions'),
    count('plan_indicators'),
    db
      .selectFrom('plan_action_recommendations as x')
      .innerJoin('plan_actions as a', 'a.id', 'x.action_id')
      .select(['a.plan_id', (eb) => eb.fn.count<number | string>('x.recommendation_id').distinct().as('n')])
      .groupBy('a.plan_id')
      .execute(),
    db.selectFrom('plan_pillars').select(['id', 'plan_id']).execute(),
    db.selectFrom('plan_objectives').select(['id', 'pillar_id']).execute(),
    db.selectFrom('plan_actions').select(['id', 'objective_id', 'status']).execute(),
    db.selectFrom('plan_indicators').select(['id', 'action_id', 'baseline_value', 'target_value']).where('action_id', 'is not', null).execute(),
    // the latest value of each indicator among approved updates (by date, then approval time)
    sql<{ indicator_id: string; value: string }>`select indicator_id, value from (
        select v.indicator_id, v.value, row_number() over (partition by v.indicator_id order by v.date desc, u.reviewed_at desc) as rn
        from plan_indicator_values v join progress_updates u on u.id = v.update_id where u.status = 'approved'
      ) ranked where rn = 1`.execute(db),
  ]);
  const byPlan = (rows: { plan_id: string; n: number | string }[]) => new Map(rows.map((r) => [r.plan_id, Number(r.n)]));
  const [np, no, na, ni, nr] = [byPlan(pillars), byPlan(objectives), byPlan(actions), byPlan(indicators), byPlan(recs)];
  const latestValue = new Map(latest.rows.map((r) => [r.indicator_id, r.value]));
  const attainmentsByAction = new Map<string, (number | null)[]>();
  for (const i of actionIndicators) {
    const list = attainmentsByAction.get(i.action_id!) ?? [];
    const att = attainment(latestValue.get(i.id), i.baseline_value, i.target_value);
    // rounded to a percent first, as on the plan page
    list.push(att === null ? null : Math.round(att * 100) / 100);
    attainmentsByAction.set(i.action_id!, list);
  }
  const progressBy = <K extends string>(rows: ({ id: string } & Record<K, string>)[], key: K, values: Map<string, (number | null)[]>) => {
    const out = new Map<string, (number | null)[]>();
    for (const r of rows) {
      const list = out.get(r[key]) ?? [];
      list.push(meanProgress(values.get(r.id) ?? []));
      out.set(r[key], list);
    }
    return out;
  };
  const actionsByObjective = new Map<string, (number | null)[]>();
  for (const a of actionRows) {
    const list = actionsByObjective.get(a.objective_id) ?? [];
    list.push(actionProgress(a.status, attainmentsByAction.get(a.id) ?? []));
    actionsByObjective.set(a.objective_id, list);
  }
  const objectivesByPillar = progressBy(objectiveRows, 'pillar_id', actionsByObjective);
  const pillarsByPlan = progressBy(pillarRows, 'plan_id', objectivesByPillar);
  const items = plans.map((p) => ({
    id: p.id,
    title_ar: p.title_ar,
    title_en: p.title_en,
    status: p.status,
    version_number: p.version_number,
    lineage_id: p.lineage_id,
    period_start: p.period_start,
    period_end: p.period_end,
    adopted_at: p.adopted_at,
    published_at: p.published_at,
    version: p.version,
    updated_at: p.updated_at,
    counts: { pillars: np.get(p.id) ?? 0, objectives: no.get(p.id) ?? 0, actions: na.get(p.id) ?? 0, indicators: ni.get(p.id) ?? 0, recommendations: nr.get(p.id) ?? 0 },
    progress: meanProgress(pillarsByPlan.get(p.id) ?? []),
  }));
  return { items };
}

/** The full plan: pillars → objectives → actions with links and indicators, progress at every level, and its dashboard. */
export async function getPlanTree(db: Kysely<DB>, id: string, _actor: Actor, today = todayUtc()) {
  const plan = await findPlan(db, id);
  const tree = await buildTree(db, id, today);
  const versions = await db
    .selectFrom('plans')
    .select(['id', 'version_number', 'status', 'adopted_at', 'created_at'])
    .where('lineage_id', '=', plan.lineage_id)
    .orderBy('version_number')
    .execute();
  return { ...plan, editable: plan.status === 'draft' || plan.status === 'consultation', versions, ...tree };
}

/** Every table a plan page reads: a write to any of them, in this process or another, makes cached pages stale. */
const PLAN_PAGE_TABLES = [
  'plans', 'plan_pillars', 'plan_objectives', 'plan_actions', 'plan_action_partners', 'plan_action_recommendations', 'plan_action_clusters',
  'plan_action_sdgs', 'plan_indicators', 'plan_indicator_values', 'progress_updates', 'entities', 'recommendations', 'documents', 'clusters', 'terms',
];
/** Plan pages kept per database (the least recently read goes first when full). */
const PLAN_PAGES_KEPT = 8;
const planPages = new WeakMap<Kysely<DB>, Map<string, { stamp: string; json: string }>>();

/**
 * The plan page as JSON, from memory when nothing it reads has changed since (this process's writes, other processes'
 * commits, and the day: "overdue" depends on it). The stamp is taken before the read, so a write made meanwhile makes
 * the page stale at once. A plan is read far more often than written; a large one costs about 100 ms to build.
 */
export async function planPageJson(db: Kysely<DB>, dialect: EngineDialect, id: string, actor: Actor, today = todayUtc()): Promise<string> {
  const stamp = `${today}/${dialect.changes.stamp(PLAN_PAGE_TABLES)}/${await dialect.externalChanges(db)}`;
  let pages = planPages.get(db);
  if (!pages) planPages.set(db, (pages = new Map()));
  const kept = pages.get(id);
  if (kept?.stamp === stamp) {
    pages.delete(id);
    pages.set(id, kept);
    return kept.json;
  }
  const json = JSON.stringify(await getPlanTree(db, id, actor, today));
  pages.delete(id);
  pages.set(id, { stamp, json });
  if (pages.size > PLAN_PAGES_KEPT) pages.delete(pages.keys().next().value!);
  return json;
}

export interface IndicatorValueSummary {
  /** values of approved updates (only those count) */
  approved: number;
  /** values of submitted updates (pending review) */
  submitted: number;
  /** the latest approved value: by date, then approval time */
  latest: { date: string; value: string } | null;
}

/**
 * The values reported in progress updates on a plan, per indicator, grouped by the engine (a plan can carry tens of
 * thousands of values): how many approved and submitted, and the latest approved one (the greatest
 * "date␟reviewed at␟value", ISO dates comparing as text). Indicators without such values are absent. The plan page
 * and the portal's plan pages both read values through this one query.
 */
export async function indicatorValueSummary(db: Kysely<DB>, planId: string): Promise<Map<string, IndicatorValueSummary>> {
  const { rows } = await sql<{ indicator_id: string; approved: number | string; submitted: number | string; latest: string | null }>`select v.indicator_id,
        sum(case when u.status = 'approved' then 1 else 0 end) as approved,
        sum(case when u.status = 'submitted' then 1 else 0 end) as submitted,
        max(case when u.status = 'approved' then v.date || ${SEP} || coalesce(u.reviewed_at, '') || ${SEP} || v.value end) as latest
      from plan_indicator_values v join plan_indicators i on i.id = v.indicator_id join progress_updates u on u.id = v.update_id
      where i.plan_id = ${planId} and u.status in ('approved', 'submitted')
      group by v.indicator_id`.execute(db);
  const out = new Map<string, IndicatorValueSummary>();
  for (const r of rows) {
    let latest: IndicatorValueSummary['latest'] = null;
    if (r.latest !== null) {
      const [date, , ...value] = r.latest.split(SEP);
      latest = { date: date!, value: value.join(SEP) };
    }
    out.set(r.indicator_id, { approved: Number(r.approved), submitted: Number(r.submitted), latest });
  }
  return out;
}

async function buildTree(db: Kysely<DB>, planId: string, today = todayUtc()) {
  const [pillars, objectives, actions, partners, recs, clusters, sdgs, indicators, values] = await Promise.all([
    db.selectFrom('plan_pillars').selectAll().where('plan_id', '=', planId).orderBy('sort').orderBy('code').execute(),
    db.selectFrom('plan_objectives').selectAll().where('plan_id', '=', planId).orderBy('sort').orderBy('code').execute(),
    db
      .selectFrom('plan_actions as a')
      .leftJoin('entities as e', 'e.id', 'a.lead_entity_id')
      .selectAll('a')
      .select(['e.code as lead_code', 'e.name_ar as lead_name_ar', 'e.name_en as lead_name_en'])
      .where('a.plan_id', '=', planId)
      .orderBy('a.sort')
      .orderBy('a.code')
      .execute(),
    db
      .selectFrom('plan_action_partners as x')
      .innerJoin('plan_actions as a', 'a.id', 'x.action_id')
      .innerJoin('entities as e', 'e.id', 'x.entity_id')
      .select(['x.action_id', 'e.id', 'e.code', 'e.name_ar', 'e.name_en'])
      .where('a.plan_id', '=', planId)
      .orderBy('e.code')
      .execute(),
    db
      .selectFrom('plan_action_recommendations as x')
      .innerJoin('plan_actions as a', 'a.id', 'x.action_id')
      .innerJoin('recommendations as r', 'r.id', 'x.recommendation_id')
      .innerJoin('documents as d', 'd.id', 'r.document_id')
      .select(['x.action_id', 'r.id', 'r.paragraph', 'r.position', 'd.symbol'])
      .where('a.plan_id', '=', planId)
      .orderBy('d.symbol')
      .orderBy('r.paragraph')
      .execute(),
    db
      .selectFrom('plan_action_clusters as x')
      .innerJoin('plan_actions as a', 'a.id', 'x.action_id')
      .innerJoin('clusters as c', 'c.id', 'x.cluster_id')
      .select(['x.action_id', 'c.id', 'c.title_ar', 'c.title_en'])
      .where('a.plan_id', '=', planId)
      .execute(),
    db
      .selectFrom('plan_action_sdgs as x')
      .innerJoin('plan_actions as a', 'a.id', 'x.action_id')
      .innerJoin('terms as t', 't.id', 'x.term_id')
      .select(['x.action_id', 't.id', 't.code', 't.label_ar', 't.label_en'])
      .where('a.plan_id', '=', planId)
      .orderBy('t.sort')
      .orderBy('t.code')
      .execute(),
    db
      .selectFrom('plan_indicators as i')
      .leftJoin('entities as e', 'e.id', 'i.reporting_entity_id')
      .selectAll('i')
      .select(['e.code as reporting_code', 'e.name_ar as reporting_name_ar', 'e.name_en as reporting_name_en'])
      .where('i.plan_id', '=', planId)
      .orderBy('i.sort')
      .orderBy('i.created_at')
      .execute(),
    indicatorValueSummary(db, planId),
  ]);
  const group = <T extends { action_id: string }>(rows: T[]) => {
    const m = new Map<string, Omit<T, 'action_id'>[]>();
    for (const { action_id, ...rest } of rows) {
      const list = m.get(action_id) ?? [];
      list.push(rest);
      m.set(action_id, list);
    }
    return m;
  };
  const partnersBy = group(partners);
  recs.sort((x, y) => compareNatural(x.symbol, y.symbol) || compareNatural(x.paragraph, y.paragraph));
  const recsBy = group(recs);
  const clustersBy = group(clusters);
  const sdgsBy = group(sdgs);

  const year = Number(today.slice(0, 4));
  const presentIndicator = (i: (typeof indicators)[number]) => {
    const summary = values.get(i.id);
    const last = summary?.latest ?? null;
    const att = attainment(last?.value, i.baseline_value, i.target_value);
    // expected share by now, linear from the baseline year to the target year
    const expected =
      i.baseline_year !== null && i.target_year !== null && i.target_year > i.baseline_year
        ? Math.min(1, Math.max(0, (year - i.baseline_year) / (i.target_year - i.baseline_year)))
        : null;
    return {
      ...i,
      disaggregation: JSON.parse(i.disaggregation) as Disaggregation[],
      latest: last,
      attainment: att === null ? null : Math.round(att * 100),
      expected: expected === null ? null : Math.round(expected * 100),
      off_track: att !== null && expected !== null && att + 0.2 < expected,
      approved_values: summary?.approved ?? 0,
      submitted_values: summary?.submitted ?? 0,
    };
  };
  const indicatorsByAction = new Map<string, ReturnType<typeof presentIndicator>[]>();
  const indicatorsByObjective = new Map<string, ReturnType<typeof presentIndicator>[]>();
  for (const i of indicators) {
    const p = presentIndicator(i);
    const map = i.action_id ? indicatorsByAction : indicatorsByObjective;
    const key = (i.action_id ?? i.objective_id)!;
    map.set(key, [...(map.get(key) ?? []), p]);
  }

  const actionRows = actions.map((a) => {
    const inds = indicatorsByAction.get(a.id) ?? [];
    const progress = actionProgress(a.status, inds.map((i) => (i.attainment === null ? null : i.attainment / 100)));
    const overdue = a.end_date !== null && a.end_date < today && a.status !== 'completed' && a.status !== 'cancelled';
    return {
      ...a,
      partners: partnersBy.get(a.id) ?? [],
      recommendations: recsBy.get(a.id) ?? [],
      clusters: clustersBy.get(a.id) ?? [],
      sdg_targets: sdgsBy.get(a.id) ?? [],
      indicators: inds,
      progress,
      overdue,
    };
  });
  const objectiveRows = objectives.map((o) => {
    const acts = actionRows.filter((a) => a.objective_id === o.id);
    return { ...o, indicators: indicatorsByObjective.get(o.id) ?? [], actions: acts, progress: meanProgress(acts.map((a) => a.progress)) };
  });
  const pillarRows = pillars.map((p) => {
    const objs = objectiveRows.filter((o) => o.pillar_id === p.id);
    const acts = objs.flatMap((o) => o.actions);
    const budget: Record<string, number> = {};
    for (const a of acts) {
      if (a.budget_amount !== null && a.status !== 'cancelled') {
        const cur = a.budget_currency ?? '';
        budget[cur] = (budget[cur] ?? 0) + Number(a.budget_amount);
      }
    }
    return { ...p, objectives: objs, progress: meanProgress(objs.map((o) => o.progress)), budget, action_count: acts.length };
  });

  // dashboard: per pillar, per lead entity, delayed or overdue actions, indicators off track
  const byEntity = new Map<string, { entity_id: string | null; code: string | null; name_ar: string | null; name_en: string | null; actions: number; progress: (number | null)[]; delayed: number }>();
  for (const a of actionRows) {
    const key = a.lead_entity_id ?? '';
    const e = byEntity.get(key) ?? { entity_id: a.lead_entity_id, code: a.lead_code, name_ar: a.lead_name_ar, name_en: a.lead_name_en, actions: 0, progress: [], delayed: 0 };
    e.actions += 1;
    e.progress.push(a.progress);
    if (a.status === 'delayed' || a.overdue) e.delayed += 1;
    byEntity.set(key, e);
  }
  const allIndicators = [...indicatorsByAction.values(), ...indicatorsByObjective.values()].flat();
  const brief = (a: (typeof actionRows)[number]) => ({ id: a.id, code: a.code, title_ar: a.title_ar, title_en: a.title_en, status: a.status, end_date: a.end_date, overdue: a.overdue, lead_entity_id: a.lead_entity_id });
  return {
    pillars: pillarRows,
    progress: meanProgress(pillarRows.map((p) => p.progress)),
    counts: {
      pillars: pillars.length,
      objectives: objectives.length,
      actions: actions.length,
      indicators: indicators.length,
      recommendations: new Set(recs.map((r) => r.id)).size,
    },
    dashboard: {
      pillars: pillarRows.map((p) => ({ id: p.id, code: p.code, title_ar: p.title_ar, title_en: p.title_en, progress: p.progress, actions: p.action_count, budget: p.budget })),
      entities: [...byEntity.values()]
        .map(({ progress, ...e }) => ({ ...e, progress: meanProgress(progress) }))
        .sort((x, y) => y.actions - x.actions || (x.code ?? '').localeCompare(y.code ?? '')),
      delayed: actionRows.filter((a) => a.status === 'delayed' || a.overdue).map(brief),
      off_track: allIndicators
        .filter((i) => i.off_track)
        .map((i) => ({ id: i.id, name_ar: i.name_ar, name_en: i.name_en, attainment: i.attainment, expected: i.expected, action_id: i.action_id, objective_id: i.objective_id })),
    },
  };
}

const POSITION_ORDER: Record<string, number> = { supported: 0, partially_supported: 1, noted: 3 };

/**
 * Coverage of a selection of the register, chosen with the register list's own filters (`q` and every facet;
 * nothing = all): a recommendation is answered when an action of this plan (not cancelled) links it or links its
 * cluster; a cluster is answered when an action links it or one of its recommendations. The unanswered list puts
 * supported recommendations first, then partially supported, those without a position, and noted ones, and
 * carries the facet counts of the unanswered ones (each facet ignoring its own filter, as on the list).
 */
export async function planCoverage(db: Kysely<DB>, dialect: EngineDialect, planId: string, query: CoverageQuery) {
  const plan = await findPlan(db, planId);
  const { page: pageNo, pageSize, ...listFilters } = query;
  const filters: ListFilters = { ...listFilters };
  // `document` also takes document ids (the list's facet takes symbols)
  if (filters.document?.length) {
    // ids in the older comma-separated form (`document=id1,id2`) too
    const pieces = (d: string) => d.split(',').map((p) => p.trim());
    const asked = [...new Set(filters.document.flatMap((d) => [d, ...pieces(d)]))];
    const byId = new Map((await db.selectFrom('documents').select(['id', 'symbol']).where('id', 'in', asked).execute()).map((d) => [d.id, d.symbol]));
    filters.document = [
      ...new Set(filters.document.flatMap((d) => (byId.has(d) ? [byId.get(d)!] : pieces(d).length > 1 && pieces(d).every((p) => byId.has(p)) ? pieces(d).map((p) => byId.get(p)!) : [d]))),
    ];
  }
  const [all, direct, linkedClusters] = await Promise.all([
    db
      .selectFrom('recommendations as r')
      .innerJoin('documents as d', 'd.id', 'r.document_id')
      .innerJoin('bodies as b', 'b.id', 'd.body_id')
      .select(['r.id', 'r.cluster_id', 'r.position', 'r.paragraph', 'd.symbol', 'b.code as body'])
      .execute(),
    db
      .selectFrom('plan_action_recommendations as x')
      .innerJoin('plan_actions as a', 'a.id', 'x.action_id')
      .select('x.recommendation_id')
      .distinct()
      .where('a.plan_id', '=', planId)
      .where('a.status', '<>', 'cancelled')
      .execute(),
    db
      .selectFrom('plan_action_clusters as x')
      .innerJoin('plan_actions as a', 'a.id', 'x.action_id')
      .select('x.cluster_id')
      .distinct()
      .where('a.plan_id', '=', planId)
      .where('a.status', '<>', 'cancelled')
      .execute(),
  ]);
  const directSet = new Set(direct.map((r) => r.recommendation_id));
  const clusterSet = new Set(linkedClusters.map((r) => r.cluster_id));
  const byId = new Map(all.map((r) => [r.id, r]));
  const isAnswered = (r: (typeof all)[number]) => directSet.has(r.id) || (r.cluster_id !== null && clusterSet.has(r.cluster_id));
  const selected = await selectAndNarrow(db, dialect, filters, (id) => {
    const r = byId.get(id);
    return r !== undefined && !isAnswered(r);
  });
  const rows = selected.ids.map((id) => byId.get(id)).filter((r): r is (typeof all)[number] => r !== undefined);
  const clusters = new Map<string, boolean>();
  const byPosition: Record<string, { total: number; answered: number }> = {};
  let answered = 0;
  for (const r of rows) {
    const a = isAnswered(r);
    if (a) answered += 1;
    const pos = r.position ?? 'none';
    byPosition[pos] ??= { total: 0, answered: 0 };
    byPosition[pos].total += 1;
    if (a) byPosition[pos].answered += 1;
    if (r.cluster_id !== null) clusters.set(r.cluster_id, (clusters.get(r.cluster_id) ?? false) || clusterSet.has(r.cluster_id) || directSet.has(r.id));
  }
  const unanswered = selected.narrowed.ids.map((id) => byId.get(id)!);
  unanswered.sort(
    (x, y) =>
      (POSITION_ORDER[x.position ?? ''] ?? 2) - (POSITION_ORDER[y.position ?? ''] ?? 2) ||
      compareNatural(x.symbol, y.symbol) ||
      compareNatural(x.paragraph, y.paragraph) ||
      x.id.localeCompare(y.id),
  );
  const page = unanswered.slice((pageNo - 1) * pageSize, pageNo * pageSize);
  const texts = page.length
    ? new Map(
        (await db.selectFrom('recommendations').select(['id', 'text_ar', 'text_en', 'status', 'document_id']).where('id', 'in', page.map((p) => p.id)).execute()).map((t) => [t.id, t]),
      )
    : new Map();
  const clusterAnswered = [...clusters.values()].filter(Boolean).length;
  return {
    plan: { id: plan.id, title_ar: plan.title_ar, title_en: plan.title_en, status: plan.status as PlanStatus },
    filters: { q: filters.q ?? null, ...(Object.fromEntries(FACETS.map((f) => [f, filters[f] ?? []])) as Record<(typeof FACETS)[number], string[]>) },
    recommendations: { total: rows.length, answered, unanswered: rows.length - answered, percent: rows.length ? Math.round((answered / rows.length) * 100) : null },
    clusters: { total: clusters.size, answered: clusterAnswered, unanswered: clusters.size - clusterAnswered },
    by_position: byPosition,
    unanswered: {
      total: unanswered.length,
      page: pageNo,
      pageSize,
      facets: selected.narrowed.facets,
      items: page.map((r) => {
        const t = texts.get(r.id);
        return { id: r.id, paragraph: r.paragraph, symbol: r.symbol, body: r.body, position: r.position, cluster_id: r.cluster_id, text_ar: t?.text_ar ?? null, text_en: t?.text_en ?? null, status: t?.status ?? null };
      }),
    },
  };
}
