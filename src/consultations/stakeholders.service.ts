import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { DB, StakeholderStatus } from '../db/schema.ts';
import type { Mailer } from '../notifications/index.ts';
import { AppError, badRequest, conflict, isUniqueViolation, notFound } from '../shared/errors.ts';
import { nowIso } from '../shared/ids.ts';
import { emailSchema, hashPassword, newUserRow, passwordSchema } from '../users/index.ts';
import type { RegisterInput } from './consultations.schema.ts';

/**
 * Stakeholders (issue 16): NHRI and civil-society organisations register themselves through the portal and confirm
 * their e-mail address by a mailed link. The account (role `stakeholder`) stays disabled until a coordinator
 * approves it; a rejection keeps it disabled, with a reason. Either decision is audited and mailed to the stakeholder.
 */

export const spamDetected = () => new AppError(400, 'spam_detected', 'This form was filled in by a robot (a field hidden from people is filled in).');

/** How long a registration's confirmation link works. */
export const CONFIRM_LINK_HOURS = 48;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The confirmation mail: both languages in one message (the registrant's first), each with its page's link. */
export function confirmationMail(user: { name: string; email: string; locale: string }, links: { ar: string; en: string }, hours: number) {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  const ltr = (s: string) => `\u2066${s}\u2069`;
  const ar = {
    subject: 'رصد: أكّد بريدك الإلكتروني لإتمام التسجيل',
    intro: `مرحباً ${user.name}، وصل طلب تسجيل جهتك في بوابة المشاورات بالعنوان ${ltr(user.email)}. افتح الرابط التالي لتأكيد العنوان، وبعده يراجع منسق الأمانة التسجيل. يصلح الرابط مرة واحدة خلال ${ltr(String(hours))} ساعة. إن لم تطلب التسجيل فتجاهل هذه الرسالة.`,
    action: 'تأكيد البريد الإلكتروني',
  };
  const en = {
    subject: 'Rasd: confirm your e-mail address to complete your registration',
    intro: `Hello ${user.name}, your organisation's registration for the consultation portal arrived with the address ${user.email}. Open this link to confirm the address; a coordinator then reviews the registration. The link works once, within ${hours} hours. If you did not register, ignore this message.`,
    action: 'Confirm the e-mail address',
  };
  const blocks = user.locale === 'en' ? (['en', 'ar'] as const) : (['ar', 'en'] as const);
  const words = { ar, en };
  const text = blocks.map((l) => [words[l].intro, `${words[l].action}: ${links[l]}`].join('\n')).join('\n\n----------------------------------------\n\n') + '\n\nرصد — Rasd';
  const htmlBlock = (l: 'ar' | 'en') =>
    `<div dir="${l === 'ar' ? 'rtl' : 'ltr'}" lang="${l}" style="text-align:${l === 'ar' ? 'right' : 'left'}"><p>${esc(words[l].intro)}</p><p><a href="${esc(links[l])}">${esc(words[l].action)}</a></p></div>`;
  const html = `<!doctype html><html><body>${blocks.map(htmlBlock).join('<hr>')}</body></html>`;
  return { subject: `${words[blocks[0]].subject} | ${words[blocks[1]].subject}`, text, html };
}

/**
 * A stakeholder registers: the account (disabled) and its profile are written, and a single-use link, good for
 * `CONFIRM_LINK_HOURS`, is mailed to the address (only its sha256 is stored). Until the link is followed, the
 * registration is hidden from coordinators and cannot be decided. An address whose earlier registration was never
 * confirmed and whose link has expired may register again (the earlier one is replaced); otherwise `email_taken`.
 */
export async function registerStakeholder(db: Kysely<DB>, mailer: Mailer, input: RegisterInput, opts: { publicUrl: string; now?: Date }): Promise<{ id: string }> {
  // Honeypot: a field people never see. Refused without saying which field.
  if (input.website && input.website.trim() !== '') throw spamDetected();
  const email = emailSchema.safeParse(input.email);
  if (!email.success) throw badRequest('invalid_email', `"${input.email}" is not a valid e-mail address.`);
  const pw = passwordSchema.safeParse(input.password);
  if (!pw.success) throw badRequest('weak_password', pw.error.issues[0]!.message);
  if (!mailer.enabled) throw new AppError(503, 'registration_mail_unavailable', 'E-mail is not set up on this server (SMTP_URL), so a registration cannot be confirmed. Contact the secretariat.');
  const taken = () => conflict('email_taken', 'An account with this e-mail address exists already.');
  const nowDate = opts.now ?? new Date();
  const now = nowDate.toISOString();
  const existing = await db
    .selectFrom('users')
    .leftJoin('stakeholder_profiles as p', 'p.user_id', 'users.id')
    .select(['users.id', 'p.email_confirmed_at', 'p.confirm_expires_at', 'p.user_id as profile'])
    .where('users.email', '=', email.data)
    .executeTakeFirst();
  const replaces = existing && existing.profile && !existing.email_confirmed_at && (existing.confirm_expires_at ?? '') <= now ? existing.id : null;
  if (existing && !replaces) throw taken();

  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(nowDate.getTime() + CONFIRM_LINK_HOURS * 3_600_000).toISOString();
  const password_hash = await hashPassword(input.password);
  const organisation = input.organisation.trim();
  const user = newUserRow({
    email: email.data,
    name: input.name.trim(),
    password_hash,
    role: 'stakeholder',
    entity_id: null,
    locale: input.locale,
    // pending: cannot sign in until confirmed and approved
    disabled_at: now,
  });
  const userId = replaces ?? user.id;
  const profile = { organisation, org_kind: input.org_kind, status: 'pending' as const, decision_reason: null, decided_by: null, decided_at: null, created_at: now, email_confirmed_at: null, confirm_token_hash: sha256(token), confirm_expires_at: expiresAt };
  try {
    await db.transaction().execute(async (trx) => {
      if (replaces) {
        await trx.updateTable('users').set({ name: user.name, password_hash, locale: input.locale, disabled_at: now, updated_at: now }).where('id', '=', replaces).execute();
        await trx.updateTable('stakeholder_profiles').set((eb) => ({ ...profile, version: eb('version', '+', 1) })).where('user_id', '=', replaces).execute();
      } else {
        await trx.insertInto('users').values(user).execute();
        await trx.insertInto('stakeholder_profiles').values({ user_id: user.id, ...profile }).execute();
      }
      await recordAudit(trx, {
        actorId: userId,
        action: 'stakeholder.register',
        subjectType: 'user',
        subjectId: userId,
        after: { email: user.email, name: user.name, organisation, org_kind: input.org_kind, confirm_expires_at: expiresAt, ...(replaces ? { replaces_unconfirmed: true } : {}) },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
  const link = (l: 'ar' | 'en') => `${opts.publicUrl}/public/${l}/register/confirm?token=${token}`;
  try {
    await mailer.send({ to: [user.email], ...confirmationMail({ name: user.name, email: user.email, locale: input.locale }, { ar: link('ar'), en: link('en') }, CONFIRM_LINK_HOURS) });
  } catch (err) {
    // Without the mail the registration could never be confirmed: its link is ended at once, so that the address
    // may register again (as after an expired link).
    await db.updateTable('stakeholder_profiles').set({ confirm_token_hash: null, confirm_expires_at: now }).where('user_id', '=', userId).execute();
    throw new AppError(502, 'mail_failed', `The confirmation e-mail could not be sent: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { id: userId };
}

const invalidConfirmLink = () =>
  badRequest('invalid_confirm_link', 'This confirmation link is not valid: it was already used or has expired. If your registration was never confirmed, register again once the link has expired.');

/** Whether a confirmation link can still be used, and for which address (the page shows it). */
export async function checkConfirmLink(db: Kysely<DB>, token: string, now = nowIso()): Promise<{ email: string; organisation: string }> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw invalidConfirmLink();
  const row = await db
    .selectFrom('stakeholder_profiles as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['u.email', 'p.organisation', 'p.confirm_expires_at', 'p.email_confirmed_at'])
    .where('p.confirm_token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.email_confirmed_at || !row.confirm_expires_at || row.confirm_expires_at <= now) throw invalidConfirmLink();
  return { email: row.email, organisation: row.organisation };
}

/** Follows a confirmation link, once: the registration joins the coordinators' queue. Audited. */
export async function confirmStakeholderEmail(db: Kysely<DB>, token: string, now = nowIso()): Promise<{ email: string }> {
  const { email } = await checkConfirmLink(db, token, now);
  return db.transaction().execute(async (trx) => {
    // The one write that decides: of two uses at once, only one finds the link unused.
    const row = await trx.selectFrom('stakeholder_profiles').select('user_id').where('confirm_token_hash', '=', sha256(token)).executeTakeFirst();
    const updated = await trx
      .updateTable('stakeholder_profiles')
      .set((eb) => ({ email_confirmed_at: now, confirm_token_hash: null, version: eb('version', '+', 1) }))
      .where('confirm_token_hash', '=', sha256(token))
      .where('email_confirmed_at', 'is', null)
      .where('confirm_expires_at', '>', now)
      .executeTakeFirst();
    if (!row || Number(updated.numUpdatedRows) !== 1) throw invalidConfirmLink();
    await recordAudit(trx, { actorId: row.user_id, action: 'stakeholder.confirm_email', subjectType: 'user', subjectId: row.user_id, after: { email_confirmed_at: now } });
    return { email };
  });
}

export async function listStakeholders(db: Kysely<DB>, status?: StakeholderStatus) {
  let q = db
    .selectFrom('stakeholder_profiles as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .leftJoin('users as d', 'd.id', 'p.decided_by')
    .select(['p.user_id as id', 'u.name', 'u.email', 'u.locale', 'p.organisation', 'p.org_kind', 'p.status', 'p.decision_reason', 'p.decided_at', 'd.name as decided_by_name', 'p.created_at', 'p.email_confirmed_at', 'p.version'])
    // a registration whose address is not confirmed yet is not the coordinators' business
    .where('p.email_confirmed_at', 'is not', null);
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
    if (!before.email_confirmed_at) throw conflict('email_unconfirmed', 'This registration’s e-mail address is not confirmed yet: it cannot be decided.');
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
