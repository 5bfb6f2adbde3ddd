import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { DB, User } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import { emailSchema, hashPassword, verifyPassword } from '../users/index.ts';
import { nowIso } from '../shared/ids.ts';
import { passSecondFactor } from './two-factor.service.ts';
import type { SecretKeys } from './secret-box.ts';
import { clearAccount, LIMITS, lockIfExhausted, releaseAttempt, reserveAttempt, throttleKey } from './throttle.ts';

export const SESSION_COOKIE = 'rasd_session';
export const DEVICE_COOKIE = 'rasd_device';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = () => randomBytes(32).toString('base64url');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** A real hash of a throwaway password, so an unknown e-mail costs as much time as a wrong password. */
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));

export interface LoginResult {
  user: User;
  cookieToken: string;
  csrfToken: string;
  expiresAt: Date;
  /** a new device token to remember this browser by, when it had none for this user */
  deviceToken: string | null;
}

function tooManyAttempts(until: Date): AppError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return new AppError(429, 'too_many_attempts', `Too many failed sign-in attempts. Try again in ${minutes} minutes.`, { retryAfterMinutes: minutes });
}

/**
 * Signs in. Each attempt is reserved against the throttle's keys before the password is checked (see
 * throttle.ts): one account from one address, one address, and, unless the browser is a device the user
 * signed in from before, the account from anywhere.
 */
export async function login(
  db: Kysely<DB>,
  input: { email: string; password: string; code?: string | undefined; ip: string; sessionDays: number; deviceToken?: string | undefined; secretKeys: SecretKeys },
): Promise<LoginResult> {
  const parsed = emailSchema.safeParse(input.email);
  const email = parsed.success ? parsed.data : String(input.email).toLowerCase();
  const user = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  const knownDevice = Boolean(
    user &&
      input.deviceToken &&
      (await db.selectFrom('known_devices').select('id').where('id', '=', sha256(input.deviceToken)).where('user_id', '=', user.id).executeTakeFirst()),
  );
  const keys: [string, number][] = [[throttleKey.pair(email, input.ip), LIMITS.pair]];
  if (!knownDevice) keys.push([throttleKey.account(email), LIMITS.account]);
  keys.push([throttleKey.ip(input.ip), LIMITS.ip]);
  for (const [i, [key, limit]] of keys.entries()) {
    const refusedUntil = await reserveAttempt(db, key, limit);
    if (refusedUntil) {
      // A refused attempt was not evaluated: give back what it had taken.
      for (const [taken] of keys.slice(0, i)) await releaseAttempt(db, taken);
      throw tooManyAttempts(refusedUntil);
    }
  }

  const ok = await verifyPassword(user?.password_hash ?? (await getDummyHash()), input.password);
  if (!user || !ok || user.disabled_at) {
    for (const [key, limit] of keys) await lockIfExhausted(db, key, limit);
    throw new AppError(401, 'invalid_credentials', 'The e-mail or password is not correct.');
  }
  let secondFactor: 'code' | 'recovery' | null = null;
  if (user.totp_enabled_at) {
    const code = input.code?.trim();
    if (!code) {
      // The password was right: this is the first of two steps, not a failed attempt.
      for (const [key] of keys) await releaseAttempt(db, key);
      throw new AppError(401, 'two_factor_required', 'Enter the code from your authenticator app, or a recovery code.');
    }
    secondFactor = await db.transaction().execute((trx) => passSecondFactor(trx, user, code, input.secretKeys));
    if (!secondFactor) {
      for (const [key, limit] of keys) await lockIfExhausted(db, key, limit);
      throw new AppError(401, 'invalid_two_factor_code', 'The code is not correct, or was already used.');
    }
  }
  const deviceToken = knownDevice ? null : token();
  const now = new Date();
  const session = await db.transaction().execute(async (trx) => {
    const opened = await openSession(trx, user, input.sessionDays, secondFactor ? { second_factor: secondFactor } : null);
    if (deviceToken) {
      await trx.insertInto('known_devices').values({ id: sha256(deviceToken), user_id: user.id, created_at: now.toISOString(), last_used_at: now.toISOString() }).execute();
    } else {
      await trx.updateTable('known_devices').set({ last_used_at: now.toISOString() }).where('id', '=', sha256(input.deviceToken!)).execute();
    }
    await clearAccount(trx, email);
    await releaseAttempt(trx, throttleKey.ip(input.ip));
    return opened;
  });
  return { user, ...session, deviceToken };
}

/** Opens a session for a user who has proved who they are (password, code, or identity provider), audited. */
export async function openSession(trx: Kysely<DB>, user: User, sessionDays: number, how: Record<string, unknown> | null) {
  const cookieToken = token();
  const csrfToken = token();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + sessionDays * 86_400_000);
  await trx
    .insertInto('sessions')
    .values({
      id: sha256(cookieToken),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
      last_seen_at: now.toISOString(),
    })
    .execute();
  await trx.updateTable('users').set({ last_login_at: now.toISOString() }).where('id', '=', user.id).execute();
  await recordAudit(trx, { actorId: user.id, action: 'auth.login', subjectType: 'user', subjectId: user.id, ...(how ? { after: how } : {}) });
  return { cookieToken, csrfToken, expiresAt };
}

export async function resolveSession(db: Kysely<DB>, cookieToken: string) {
  const id = sha256(cookieToken);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.id as session_id', 'sessions.csrf_token', 'sessions.expires_at'])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row || row.disabled_at || row.expires_at <= nowIso()) return null;
  const { session_id, csrf_token, expires_at: _e, ...user } = row;
  return { user: user as User, sessionId: session_id, csrfToken: csrf_token };
}

export async function logout(db: Kysely<DB>, sessionId: string, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sessions').where('id', '=', sessionId).execute();
    await recordAudit(trx, { actorId: userId, action: 'auth.logout', subjectType: 'user', subjectId: userId });
  });
}

/** One of a user's sessions as they see it: `id` is a handle derived from the stored id, never the stored id itself. */
export interface SessionView {
  id: string;
  created_at: string;
  expires_at: string;
  /** the session this request came with */
  current: boolean;
}

const sessionHandle = (storedId: string) => sha256(`session-handle:${storedId}`).slice(0, 32);

/** The user's sessions that have not expired, newest first. */
export async function listSessions(db: Kysely<DB>, userId: string, currentSessionId: string): Promise<SessionView[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', nowIso())
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: sessionHandle(r.id), created_at: r.created_at, expires_at: r.expires_at, current: r.id === currentSessionId }));
}

/** Ends one of the user's own sessions (the current one too: that signs this browser out); 404 for any other. */
export async function revokeSession(db: Kysely<DB>, userId: string, handle: string): Promise<{ sessionId: string }> {
  return db.transaction().execute(async (trx) => {
    const mine = await trx.selectFrom('sessions').select('id').where('user_id', '=', userId).execute();
    const target = mine.find((s) => sessionHandle(s.id) === handle);
    if (!target) throw new AppError(404, 'not_found', 'Session not found.');
    await trx.deleteFrom('sessions').where('id', '=', target.id).execute();
    await recordAudit(trx, { actorId: userId, action: 'auth.session_revoke', subjectType: 'user', subjectId: userId });
    return { sessionId: target.id };
  });
}
