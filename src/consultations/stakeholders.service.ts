import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { DB, StakeholderStatus } from '../db/schema.ts';
import type { Mailer } from '../notifications/index.ts';
import { AppError, badRequest, conflict, isUniqueViolation, notFound } from '../shared/errors.ts';
import { nowIso } from '../shared/ids.ts';
import { emailSchema, hashPassword, newUserRow, passwordSchema } from '../users/index.ts';
import type { RegisterInput } from './consultations.schema.ts';

/**
 * Stakeholders (issue 16): NHRI and civil-society organisations register themselves through the portal. The account
 * (role `stakeholder`) stays disabled until a coordinator approves it; a rejection keeps it disabled, with a reason.
 * Either decision is audited and mailed to the stakeholder.
 */

export const spamDetected = () => new AppError(400, 'spam_detected', 'This form was filled in by a robot (a field hidden from people is filled in).');

export async function registerStakeholder(db: Kysely<DB>, input: RegisterInput): Promise<{ id: string }> {
  // Honeypot: a field people never see. Refused without saying which field.
  if (input.website && input.website.trim() !== '') throw spamDetected();
  const email = emailSchema.safeParse(input.email);
  if (!email.success) throw badRequest('invalid_email', `"${input.email}" is not a valid e-mail address.`);
  const pw = passwordSchema.safeParse(input.password);
  if (!pw.success) throw badRequest('weak_password', pw.error.issues[0]!.message);
  const now = nowIso();
  const user = newUserRow({
    email: email.data,
    name: input.name.trim(),
    password_hash: await hashPassword(input.password),
    role: 'stakeholder',
    entity_id: null,
    locale: input.locale,
    // pending: cannot sign in until approved
    disabled_at: now,
  });
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values(user).execute();
      await trx
        .insertInto('stakeholder_profiles')
        .values({ user_id: user.id, organisation: input.organisation.trim(), org_kind: input.org_kind, status: 'pending', decision_reason: null, decided_by: null, decided_at: null, created_at: now })
        .execute();
      await recordAudit(trx, {
        actorId: user.id,
        action: 'stakeholder.register',
        subjectType: 'user',
        subjectId: user.id,
        after: { email: user.email, name: user.name, organisation: input.organisation.trim(), org_kind: input.org_kind },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('email_taken', 'An account with this e-mail address exists already.');
    throw err;
  }
  return { id: user.id };
}

export async function listStakeholders(db: Kysely<DB>, status?: StakeholderStatus) {
  let q = db
    .selectFrom('stakeholder_profiles as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .leftJoin('users as d', 'd.id', 'p.decided_by')
    .select(['p.user_id as id', 'u.name', 'u.email', 'u.locale', 'p.organisation', 'p.org_kind', 'p.status', 'p.decision_reason', 'p.decided_at', 'd.name as decided_by_name', 'p.created_at', 'p.version']);
  if (status) q = q.where('p.status', '=', status);
  return { items: await q.orderBy('p.created_at', 'desc').execute() };
}

export async function decideStakeholder(
  db: Kysely<DB>,
  mailer: Mailer,
  userId: string,
  input: { decision: 'approve' | 'reject'; reason?: string | undefined; version: number },
  actorId: string,
) {
  if (input.decision === 'reject' && !input.reason) throw badRequest('reason_required', 'Give a reason for the rejection: it is sent to the stakeholder.');
  const status: StakeholderStatus = input.decision === 'approve' ? 'approved' : 'rejected';
  const now = nowIso();
  const result = await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('stakeholder_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
    if (!before) throw notFound('Stakeholder');
    const updated = await trx
      .updateTable('stakeholder_profiles')
      .set((eb) => ({ status, decision_reason: input.reason ?? null, decided_by: actorId, decided_at: now, version: eb('version', '+', 1) }))
      .where('user_id', '=', userId)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict('version_conflict', 'Someone else changed this record meanwhile. Reload it and try again.', { currentVersion: before.version });
    await trx.updateTable('users').set({ disabled_at: status === 'approved' ? null : now, updated_at: now }).where('id', '=', userId).execute();
    if (status !== 'approved') await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await recordAudit(trx, {
      actorId,
      action: status === 'approved' ? 'stakeholder.approve' : 'stakeholder.reject',
      subjectType: 'user',
      subjectId: userId,
      before: { status: before.status },
      after: { status, reason: input.reason ?? null },
    });
    return trx.selectFrom('users').select(['email', 'name', 'locale']).where('id', '=', userId).executeTakeFirstOrThrow();
  });
  // Mail after the commit: a mail failure does not undo the decision (it is reported to the caller, which logs it).
  let mailError: unknown = null;
  if (mailer.enabled) {
    const ar = result.locale === 'ar';
    const subject = status === 'approved' ? (ar ? 'رصد: قُبل تسجيلك للمشاركة في المشاورات' : 'Rasd: your registration for consultations is approved') : ar ? 'رصد: لم يُقبل تسجيلك' : 'Rasd: your registration was not approved';
    const text =
      status === 'approved'
        ? ar
          ? `مرحباً ${result.name}،\n\nقُبل تسجيلك. يمكنك الآن الدخول إلى البوابة العامة والمشاركة في المشاورات المفتوحة.`
          : `Hello ${result.name},\n\nYour registration is approved. You can now sign in on the public portal and take part in open consultations.`
        : ar
          ? `مرحباً ${result.name}،\n\nلم يُقبل تسجيلك. السبب: ${input.reason}`
          : `Hello ${result.name},\n\nYour registration was not approved. Reason: ${input.reason}`;
    const escaped = text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
    await mailer
      .send({ to: [result.email], subject, text, html: `<div dir="${ar ? 'rtl' : 'ltr'}" lang="${result.locale}">${escaped.replace(/\n/g, '<br>')}</div>` })
      .catch((err: unknown) => {
        mailError = err;
      });
  }
  const row = (await listStakeholders(db)).items.find((s) => s.id === userId)!;
  return { ...row, mailed: mailer.enabled && mailError === null, mailError };
}
