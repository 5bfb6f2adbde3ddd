import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/**
 * Login throttling by counters reserved before a password is checked, so that parallel guesses cannot
 * outrun the limit: a key's attempt is taken by one conditional UPDATE (atomic on both engines), and only
 * then is the password verified. A key that used up its attempts is locked, for 15 minutes the first time
 * and twice as long each time after (up to a day), until a successful sign-in or an administrator clears it.
 */
export const WINDOW_MS = 15 * 60 * 1000;
const MAX_LOCK_MS = 24 * 60 * 60 * 1000;

export const LIMITS = {
  /** one account from one address */
  pair: 5,
  /** one account from anywhere (passed by a known device) */
  account: 20,
  /** one address, all accounts (an office behind one NAT address shares it; right passwords give theirs back) */
  ip: 100,
} as const;
export type ThrottleKind = keyof typeof LIMITS;

export const throttleKey = {
  pair: (email: string, ip: string) => `pair:${email}|${ip}`,
  account: (email: string) => `account:${email}`,
  ip: (ip: string) => `ip:${ip}`,
};

const lockMs = (strikes: number) => Math.min(WINDOW_MS * 2 ** strikes, MAX_LOCK_MS);

/**
 * Takes one attempt for `key`. Returns null when taken, or the time until which the key is refused. A window
 * that has run out, or a lock that has ended, starts a fresh window with this attempt.
 */
export async function reserveAttempt(db: Kysely<DB>, key: string, limit: number, now = new Date()): Promise<Date | null> {
  const nowIso = now.toISOString();
  const windowAgo = new Date(now.getTime() - WINDOW_MS).toISOString();
  await db
    .insertInto('login_throttle')
    .values({ key, attempts: 0, window_start: nowIso, strikes: 0, locked_until: null })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const fresh = sql<boolean>`(window_start <= ${windowAgo} or (locked_until is not null and locked_until <= ${nowIso}))`;
  const taken = await db
    .updateTable('login_throttle')
    .set({
      attempts: sql`case when ${fresh} then 1 else attempts + 1 end`,
      window_start: sql`case when ${fresh} then ${nowIso} else window_start end`,
      locked_until: sql`case when ${fresh} then null else locked_until end`,
    })
    .where('key', '=', key)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
    .where((eb) => eb.or([eb('attempts', '<', limit), fresh]))
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 1) return null;
  const row = await db.selectFrom('login_throttle').select(['locked_until', 'window_start']).where('key', '=', key).executeTakeFirst();
  if (row?.locked_until && row.locked_until > nowIso) return new Date(row.locked_until);
  return new Date(new Date(row?.window_start ?? nowIso).getTime() + WINDOW_MS);
}

/** After a wrong password: a key whose attempts are used up is locked, with back-off. */
export async function lockIfExhausted(db: Kysely<DB>, key: string, limit: number, now = new Date()): Promise<void> {
  const row = await db.selectFrom('login_throttle').select('strikes').where('key', '=', key).executeTakeFirst();
  if (!row) return;
  await db
    .updateTable('login_throttle')
    .set({ locked_until: new Date(now.getTime() + lockMs(row.strikes)).toISOString(), strikes: row.strikes + 1 })
    .where('key', '=', key)
    .where('attempts', '>=', limit)
    .where('locked_until', 'is', null)
    .execute();
}

/** Gives back an attempt that was not a failure (a right password from an address). */
export async function releaseAttempt(db: Kysely<DB>, key: string): Promise<void> {
  await db.updateTable('login_throttle').set({ attempts: sql`attempts - 1` }).where('key', '=', key).where('attempts', '>', 0).execute();
}

/** Lifts every lock and count of an account (a successful sign-in, or an administrator). */
export async function clearAccount(db: Kysely<DB>, email: string): Promise<void> {
  await db
    .deleteFrom('login_throttle')
    .where(accountKeys(email))
    .execute();
}

/** The account's own key and its keys at every address. */
function accountKeys(email: string) {
  const prefix = throttleKey.pair(email, '');
  return sql<boolean>`(key = ${throttleKey.account(email)} or substr(key, 1, ${prefix.length}) = ${prefix})`;
}

/** Accounts locked now, by e-mail, with the end of their longest lock (for the administrators' list). */
export async function lockedAccounts(db: Kysely<DB>, now = new Date()): Promise<Map<string, string>> {
  const rows = await db.selectFrom('login_throttle').select(['key', 'locked_until']).where('locked_until', '>', now.toISOString()).execute();
  const out = new Map<string, string>();
  for (const { key, locked_until } of rows) {
    const email = key.startsWith('account:') ? key.slice('account:'.length) : key.startsWith('pair:') ? key.slice('pair:'.length, key.lastIndexOf('|')) : null;
    if (email && locked_until && locked_until > (out.get(email) ?? '')) out.set(email, locked_until);
  }
  return out;
}
