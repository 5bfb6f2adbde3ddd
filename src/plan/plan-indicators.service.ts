import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { authorize, canEditPlan, canReadUpdate, type Actor } from '../auth/permissions.ts';
import type { DB, PlanIndicator } from '../db/schema.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import type { CreateIndicatorInput, Disaggregation, PatchIndicatorInput } from './plan.schema.ts';
import { checkEntities, editablePlan, findAction, versionConflict, type Q } from './plan.service.ts';

export async function findIndicator(db: Q, id: string): Promise<PlanIndicator> {
  const row = await db.selectFrom('plan_indicators').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Indicator');
  return row;
}

/** An indicator's code is unique within its plan (a plan workbook finds the indicator again by it). */
async function checkIndicatorCodeFree(db: Q, planId: string, code: string, exceptId?: string) {
  let q = db.selectFrom('plan_indicators').select('id').where('plan_id', '=', planId).where('code', '=', code);
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) throw conflict('duplicate_code', `The code "${code}" is already used in this plan.`, { field: 'code', code });
}

/** "<owner code>-<n>", the first n not yet used in the plan. */
async function freeIndicatorCode(db: Q, planId: string, ownerCode: string): Promise<string> {
  const taken = new Set((await db.selectFrom('plan_indicators').select('code').where('plan_id', '=', planId).where('code', 'like', `${ownerCode}-%`).execute()).map((r) => r.code));
  let n = 1;
  while (taken.has(`${ownerCode}-${n}`)) n++;
  return `${ownerCode}-${n}`;
}

const present = (i: PlanIndicator) => ({ ...i, disaggregation: JSON.parse(i.disaggregation) as Disaggregation[] });

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
    let ownerCode: string;
    if (owner.actionId) ({ plan_id: planId, code: ownerCode } = await findAction(trx, owner.actionId));
    else {
      const o = await trx.selectFrom('plan_objectives').select(['plan_id', 'code']).where('id', '=', owner.objectiveId!).executeTakeFirst();
      if (!o) throw notFound('Objective');
      ({ plan_id: planId, code: ownerCode } = o);
    }
    await editablePlan(trx, planId);
    const code = input.code ?? (await freeIndicatorCode(trx, planId, ownerCode));
    await checkIndicatorCodeFree(trx, planId, code);
    checkUnit(input);
    await checkEntities(trx, [input.reporting_entity_id], 'reporting_entity_id');
    const now = nowIso();
    const row: PlanIndicator = {
      id: newId(),
      plan_id: planId,
      action_id: owner.actionId ?? null,
      objective_id: owner.actionId ? null : owner.objectiveId!,
      code,
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
    if (fields.code !== undefined && fields.code !== current.code) await checkIndicatorCodeFree(trx, current.plan_id, fields.code, id);
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

/**
 * An indicator's history of values that this user may read. Values are reported in progress updates on an
 * action (src/updates): everyone reads those of approved updates; values in drafts, submitted or returned
 * updates are the reporting entity's and the curators'.
 */
export async function listValues(db: Kysely<DB>, indicatorId: string, actor: Actor) {
  const indicator = await findIndicator(db, indicatorId);
  const rows = await db
    .selectFrom('plan_indicator_values as v')
    .innerJoin('progress_updates as u', 'u.id', 'v.update_id')
    .select(['v.id', 'v.update_id', 'v.indicator_id', 'v.date', 'v.value', 'v.source', 'v.note', 'u.entity_id', 'u.status', 'u.reviewed_at', 'u.review_comment'])
    .where('v.indicator_id', '=', indicatorId)
    .orderBy('v.date', 'desc')
    .orderBy('u.created_at', 'desc')
    .execute();
  return { indicator: present(indicator), items: rows.filter((v) => canReadUpdate(actor, { entity_id: v.entity_id, status: v.status })) };
}
