import { createHash } from 'node:crypto';
import { discardOnDisk, type FilePlace, openStored, putInDatabase, putOnDisk, removeFromDatabase } from '../files/file-store.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import { findAssignment } from '../assignments/index.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize, canDraftFor, canReadUpdate, canReview, canSubmitFor, type Actor } from '../auth/permissions.ts';
import type { ActionStatus, DB, EvidenceFile, ProgressUpdate, UpdateStatus } from '../db/schema.ts';
import { createNotifications } from '../notifications/index.ts';
import { applyStatusChange } from '../recommendations/index.ts';
import { AppError, badRequest, conflict, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { detectFileType, validateFileName } from './file-type.ts';
import type { CreateUpdateInput, PatchUpdateInput, PlanValueInput } from './updates.schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
const EDITABLE: UpdateStatus[] = ['draft', 'returned'];

/** The workflow: which status each action may start from, and where it leads. */
const TRANSITIONS = {
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  return: { from: ['submitted'], to: 'returned' },
  approve: { from: ['submitted'], to: 'approved' },
} as const satisfies Record<string, { from: UpdateStatus[]; to: UpdateStatus }>;
export type Transition = keyof typeof TRANSITIONS;

const invalidTransition = (action: string, status: UpdateStatus) =>
  conflict('invalid_transition', `An update that is ${status} cannot be ${action === 'submit' ? 'submitted' : action === 'return' ? 'returned' : 'approved'}.`, {
    action,
    status,
  });

async function findUpdate(db: Q, id: string): Promise<ProgressUpdate> {
  const row = await db.selectFrom('progress_updates').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Update');
  return row;
}

async function checkStatus(db: Q, code: string | null | undefined) {
  if (code === undefined || code === null) return;
  const known = await db.selectFrom('statuses').select('code').where('code', '=', code).executeTakeFirst();
  if (!known) throw badRequest('unknown_status', `Unknown status "${code}".`, { field: 'proposed_status' });
}

function checkPeriod(start: string | null | undefined, end: string | null | undefined) {
  if (start && end && start > end) throw badRequest('invalid_period', 'The period ends before it starts.', { field: 'period_end' });
}

async function writeChildren(trx: Transaction<DB>, updateId: string, input: Pick<CreateUpdateInput, 'measures' | 'indicators' | 'values'>) {
  if (input.values) {
    await trx.deleteFrom('plan_indicator_values').where('update_id', '=', updateId).execute();
    if (input.values.length) {
      await trx
        .insertInto('plan_indicator_values')
        .values(
          input.values.map((v, i) => ({
            id: newId(),
            update_id: updateId,
            indicator_id: v.indicator_id,
            date: v.date,
            value: v.value,
            source: v.source ?? null,
            note: v.note ?? null,
            sort: i,
          })),
        )
        .execute();
    }
  }
  if (input.measures) {
    await trx.deleteFrom('update_measures').where('update_id', '=', updateId).execute();
    if (input.measures.length) {
      await trx
        .insertInto('update_measures')
        .values(
          input.measures.map((m, i) => ({
            id: newId(),
            update_id: updateId,
            type: m.type,
            description_ar: m.description_ar ?? null,
            description_en: m.description_en ?? null,
            sort: i,
          })),
        )
        .execute();
    }
  }
  if (input.indicators) {
    await trx.deleteFrom('update_indicators').where('update_id', '=', updateId).execute();
    if (input.indicators.length) {
      await trx
        .insertInto('update_indicators')
        .values(input.indicators.map((x, i) => ({ id: newId(), update_id: updateId, name: x.name, value: String(x.value), unit: x.unit ?? null, sort: i })))
        .execute();
    }
  }
}

async function childrenOf(db: Q, updateId: string) {
  const [measures, indicators, evidence, values] = await Promise.all([
    db.selectFrom('update_measures').select(['id', 'type', 'description_ar', 'description_en']).where('update_id', '=', updateId).orderBy('sort').execute(),
    db.selectFrom('update_indicators').select(['id', 'name', 'value', 'unit']).where('update_id', '=', updateId).orderBy('sort').execute(),
    db
      .selectFrom('evidence_files')
      .select(['id', 'original_name', 'mime', 'size', 'sha256', 'uploaded_by', 'created_at'])
      .where('update_id', '=', updateId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('plan_indicator_values as v')
      .innerJoin('plan_indicators as i', 'i.id', 'v.indicator_id')
      .select(['v.id', 'v.indicator_id', 'v.date', 'v.value', 'v.source', 'v.note', 'i.name_ar', 'i.name_en', 'i.unit'])
      .where('v.update_id', '=', updateId)
      .orderBy('v.sort')
      .execute(),
  ]);
  return { measures, indicators, evidence, values };
}

/* ---------------- plan actions as a target ---------------- */

/** The plan action an update reports on, with its plan's status, objective and lead entity. */
async function findAction(db: Q, actionId: string) {
  const a = await db
    .selectFrom('plan_actions as a')
    .innerJoin('plans as p', 'p.id', 'a.plan_id')
    .select(['a.id', 'a.plan_id', 'a.objective_id', 'a.code', 'a.title_ar', 'a.title_en', 'a.status', 'a.lead_entity_id', 'a.version', 'p.status as plan_status', 'p.title_ar as plan_title_ar', 'p.title_en as plan_title_en'])
    .where('a.id', '=', actionId)
    .executeTakeFirst();
  if (!a) throw notFound('Action');
  return a;
}

/** The indicators an update on this action may report: the action's own, and its objective's that the lead entity reports (or nobody in particular). */
async function reportableIndicators(db: Q, action: { id: string; objective_id: string; lead_entity_id: string | null }) {
  return db
    .selectFrom('plan_indicators')
    .select(['id', 'action_id', 'objective_id', 'name_ar', 'name_en', 'type', 'unit', 'baseline_value', 'target_value', 'target_year'])
    .where((eb) =>
      eb.or([
        eb('action_id', '=', action.id),
        eb.and([
          eb('objective_id', '=', action.objective_id),
          eb.or([eb('reporting_entity_id', 'is', null), ...(action.lead_entity_id ? [eb('reporting_entity_id', '=', action.lead_entity_id)] : [])]),
        ]),
      ]),
    )
    .orderBy('sort')
    .orderBy('created_at')
    .execute();
}

/** What an update reports on: the action (with the indicators it may report) or nothing more for an assignment. */
async function targetOf(db: Q, u: ProgressUpdate) {
  if (!u.action_id) return { action: null, reportable_indicators: [] };
  const action = await findAction(db, u.action_id);
  return { action, reportable_indicators: await reportableIndicators(db, action) };
}

/** Fields that belong to one kind of target only are refused on the other, rather than silently ignored. */
function checkFieldsForTarget(input: Partial<CreateUpdateInput>, kind: 'assignment' | 'action') {
  const foreign = kind === 'action' ? (['proposed_status', 'indicators'] as const) : (['proposed_action_status', 'values'] as const);
  for (const f of foreign) {
    const v = input[f];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) {
      throw badRequest('field_not_for_target', `"${f}" is for updates on ${kind === 'action' ? 'a recommendation' : 'a plan action'}, not on ${kind === 'action' ? 'a plan action' : 'a recommendation'}.`, {
        field: f,
      });
    }
  }
}

async function checkValues(db: Q, action: { id: string; objective_id: string; lead_entity_id: string | null }, values: PlanValueInput[] | undefined) {
  if (!values?.length) return;
  const allowed = new Set((await reportableIndicators(db, action)).map((i) => i.id));
  values.forEach((v, index) => {
    if (!allowed.has(v.indicator_id)) {
      throw badRequest('indicator_not_of_action', 'This indicator is not one this action reports.', { field: 'values', index, indicator_id: v.indicator_id });
    }
  });
}

function checkPlanOpen(action: { plan_status: string; plan_id: string }) {
  if (action.plan_status === 'archived') {
    throw conflict('plan_archived', 'This plan version is archived: report on the current version.', { planId: action.plan_id });
  }
}

/**
 * A contributor or focal point of the action's lead entity (or a curator) starts a draft update on a plan
 * action: its reported status, text, measures and indicator values, with evidence attached afterwards. It then
 * follows the same workflow as any update (submit → return | approve). Allowed on a draft, consulted or
 * adopted plan (follow-up is not an edit of the plan); refused on an archived version.
 */
export async function createActionUpdate(db: Kysely<DB>, actionId: string, input: CreateUpdateInput, actor: Actor) {
  const action = await findAction(db, actionId);
  if (!action.lead_entity_id) throw conflict('action_without_lead', 'Give this action a lead entity before reporting on it.', { actionId });
  authorize(canDraftFor(actor, action.lead_entity_id));
  checkPlanOpen(action);
  checkFieldsForTarget(input, 'action');
  checkPeriod(input.period_start, input.period_end);
  await checkValues(db, action, input.values);
  return insertUpdate(db, { assignment_id: null, action_id: action.id, entity_id: action.lead_entity_id }, input, actor);
}

/** Updates on one plan action that this user may read (others' drafts are hidden, as for assignments). */
export async function listActionUpdates(db: Kysely<DB>, actionId: string, actor: Actor) {
  const action = await findAction(db, actionId);
  let q = db.selectFrom('progress_updates').selectAll().where('action_id', '=', action.id);
  if (!action.lead_entity_id || !canReadUpdate(actor, { entity_id: action.lead_entity_id, status: 'draft' })) q = q.where('status', '=', 'approved');
  const rows = await q.orderBy('created_at', 'desc').execute();
  return { items: rows };
}

/** A new draft on an assignment or a plan action: the row, its measures, indicators or values, and the audit entry, in one transaction. */
async function insertUpdate(db: Kysely<DB>, target: Pick<ProgressUpdate, 'assignment_id' | 'action_id' | 'entity_id'>, input: CreateUpdateInput, actor: Actor) {
  const now = nowIso();
  const row: ProgressUpdate = {
    id: newId(),
    ...target,
    author_id: actor.id,
    period_start: input.period_start ?? null,
    period_end: input.period_end ?? null,
    text_ar: input.text_ar ?? null,
    text_en: input.text_en ?? null,
    proposed_status: input.proposed_status ?? null,
    proposed_action_status: input.proposed_action_status ?? null,
    status: 'draft',
    review_comment: null,
    reviewed_by: null,
    reviewed_at: null,
    submitted_by: null,
    submitted_at: null,
    version: 1,
    created_at: now,
    updated_at: now,
    is_public: 0,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('progress_updates').values(row).execute();
    await writeChildren(trx, row.id, input);
    const children = row.action_id ? { values: input.values ?? [] } : { indicators: input.indicators ?? [] };
    await recordAudit(trx, { actorId: actor.id, action: 'update.create', subjectType: 'progress_update', subjectId: row.id, after: { ...row, measures: input.measures ?? [], ...children } });
  });
  return getUpdate(db, row.id, actor);
}

/** A contributor or focal point (or a curator) starts a draft for an assignment. */
export async function createUpdate(db: Kysely<DB>, assignmentId: string, input: CreateUpdateInput, actor: Actor) {
  const assignment = await findAssignment(db, assignmentId);
  authorize(canDraftFor(actor, assignment.entity_id));
  await checkStatus(db, input.proposed_status);
  checkFieldsForTarget(input, 'assignment');
  checkPeriod(input.period_start, input.period_end);
  return insertUpdate(db, { assignment_id: assignment.id, action_id: null, entity_id: assignment.entity_id }, input, actor);
}

export async function getUpdate(db: Q, id: string, actor: Actor) {
  const u = await findUpdate(db, id);
  authorize(canReadUpdate(actor, u));
  return { ...u, ...(await childrenOf(db, id)), ...(await targetOf(db, u)) };
}

/** Updates of one assignment that this user may read. */
export async function listUpdates(db: Kysely<DB>, assignmentId: string, actor: Actor) {
  const assignment = await findAssignment(db, assignmentId);
  let q = db.selectFrom('progress_updates').selectAll().where('assignment_id', '=', assignment.id);
  if (!canReadUpdate(actor, { entity_id: assignment.entity_id, status: 'draft' })) q = q.where('status', '=', 'approved');
  const rows = await q.orderBy('created_at', 'desc').execute();
  return { items: rows };
}

/** Edits a draft or returned update; a stale version gets 409 version_conflict. */
export async function patchUpdate(db: Kysely<DB>, id: string, input: PatchUpdateInput, actor: Actor) {
  await db.transaction().execute(async (trx) => {
    const current = await findUpdate(trx, id);
    authorize(canReadUpdate(actor, current) && canDraftFor(actor, current.entity_id));
    if (!EDITABLE.includes(current.status)) {
      throw conflict('not_editable', `An update that is ${current.status} can no longer be edited.`, { status: current.status });
    }
    if (current.version !== input.version) {
      throw conflict('version_conflict', 'Someone else changed this update meanwhile. Reload it and try again.', { currentVersion: current.version });
    }
    checkFieldsForTarget(input, current.action_id ? 'action' : 'assignment');
    await checkStatus(trx, input.proposed_status);
    if (current.action_id) await checkValues(trx, await findAction(trx, current.action_id), input.values);
    const { version, measures, indicators, values, ...fields } = input;
    checkPeriod(fields.period_start === undefined ? current.period_start : fields.period_start, fields.period_end === undefined ? current.period_end : fields.period_end);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const set: Partial<ProgressUpdate> = {};
    for (const [k, v] of Object.entries(fields) as [keyof typeof fields, string | null | undefined][]) {
      const old = current[k];
      if (v !== undefined && old !== v) {
        before[k] = old;
        after[k] = v;
        (set as Record<string, unknown>)[k] = v;
      }
    }
    if (measures || indicators || values) {
      const prior = await childrenOf(trx, id);
      if (values) {
        before.values = prior.values.map(({ name_ar: _a, name_en: _e, unit: _u, ...v }) => v);
        after.values = values;
      }
      if (measures) {
        before.measures = prior.measures;
        after.measures = measures;
      }
      if (indicators) {
        before.indicators = prior.indicators;
        after.indicators = indicators;
      }
    }
    const res = await trx
      .updateTable('progress_updates')
      .set({ ...set, updated_at: nowIso(), version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw conflict('version_conflict', 'Someone else changed this update meanwhile. Reload it and try again.');
    await writeChildren(trx, id, { measures, indicators, values });
    await recordAudit(trx, { actorId: actor.id, action: 'update.edit', subjectType: 'progress_update', subjectId: id, before, after });
  });
  return getUpdate(db, id, actor);
}

/** Deletes a draft (never a submitted, returned or approved update) and its evidence files. */
export async function deleteUpdate(db: Kysely<DB>, id: string, actor: Actor, place: FilePlace) {
  const files = await db.transaction().execute(async (trx) => {
    const current = await findUpdate(trx, id);
    authorize(canReadUpdate(actor, current) && canDraftFor(actor, current.entity_id));
    if (current.status !== 'draft') throw conflict('not_editable', `An update that is ${current.status} cannot be deleted.`, { status: current.status });
    const evidence = await trx.selectFrom('evidence_files').select('stored_name').where('update_id', '=', id).execute();
    await trx.deleteFrom('progress_updates').where('id', '=', id).execute();
    await removeFromDatabase(trx, evidence.map((e) => e.stored_name));
    await recordAudit(trx, { actorId: actor.id, action: 'update.delete', subjectType: 'progress_update', subjectId: id, before: current });
    return evidence;
  });
  for (const f of files) discardOnDisk(place.dataDir, 'evidence', f.stored_name);
}

/** submit (focal point), return with a comment and approve (coordinator/admin). */
export async function transitionUpdate(
  db: Kysely<DB>,
  id: string,
  action: Transition,
  input: { version?: number; comment?: string },
  actor: Actor,
) {
  const outcome = await db.transaction().execute(async (trx) => {
    const current = await findUpdate(trx, id);
    authorize(canReadUpdate(actor, current));
    authorize(action === 'submit' ? canSubmitFor(actor, current.entity_id) : canReview(actor));
    const rule = TRANSITIONS[action];
    if (!(rule.from as readonly UpdateStatus[]).includes(current.status)) throw invalidTransition(action, current.status);
    if (input.version !== undefined && input.version !== current.version) {
      throw conflict('version_conflict', 'Someone else changed this update meanwhile. Reload it and try again.', { currentVersion: current.version });
    }
    const now = nowIso();
    const patch: Partial<ProgressUpdate> =
      action === 'submit'
        ? { status: rule.to, submitted_by: actor.id, submitted_at: now }
        : { status: rule.to, reviewed_by: actor.id, reviewed_at: now, review_comment: input.comment?.trim() || null };
    const res = await trx
      .updateTable('progress_updates')
      .set({ ...patch, updated_at: now, version: current.version + 1 })
      .where('id', '=', id)
      .where('version', '=', current.version)
      .where('status', '=', current.status)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw conflict('version_conflict', 'Someone else changed this update meanwhile. Reload it and try again.');
    await recordAudit(trx, {
      actorId: actor.id,
      action: `update.${action}`,
      subjectType: 'progress_update',
      subjectId: id,
      before: { status: current.status, version: current.version },
      after: { ...patch, version: current.version + 1 },
    });
    const statusChanged: string[] = [];
    let actionStatusChanged = false;
    if (action === 'approve' && current.action_id && current.proposed_action_status) {
      actionStatusChanged = await applyActionStatus(trx, current.action_id, current.proposed_action_status, id, actor);
    }
    if (action === 'approve' && current.proposed_status && current.assignment_id) {
      const assignment = await findAssignment(trx, current.assignment_id);
      const recIds = assignment.recommendation_id
        ? [assignment.recommendation_id]
        : (await trx.selectFrom('recommendations').select('id').where('cluster_id', '=', assignment.cluster_id!).execute()).map((r) => r.id);
      for (const recommendationId of recIds) {
        const changed = await applyStatusChange(trx, {
          recommendationId,
          toStatus: current.proposed_status,
          reason: input.comment?.trim() || null,
          reasonCode: 'update_approved',
          reasonParams: { update_id: id },
          actorId: actor.id,
          auditAction: 'recommendation.status.approved_update',
        });
        if (changed) statusChanged.push(recommendationId);
      }
    }
    await notifyTransition(trx, current, action, actor, input.comment);
    return { statusChanged, actionStatusChanged };
  });
  return { ...(await getUpdate(db, id, actor)), ...outcome };
}

/** An approved action update sets the action's status to the reported one (follow-up: allowed on an adopted plan). */
async function applyActionStatus(trx: Transaction<DB>, actionId: string, to: ActionStatus, updateId: string, actor: Actor): Promise<boolean> {
  const action = await findAction(trx, actionId);
  if (action.status === to) return false;
  await trx
    .updateTable('plan_actions')
    .set({ status: to, updated_at: nowIso(), version: action.version + 1 })
    .where('id', '=', actionId)
    .execute();
  await recordAudit(trx, {
    actorId: actor.id,
    action: 'plan.action.status.approved_update',
    subjectType: 'plan_action',
    subjectId: actionId,
    before: { status: action.status, version: action.version },
    after: { status: to, version: action.version + 1, update: updateId },
  });
  return true;
}

/** In-app notices: submitted → the curators; returned/approved → the entity's focal points and the author. */
async function notifyTransition(trx: Transaction<DB>, u: ProgressUpdate, action: Transition, actor: Actor, comment?: string) {
  let recipients: { id: string }[];
  if (action === 'submit') {
    recipients = await trx.selectFrom('users').select('id').where('role', 'in', ['coordinator']).where('disabled_at', 'is', null).execute();
  } else {
    recipients = await trx
      .selectFrom('users')
      .select('id')
      .where('disabled_at', 'is', null)
      .where((eb) => eb.or([eb.and([eb('role', '=', 'focal_point'), eb('entity_id', '=', u.entity_id)]), ...(u.author_id ? [eb('id', '=', u.author_id)] : [])]))
      .execute();
  }
  const ids = [...new Set(recipients.map((r) => r.id))].filter((i) => i !== actor.id);
  const titles = {
    submit: { ar: 'تحديث مقدَّم بانتظار المراجعة', en: 'An update was submitted for review' },
    return: { ar: 'أُعيد تحديثكم مع ملاحظات', en: 'Your update was returned with comments' },
    approve: { ar: 'اعتُمد تحديثكم', en: 'Your update was approved' },
  }[action];
  await createNotifications(
    trx,
    ids.map((userId) => ({
      user_id: userId,
      kind: `update.${action}`,
      title_ar: titles.ar,
      title_en: titles.en,
      body_ar: comment ?? null,
      body_en: comment ?? null,
      link: `/updates/${u.id}`,
    })),
  );
}

/* ---------------- evidence ---------------- */

/** Where evidence files are written: the database, or DATA_DIR/evidence (src/files/file-store.ts). */
export type { FilePlace };

/**
 * Stores an uploaded evidence file as <uuid>, in the database (in the transaction that records it) or under
 * DATA_DIR/evidence; the client's name is metadata only.
 */
export async function addEvidence(
  db: Kysely<DB>,
  updateId: string,
  upload: { fileName: string | undefined; bytes: Buffer },
  actor: Actor,
  place: FilePlace,
) {
  const update = await findUpdate(db, updateId);
  authorize(canReadUpdate(actor, update) && canDraftFor(actor, update.entity_id));
  if (!EDITABLE.includes(update.status)) {
    throw conflict('not_editable', `Evidence can only be attached to a draft or returned update (this one is ${update.status}).`, { status: update.status });
  }
  let decoded: string | undefined;
  try {
    decoded = upload.fileName === undefined ? undefined : decodeURIComponent(upload.fileName);
  } catch {
    decoded = undefined;
  }
  const name = decoded === undefined ? null : validateFileName(decoded);
  if (!name) throw badRequest('invalid_filename', 'Send a plain file name in the x-filename header (no folders, "..", or control characters).');
  if (upload.bytes.length === 0) throw badRequest('empty_file', 'The file is empty.');
  if (upload.bytes.length > MAX_EVIDENCE_BYTES) throw fileTooLarge();
  const type = detectFileType(upload.bytes);
  if (!type) {
    throw new AppError(415, 'unsupported_file_type', 'Only PDF, Word (DOCX), Excel (XLSX) and image (PNG, JPEG, GIF, WebP) files are accepted; the content of this file is none of these.');
  }
  const id = newId();
  const storedName = newId();
  const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
  const stored = { id: storedName, kind: 'evidence' as const, bytes: upload.bytes, sha256 };
  if (place.fileStorage === 'disk') putOnDisk(place.dataDir, stored);
  const row: EvidenceFile = {
    id,
    update_id: updateId,
    original_name: name,
    stored_name: storedName,
    mime: type.mime,
    size: upload.bytes.length,
    sha256,
    uploaded_by: actor.id,
    created_at: nowIso(),
  };
  try {
    await db.transaction().execute(async (trx) => {
      // Checked again where the file is recorded: the update may have been submitted since. The no-op write
      // holds the update's row until the commit, so a submission waits for this file or refuses it.
      const still = await trx
        .updateTable('progress_updates')
        .set({ status: sql`status` })
        .where('id', '=', updateId)
        .where('status', 'in', EDITABLE)
        .executeTakeFirst();
      if (Number(still.numUpdatedRows) !== 1) {
        throw conflict('not_editable', 'Evidence can only be attached to a draft or returned update (this one was submitted meanwhile).');
      }
      if (place.fileStorage === 'database') await putInDatabase(trx, stored);
      await trx.insertInto('evidence_files').values(row).execute();
      await recordAudit(trx, { actorId: actor.id, action: 'evidence.add', subjectType: 'progress_update', subjectId: updateId, after: row });
    });
  } catch (err) {
    if (place.fileStorage === 'disk') discardOnDisk(place.dataDir, 'evidence', storedName);
    throw err;
  }
  const { stored_name: _hidden, ...out } = row;
  return out;
}

export const fileTooLarge = () =>
  new AppError(413, 'file_too_large', `The file is larger than the ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB limit.`, { limitBytes: MAX_EVIDENCE_BYTES });

/** An evidence file and a stream of its bytes (from the database or the disk), for users who may read its update. */
export async function openEvidence(db: Kysely<DB>, id: string, actor: Actor, place: FilePlace) {
  const ev = await db.selectFrom('evidence_files').selectAll().where('id', '=', id).executeTakeFirst();
  if (!ev) throw notFound('Evidence file');
  const update = await findUpdate(db, ev.update_id);
  authorize(canReadUpdate(actor, update));
  const stream = await openStored(db, place.dataDir, 'evidence', ev.stored_name);
  if (!stream) throw notFound('Evidence file');
  return { ...ev, stream };
}

export async function removeEvidence(db: Kysely<DB>, id: string, actor: Actor, place: FilePlace) {
  const ev = await db.transaction().execute(async (trx) => {
    const ev = await trx.selectFrom('evidence_files').selectAll().where('id', '=', id).executeTakeFirst();
    if (!ev) throw notFound('Evidence file');
    const update = await findUpdate(trx, ev.update_id);
    authorize(canReadUpdate(actor, update) && canDraftFor(actor, update.entity_id));
    if (!EDITABLE.includes(update.status)) throw conflict('not_editable', `Evidence of a ${update.status} update cannot be removed.`, { status: update.status });
    await trx.deleteFrom('evidence_files').where('id', '=', id).execute();
    await removeFromDatabase(trx, [ev.stored_name]);
    await recordAudit(trx, { actorId: actor.id, action: 'evidence.remove', subjectType: 'progress_update', subjectId: update.id, before: ev });
    return ev;
  });
  discardOnDisk(place.dataDir, 'evidence', ev.stored_name);
}

/**
 * Marks an approved update public (shown on the portal beside its published recommendations) or takes it
 * back (curators only). A stale `version` gets 409; a draft, submitted or returned update cannot be public.
 */
export async function setUpdatePublic(db: Kysely<DB>, id: string, input: { version: number; public: boolean }, actor: Actor) {
  await db.transaction().execute(async (trx) => {
    const current = await findUpdate(trx, id);
    authorize(canReview(actor));
    if (current.version !== input.version) {
      throw conflict('version_conflict', 'Someone else changed this update meanwhile. Reload it and try again.', { currentVersion: current.version });
    }
    const value = input.public ? 1 : 0;
    if (value === 1 && current.status !== 'approved') {
      throw conflict('update_not_approved', 'Only an approved update can be shown on the public portal.', { status: current.status });
    }
    if (current.is_public === value) return;
    const res = await trx
      .updateTable('progress_updates')
      .set({ is_public: value, updated_at: nowIso(), version: current.version + 1 })
      .where('id', '=', id)
      .where('version', '=', current.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw conflict('version_conflict', 'Someone else changed this update meanwhile. Reload it and try again.');
    await recordAudit(trx, {
      actorId: actor.id,
      action: input.public ? 'update.publish' : 'update.unpublish',
      subjectType: 'progress_update',
      subjectId: id,
      before: { is_public: current.is_public === 1, version: current.version },
      after: { is_public: input.public, version: current.version + 1 },
    });
  });
  return getUpdate(db, id, actor);
}
