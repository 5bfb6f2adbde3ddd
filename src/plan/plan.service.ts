import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { authorize, canEditPlan, type Actor } from '../auth/permissions.ts';
import type { DB, Plan, PlanAction, PlanStatus } from '../db/schema.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import type {
  CreateActionInput,
  CreatePillarInput,
  CreatePlanInput,
  FromClusterInput,
  PatchActionInput,
  PatchPillarInput,
  PatchPlanInput,
  PlanPublicationInput,
} from './plan.schema.ts';

export type Q = Kysely<DB> | Transaction<DB>;

export const versionConflict = (currentVersion?: number) =>
  conflict('version_conflict', 'Someone else changed this record meanwhile. Reload it and try again.', currentVersion === undefined ? undefined : { currentVersion });

/** The plan's workflow: draft ⇄ consultation → adopted → archived. */
const PLAN_TRANSITIONS: Record<PlanStatus, PlanStatus[]> = {
  draft: ['consultation'],
  consultation: ['draft', 'adopted'],
  adopted: ['archived'],
  archived: [],
};
export const FROZEN: PlanStatus[] = ['adopted', 'archived'];

export async function findPlan(db: Q, id: string): Promise<Plan> {
  const row = await db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Plan');
  return row;
}

/** The plan a change goes into, refusing a frozen (adopted or archived) version with the way to a new one. */
export async function editablePlan(db: Q, planId: string): Promise<Plan> {
  const plan = await findPlan(db, planId);
  if (FROZEN.includes(plan.status)) {
    throw conflict('plan_adopted', `This plan version is ${plan.status} and frozen. Start a new draft version to change it.`, {
      planId: plan.id,
      status: plan.status,
      newVersion: { method: 'POST', url: `/api/plans/${plan.id}/versions` },
    });
  }
  return plan;
}

export function checkPeriod(start: string | null | undefined, end: string | null | undefined, field: string): void {
  if (start && end && start > end) throw badRequest('invalid_period', 'The end date is before the start date.', { field });
}

export async function checkEntities(db: Q, ids: (string | null | undefined)[], field: string): Promise<void> {
  const wanted = [...new Set(ids.filter((i): i is string => !!i))];
  if (!wanted.length) return;
  const found = new Set(
    (await db.selectFrom('entities').select('id').where('id', 'in', wanted).where('archived_at', 'is', null).execute()).map((r) => r.id),
  );
  const missing = wanted.filter((i) => !found.has(i));
  if (missing.length) throw badRequest('unknown_entity', `Unknown or archived entity: ${missing.join(', ')}.`, { field, missing });
}

async function checkIds(db: Q, table: 'recommendations' | 'clusters', ids: string[], code: string, field: string): Promise<void> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return;
  const found = new Set((await db.selectFrom(table).select('id').where('id', 'in', wanted).execute()).map((r) => r.id));
  const missing = wanted.filter((i) => !found.has(i));
  if (missing.length) throw badRequest(code, `${missing.length} unknown id(s) in ${field}.`, { field, missing });
}

async function checkSdgTargets(db: Q, ids: string[]): Promise<void> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return;
  const found = new Set(
    (await db.selectFrom('terms').select('id').where('id', 'in', wanted).where('kind', 'in', ['sdg_target', 'sdg_goal']).execute()).map((r) => r.id),
  );
  const missing = wanted.filter((i) => !found.has(i));
  if (missing.length) throw badRequest('unknown_sdg_target', `${missing.length} unknown SDG target(s).`, { field: 'sdg_target_ids', missing });
}

async function checkCodeFree(db: Q, table: 'plan_pillars' | 'plan_objectives' | 'plan_actions', planId: string, code: string, exceptId?: string) {
  let q = db.selectFrom(table).select('id').where('plan_id', '=', planId).where('code', '=', code);
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) {
    throw conflict('duplicate_code', `The code "${code}" is already used in this plan.`, { field: 'code', code });
  }
}

/** Writes only the fields that changed; returns before/after for the audit log. */
function diff<T extends object>(current: T, fields: Partial<T>): { set: Partial<T>; before: Partial<T>; after: Partial<T> } {
  const set: Partial<T> = {};
  const before: Partial<T> = {};
  const after: Partial<T> = {};
  for (const [k, v] of Object.entries(fields) as [keyof T, T[keyof T] | undefined][]) {
    if (v !== undefined && current[k] !== v) {
      set[k] = v;
      before[k] = current[k];
      after[k] = v;
    }
  }
  return { set, before, after };
}

/* ------------------------------------------------------------------ plans */

export async function createPlan(db: Kysely<DB>, input: CreatePlanInput, actor: Actor): Promise<Plan> {
  authorize(canEditPlan(actor));
  checkPeriod(input.period_start, input.period_end, 'period_end');
  const now = nowIso();
  const id = newId();
  const row: Plan = {
    id,
    lineage_id: id,
    version_number: 1,
    previous_id: null,
    title_ar: input.title_ar,
    title_en: input.title_en,
    period_start: input.period_start,
    period_end: input.period_end,
    status: 'draft',
    adopted_at: null,
    adopted_by: null,
    published_at: null,
    published_by: null,
    created_by: actor.id,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('plans').values(row).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'plan.create', subjectType: 'plan', subjectId: id, after: row });
  });
  return row;
}

export async function patchPlan(db: Kysely<DB>, id: string, input: PatchPlanInput, actor: Actor): Promise<Plan> {
  authorize(canEditPlan(actor));
  await db.transaction().execute(async (trx) => {
    const current = await editablePlan(trx, id);
    if (current.version !== input.version) throw versionConflict(current.version);
    const { version, ...fields } = input;
    checkPeriod(fields.period_start ?? current.period_start, fields.period_end ?? current.period_end, 'period_end');
    const { set, before, after } = diff(current, fields);
    const res = await trx
      .updateTable('plans')
      .set({ ...set, updated_at: nowIso(), version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw versionConflict();
    await recordAudit(trx, { actorId: actor.id, action: 'plan.edit', subjectType: 'plan', subjectId: id, before, after });
  });
  return findPlan(db, id);
}

/** Moves a plan along draft ⇄ consultation → adopted → archived. Adopting archives the lineage's earlier adopted version. */
export async function setPlanStatus(db: Kysely<DB>, id: string, input: { version: number; status: PlanStatus }, actor: Actor): Promise<Plan> {
  authorize(canEditPlan(actor));
  await db.transaction().execute(async (trx) => {
    const current = await findPlan(trx, id);
    if (current.version !== input.version) throw versionConflict(current.version);
    if (!PLAN_TRANSITIONS[current.status].includes(input.status)) {
      throw conflict('invalid_plan_transition', `A plan that is ${current.status} cannot become ${input.status}.`, {
        from: current.status,
        to: input.status,
        allowed: PLAN_TRANSITIONS[current.status],
      });
    }
    const now = nowIso();
    const patch: Partial<Plan> = { status: input.status, updated_at: now, version: current.version + 1 };
    if (input.status === 'adopted') {
      patch.adopted_at = now;
      patch.adopted_by = actor.id;
      const earlier = await trx
        .selectFrom('plans')
        .select(['id', 'version'])
        .where('lineage_id', '=', current.lineage_id)
        .where('status', '=', 'adopted')
        .where('id', '<>', id)
        .execute();
      for (const e of earlier) {
        await trx.updateTable('plans').set({ status: 'archived', updated_at: now, version: e.version + 1 }).where('id', '=', e.id).execute();
        await recordAudit(trx, { actorId: actor.id, action: 'plan.status', subjectType: 'plan', subjectId: e.id, before: { status: 'adopted' }, after: { status: 'archived', supersededBy: id } });
      }
    }
    const res = await trx.updateTable('plans').set(patch).where('id', '=', id).where('version', '=', current.version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw versionConflict();
    await recordAudit(trx, { actorId: actor.id, action: 'plan.status', subjectType: 'plan', subjectId: id, before: { status: current.status }, after: { status: input.status } });
  });
  return findPlan(db, id);
}

/**
 * Publishes an adopted plan version on the public portal, or withdraws it (audited). Only an adopted version may be
 * published (a draft, consultation or archived one answers 409 plan_not_publishable); withdrawing works at any
 * status. Publishing what is already published (or withdrawing what is not) changes nothing.
 */
export async function setPlanPublication(db: Kysely<DB>, id: string, input: PlanPublicationInput, actor: Actor): Promise<Plan> {
  authorize(canEditPlan(actor));
  await db.transaction().execute(async (trx) => {
    const current = await findPlan(trx, id);
    if (current.version !== input.version) throw versionConflict(current.version);
    if (input.published === (current.published_at !== null)) return;
    if (input.published && current.status !== 'adopted') {
      throw conflict('plan_not_publishable', `Only an adopted plan version is published; this one is ${current.status}.`, { status: current.status });
    }
    const now = nowIso();
    const patch = input.published ? { published_at: now, published_by: actor.id } : { published_at: null, published_by: null };
    const res = await trx
      .updateTable('plans')
      .set({ ...patch, updated_at: now, version: current.version + 1 })
      .where('id', '=', id)
      .where('version', '=', current.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw versionConflict();
    await recordAudit(trx, {
      actorId: actor.id,
      action: input.published ? 'plan.publish' : 'plan.unpublish',
      subjectType: 'plan',
      subjectId: id,
      before: { published_at: current.published_at },
      after: { published_at: patch.published_at },
    });
  });
  return findPlan(db, id);
}

/**
 * Starts a new draft version from an adopted (or archived) one: the whole tree is copied (pillars, objectives,
 * actions with their partners and links, indicators, and the approved progress updates on the actions with their values). One draft at a time per plan.
 */
export async function newPlanVersion(db: Kysely<DB>, id: string, actor: Actor): Promise<Plan> {
  authorize(canEditPlan(actor));
  const newPlanId = await db.transaction().execute(async (trx) => {
    const source = await findPlan(trx, id);
    if (!FROZEN.includes(source.status)) {
      throw conflict('plan_not_adopted', 'Only an adopted or archived version is copied into a new draft; this one can be edited directly.', { status: source.status });
    }
    const open = await trx
      .selectFrom('plans')
      .select(['id', 'version_number'])
      .where('lineage_id', '=', source.lineage_id)
      .where('status', 'in', ['draft', 'consultation'])
      .executeTakeFirst();
    if (open) throw conflict('draft_version_exists', 'A draft version of this plan already exists.', { planId: open.id, versionNumber: open.version_number });
    const max = await trx
      .selectFrom('plans')
      .select((eb) => eb.fn.max('version_number').as('n'))
      .where('lineage_id', '=', source.lineage_id)
      .executeTakeFirstOrThrow();
    const now = nowIso();
    const plan: Plan = {
      ...source,
      id: newId(),
      version_number: Number(max.n) + 1,
      previous_id: source.id,
      status: 'draft',
      adopted_at: null,
      adopted_by: null,
      published_at: null,
      published_by: null,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await trx.insertInto('plans').values(plan).execute();
    const stamp = { created_at: now, updated_at: now, version: 1 };
    const pillarMap = new Map<string, string>();
    for (const p of await trx.selectFrom('plan_pillars').selectAll().where('plan_id', '=', source.id).execute()) {
      const nid = newId();
      pillarMap.set(p.id, nid);
      await trx.insertInto('plan_pillars').values({ ...p, ...stamp, id: nid, plan_id: plan.id }).execute();
    }
    const objectiveMap = new Map<string, string>();
    for (const o of await trx.selectFrom('plan_objectives').selectAll().where('plan_id', '=', source.id).execute()) {
      const nid = newId();
      objectiveMap.set(o.id, nid);
      await trx.insertInto('plan_objectives').values({ ...o, ...stamp, id: nid, plan_id: plan.id, pillar_id: pillarMap.get(o.pillar_id)! }).execute();
    }
    const actionMap = new Map<string, string>();
    const actions = await trx.selectFrom('plan_actions').selectAll().where('plan_id', '=', source.id).execute();
    for (const a of actions) {
      const nid = newId();
      actionMap.set(a.id, nid);
      await trx.insertInto('plan_actions').values({ ...a, ...stamp, id: nid, plan_id: plan.id, objective_id: objectiveMap.get(a.objective_id)! }).execute();
    }
    const oldActionIds = actions.map((a) => a.id);
    if (oldActionIds.length) {
      for (const table of ['plan_action_partners', 'plan_action_recommendations', 'plan_action_clusters', 'plan_action_sdgs'] as const) {
        const rows = (await trx.selectFrom(table).selectAll().where('action_id', 'in', oldActionIds).execute()) as Record<string, string>[];
        if (rows.length) {
          await trx
            .insertInto(table)
            .values(rows.map((r) => ({ ...r, action_id: actionMap.get(r.action_id!)! })) as never)
            .execute();
        }
      }
    }
    const indicators = await trx.selectFrom('plan_indicators').selectAll().where('plan_id', '=', source.id).execute();
    const indicatorMap = new Map<string, string>();
    for (const ind of indicators) {
      const nid = newId();
      indicatorMap.set(ind.id, nid);
      await trx
        .insertInto('plan_indicators')
        .values({
          ...ind,
          ...stamp,
          id: nid,
          plan_id: plan.id,
          action_id: ind.action_id ? actionMap.get(ind.action_id)! : null,
          objective_id: ind.objective_id ? objectiveMap.get(ind.objective_id)! : null,
        })
        .execute();
    }
    // The follow-up history carries over: approved updates on the actions, with their measures and indicator values
    // (evidence files stay with the update on the earlier version, where they can still be downloaded).
    if (oldActionIds.length) {
      const approved = await trx.selectFrom('progress_updates').selectAll().where('action_id', 'in', oldActionIds).where('status', '=', 'approved').execute();
      for (const u of approved) {
        const nid = newId();
        await trx.insertInto('progress_updates').values({ ...u, id: nid, action_id: actionMap.get(u.action_id!)! }).execute();
        const measures = await trx.selectFrom('update_measures').selectAll().where('update_id', '=', u.id).execute();
        if (measures.length) await trx.insertInto('update_measures').values(measures.map((m) => ({ ...m, id: newId(), update_id: nid }))).execute();
        const values = await trx.selectFrom('plan_indicator_values').selectAll().where('update_id', '=', u.id).execute();
        if (values.length) {
          await trx
            .insertInto('plan_indicator_values')
            .values(values.map((v) => ({ ...v, id: newId(), update_id: nid, indicator_id: indicatorMap.get(v.indicator_id)! })))
            .execute();
        }
      }
    }
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'plan.version',
      subjectType: 'plan',
      subjectId: plan.id,
      after: { from: source.id, fromVersion: source.version_number, versionNumber: plan.version_number },
    });
    return plan.id;
  });
  return findPlan(db, newPlanId);
}

/* ---------------------------------------------------------- pillars, objectives */

type Section = 'plan_pillars' | 'plan_objectives';
const SECTION_NAMES = { plan_pillars: 'pillar', plan_objectives: 'objective' } as const;

async function findSection(db: Q, table: Section, id: string) {
  const row = await db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(SECTION_NAMES[table] === 'pillar' ? 'Pillar' : 'Objective');
  return row;
}

export async function createPillar(db: Kysely<DB>, planId: string, input: CreatePillarInput, actor: Actor) {
  authorize(canEditPlan(actor));
  return db.transaction().execute(async (trx) => {
    await editablePlan(trx, planId);
    await checkCodeFree(trx, 'plan_pillars', planId, input.code);
    const now = nowIso();
    const count = await trx.selectFrom('plan_pillars').select((eb) => eb.fn.countAll<number>().as('n')).where('plan_id', '=', planId).executeTakeFirstOrThrow();
    const row = { id: newId(), plan_id: planId, code: input.code, title_ar: input.title_ar, title_en: input.title_en, sort: input.sort ?? Number(count.n), created_at: now, updated_at: now, version: 1 };
    await trx.insertInto('plan_pillars').values(row).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'plan.pillar.create', subjectType: 'plan_pillar', subjectId: row.id, after: row });
    return row;
  });
}

export async function createObjective(db: Kysely<DB>, pillarId: string, input: CreatePillarInput, actor: Actor) {
  authorize(canEditPlan(actor));
  return db.transaction().execute(async (trx) => {
    const pillar = await findSection(trx, 'plan_pillars', pillarId);
    await editablePlan(trx, pillar.plan_id);
    await checkCodeFree(trx, 'plan_objectives', pillar.plan_id, input.code);
    const now = nowIso();
    const count = await trx.selectFrom('plan_objectives').select((eb) => eb.fn.countAll<number>().as('n')).where('pillar_id', '=', pillarId).executeTakeFirstOrThrow();
    const row = {
      id: newId(),
      plan_id: pillar.plan_id,
      pillar_id: pillarId,
      code: input.code,
      title_ar: input.title_ar,
      title_en: input.title_en,
      sort: input.sort ?? Number(count.n),
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await trx.insertInto('plan_objectives').values(row).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'plan.objective.create', subjectType: 'plan_objective', subjectId: row.id, after: row });
    return row;
  });
}

export async function patchSection(db: Kysely<DB>, table: Section, id: string, input: PatchPillarInput, actor: Actor) {
  authorize(canEditPlan(actor));
  const name = SECTION_NAMES[table];
  await db.transaction().execute(async (trx) => {
    const current = await findSection(trx, table, id);
    await editablePlan(trx, current.plan_id);
    if (current.version !== input.version) throw versionConflict(current.version);
    const { version, ...fields } = input;
    if (fields.code && fields.code !== current.code) await checkCodeFree(trx, table, current.plan_id, fields.code, id);
    const { set, before, after } = diff(current, fields);
    const res = await trx.updateTable(table).set({ ...set, updated_at: nowIso(), version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw versionConflict();
    await recordAudit(trx, { actorId: actor.id, action: `plan.${name}.edit`, subjectType: `plan_${name}`, subjectId: id, before, after });
  });
  return findSection(db, table, id);
}

/** Deletes a pillar or an objective with everything under it (the database cascades); audited with what went. */
export async function deleteSection(db: Kysely<DB>, table: Section, id: string, version: number, actor: Actor): Promise<void> {
  authorize(canEditPlan(actor));
  const name = SECTION_NAMES[table];
  await db.transaction().execute(async (trx) => {
    const current = await findSection(trx, table, id);
    await editablePlan(trx, current.plan_id);
    if (current.version !== version) throw versionConflict(current.version);
    const actions =
      table === 'plan_pillars'
        ? await trx.selectFrom('plan_actions as a').innerJoin('plan_objectives as o', 'o.id', 'a.objective_id').select(['a.id', 'a.code']).where('o.pillar_id', '=', id).execute()
        : await trx.selectFrom('plan_actions').select(['id', 'code']).where('objective_id', '=', id).execute();
    await trx.deleteFrom(table).where('id', '=', id).execute();
    await recordAudit(trx, { actorId: actor.id, action: `plan.${name}.delete`, subjectType: `plan_${name}`, subjectId: id, before: { ...current, actions } });
  });
}

/* ---------------------------------------------------------------- actions */

export async function findAction(db: Q, id: string): Promise<PlanAction> {
  const row = await db.selectFrom('plan_actions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Action');
  return row;
}

interface ActionLinks {
  partner_entity_ids?: string[];
  recommendation_ids?: string[];
  cluster_ids?: string[];
  sdg_target_ids?: string[];
}

async function checkLinks(trx: Q, input: ActionLinks & { lead_entity_id?: string | null }) {
  await checkEntities(trx, [input.lead_entity_id], 'lead_entity_id');
  await checkEntities(trx, input.partner_entity_ids ?? [], 'partner_entity_ids');
  await checkIds(trx, 'recommendations', input.recommendation_ids ?? [], 'unknown_recommendation', 'recommendation_ids');
  await checkIds(trx, 'clusters', input.cluster_ids ?? [], 'unknown_cluster', 'cluster_ids');
  await checkSdgTargets(trx, input.sdg_target_ids ?? []);
}

export async function actionLinks(db: Q, actionId: string) {
  const [partners, recommendations, clusters, sdgs] = await Promise.all([
    db.selectFrom('plan_action_partners').select('entity_id').where('action_id', '=', actionId).orderBy('entity_id').execute(),
    db.selectFrom('plan_action_recommendations').select('recommendation_id').where('action_id', '=', actionId).orderBy('recommendation_id').execute(),
    db.selectFrom('plan_action_clusters').select('cluster_id').where('action_id', '=', actionId).orderBy('cluster_id').execute(),
    db.selectFrom('plan_action_sdgs').select('term_id').where('action_id', '=', actionId).orderBy('term_id').execute(),
  ]);
  return {
    partner_entity_ids: partners.map((r) => r.entity_id),
    recommendation_ids: recommendations.map((r) => r.recommendation_id),
    cluster_ids: clusters.map((r) => r.cluster_id),
    sdg_target_ids: sdgs.map((r) => r.term_id),
  };
}

async function writeLinks(trx: Transaction<DB>, actionId: string, links: ActionLinks) {
  const sets = [
    ['plan_action_partners', 'entity_id', links.partner_entity_ids],
    ['plan_action_recommendations', 'recommendation_id', links.recommendation_ids],
    ['plan_action_clusters', 'cluster_id', links.cluster_ids],
    ['plan_action_sdgs', 'term_id', links.sdg_target_ids],
  ] as const;
  for (const [table, column, ids] of sets) {
    if (ids === undefined) continue;
    await trx.deleteFrom(table).where('action_id', '=', actionId).execute();
    const unique = [...new Set(ids)];
    if (unique.length) await trx.insertInto(table).values(unique.map((v) => ({ action_id: actionId, [column]: v })) as never).execute();
  }
}

async function defaultCurrency(db: Q): Promise<string> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'currency').executeTakeFirst();
  const v = row ? (JSON.parse(row.value) as unknown) : null;
  return typeof v === 'string' && /^[A-Z]{3}$/.test(v) ? v : 'KWD';
}

export async function createAction(db: Kysely<DB>, objectiveId: string, input: CreateActionInput, actor: Actor) {
  authorize(canEditPlan(actor));
  const id = await db.transaction().execute(async (trx) => {
    const objective = await findSection(trx, 'plan_objectives', objectiveId);
    const plan = await editablePlan(trx, objective.plan_id);
    return insertAction(trx, plan.id, objectiveId, input, actor);
  });
  return getAction(db, id);
}

async function insertAction(trx: Transaction<DB>, planId: string, objectiveId: string, input: CreateActionInput, actor: Actor): Promise<string> {
  checkPeriod(input.start_date, input.end_date, 'end_date');
  await checkCodeFree(trx, 'plan_actions', planId, input.code);
  await checkLinks(trx, input);
  const now = nowIso();
  const count = await trx.selectFrom('plan_actions').select((eb) => eb.fn.countAll<number>().as('n')).where('objective_id', '=', objectiveId).executeTakeFirstOrThrow();
  const row: PlanAction = {
    id: newId(),
    plan_id: planId,
    objective_id: objectiveId,
    code: input.code,
    title_ar: input.title_ar,
    title_en: input.title_en,
    description_ar: input.description_ar ?? null,
    description_en: input.description_en ?? null,
    lead_entity_id: input.lead_entity_id ?? null,
    start_date: input.start_date ?? null,
    end_date: input.end_date ?? null,
    budget_amount: input.budget_amount ?? null,
    budget_currency: input.budget_amount != null ? (input.budget_currency ?? (await defaultCurrency(trx))) : (input.budget_currency ?? null),
    budget_source: input.budget_source ?? 'none',
    priority: input.priority ?? 'medium',
    status: input.status ?? 'not_started',
    sort: input.sort ?? Number(count.n),
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await trx.insertInto('plan_actions').values(row).execute();
  await writeLinks(trx, row.id, input);
  await recordAudit(trx, {
    actorId: actor.id,
    action: 'plan.action.create',
    subjectType: 'plan_action',
    subjectId: row.id,
    after: { ...row, ...(await actionLinks(trx, row.id)) },
  });
  return row.id;
}

export async function getAction(db: Q, id: string) {
  const action = await findAction(db, id);
  return { ...action, ...(await actionLinks(db, id)) };
}

/**
 * Edits an action. In a frozen (adopted) version only `status` may change: that is follow-up, not a change to
 * the adopted plan; anything else answers 409 plan_adopted.
 */
export async function patchAction(db: Kysely<DB>, id: string, input: PatchActionInput, actor: Actor) {
  authorize(canEditPlan(actor));
  await db.transaction().execute(async (trx) => {
    const current = await findAction(trx, id);
    const { version, partner_entity_ids, recommendation_ids, cluster_ids, sdg_target_ids, ...fields } = input;
    const onlyStatus = Object.entries(input).every(([k, v]) => k === 'version' || k === 'status' || v === undefined);
    if (!onlyStatus) await editablePlan(trx, current.plan_id);
    else await findPlan(trx, current.plan_id);
    if (current.version !== version) throw versionConflict(current.version);
    if (fields.objective_id && fields.objective_id !== current.objective_id) {
      const target = await findSection(trx, 'plan_objectives', fields.objective_id);
      if (target.plan_id !== current.plan_id) throw badRequest('wrong_plan', 'The objective belongs to another plan.', { field: 'objective_id' });
    }
    checkPeriod(fields.start_date === undefined ? current.start_date : fields.start_date, fields.end_date === undefined ? current.end_date : fields.end_date, 'end_date');
    if (fields.code && fields.code !== current.code) await checkCodeFree(trx, 'plan_actions', current.plan_id, fields.code, id);
    const links: ActionLinks = { partner_entity_ids, recommendation_ids, cluster_ids, sdg_target_ids };
    await checkLinks(trx, { ...links, lead_entity_id: fields.lead_entity_id });
    if (fields.budget_amount != null && fields.budget_currency === undefined && !current.budget_currency) fields.budget_currency = await defaultCurrency(trx);
    const { set, before, after } = diff(current, fields);
    const priorLinks = await actionLinks(trx, id);
    for (const [k, v] of Object.entries(links) as [keyof ActionLinks, string[] | undefined][]) {
      if (v === undefined) continue;
      const next = [...new Set(v)].sort();
      if (JSON.stringify(next) !== JSON.stringify(priorLinks[k])) {
        (before as Record<string, unknown>)[k] = priorLinks[k];
        (after as Record<string, unknown>)[k] = next;
      }
    }
    const res = await trx
      .updateTable('plan_actions')
      .set({ ...set, updated_at: nowIso(), version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw versionConflict();
    await writeLinks(trx, id, links);
    await recordAudit(trx, { actorId: actor.id, action: 'plan.action.edit', subjectType: 'plan_action', subjectId: id, before, after });
  });
  return getAction(db, id);
}

export async function deleteAction(db: Kysely<DB>, id: string, version: number, actor: Actor): Promise<void> {
  authorize(canEditPlan(actor));
  await db.transaction().execute(async (trx) => {
    const current = await findAction(trx, id);
    await editablePlan(trx, current.plan_id);
    if (current.version !== version) throw versionConflict(current.version);
    const links = await actionLinks(trx, id);
    await trx.deleteFrom('plan_actions').where('id', '=', id).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'plan.action.delete', subjectType: 'plan_action', subjectId: id, before: { ...current, ...links } });
  });
}

/**
 * One step from a cluster to a draft action under an objective: the cluster and all its recommendations are
 * linked, the SDG targets its recommendations carry are linked, the lead entity is the cluster's lead assignment
 * (or, failing that, the entity most often lead on its recommendations), partners are the supporting ones.
 */
export async function actionFromCluster(db: Kysely<DB>, planId: string, input: FromClusterInput, actor: Actor) {
  authorize(canEditPlan(actor));
  const id = await db.transaction().execute(async (trx) => {
    await editablePlan(trx, planId);
    const objective = await findSection(trx, 'plan_objectives', input.objective_id);
    if (objective.plan_id !== planId) throw badRequest('wrong_plan', 'The objective belongs to another plan.', { field: 'objective_id' });
    const cluster = await trx.selectFrom('clusters').selectAll().where('id', '=', input.cluster_id).executeTakeFirst();
    if (!cluster) throw badRequest('unknown_cluster', `No cluster "${input.cluster_id}".`, { field: 'cluster_id' });
    const members = await trx
      .selectFrom('recommendations')
      .select(['id', 'text_ar', 'text_en'])
      .where('cluster_id', '=', cluster.id)
      .orderBy('id')
      .execute();
    if (!members.length) throw badRequest('empty_cluster', 'This cluster has no recommendations.', { field: 'cluster_id' });
    const memberIds = members.map((m) => m.id);
    const assignments = await trx
      .selectFrom('assignments')
      .select(['entity_id', 'role', 'cluster_id', 'recommendation_id'])
      .where((eb) => eb.or([eb('cluster_id', '=', cluster.id), eb('recommendation_id', 'in', memberIds)]))
      .execute();
    const leadCounts = new Map<string, number>();
    let lead: string | null = null;
    for (const a of assignments) {
      if (a.role !== 'lead') continue;
      if (a.cluster_id) lead ??= a.entity_id;
      else leadCounts.set(a.entity_id, (leadCounts.get(a.entity_id) ?? 0) + 1);
    }
    if (!lead && leadCounts.size) lead = [...leadCounts.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]![0];
    const partners = [...new Set(assignments.filter((a) => a.entity_id !== lead).map((a) => a.entity_id))];
    const sdgs = await trx
      .selectFrom('recommendation_terms as rt')
      .innerJoin('terms as t', 't.id', 'rt.term_id')
      .select('t.id')
      .distinct()
      .where('rt.recommendation_id', 'in', memberIds)
      .where('t.kind', '=', 'sdg_target')
      .execute();
    let code = input.code;
    if (!code) {
      const codes = new Set((await trx.selectFrom('plan_actions').select('code').where('plan_id', '=', planId).execute()).map((r) => r.code));
      let n = codes.size + 1;
      while (codes.has(`A-${n}`)) n += 1;
      code = `A-${n}`;
    }
    const fallback = (t: string | null | undefined) => (t ? (t.length > 200 ? `${t.slice(0, 197)}…` : t) : null);
    const title_ar = cluster.title_ar ?? fallback(members[0]!.text_ar) ?? cluster.title_en ?? `مجموعة ${code}`;
    const title_en = cluster.title_en ?? fallback(members[0]!.text_en) ?? cluster.title_ar ?? `Cluster ${code}`;
    return insertAction(trx, planId, objective.id, {
      code,
      title_ar,
      title_en,
      lead_entity_id: lead,
      partner_entity_ids: partners,
      recommendation_ids: memberIds,
      cluster_ids: [cluster.id],
      sdg_target_ids: sdgs.map((s) => s.id),
      status: 'not_started',
    }, actor);
  });
  return getAction(db, id);
}
