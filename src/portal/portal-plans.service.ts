/**
 * The action plan on the public portal: only plan versions a coordinator published (`plans.published_at`, set only
 * on an adopted version), their pillars, objectives, actions (status, lead entity), indicators with the values of
 * approved progress updates only, and the recommendations and clusters each action answers, of which only the
 * published recommendations and the accepted clusters with a published member are named. Every query names its
 * columns: internal fields (budgets, notes, partners' workspaces, drafts, reviewers) never leave.
 */
import type { Kysely } from 'kysely';
import type { ActionStatus, DB } from '../db/schema.ts';
import { actionProgress, attainment, indicatorValueSummary, meanProgress } from '../plan/index.ts';
import { compareNatural } from '../shared/natural-sort.ts';
import { notFound } from '../shared/errors.ts';

const PLAN_COLUMNS = ['p.id', 'p.title_ar', 'p.title_en', 'p.period_start', 'p.period_end', 'p.status', 'p.version_number', 'p.adopted_at', 'p.published_at'] as const;

/** Published plan versions, newest publication first, with their pillars (for the list, the home page and the sitemap). */
export async function publishedPlans(db: Kysely<DB>) {
  const plans = await db.selectFrom('plans as p').select(PLAN_COLUMNS).where('p.published_at', 'is not', null).orderBy('p.published_at', 'desc').orderBy('p.id').execute();
  if (!plans.length) return [];
  const pillars = await db
    .selectFrom('plan_pillars')
    .select(['id', 'plan_id', 'code', 'title_ar', 'title_en'])
    .where(
      'plan_id',
      'in',
      plans.map((p) => p.id),
    )
    .orderBy('sort')
    .orderBy('code')
    .execute();
  return plans.map((p) => ({ ...p, pillars: pillars.filter((x) => x.plan_id === p.id).map(({ plan_id: _, ...x }) => x) }));
}

async function publishedPlan(db: Kysely<DB>, id: string) {
  const plan = await db.selectFrom('plans as p').select(PLAN_COLUMNS).where('p.id', '=', id).where('p.published_at', 'is not', null).executeTakeFirst();
  if (!plan) throw notFound('Plan');
  return plan;
}

export interface PublicIndicator {
  id: string;
  name_ar: string;
  name_en: string;
  unit: string | null;
  baseline_value: string | null;
  baseline_year: number | null;
  target_value: string | null;
  target_year: number | null;
  /** 0..100 from the latest approved value, or null */
  attainment: number | null;
}

/** An indicator as its pillar's page shows it: with the values of approved progress updates only, oldest first. */
export interface PublicIndicatorWithValues extends PublicIndicator {
  values: { date: string; value: string }[];
}

/** A published plan with every pillar, objective and action (the tree the plan and pillar pages show); 404 otherwise. */
export async function publicPlanTree(db: Kysely<DB>, planId: string) {
  const plan = await publishedPlan(db, planId);
  const [pillars, objectives, actions, indicators, values, recs, clusters] = await Promise.all([
    db.selectFrom('plan_pillars').select(['id', 'code', 'title_ar', 'title_en']).where('plan_id', '=', planId).orderBy('sort').orderBy('code').execute(),
    db.selectFrom('plan_objectives').select(['id', 'pillar_id', 'code', 'title_ar', 'title_en']).where('plan_id', '=', planId).orderBy('sort').orderBy('code').execute(),
    db
      .selectFrom('plan_actions as a')
      .leftJoin('entities as e', 'e.id', 'a.lead_entity_id')
      .select(['a.id', 'a.objective_id', 'a.code', 'a.title_ar', 'a.title_en', 'a.description_ar', 'a.description_en', 'a.status', 'a.start_date', 'a.end_date', 'e.name_ar as lead_name_ar', 'e.name_en as lead_name_en'])
      .where('a.plan_id', '=', planId)
      .orderBy('a.sort')
      .orderBy('a.code')
      .execute(),
    db
      .selectFrom('plan_indicators')
      .select(['id', 'action_id', 'objective_id', 'name_ar', 'name_en', 'unit', 'baseline_value', 'baseline_year', 'target_value', 'target_year'])
      .where('plan_id', '=', planId)
      .orderBy('sort')
      .orderBy('created_at')
      .execute(),
    // the latest value of approved progress updates only (the plan page's grouped read)
    indicatorValueSummary(db, planId),
    // only published recommendations
    db
      .selectFrom('plan_action_recommendations as x')
      .innerJoin('plan_actions as a', 'a.id', 'x.action_id')
      .innerJoin('recommendations as r', 'r.id', 'x.recommendation_id')
      .innerJoin('documents as d', 'd.id', 'r.document_id')
      .select(['x.action_id', 'r.id', 'r.paragraph', 'd.symbol'])
      .where('a.plan_id', '=', planId)
      .where('r.is_public', '=', 1)
      .execute(),
    // only accepted clusters with at least one published member (the others have no public page)
    db
      .selectFrom('plan_action_clusters as x')
      .innerJoin('plan_actions as a', 'a.id', 'x.action_id')
      .innerJoin('clusters as c', 'c.id', 'x.cluster_id')
      .select(['x.action_id', 'c.id', 'c.title_ar', 'c.title_en'])
      .where('a.plan_id', '=', planId)
      .where('c.status', '=', 'accepted')
      .where((eb) => eb.exists(eb.selectFrom('recommendations as r').select('r.id').whereRef('r.cluster_id', '=', 'c.id').where('r.is_public', '=', 1)))
      .execute(),
  ]);
  recs.sort((a, b) => compareNatural(a.symbol, b.symbol) || compareNatural(a.paragraph, b.paragraph));
  const presentIndicator = (i: (typeof indicators)[number]): PublicIndicator => {
    const att = attainment(values.get(i.id)?.latest?.value, i.baseline_value, i.target_value);
    return {
      id: i.id,
      name_ar: i.name_ar,
      name_en: i.name_en,
      unit: i.unit,
      baseline_value: i.baseline_value,
      baseline_year: i.baseline_year,
      target_value: i.target_value,
      target_year: i.target_year,
      attainment: att === null ? null : Math.round(att * 100),
    };
  };
  const actionTree = actions.map((a) => {
    const inds = indicators.filter((i) => i.action_id === a.id).map(presentIndicator);
    return {
      id: a.id,
      objective_id: a.objective_id,
      code: a.code,
      title_ar: a.title_ar,
      title_en: a.title_en,
      description_ar: a.description_ar,
      description_en: a.description_en,
      status: a.status as ActionStatus,
      start_date: a.start_date,
      end_date: a.end_date,
      lead: a.lead_name_ar || a.lead_name_en ? { name_ar: a.lead_name_ar, name_en: a.lead_name_en } : null,
      indicators: inds,
      progress: actionProgress(a.status as ActionStatus, inds.map((i) => (i.attainment === null ? null : i.attainment / 100))),
      recommendations: recs.filter((r) => r.action_id === a.id).map(({ action_id: _, ...r }) => r),
      clusters: clusters.filter((c) => c.action_id === a.id).map(({ action_id: _, ...c }) => c),
    };
  });
  const objectiveTree = objectives.map((o) => {
    const acts = actionTree.filter((a) => a.objective_id === o.id);
    return { ...o, actions: acts, indicators: indicators.filter((i) => i.objective_id === o.id).map(presentIndicator), progress: meanProgress(acts.map((a) => a.progress)) };
  });
  const pillarTree = pillars.map((p) => {
    const objs = objectiveTree.filter((o) => o.pillar_id === p.id);
    const acts = objs.flatMap((o) => o.actions);
    const statusCounts: Record<string, number> = {};
    for (const a of acts) statusCounts[a.status] = (statusCounts[a.status] ?? 0) + 1;
    return { ...p, objectives: objs, actionCount: acts.length, statusCounts, progress: meanProgress(objs.map((o) => o.progress)) };
  });
  return { plan, pillars: pillarTree, progress: meanProgress(pillarTree.map((p) => p.progress)) };
}

export type PublicPlanTree = Awaited<ReturnType<typeof publicPlanTree>>;

/**
 * One pillar of a published plan, its indicators with every approved value (read for this pillar's indicators only);
 * 404 when the plan is not published or the pillar is not its own.
 */
export async function publicPillar(db: Kysely<DB>, planId: string, pillarId: string) {
  const tree = await publicPlanTree(db, planId);
  const pillar = tree.pillars.find((p) => p.id === pillarId);
  if (!pillar) throw notFound('Pillar');
  const ids = pillar.objectives.flatMap((o) => [...o.indicators, ...o.actions.flatMap((a) => a.indicators)]).map((i) => i.id);
  const values = ids.length
    ? await db
        .selectFrom('plan_indicator_values as v')
        .innerJoin('progress_updates as u', 'u.id', 'v.update_id')
        .select(['v.indicator_id', 'v.date', 'v.value'])
        .where('v.indicator_id', 'in', ids)
        .where('u.status', '=', 'approved')
        .orderBy('v.date')
        .orderBy('u.reviewed_at')
        .execute()
    : [];
  const valuesOf = new Map<string, { date: string; value: string }[]>();
  for (const v of values) valuesOf.set(v.indicator_id, [...(valuesOf.get(v.indicator_id) ?? []), { date: v.date, value: v.value }]);
  const withValues = (i: PublicIndicator): PublicIndicatorWithValues => ({ ...i, values: valuesOf.get(i.id) ?? [] });
  const objectives = pillar.objectives.map((o) => ({ ...o, indicators: o.indicators.map(withValues), actions: o.actions.map((a) => ({ ...a, indicators: a.indicators.map(withValues) })) }));
  return { plan: tree.plan, pillar: { ...pillar, objectives }, pillars: tree.pillars };
}
