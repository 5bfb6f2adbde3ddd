import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import { findAssignment } from '../assignments/index.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize, canDraftFor, canReadUpdate, canReview, canSubmitFor, type Actor } from '../auth/permissions.ts';
import type { DB, EvidenceFile, ProgressUpdate, UpdateStatus } from '../db/schema.ts';
import { createNotifications } from '../notifications/index.ts';
import { applyStatusChange } from '../recommendations/index.ts';
import { AppError, badRequest, conflict, notFound } from '../server/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { detectFileType, validateFileName } from './file-type.ts';
import type { CreateUpdateInput, PatchUpdateInput } from './updates.schema.ts';

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

async function writeChildren(trx: Transaction<DB>, updateId: string, input: Pick<CreateUpdateInput, 'measures' | 'indicators'>) {
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
  const [measures, indicators, evidence] = await Promise.all([
    db.selectFrom('update_measures').select(['id', 'type', 'description_ar', 'description_en']).where('update_id', '=', updateId).orderBy('sort').execute(),
    db.selectFrom('update_indicators').select(['id', 'name', 'value', 'unit']).where('update_id', '=', updateId).orderBy('sort').execute(),
    db
      .selectFrom('evidence_files')
      .select(['id', 'original_name', 'mime', 'size', 'sha256', 'uploaded_by', 'created_at'])
      .where('update_id', '=', updateId)
      .orderBy('created_at')
      .execute(),
  ]);
  return { measures, indicators, evidence };
}

/** A contributor or focal point (or a curator) starts a draft for an assignment. */
export async function createUpdate(db: Kysely<DB>, assignmentId: string, input: CreateUpdateInput, actor: Actor) {
  const assignment = await findAssignment(db, assignmentId);
  authorize(canDraftFor(actor, assignment.entity_id));
  await checkStatus(db, input.proposed_status);
  checkPeriod(input.period_start, input.period_end);
  const now = nowIso();
  const row: ProgressUpdate = {
    id: newId(),
    assignment_id: assignment.id,
    entity_id: assignment.entity_id,
    author_id: actor.id,
    period_start: input.period_start ?? null,
    period_end: input.period_end ?? null,
    text_ar: input.text_ar ?? null,
    text_en: input.text_en ?? null,
    proposed_status: input.proposed_status ?? null,
    status: 'draft',
    review_comment: null,
    reviewed_by: null,
    reviewed_at: null,
    submitted_by: null,
    submitted_at: null,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('progress_updates').values(row).execute();
    await writeChildren(trx, row.id, input);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'update.create',
      subjectType: 'progress_update',
      subjectId: row.id,
      after: { ...row, measures: input.measures ?? [], indicators: input.indicators ?? [] },
    });
  });
  return getUpdate(db, row.id, actor);
}

export async function getUpdate(db: Q, id: string, actor: Actor) {
  const u = await findUpdate(db, id);
  authorize(canReadUpdate(actor, u));
  return { ...u, ...(await childrenOf(db, id)) };
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
    await checkStatus(trx, input.proposed_status);
    const { version, measures, indicators, ...fields } = input;
    checkPeriod(fields.period_start === undefined ? current.period_start : fields.period_start, fields.period_end === undefined ? current.period_end : fields.period_end);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const set: Partial<ProgressUpdate> = {};
    for (const [k, v] of Object.entries(fields) as [keyof typeof fields, string | null | undefined][]) {
      const old = current[k];
      if (v !== undefined && old !== v) {
        before[k] = old;
        after[k] = v;
        set[k] = v;
      }
    }
    if (measures || indicators) {
      const prior = await childrenOf(trx, id);
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
    await writeChildren(trx, id, { measures, indicators });
    await recordAudit(trx, { actorId: actor.id, action: 'update.edit', subjectType: 'progress_update', subjectId: id, before, after });
  });
  return getUpdate(db, id, actor);
}

/** Deletes a draft (never a submitted, returned or approved update) and its evidence files. */
export async function deleteUpdate(db: Kysely<DB>, id: string, actor: Actor, dataDir: string) {
  const files = await db.transaction().execute(async (trx) => {
    const current = await findUpdate(trx, id);
    authorize(canReadUpdate(actor, current) && canDraftFor(actor, current.entity_id));
    if (current.status !== 'draft') throw conflict('not_editable', `An update that is ${current.status} cannot be deleted.`, { status: current.status });
    const evidence = await trx.selectFrom('evidence_files').select('stored_name').where('update_id', '=', id).execute();
    await trx.deleteFrom('progress_updates').where('id', '=', id).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'update.delete', subjectType: 'progress_update', subjectId: id, before: current });
    return evidence;
  });
  for (const f of files) fs.rmSync(evidencePath(dataDir, f.stored_name), { force: true });
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
    if (action === 'approve' && current.proposed_status) {
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
    return { statusChanged };
  });
  return { ...(await getUpdate(db, id, actor)), statusChanged: outcome.statusChanged };
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

export const evidencePath = (dataDir: string, storedName: string) => path.join(dataDir, 'evidence', storedName);

/** Stores an uploaded evidence file under DATA_DIR/evidence/<uuid>; the client's name is metadata only. */
export async function addEvidence(
  db: Kysely<DB>,
  updateId: string,
  upload: { fileName: string | undefined; bytes: Buffer },
  actor: Actor,
  dataDir: string,
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
  const dir = path.join(dataDir, 'evidence');
  fs.mkdirSync(dir, { recursive: true, mode: 0o750 });
  const file = evidencePath(dataDir, storedName);
  fs.writeFileSync(file, upload.bytes, { flag: 'wx', mode: 0o640 });
  const row: EvidenceFile = {
    id,
    update_id: updateId,
    original_name: name,
    stored_name: storedName,
    mime: type.mime,
    size: upload.bytes.length,
    sha256: createHash('sha256').update(upload.bytes).digest('hex'),
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
      await trx.insertInto('evidence_files').values(row).execute();
      await recordAudit(trx, { actorId: actor.id, action: 'evidence.add', subjectType: 'progress_update', subjectId: updateId, after: row });
    });
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
  const { stored_name: _hidden, ...out } = row;
  return out;
}

export const fileTooLarge = () =>
  new AppError(413, 'file_too_large', `The file is larger than the ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB limit.`, { limitBytes: MAX_EVIDENCE_BYTES });

/** An evidence file and where it is stored, for users who may read its update. */
export async function openEvidence(db: Kysely<DB>, id: string, actor: Actor, dataDir: string) {
  const ev = await db.selectFrom('evidence_files').selectAll().where('id', '=', id).executeTakeFirst();
  if (!ev) throw notFound('Evidence file');
  const update = await findUpdate(db, ev.update_id);
  authorize(canReadUpdate(actor, update));
  const file = evidencePath(dataDir, ev.stored_name);
  if (!fs.existsSync(file)) throw notFound('Evidence file');
  return { ...ev, file };
}

export async function removeEvidence(db: Kysely<DB>, id: string, actor: Actor, dataDir: string) {
  const ev = await db.transaction().execute(async (trx) => {
    const ev = await trx.selectFrom('evidence_files').selectAll().where('id', '=', id).executeTakeFirst();
    if (!ev) throw notFound('Evidence file');
    const update = await findUpdate(trx, ev.update_id);
    authorize(canReadUpdate(actor, update) && canDraftFor(actor, update.entity_id));
    if (!EDITABLE.includes(update.status)) throw conflict('not_editable', `Evidence of a ${update.status} update cannot be removed.`, { status: update.status });
    await trx.deleteFrom('evidence_files').where('id', '=', id).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'evidence.remove', subjectType: 'progress_update', subjectId: update.id, before: ev });
    return ev;
  });
  fs.rmSync(evidencePath(dataDir, ev.stored_name), { force: true });
}
