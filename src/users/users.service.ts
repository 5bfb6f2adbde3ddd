import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { clearAccount, lockedAccounts } from '../auth/throttle.ts';
import type { DB, Role, User } from '../db/schema.ts';
import { AppError, badRequest, isUniqueViolation, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';

export const ROLES = ['admin', 'coordinator', 'focal_point', 'contributor', 'viewer'] as const satisfies readonly Role[];
/** Roles whose users belong to one entity. */
export const ENTITY_ROLES: readonly Role[] = ['focal_point', 'contributor'];

/** CLI and API spell roles with a hyphen ("focal-point"); storage uses an underscore. */
export function parseRole(input: string): Role {
  const r = input.trim().toLowerCase().replace(/-/g, '_');
  if ((ROLES as readonly string[]).includes(r)) return r as Role;
  throw badRequest('invalid_role', `Unknown role "${input}". Use one of: admin, coordinator, focal-point, contributor, viewer.`);
}

export const passwordSchema = z.string().min(10, 'Password must be at least 10 characters.').max(200);
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email());

/** A user as the API shows it: no password hash, no two-factor secret (only whether two-factor is on). */
export type PublicUser = Omit<User, 'password_hash' | 'totp_secret' | 'totp_last_step'>;
export const toPublicUser = ({ password_hash: _p, totp_secret: _s, totp_last_step: _l, ...u }: User): PublicUser => u;

export const hashPassword = (password: string) => hash(password); // argon2id is the library default
export const verifyPassword = (stored: string, password: string) => verify(stored, password).catch(() => false);

export interface CreateUserInput {
  email: string;
  password: string;
  name?: string;
  role: Role;
  entityId?: string | null;
  locale?: 'ar' | 'en';
}

/** A new user's row: what is given, a new id, and nothing yet of sign-ins, two-factor or an identity provider. */
export function newUserRow(fields: Pick<User, 'email' | 'name' | 'password_hash' | 'role' | 'entity_id' | 'locale'> & Partial<User>): User {
  const now = nowIso();
  return {
    id: newId(),
    disabled_at: null,
    last_login_at: null,
    created_at: now,
    updated_at: now,
    totp_secret: null,
    totp_enabled_at: null,
    totp_last_step: null,
    oidc_subject: null,
    password_change_required_at: null,
    ...fields,
  };
}

export async function createUser(db: Kysely<DB>, input: CreateUserInput, actorId: string | null = null): Promise<PublicUser> {
  const email = emailSchema.safeParse(input.email);
  if (!email.success) throw badRequest('invalid_email', `"${input.email}" is not a valid e-mail address.`);
  const pw = passwordSchema.safeParse(input.password);
  if (!pw.success) throw badRequest('weak_password', pw.error.issues[0]!.message);
  const entityId = input.entityId ?? null;
  if (ENTITY_ROLES.includes(input.role) && !entityId) {
    throw badRequest('entity_required', `A ${input.role.replace('_', '-')} must belong to an entity (--entity ID or code).`);
  }
  let resolvedEntity: string | null = null;
  if (entityId) {
    const entity = await db
      .selectFrom('entities')
      .select('id')
      .where((eb) => eb.or([eb('id', '=', entityId), eb('code', '=', entityId)]))
      .executeTakeFirst();
    if (!entity) throw badRequest('unknown_entity', `No entity with id or code "${entityId}".`);
    resolvedEntity = entity.id;
  }
  const user = newUserRow({
    email: email.data,
    name: input.name?.trim() || email.data.split('@')[0]!,
    password_hash: await hashPassword(input.password),
    role: input.role,
    entity_id: resolvedEntity,
    locale: input.locale ?? 'ar',
  });
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values(user).execute();
      await recordAudit(trx, { actorId, action: 'user.create', subjectType: 'user', subjectId: user.id, after: toPublicUser(user) });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError(409, 'email_taken', `A user with e-mail ${user.email} already exists.`);
    throw err;
  }
  return toPublicUser(user);
}

export async function listUsers(db: Kysely<DB>): Promise<(PublicUser & { locked_until: string | null })[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('email').execute();
  const locked = await lockedAccounts(db);
  return rows.map((u) => ({ ...toPublicUser(u), locked_until: locked.get(u.email) ?? null }));
}

/** Lifts the sign-in locks of an account (after failed attempts), from any address. */
export async function unlockSignIn(db: Kysely<DB>, ref: string, actorId: string | null = null) {
  const user = await findByEmailOrId(db, ref);
  await db.transaction().execute(async (trx) => {
    await clearAccount(trx, user.email);
    await recordAudit(trx, { actorId, action: 'user.unlock', subjectType: 'user', subjectId: user.id });
  });
  return { ...toPublicUser(user), locked_until: null };
}

async function findByEmailOrId(db: Kysely<DB>, ref: string): Promise<User> {
  const key = ref.trim().toLowerCase();
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.or([eb('email', '=', key), eb('id', '=', ref.trim())]))
    .executeTakeFirst();
  if (!user) throw notFound(`User "${ref}"`);
  return user;
}

export async function setUserDisabled(db: Kysely<DB>, ref: string, disabled: boolean, actorId: string | null = null) {
  const user = await findByEmailOrId(db, ref);
  const disabled_at = disabled ? nowIso() : null;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ disabled_at, updated_at: nowIso() }).where('id', '=', user.id).execute();
    if (disabled) await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    await recordAudit(trx, {
      actorId,
      action: disabled ? 'user.disable' : 'user.enable',
      subjectType: 'user',
      subjectId: user.id,
      before: { disabled_at: user.disabled_at },
      after: { disabled_at },
    });
  });
  return toPublicUser({ ...user, disabled_at });
}

export async function resetPassword(db: Kysely<DB>, ref: string, password: string, actorId: string | null = null) {
  const pw = passwordSchema.safeParse(password);
  if (!pw.success) throw badRequest('weak_password', pw.error.issues[0]!.message);
  const user = await findByEmailOrId(db, ref);
  const password_hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash, updated_at: nowIso() }).where('id', '=', user.id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    await recordAudit(trx, { actorId, action: 'user.reset_password', subjectType: 'user', subjectId: user.id });
  });
}

/** A user changes their own password: the current one is checked, and their other sessions end. */
export async function changeOwnPassword(db: Kysely<DB>, userId: string, input: { currentPassword: string; newPassword: string }, keepSessionId: string) {
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new AppError(403, 'wrong_current_password', 'The current password is not correct.');
  }
  const pw = passwordSchema.safeParse(input.newPassword);
  if (!pw.success) throw badRequest('weak_password', pw.error.issues[0]!.message);
  if (input.newPassword === input.currentPassword) throw badRequest('password_unchanged', 'Choose a password different from the current one.', { field: 'newPassword' });
  const password_hash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    // a temporary password, once replaced, no longer holds the user back
    await trx.updateTable('users').set({ password_hash, password_change_required_at: null, updated_at: nowIso() }).where('id', '=', user.id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).where('id', '!=', keepSessionId).execute();
    await recordAudit(trx, { actorId: user.id, action: 'user.change_password', subjectType: 'user', subjectId: user.id });
  });
}

export async function setLocale(db: Kysely<DB>, userId: string, locale: 'ar' | 'en') {
  await db.updateTable('users').set({ locale, updated_at: nowIso() }).where('id', '=', userId).execute();
}
