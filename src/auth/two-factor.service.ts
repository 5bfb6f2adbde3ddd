import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import QRCode from 'qrcode';
import { recordAudit } from '../audit/index.ts';
import type { DB, Role, User } from '../db/schema.ts';
import { AppError, badRequest, conflict, notFound } from '../shared/errors.ts';
import { getSetting, putSetting } from '../settings/index.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { verifyPassword } from '../users/index.ts';
import { isSealed, openWithAny, seal, type SecretKeys } from './secret-box.ts';
import { matchStep, newSecret, otpauthUri } from './totp.ts';

/**
 * Two-factor sign-in (issue 14, identity): a time-based code from an authenticator app, or one of ten
 * single-use recovery codes. Optional for everyone; required for the roles an administrator lists
 * (setting `two_factor_roles`): such a user who has not set it up can, once signed in, do nothing but set it up.
 */
const POLICY_KEY = 'two_factor_roles';
const ISSUER = 'Rasd';
const RECOVERY_CODES = 10;
export const TWO_FACTOR_ROLES: readonly Role[] = ['admin', 'coordinator'];

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** Recovery codes are typed by people: case, spaces and dashes do not matter. */
const normaliseRecovery = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');

/**
 * The clear secret of a stored one. A value still in clear (restored from an old backup into a running server)
 * is taken as it is until the next start seals it; one sealed under another key is an operator's error, said so.
 */
function secretOf(keys: SecretKeys, stored: string): string {
  if (!isSealed(stored)) return stored;
  try {
    return openWithAny(keys, stored);
  } catch {
    throw new AppError(500, 'secret_key_mismatch', "A two-factor secret cannot be decrypted: this server's SECRET_KEY is not the key it was stored under (see docs/OPERATIONS.md).");
  }
}

/** The roles that must use two-factor, read at most every few seconds (each request asks). */
const policyCache = new WeakMap<Kysely<DB>, { at: number; roles: Promise<Role[]> }>();
export function requiredRoles(db: Kysely<DB>): Promise<Role[]> {
  const hit = policyCache.get(db);
  if (hit && Date.now() - hit.at < 5_000) return hit.roles;
  const roles = getSetting<Role[]>(db, POLICY_KEY).then((r) => r ?? []);
  policyCache.set(db, { at: Date.now(), roles });
  return roles;
}

export async function setRequiredRoles(db: Kysely<DB>, roles: Role[], actorId: string): Promise<Role[]> {
  const unique = [...new Set(roles)];
  if (unique.some((r) => !TWO_FACTOR_ROLES.includes(r))) throw badRequest('invalid_two_factor_roles', `Two-factor can be required of ${TWO_FACTOR_ROLES.join(' and ')} only.`);
  const before = await requiredRoles(db);
  await db.transaction().execute(async (trx) => {
    await putSetting(trx, POLICY_KEY, unique);
    await recordAudit(trx, { actorId, action: 'settings.two_factor_roles', subjectType: 'settings', subjectId: POLICY_KEY, before: { roles: before }, after: { roles: unique } });
  });
  policyCache.delete(db);
  return unique;
}

/** Whether this user must set two-factor up before doing anything else. */
export async function setupPending(db: Kysely<DB>, user: User): Promise<boolean> {
  if (user.totp_enabled_at) return false;
  return (await requiredRoles(db)).includes(user.role);
}

export async function twoFactorStatus(db: Kysely<DB>, user: User) {
  const left = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', user.id)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    enabled: Boolean(user.totp_enabled_at),
    enabledAt: user.totp_enabled_at,
    required: (await requiredRoles(db)).includes(user.role),
    recoveryCodesLeft: Number(left.n),
  };
}

/** Starts (or restarts) set-up: a new secret, not in use until a code from it is confirmed. */
export async function startSetup(db: Kysely<DB>, user: User, keys: SecretKeys) {
  if (user.totp_enabled_at) throw conflict('two_factor_already_enabled', 'Two-factor sign-in is already on. Turn it off first to set up another device.');
  const secret = newSecret();
  // stored encrypted (secret-box.ts): a copy of the database alone does not give the codes
  await db.updateTable('users').set({ totp_secret: seal(keys.current, secret), totp_last_step: null }).where('id', '=', user.id).where('totp_enabled_at', 'is', null).execute();
  const uri = otpauthUri(secret, user.email, ISSUER);
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { secret, uri, qrSvg };
}

/** Confirms set-up with a first code; turns two-factor on and returns the recovery codes (shown once). */
export async function confirmSetup(db: Kysely<DB>, userId: string, code: string, keys: SecretKeys) {
  return db.transaction().execute(async (trx) => {
    await holdRow(trx, userId);
    const user = await trx.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
    if (user.totp_enabled_at) throw conflict('two_factor_already_enabled', 'Two-factor sign-in is already on.');
    if (!user.totp_secret) throw conflict('two_factor_not_started', 'Start the set-up first: scan the code, then confirm with the number your app shows.');
    const step = matchStep(secretOf(keys, user.totp_secret), code.trim(), null);
    if (step === null) throw badRequest('invalid_two_factor_code', 'The code is not correct. Check the time on your phone and try the current code.', { field: 'code' });
    const now = nowIso();
    await trx.updateTable('users').set({ totp_enabled_at: now, totp_last_step: step, updated_at: now }).where('id', '=', user.id).execute();
    const codes = await newRecoveryCodes(trx, user.id);
    await recordAudit(trx, { actorId: user.id, action: 'auth.two_factor.enable', subjectType: 'user', subjectId: user.id });
    return { recoveryCodes: codes };
  });
}

/** A no-op write that holds the user's row until the commit: two sign-ins with one code cannot both pass. */
async function holdRow(trx: Transaction<DB>, userId: string) {
  await trx.updateTable('users').set((eb) => ({ totp_last_step: eb.ref('totp_last_step') })).where('id', '=', userId).execute();
}

async function newRecoveryCodes(trx: Transaction<DB>, userId: string): Promise<string[]> {
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  const now = nowIso();
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const hex = randomBytes(5).toString('hex');
    return `${hex.slice(0, 5)}-${hex.slice(5)}`;
  });
  await trx
    .insertInto('recovery_codes')
    .values(codes.map((c) => ({ id: newId(), user_id: userId, code_hash: sha256(normaliseRecovery(c)), used_at: null, created_at: now })))
    .execute();
  return codes;
}

/** Turns two-factor off for oneself: the password is required, and a role that must use it cannot. */
export async function disableOwn(db: Kysely<DB>, userId: string, password: string) {
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, password))) throw new AppError(403, 'wrong_current_password', 'The current password is not correct.');
  if (!user.totp_enabled_at) throw conflict('two_factor_not_enabled', 'Two-factor sign-in is not on.');
  if ((await requiredRoles(db)).includes(user.role)) throw conflict('two_factor_required_by_policy', 'Your role must use two-factor sign-in: it cannot be turned off.');
  await clear(db, user.id, user.id, 'auth.two_factor.disable');
}

/** An administrator clears a user's two-factor (a lost phone): they set it up again at their next sign-in. */
export async function resetFor(db: Kysely<DB>, userId: string, actorId: string) {
  const user = await db.selectFrom('users').select(['id', 'totp_enabled_at', 'totp_secret']).where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound('User');
  if (!user.totp_enabled_at && !user.totp_secret) throw conflict('two_factor_not_enabled', 'Two-factor sign-in is not on for this user.');
  await clear(db, user.id, actorId, 'auth.two_factor.reset');
}

async function clear(db: Kysely<DB>, userId: string, actorId: string, action: string) {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null, updated_at: nowIso() }).where('id', '=', userId).execute();
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    await recordAudit(trx, { actorId, action, subjectType: 'user', subjectId: userId });
  });
}

/**
 * Checks the second factor at sign-in, inside the sign-in's transaction: a current code (each good once) or
 * an unused recovery code (then used up). Returns how it was passed, or null.
 */
export async function passSecondFactor(trx: Transaction<DB>, user: User, code: string, keys: SecretKeys): Promise<'code' | 'recovery' | null> {
  await holdRow(trx, user.id);
  const row = await trx.selectFrom('users').select(['totp_secret', 'totp_last_step']).where('id', '=', user.id).executeTakeFirstOrThrow();
  if (!row.totp_secret) return null;
  const step = matchStep(secretOf(keys, row.totp_secret), code.trim(), row.totp_last_step);
  if (step !== null) {
    await trx.updateTable('users').set({ totp_last_step: step }).where('id', '=', user.id).execute();
    return 'code';
  }
  const used = await trx
    .updateTable('recovery_codes')
    .set({ used_at: nowIso() })
    .where('user_id', '=', user.id)
    .where('code_hash', '=', sha256(normaliseRecovery(code)))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) > 0 ? 'recovery' : null;
}
