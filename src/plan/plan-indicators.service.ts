import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { authorize, canDraftIndicatorValue, canEditPlan, canReadUpdate, canReview, canSubmitIndicatorValue, type Actor } from '../auth/permissions.ts';
import type { DB, PlanIndicator, PlanIndicatorValue, UpdateStatus } from '../db/schema.ts';
import { badRequest, conflict, notFound } from '../server/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import type { CreateIndicatorInput, CreateValueInput, PatchIndicatorInput } from './plan.schema.ts';
import { checkEntities, editablePlan, findAction, findPlan, versionConflict, type Q } from './plan.service.ts';

export async function findIndicator(db: Q, id: string): Promise<PlanIndicator> {
  const row = await db.selectFrom('plan_indicators').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Indicator');
  return row;
}

const present = (i: PlanIndicator) => ({ ...i, disaggregation: JSON.parse(i.disaggregation) as string[] });

/** A target or a baseline is a number of something: it needs a unit. */
function checkUnit(fields: { unit?: string | null; baseline_value?: string | null; target_value?: string | null }) {
  if ((fields.target_value != null || fields.baseline_value != null) && !fields.unit) {
    throw badRequest('unit_required', 'A baseline or a target needs a unit.', { field: 'unit' });
  }
}

export async function createIndicator(db: Kysely<DB>, owner: { actionId?: string; objectiveId?: string }, input: CreateIndicatorInput, actor: Actor) {
  authorize(canEditPlan(actor));
  return db.transaction().execute(async (trx) => {
    let planId: string;
    if (owner.actionId) planId = (await findAction(trx, owner.actionId)).plan_id;
    else {
      const o = await trx.selectFrom('plan_objectives').select('plan_id').where('id', '=', owner.objectiveId!).executeTakeFirst();
      if (!o) throw notFound('Objective');
      planId = o.plan_id;
    }
    await editablePlan(trx, planId);
    checkUnit(input);
    await checkEntities(trx, [input.reporting_entity_id], 'reporting_entity_id');
    const now = nowIso();
    const row: PlanIndicator = {
      id: newId(),
      plan_id: planId,
      action_id: owner.actionId ?? null,
      objective_id: owner.actionId ? null : owner.objectiveId!,
      name_ar: input.name_ar,
      name_en: input.name_en,
      type: input.type,
      unit: input.unit ?? null,
      baseline_value: input.baseline_value ?? null,
      baseline_year: input.baseline_year ?? null,
      target_value: input.target_value ?? null,
      target_year: input.target_year ?? null,
      data_source: input.data_source ?? null,
      frequency: input.frequency ?? 'annual',
      reporting_entity_id: input.reporting_entity_id ?? null,
      disaggregation: JSON.stringify([...new Set(input.disaggregation ?? [])]),
      sort: input.sort ?? 0,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await trx.insertInto('plan_indicators').values(row).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'plan.indicator.create', subjectType: 'plan_indicator', subjectId: row.id, after: row });
    return present(row);
  });
}

export async function patchIndicator(db: Kysely<DB>, id: string, input: PatchIndicatorInput, actor: Actor) {
  authorize(canEditPlan(actor));
  await db.transaction().execute(async (trx) => {
    const current = await findIndicator(trx, id);
    await editablePlan(trx, current.plan_id);
    if (current.version !== input.version) throw versionConflict(current.version);
    const { version, disaggregation, ...fields } = input;
    const merged = { ...current, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) };
    checkUnit(merged);
    await checkEntities(trx, [fields.reporting_entity_id], 'reporting_entity_id');
    const set: Partial<PlanIndicator> = {};
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const all: Partial<PlanIndicator> = { ...fields, ...(disaggregation ? { disaggregation: JSON.stringify([...new Set(disaggregation)]) } : {}) };
    for (const [k, v] of Object.entries(all) as [keyof PlanIndicator, never][]) {
      if (v !== undefined && current[k] !== v) {
        set[k] = v;
        before[k] = current[k];
        after[k] = v;
      }
    }
    const res = await trx.updateTable('plan_indicators').set({ ...set, updated_at: nowIso(), version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw versionConflict();
    await recordAudit(trx, { actorId: actor.id, action: 'plan.indicator.edit', subjectType: 'plan_indicator', subjectId: id, before, after });
  });
  return present(await findIndicator(db, id));
}

export async function deleteIndicator(db: Kysely<DB>, id: string, version: number, actor: Actor): Promise<void> {
  authorize(canEditPlan(actor));
  await db.transaction().execute(async (trx) => {
    const current = await findIndicator(trx, id);
    await editablePlan(trx, current.plan_id);
    if (current.version !== version) throw versionConflict(current.version);
    await trx.deleteFrom('plan_indicators').where('id', '=', id).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'plan.indicator.delete', subjectType: 'plan_indicator', subjectId: id, before: current });
  });
}

/* ------------------------------------------------------------ values */

/** Who reports: the value's entity (the indicator's reporting entity when it was drafted). */
const valueEntity = (v: Pick<PlanIndicatorValue, 'entity_id'>) => v.entity_id ?? '';

/** An indicator's values this user may read: everyone reads approved ones; drafts are the reporting entity's and curators'. */
export async function listValues(db: Kysely<DB>, indicatorId: string, actor: Actor) {
  const indicator = await findIndicator(db, indicatorId);
  const rows = await db.selectFrom('plan_indicator_values').selectAll().where('indicator_id', '=', indicatorId).orderBy('date', 'desc').orderBy('created_at', 'desc').execute();
  return {
    indicator: present(indicator),
    items: rows.filter((v) => canReadUpdate(actor, { entity_id: valueEntity(v), status: v.status })),
  };
}

export async function findValue(db: Q, id: string): Promise<PlanIndicatorValue> {
  const row = await db.selectFrom('plan_indicator_values').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Indicator value');
  return row;
}

/** A contributor or focal point of the reporting entity (or a curator) drafts a value. Allowed on an adopted plan: it is follow-up. */
export async function createValue(db: Kysely<DB>, indicatorId: string, input: CreateValueInput, actor: Actor) {
  return db.transaction().execute(async (trx) => {
    const indicator = await findIndicator(trx, indicatorId);
    authorize(canDraftIndicatorValue(actor, indicator.reporting_entity_id));
    const plan = await findPlan(trx, indicator.plan_id);
    if (plan.status === 'archived') throw conflict('plan_adopted', 'This plan version is archived: report on the current version.', { planId: plan.id, status: plan.status });
    const now = nowIso();
    const row: PlanIndicatorValue = {
      id: newId(),
      indicator_id: indicatorId,
      entity_id: indicator.reporting_entity_id,
      date: input.date,
      value: input.value,
      source: input.source ?? null,
      note: input.note ?? null,
      status: 'draft',
      review_comment: null,
      author_id: actor.id,
      submitted_by: null,
      submitted_at: null,
      reviewed_by: null,
      reviewed_at: null,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await trx.insertInto('plan_indicator_values').values(row).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'plan.value.create', subjectType: 'plan_indicator_value', subjectId: row.id, after: row });
    return row;
  });
}

const VALUE_TRANSITIONS = {
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  return: { from: ['submitted'], to: 'returned' },
  approve: { from: ['submitted'], to: 'approved' },
} as const satisfies Record<string, { from: UpdateStatus[]; to: UpdateStatus }>;
export type ValueTransition = keyof typeof VALUE_TRANSITIONS;

/** submit (focal point of the reporting entity), return with a comment or approve (coordinator). */
export async function transitionValue(db: Kysely<DB>, id: string, action: ValueTransition, input: { version?: number; comment?: string }, actor: Actor) {
  return db.transaction().execute(async (trx) => {
    const current = await findValue(trx, id);
    authorize(canReadUpdate(actor, { entity_id: valueEntity(current), status: current.status }));
    authorize(action === 'submit' ? canSubmitIndicatorValue(actor, current.entity_id) : canReview(actor));
    const rule = VALUE_TRANSITIONS[action];
    if (!(rule.from as readonly UpdateStatus[]).includes(current.status)) {
      throw conflict('invalid_transition', `A value that is ${current.status} cannot be ${action === 'submit' ? 'submitted' : action === 'return' ? 'returned' : 'approved'}.`, {
        action,
        status: current.status,
      });
    }
    if (input.version !== undefined && input.version !== current.version) throw versionConflict(current.version);
    const now = nowIso();
    const patch: Partial<PlanIndicatorValue> =
      action === 'submit'
        ? { status: rule.to, submitted_by: actor.id, submitted_at: now }
        : { status: rule.to, reviewed_by: actor.id, reviewed_at: now, review_comment: input.comment?.trim() || null };
    const res = await trx
      .updateTable('plan_indicator_values')
      .set({ ...patch, updated_at: now, version: current.version + 1 })
      .where('id', '=', id)
      .where('version', '=', current.version)
      .where('status', '=', current.status)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw versionConflict();
    await recordAudit(trx, {
      actorId: actor.id,
      action: `plan.value.${action}`,
      subjectType: 'plan_indicator_value',
      subjectId: id,
      before: { status: current.status, version: current.version },
      after: { ...patch, version: current.version + 1 },
    });
    return findValue(trx, id);
  });
}

/** Deletes a draft value (never a submitted, returned or approved one). */
export async function deleteValue(db: Kysely<DB>, id: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await findValue(trx, id);
    authorize(canDraftIndicatorValue(actor, current.entity_id) && canReadUpdate(actor, { entity_id: valueEntity(current), status: current.status }));
    if (current.status !== 'draft') throw conflict('not_editable', `A value that is ${current.status} cannot be deleted.`, { status: current.status });
    await trx.deleteFrom('plan_indicator_values').where('id', '=', id).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'plan.value.delete', subjectType: 'plan_indicator_value', subjectId: id, before: current });
  });
}
