import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { clearAccount } from '../auth/throttle.ts';
import type { DB, User } from '../db/schema.ts';
import type { Mailer } from '../notifications/mailer.ts';
import { AppError, badRequest, conflict, notFound } from '../shared/errors.ts';
import { nowIso } from '../shared/ids.ts';
import { hashPassword, passwordSchema } from './users.service.ts';

/**
 * An administrator resets another user's password (issue 14, identity), in one of two ways:
 * - a single-use link sent by e-mail, good for `RESET_LINK_HOURS`; the user chooses a new password on the page it
 *   opens. Only the sha256 of its token is stored; a newer link replaces an older one.
 * - a temporary password, shown once to the administrator, that the user must change at their next sign-in
 *   (`users.password_change_required_at`; the auth hook then admits only the routes marked `duringPasswordChange`).
 * Either way the user's sessions end, and the reset is audited.
 */
export const RESET_LINK_HOURS = 24;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** Letters and digits that cannot be mistaken for one another when read aloud or copied by hand. */
const TEMP_ALPHABET = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479';

/** Three groups of five: 15 characters (about 83 bits), easy to read out. */
export function temporaryPassword(): string {
  const group = () => Array.from({ length: 5 }, () => TEMP_ALPHABET[randomInt(TEMP_ALPHABET.length)]).join('');
  return `${group()}-${group()}-${group()}`;
}

async function target(db: Kysely<DB>, userId: string, actorId: string): Promise<User> {
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound('User');
  if (user.id === actorId) throw badRequest('reset_own_password', 'To change your own password, use "Change password" in your account menu.');
  if (user.disabled_at) throw conflict('account_disabled', 'This account is disabled: enable it before resetting its password.');
  return user;
}

/** Gives the user a temporary password (returned once, never stored in clear) that they must change at their next sign-in. */
export async function issueTemporaryPassword(db: Kysely<DB>, userId: string, actorId: string): Promise<{ temporaryPassword: string }> {
  const user = await target(db, userId, actorId);
  const password = temporaryPassword();
  const password_hash = await hashPassword(password);
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash, password_change_required_at: now, updated_at: now }).where('id', '=', user.id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    // an outstanding link would let the old way in again
    await trx.updateTable('password_resets').set({ used_at: now }).where('user_id', '=', user.id).where('used_at', 'is', null).execute();
    await clearAccount(trx, user.email);
    await recordAudit(trx, { actorId, action: 'user.temporary_password', subjectType: 'user', subjectId: user.id });
  });
  return { temporaryPassword: password };
}

/** The e-mail with the link, both languages in one message (Arabic first), like the reminders. */
export function resetLinkMail(user: Pick<User, 'name' | 'email'>, link: string, hours: number) {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  const ltr = (s: string) => `\u2066${s}\u2069`;
  const ar = {
    subject: 'إعادة تعيين كلمة المرور في رصد',
    intro: `مرحباً ${user.name}، طلب مدير النظام إعادة تعيين كلمة المرور لحسابك ${ltr(user.email)}. افتح الرابط التالي واختر كلمة مرور جديدة. يصلح الرابط مرة واحدة خلال ${ltr(String(hours))} ساعة.`,
    action: 'اختر كلمة مرور جديدة',
  };
  const en = {
    subject: 'Reset your Rasd password',
    intro: `Hello ${user.name}, an administrator reset the password of your account ${user.email}. Open this link and choose a new password. The link works once, within ${hours} hours.`,
    action: 'Choose a new password',
  };
  const text = [ar.intro, `${ar.action}: ${link}`, '', '----------------------------------------', '', en.intro, `${en.action}: ${link}`, '', 'رصد — Rasd'].join('\n');
  const html = `<!doctype html><html><body>
<div dir="rtl" lang="ar" style="text-align:right;font-family:'IBM Plex Sans Arabic',Tahoma,sans-serif"><p>${esc(ar.intro)}</p><p><a href="${esc(link)}">${esc(ar.action)}</a></p></div>
<hr>
<div dir="ltr" lang="en" style="text-align:left;font-family:Arial,sans-serif"><p>${esc(en.intro)}</p><p><a href="${esc(link)}">${esc(en.action)}</a></p></div>
</body></html>`;
  return { subject: `${ar.subject} | ${en.subject}`, text, html };
}

/**
 * Sends a single-use reset link by e-mail. The user's sessions end at once; their password stays until they use
 * the link (an administrator who wants the old one unusable at once gives a temporary password instead).
 * The token travels in the address's fragment (`#token=…`): browsers send it to no server, and no log keeps it.
 */
export async function sendResetLink(
  db: Kysely<DB>,
  mailer: Mailer,
  opts: { userId: string; actorId: string; publicUrl: string; now?: Date },
): Promise<{ sentTo: string; expiresAt: string }> {
  if (!mailer.enabled) throw conflict('mail_not_configured', 'E-mail is not set up on this server (SMTP_URL): give a temporary password instead.');
  const user = await target(db, opts.userId, opts.actorId);
  const token = randomBytes(32).toString('base64url');
  const now = opts.now ?? new Date();
  const expiresAt = new Date(now.getTime() + RESET_LINK_HOURS * 3_600_000).toISOString();
  const link = `${opts.publicUrl}/reset-password#token=${token}`;
  // The mail goes out first: if it cannot be sent, nothing changed.
  const mail = resetLinkMail(user, link, RESET_LINK_HOURS);
  try {
    await mailer.send({ to: [user.email], ...mail });
  } catch (err) {
    throw new AppError(502, 'mail_failed', `The e-mail could not be sent: ${err instanceof Error ? err.message : String(err)}`);
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('password_resets').set({ used_at: now.toISOString() }).where('user_id', '=', user.id).where('used_at', 'is', null).execute();
    await trx.insertInto('password_resets').values({ id: sha256(token), user_id: user.id, created_by: opts.actorId, created_at: now.toISOString(), expires_at: expiresAt, used_at: null }).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    await recordAudit(trx, { actorId: opts.actorId, action: 'user.reset_link_sent', subjectType: 'user', subjectId: user.id, after: { expires_at: expiresAt } });
  });
  return { sentTo: user.email, expiresAt };
}

const invalidLink = () => badRequest('invalid_reset_link', 'This reset link is not valid: it was already used, replaced by a newer one, or has expired. Ask an administrator for a new one.');

/** Whether a link can still be used, and for whom (the page shows the address). */
export async function checkResetLink(db: Kysely<DB>, token: string): Promise<{ email: string; expiresAt: string }> {
  const row = await db
    .selectFrom('password_resets')
    .innerJoin('users', 'users.id', 'password_resets.user_id')
    .select(['users.email', 'users.disabled_at', 'password_resets.expires_at', 'password_resets.used_at'])
    .where('password_resets.id', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.used_at || row.disabled_at || row.expires_at <= nowIso()) throw invalidLink();
  return { email: row.email, expiresAt: row.expires_at };
}

/** Uses a link: sets the new password, once; every session of the user ends and the sign-in locks lift. */
export async function redeemResetLink(db: Kysely<DB>, token: string, newPassword: string): Promise<{ email: string }> {
  const { email } = await checkResetLink(db, token);
  const pw = passwordSchema.safeParse(newPassword);
  if (!pw.success) throw badRequest('weak_password', pw.error.issues[0]!.message, { field: 'password' });
  const password_hash = await hashPassword(newPassword);
  const now = nowIso();
  return db.transaction().execute(async (trx) => {
    // The one write that decides: of two uses at once, only one finds the link unused.
    const updated = await trx
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('id', '=', sha256(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw invalidLink();
    const used = await trx.selectFrom('password_resets').select('user_id').where('id', '=', sha256(token)).executeTakeFirstOrThrow();
    await trx.updateTable('users').set({ password_hash, password_change_required_at: null, updated_at: now }).where('id', '=', used.user_id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', used.user_id).execute();
    await clearAccount(trx, email);
    await recordAudit(trx, { actorId: used.user_id, action: 'user.reset_password_by_link', subjectType: 'user', subjectId: used.user_id });
    return { email };
  });
}
