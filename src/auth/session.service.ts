import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { DB, User } from '../db/schema.ts';
import { AppError } from '../server/errors.ts';
import { emailSchema, hashPassword, verifyPassword } from '../users/index.ts';
import { nowIso } from '../shared/ids.ts';

export const SESSION_COOKIE = 'rasd_session';
const FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 30;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = () => randomBytes(32).toString('base64url');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

async function recentFailures(db: Kysely<DB>, key: string): Promise<number> {
  const since = new Date(Date.now() - FAILURE_WINDOW_MS).toISOString();
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('key', '=', key)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A real hash of a throwaway password, so an unknown e-mail costs as much time as a wrong password. */
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));

export interface LoginResult {
  user: User;
  cookieToken: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function login(
  db: Kysely<DB>,
  input: { email: string; password: string; ip: string; sessionDays: number },
): Promise<LoginResult> {
  const parsed = emailSchema.safeParse(input.email);
  const email = parsed.success ? parsed.data : String(input.email).toLowerCase();
  const ipKey = `ip:${input.ip}`;
  if ((await recentFailures(db, email)) >= MAX_FAILURES_PER_EMAIL || (await recentFailures(db, ipKey)) >= MAX_FAILURES_PER_IP) {
    throw new AppError(429, 'too_many_attempts', 'Too many failed sign-in attempts. Try again in 15 minutes.');
  }
  const user = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  const ok = await verifyPassword(user?.password_hash ?? (await getDummyHash()), input.password);
  if (!user || !ok || user.disabled_at) {
    const at = nowIso();
    await db.insertInto('login_failures').values([{ key: email, at }, { key: ipKey, at }]).execute();
    throw new AppError(401, 'invalid_credentials', 'The e-mail or password is not correct.');
  }
  const cookieToken = token();
  const csrfToken = token();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + input.sessionDays * 86_400_000);
  await db.transaction().execute(async (trx) => {
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
    await trx.deleteFrom('login_failures').where('key', '=', email).execute();
    await recordAudit(trx, { actorId: user.id, action: 'auth.login', subjectType: 'user', subjectId: user.id });
  });
  return { user, cookieToken, csrfToken, expiresAt };
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
