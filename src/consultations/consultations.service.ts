import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Actor } from '../auth/permissions.ts';
import { isCurator } from '../auth/permissions.ts';
import type { Consultation, ConsultationComment, ConsultationItemType, DB } from '../db/schema.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { detectFileType, validateFileName } from '../updates/index.ts';
import { discardOnDisk, type FilePlace, openStored, putInDatabase, putOnDisk } from '../files/file-store.ts';
import {
  MAX_ATTACHMENT_BYTES,
  MAX_COMMENT_CHARS,
  type CreateConsultationInput,
  type PatchConsultationInput,
} from './consultations.schema.ts';

/**
 * Consultations (issue 16, item 3): a coordinator asks approved stakeholders for comments on a selection of
 * recommendations, a report draft (its sections) or an action-plan draft (its actions), during a period. Stakeholders
 * comment per item, with an optional attachment checked like evidence; a coordinator accepts or rejects each comment
 * with a reason, and may show an accepted one in public. Everything is audited.
 */

const versionConflict = (currentVersion?: number) =>
  conflict('version_conflict', 'Someone else changed this record meanwhile. Reload it and try again.', currentVersion === undefined ? undefined : { currentVersion });

type Db = Kysely<DB> | Transaction<DB>;
export type Question = { ar: string; en: string };

export interface ItemView {
  item_type: ConsultationItemType;
  item_id: string;
  /** e.g. "A/HRC/1/1 ¶ 12", a section heading, an action code */
  ref: string;
  label_ar: string;
  label_en: string;
}

const parseQuestions = (s: string): Question[] => {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? (v as Question[]) : [];
  } catch {
    return [];
  }
};

export function periodState(c: Pick<Consultation, 'opens_at' | 'closes_at'>, now = new Date()): 'upcoming' | 'open' | 'closed' {
  const t = now.toISOString();
  if (t < new Date(c.opens_at).toISOString()) return 'upcoming';
  if (t >= new Date(c.closes_at).toISOString()) return 'closed';
  return 'open';
}

const present = (c: Consultation) => ({ ...c, questions: parseQuestions(c.questions), state: periodState(c) });

/** Labels of items, in one query per item type. */
export async function itemLabels(db: Db, items: { item_type: ConsultationItemType; item_id: string }[]): Promise<Map<string, ItemView>> {
  const out = new Map<string, ItemView>();
  const of = (t: ConsultationItemType) => [...new Set(items.filter((i) => i.item_type === t).map((i) => i.item_id))];
  const recs = of('recommendation');
  const snip = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').slice(0, 200);
  for (let i = 0; i < recs.length; i += 500) {
    const rows = await db
      .selectFrom('recommendations as r')
      .innerJoin('documents as d', 'd.id', 'r.document_id')
      .select(['r.id', 'r.paragraph', 'd.symbol', 'r.text_ar', 'r.text_en', 'r.text_fr'])
      .where('r.id', 'in', recs.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const ref = `${r.symbol}${r.paragraph ? ` ¶ ${r.paragraph}` : ''}`;
      out.set(`recommendation:${r.id}`, { item_type: 'recommendation', item_id: r.id, ref, label_ar: snip(r.text_ar ?? r.text_en ?? r.text_fr), label_en: snip(r.text_en ?? r.text_ar ?? r.text_fr) });
    }
  }
  const sections = of('report_section');
  if (sections.length) {
    const rows = await db.selectFrom('report_sections').select(['id', 'key', 'heading_ar', 'heading_en']).where('id', 'in', sections).execute();
    for (const r of rows) out.set(`report_section:${r.id}`, { item_type: 'report_section', item_id: r.id, ref: r.key, label_ar: r.heading_ar, label_en: r.heading_en });
  }
  const actions = of('plan_action');
  if (actions.length) {
    const rows = await db.selectFrom('plan_actions').select(['id', 'code', 'title_ar', 'title_en']).where('id', 'in', actions).execute();
    for (const r of rows) out.set(`plan_action:${r.id}`, { item_type: 'plan_action', item_id: r.id, ref: r.code, label_ar: r.title_ar, label_en: r.title_en });
  }
  return out;
}

/** The items a new consultation opens for comment: the selection given, checked to belong to the subject. */
async function resolveItems(db: Db, input: CreateConsultationInput): Promise<{ item_type: ConsultationItemType; item_id: string }[]> {
  const wanted = input.item_ids ? [...new Set(input.item_ids)] : null;
  let ids: string[];
  let type: ConsultationItemType;
  if (input.subject === 'recommendations') {
    if (!wanted || wanted.length === 0) throw badRequest('no_items', 'Choose at least one recommendation to consult on.');
    type = 'recommendation';
    const found: string[] = [];
    for (let i = 0; i < wanted.length; i += 500) {
      found.push(...(await db.selectFrom('recommendations').select('id').where('id', 'in', wanted.slice(i, i + 500)).execute()).map((r) => r.id));
    }
    ids = found;
  } else if (input.subject === 'report') {
    type = 'report_section';
    const report = await db.selectFrom('reports').select('id').where('id', '=', input.subject_id!).executeTakeFirst();
    if (!report) throw notFound('Report');
    ids = (await db.selectFrom('report_sections').select('id').where('report_id', '=', report.id).orderBy('sort').execute()).map((r) => r.id);
  } else {
    type = 'plan_action';
    const plan = await db.selectFrom('plans').select('id').where('id', '=', input.subject_id!).executeTakeFirst();
    if (!plan) throw notFound('Plan');
    ids = (await db.selectFrom('plan_actions').select('id').where('plan_id', '=', plan.id).orderBy('code').execute()).map((r) => r.id);
  }
  if (wanted) {
    const held = new Set(ids);
    const missing = wanted.filter((id) => !held.has(id));
    if (missing.length) throw badRequest('unknown_items', 'Some chosen items are not part of this subject (or do not exist).', { missing: missing.slice(0, 20) });
    ids = wanted;
  }
  if (ids.length === 0) throw badRequest('no_items', 'There is nothing to consult on: the report or plan has no sections or actions.');
  return ids.map((item_id) => ({ item_type: type, item_id }));
}

async function checkInvitees(db: Db, ids: string[]) {
  if (ids.length === 0) return;
  const rows = await db
    .selectFrom('stakeholder_profiles')
    .select('user_id')
    .where('user_id', 'in', ids)
    .where('status', '=', 'approved')
    .execute();
  const ok = new Set(rows.map((r) => r.user_id));
  const bad = ids.filter((id) => !ok.has(id));
  if (bad.length) throw badRequest('not_a_stakeholder', 'Only approved stakeholders can be invited.', { users: bad.slice(0, 20) });
}

function checkPeriod(opens: string, closes: string) {
  if (new Date(closes).getTime() <= new Date(opens).getTime()) throw badRequest('invalid_period', 'The consultation must close after it opens.');
}

export async function createConsultation(db: Kysely<DB>, input: CreateConsultationInput, actor: Actor) {
  checkPeriod(input.opens_at, input.closes_at);
  const now = nowIso();
  const id = newId();
  await db.transaction().execute(async (trx) => {
    const items = await resolveItems(trx, input);
    const invitees = [...new Set(input.invite_user_ids)];
    await checkInvitees(trx, invitees);
    const row = {
      id,
      subject: input.subject,
      subject_id: input.subject === 'recommendations' ? null : input.subject_id!,
      title_ar: input.title_ar,
      title_en: input.title_en,
      description_ar: input.description_ar,
      description_en: input.description_en,
      questions: JSON.stringify(input.questions),
      opens_at: new Date(input.opens_at).toISOString(),
      closes_at: new Date(input.closes_at).toISOString(),
      audience: input.audience,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('consultations').values(row).execute();
    for (let i = 0; i < items.length; i += 500) {
      await trx
        .insertInto('consultation_items')
        .values(items.slice(i, i + 500).map((it, j) => ({ consultation_id: id, ...it, sort: i + j })))
        .execute();
    }
    if (invitees.length) {
      await trx.insertInto('consultation_invitations').values(invitees.map((user_id) => ({ consultation_id: id, user_id, invited_by: actor.id, invited_at: now }))).execute();
    }
    await recordAudit(trx, { actorId: actor.id, action: 'consultation.create', subjectType: 'consultation', subjectId: id, after: { ...row, items: items.length, invited: invitees.length } });
  });
  return getConsultation(db, id, actor);
}

export async function patchConsultation(db: Kysely<DB>, id: string, input: PatchConsultationInput, actor: Actor) {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('Consultation');
    const { version, questions, ...rest } = input;
    const next = {
      ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
      ...(questions ? { questions: JSON.stringify(questions) } : {}),
    } as Partial<Consultation>;
    if (next.opens_at) next.opens_at = new Date(next.opens_at).toISOString();
    if (next.closes_at) next.closes_at = new Date(next.closes_at).toISOString();
    checkPeriod(next.opens_at ?? before.opens_at, next.closes_at ?? before.closes_at);
    const res = await trx
      .updateTable('consultations')
      .set((eb) => ({ ...next, updated_at: nowIso(), version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw versionConflict(before.version);
    await recordAudit(trx, { actorId: actor.id, action: 'consultation.edit', subjectType: 'consultation', subjectId: id, before, after: next });
  });
  return getConsultation(db, id, actor);
}

export async function inviteStakeholders(db: Kysely<DB>, id: string, userIds: string[], actor: Actor) {
  await db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('consultations').select('id').where('id', '=', id).executeTakeFirst();
    if (!c) throw notFound('Consultation');
    const ids = [...new Set(userIds)];
    await checkInvitees(trx, ids);
    const already = new Set(
      (await trx.selectFrom('consultation_invitations').select('user_id').where('consultation_id', '=', id).where('user_id', 'in', ids).execute()).map((r) => r.user_id),
    );
    const fresh = ids.filter((u) => !already.has(u));
    if (fresh.length) {
      const now = nowIso();
      await trx.insertInto('consultation_invitations').values(fresh.map((user_id) => ({ consultation_id: id, user_id, invited_by: actor.id, invited_at: now }))).execute();
      await recordAudit(trx, { actorId: actor.id, action: 'consultation.invite', subjectType: 'consultation', subjectId: id, after: { user_ids: fresh } });
    }
  });
  return getConsultation(db, id, actor);
}

/** May this stakeholder see (and, during the period, comment on) the consultation? */
async function stakeholderMay(db: Db, c: Pick<Consultation, 'id' | 'audience'>, userId: string): Promise<boolean> {
  if (c.audience === 'open') return true;
  return !!(await db.selectFrom('consultation_invitations').select('user_id').where('consultation_id', '=', c.id).where('user_id', '=', userId).executeTakeFirst());
}

const counts = async (db: Db, ids: string[]) => {
  if (ids.length === 0) return new Map<string, { comments: number; pending: number; accepted: number; participants: number; invited: number; items: number }>();
  const comments = await db
    .selectFrom('consultation_comments')
    .select((eb) => [
      'consultation_id',
      eb.fn.countAll<number>().as('comments'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'pending').then(1).else(0).end()).as('pending'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'accepted').then(1).else(0).end()).as('accepted'),
      eb.fn.count<number>('author_id').distinct().as('participants'),
    ])
    .where('consultation_id', 'in', ids)
    .groupBy('consultation_id')
    .execute();
  const invited = await db.selectFrom('consultation_invitations').select((eb) => ['consultation_id', eb.fn.countAll<number>().as('n')]).where('consultation_id', 'in', ids).groupBy('consultation_id').execute();
  const items = await db.selectFrom('consultation_items').select((eb) => ['consultation_id', eb.fn.countAll<number>().as('n')]).where('consultation_id', 'in', ids).groupBy('consultation_id').execute();
  const out = new Map<string, { comments: number; pending: number; accepted: number; participants: number; invited: number; items: number }>();
  for (const id of ids) out.set(id, { comments: 0, pending: 0, accepted: 0, participants: 0, invited: 0, items: 0 });
  for (const r of comments) Object.assign(out.get(r.consultation_id)!, { comments: Number(r.comments), pending: Number(r.pending ?? 0), accepted: Number(r.accepted ?? 0), participants: Number(r.participants) });
  for (const r of invited) out.get(r.consultation_id)!.invited = Number(r.n);
  for (const r of items) out.get(r.consultation_id)!.items = Number(r.n);
  return out;
};

/** Curators: every consultation; a stakeholder: those open to all or to which they are invited. */
export async function listConsultations(db: Kysely<DB>, actor: Actor) {
  let q = db.selectFrom('consultations').selectAll();
  if (actor.role === 'stakeholder') {
    q = q.where((eb) =>
      eb.or([eb('audience', '=', 'open'), eb('id', 'in', eb.selectFrom('consultation_invitations').select('consultation_id').where('user_id', '=', actor.id))]),
    );
  } else if (!isCurator(actor)) throw forbidden();
  const rows = await q.orderBy('opens_at', 'desc').execute();
  const n = await counts(db, rows.map((r) => r.id));
  return {
    items: rows.map((r) => {
      const base = present(r);
      const c = n.get(r.id)!;
      return actor.role === 'stakeholder' ? { ...base, counts: { items: c.items } } : { ...base, counts: c };
    }),
  };
}

export async function findConsultation(db: Db, id: string): Promise<Consultation> {
  const c = await db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw notFound('Consultation');
  return c;
}

/**
 * One consultation. Curators see everything: items, invitations, every comment and its author; a stakeholder
 * sees the items and their own comments only (404 when the consultation is not open to them).
 */
export async function getConsultation(db: Kysely<DB>, id: string, actor: Actor) {
  const c = await findConsultation(db, id);
  const stakeholder = actor.role === 'stakeholder';
  if (stakeholder && !(await stakeholderMay(db, c, actor.id))) throw notFound('Consultation');
  if (!stakeholder && !isCurator(actor)) throw forbidden();
  const itemRows = await db.selectFrom('consultation_items').select(['item_type', 'item_id']).where('consultation_id', '=', id).orderBy('sort').execute();
  const labels = await itemLabels(db, itemRows);
  const items = itemRows.map((i) => labels.get(`${i.item_type}:${i.item_id}`) ?? { ...i, ref: i.item_id, label_ar: '', label_en: '' });
  let commentsQ = db
    .selectFrom('consultation_comments as cc')
    .innerJoin('users as u', 'u.id', 'cc.author_id')
    .leftJoin('stakeholder_profiles as p', 'p.user_id', 'cc.author_id')
    .select([
      'cc.id',
      'cc.item_type',
      'cc.item_id',
      'cc.author_id',
      'u.name as author_name',
      'p.organisation as author_organisation',
      'cc.body',
      'cc.attachment_name',
      'cc.attachment_mime',
      'cc.attachment_size',
      'cc.status',
      'cc.moderation_reason',
      'cc.is_public',
      'cc.moderated_at',
      'cc.created_at',
      'cc.version',
    ])
    .where('cc.consultation_id', '=', id);
  if (stakeholder) commentsQ = commentsQ.where('cc.author_id', '=', actor.id);
  const comments = (await commentsQ.orderBy('cc.created_at').execute()).map((r) => ({ ...r, is_public: r.is_public === 1 }));
  const base = { ...present(c), items, comments };
  if (stakeholder) return { ...base, invitations: [] as { user_id: string; name: string; organisation: string | null; invited_at: string }[] };
  const invitations = await db
    .selectFrom('consultation_invitations as i')
    .innerJoin('users as u', 'u.id', 'i.user_id')
    .leftJoin('stakeholder_profiles as p', 'p.user_id', 'i.user_id')
    .select(['i.user_id', 'u.name', 'p.organisation', 'i.invited_at'])
    .where('i.consultation_id', '=', id)
    .orderBy('u.name')
    .execute();
  return { ...base, invitations };
}

export interface CommentUpload {
  fileName: string;
  bytes: Buffer;
}

/** The same checks as evidence (file-type.ts): a plain name without direction controls, not empty, capped, known bytes. */
export function checkAttachment(upload: CommentUpload): { name: string; mime: string } {
  const name = validateFileName(upload.fileName);
  if (!name) throw badRequest('invalid_filename', 'Give the file a plain name (no folders, "..", control or direction characters).');
  if (upload.bytes.length === 0) throw badRequest('empty_file', 'The file is empty.');
  if (upload.bytes.length > MAX_ATTACHMENT_BYTES) {
    throw new AppError(413, 'file_too_large', `The file is larger than the ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB limit.`, { limitBytes: MAX_ATTACHMENT_BYTES });
  }
  const type = detectFileType(upload.bytes);
  if (!type) throw new AppError(415, 'unsupported_file_type', 'Only PDF, Word (DOCX), Excel (XLSX) and image (PNG, JPEG, GIF, WebP) files are accepted; the content of this file is none of these.');
  return { name, mime: type.mime };
}

/** A stakeholder's comment on one item, during the period only; with an optional attachment. */
export async function submitComment(
  db: Kysely<DB>,
  consultationId: string,
  input: { item_type: ConsultationItemType; item_id: string; body: string },
  actor: Actor,
  place: FilePlace,
  upload?: CommentUpload,
) {
  if (actor.role !== 'stakeholder') throw forbidden('Only stakeholders comment in a consultation.');
  const body = input.body.replace(/\r\n/g, '\n').trim();
  if (!body) throw badRequest('comment_empty', 'Write a comment.');
  if (body.length > MAX_COMMENT_CHARS) throw new AppError(413, 'comment_too_long', `A comment may be at most ${MAX_COMMENT_CHARS} characters long.`, { limit: MAX_COMMENT_CHARS, length: body.length });
  const file = upload ? checkAttachment(upload) : null;
  const c = await findConsultation(db, consultationId);
  if (!(await stakeholderMay(db, c, actor.id))) throw notFound('Consultation');
  const state = periodState(c);
  if (state !== 'open') throw conflict('consultation_not_open', state === 'upcoming' ? 'This consultation has not opened yet.' : 'This consultation has closed.', { opens_at: c.opens_at, closes_at: c.closes_at });
  const item = await db
    .selectFrom('consultation_items')
    .select('item_id')
    .where('consultation_id', '=', consultationId)
    .where('item_type', '=', input.item_type)
    .where('item_id', '=', input.item_id)
    .executeTakeFirst();
  if (!item) throw badRequest('not_in_consultation', 'This item is not part of the consultation.');
  const id = newId();
  // The attachment is stored like evidence (src/files/file-store.ts): in the database, in the transaction that
  // records the comment, or under DATA_DIR/evidence before it (and removed again if the comment is refused).
  const stored = upload ? newId() : null;
  const sha256 = upload ? createHash('sha256').update(upload.bytes).digest('hex') : null;
  const storedFile = upload && stored && sha256 ? { id: stored, kind: 'evidence' as const, bytes: upload.bytes, sha256 } : null;
  if (storedFile && place.fileStorage === 'disk') putOnDisk(place.dataDir, storedFile);
  const row = {
    id,
    consultation_id: consultationId,
    item_type: input.item_type,
    item_id: input.item_id,
    author_id: actor.id,
    body,
    attachment_name: file?.name ?? null,
    attachment_stored_name: stored,
    attachment_mime: file?.mime ?? null,
    attachment_size: upload ? upload.bytes.length : null,
    attachment_sha256: sha256,
    status: 'pending' as const,
    moderation_reason: null,
    is_public: 0,
    moderated_by: null,
    moderated_at: null,
    created_at: nowIso(),
  };
  try {
    await db.transaction().execute(async (trx) => {
      // Checked again where the comment is recorded: the period may have been shortened meanwhile.
      const still = await trx.selectFrom('consultations').select(['opens_at', 'closes_at']).where('id', '=', consultationId).executeTakeFirstOrThrow();
      if (periodState(still) !== 'open') throw conflict('consultation_not_open', 'This consultation has closed.');
      if (storedFile && place.fileStorage === 'database') await putInDatabase(trx, storedFile);
      await trx.insertInto('consultation_comments').values(row).execute();
      await recordAudit(trx, { actorId: actor.id, action: 'consultation.comment', subjectType: 'consultation_comment', subjectId: id, after: { ...row, body: body.slice(0, 500) } });
    });
  } catch (err) {
    if (storedFile && place.fileStorage === 'disk') discardOnDisk(place.dataDir, 'evidence', storedFile.id);
    throw err;
  }
  // where the attachment is stored is not the author's business (as after moderation)
  return { ...withoutStorage({ ...row, version: 1 }), is_public: false };
}

export async function moderateComment(
  db: Kysely<DB>,
  commentId: string,
  input: { decision: 'accept' | 'reject'; reason?: string | undefined; is_public: boolean; version: number },
  actor: Actor,
) {
  if (input.decision === 'reject' && !input.reason) throw badRequest('reason_required', 'Give a reason for the rejection.');
  const status = input.decision === 'accept' ? 'accepted' : 'rejected';
  const isPublic = status === 'accepted' && input.is_public ? 1 : 0;
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('consultation_comments').selectAll().where('id', '=', commentId).executeTakeFirst();
    if (!before) throw notFound('Comment');
    const now = nowIso();
    const res = await trx
      .updateTable('consultation_comments')
      .set((eb) => ({ status, moderation_reason: input.reason ?? null, is_public: isPublic, moderated_by: actor.id, moderated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', commentId)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw versionConflict(before.version);
    await recordAudit(trx, {
      actorId: actor.id,
      action: status === 'accepted' ? 'consultation.comment.accept' : 'consultation.comment.reject',
      subjectType: 'consultation_comment',
      subjectId: commentId,
      before: { status: before.status, is_public: before.is_public === 1 },
      after: { status, reason: input.reason ?? null, is_public: isPublic === 1 },
    });
    const after = await trx.selectFrom('consultation_comments').selectAll().where('id', '=', commentId).executeTakeFirstOrThrow();
    return { ...withoutStorage(after), is_public: after.is_public === 1 };
  });
}

const withoutStorage = ({ attachment_stored_name: _s, attachment_sha256: _h, ...c }: ConsultationComment) => c;

/** Accepted comments beside an item (recommendation page, report section, plan action) for the secretariat. */
export async function acceptedCommentsFor(db: Kysely<DB>, itemType: ConsultationItemType, itemIds: string | string[], onlyPublic = false) {
  const ids = Array.isArray(itemIds) ? itemIds : [itemIds];
  if (ids.length === 0) return { items: [] };
  let q = db
    .selectFrom('consultation_comments as cc')
    .innerJoin('consultations as c', 'c.id', 'cc.consultation_id')
    .innerJoin('users as u', 'u.id', 'cc.author_id')
    .leftJoin('stakeholder_profiles as p', 'p.user_id', 'cc.author_id')
    .select([
      'cc.id',
      'cc.item_id',
      'cc.consultation_id',
      'c.title_ar as consultation_title_ar',
      'c.title_en as consultation_title_en',
      'u.name as author_name',
      'p.organisation as author_organisation',
      'cc.body',
      'cc.attachment_name',
      'cc.is_public',
      'cc.created_at',
      'cc.moderated_at',
    ])
    .where('cc.item_type', '=', itemType)
    .where('cc.item_id', 'in', ids)
    .where('cc.status', '=', 'accepted');
  if (onlyPublic) q = q.where('cc.is_public', '=', 1);
  const rows = await q.orderBy('cc.created_at').execute();
  return { items: rows.map((r) => ({ ...r, is_public: r.is_public === 1 })) };
}

/** An attachment's bytes (from the database or DATA_DIR/evidence, whichever holds it): curators, or its author. */
export async function openAttachment(db: Kysely<DB>, commentId: string, actor: Actor, dataDir: string) {
  const c = await db.selectFrom('consultation_comments').selectAll().where('id', '=', commentId).executeTakeFirst();
  if (!c || !c.attachment_stored_name) throw notFound('Attachment');
  if (!isCurator(actor) && c.author_id !== actor.id) throw notFound('Attachment');
  const stream = await openStored(db, dataDir, 'evidence', c.attachment_stored_name);
  if (!stream) throw notFound('Attachment');
  return { name: c.attachment_name!, mime: c.attachment_mime!, size: c.attachment_size!, stream };
}

/** The consultation record for a report's methodology section: who was invited, who took part, counts, dates. */
export async function consultationRecord(db: Kysely<DB>, id: string, actor: Actor) {
  const c = await getConsultation(db, id, actor);
  const participantsRows = await db
    .selectFrom('consultation_comments as cc')
    .innerJoin('users as u', 'u.id', 'cc.author_id')
    .leftJoin('stakeholder_profiles as p', 'p.user_id', 'cc.author_id')
    .select((eb) => [
      'cc.author_id',
      'u.name',
      'p.organisation',
      'p.org_kind',
      eb.fn.countAll<number>().as('comments'),
      eb.fn.sum<number>(eb.case().when('cc.status', '=', 'accepted').then(1).else(0).end()).as('accepted'),
      eb.fn.min<string>('cc.created_at').as('first_at'),
      eb.fn.max<string>('cc.created_at').as('last_at'),
    ])
    .where('cc.consultation_id', '=', id)
    .groupBy(['cc.author_id', 'u.name', 'p.organisation', 'p.org_kind'])
    .orderBy('u.name')
    .execute();
  const participants = participantsRows.map((r) => ({ ...r, comments: Number(r.comments), accepted: Number(r.accepted ?? 0) }));
  const byStatus = { pending: 0, accepted: 0, rejected: 0 };
  for (const cm of c.comments) byStatus[cm.status] += 1;
  const perItem = c.items.map((it) => {
    const mine = c.comments.filter((cm) => cm.item_type === it.item_type && cm.item_id === it.item_id);
    return { ...it, comments: mine.length, accepted: mine.filter((m) => m.status === 'accepted').length };
  });
  return { consultation: c, participants, totals: { invited: c.invitations.length, participants: participants.length, comments: c.comments.length, ...byStatus, items: c.items.length }, perItem };
}
