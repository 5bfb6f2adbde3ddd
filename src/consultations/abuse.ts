import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';

const HOUR = 3_600_000;

/**
 * Rate limits of the public forms (issue 16, item 4), counted in the database (table `rate_limits`) so that every
 * instance on one database shares them. One row per key; a hit is taken by one conditional UPDATE (atomic on both
 * engines, like the sign-in throttle), in fixed windows of an hour.
 *
 * A form sent with a valid proof of work (see proof-of-work.ts) counts against the ordinary limits. A form sent
 * without one (JavaScript off, or no WebCrypto on a plain-http address) is still taken, behind the honeypot, but
 * also counts against a stricter limit (`*_WITHOUT_PROOF`). The JSON API always needs a proof.
 */
export const LIMITS = {
  /** registrations from one address */
  registration: 5,
  /** of which sent without a proof of work */
  registrationWithoutProof: 2,
  /** comments from one stakeholder (and twice as many from one address) */
  comment: 30,
  /** of which sent without a proof of work */
  commentWithoutProof: 10,
} as const;

/**
 * Takes one hit for `key` in the current window. Returns 0 when taken, else the milliseconds until the window
 * ends. A window that has run out starts afresh with this hit.
 */
export async function takeHit(db: Kysely<DB>, key: string, limit: number, windowMs = HOUR, now = new Date()): Promise<number> {
  const nowIso = now.toISOString();
  const windowAgo = new Date(now.getTime() - windowMs).toISOString();
  await db
    .insertInto('rate_limits')
    .values({ key, hits: 0, window_start: nowIso })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const fresh = sql<boolean>`(window_start <= ${windowAgo})`;
  const taken = await db
    .updateTable('rate_limits')
    .set({
      hits: sql`case when ${fresh} then 1 else hits + 1 end`,
      window_start: sql`case when ${fresh} then ${nowIso} else window_start end`,
    })
    .where('key', '=', key)
    .where((eb) => eb.or([eb('hits', '<', limit), fresh]))
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 1) return 0;
  const row = await db.selectFrom('rate_limits').select('window_start').where('key', '=', key).executeTakeFirst();
  return Math.max(1000, new Date(row?.window_start ?? nowIso).getTime() + windowMs - now.getTime());
}

function limited(wait: number, message: string): void {
  if (wait > 0) throw new AppError(429, 'rate_limited', message, { retryAfterSeconds: Math.ceil(wait / 1000) });
}

export class AbuseGuards {
  private calls = 0;
  constructor(private readonly db: Kysely<DB>) {}

  async registration(ip: string, proved: boolean): Promise<void> {
    await this.sweep();
    const message = 'Too many registrations from this address. Wait a while and try again.';
    if (!proved) limited(await takeHit(this.db, `register-unproved:${ip}`, LIMITS.registrationWithoutProof), message);
    limited(await takeHit(this.db, `register:${ip}`, LIMITS.registration), message);
  }

  async comment(userId: string, ip: string, proved: boolean): Promise<void> {
    await this.sweep();
    if (!proved) limited(await takeHit(this.db, `comment-unproved:${userId}`, LIMITS.commentWithoutProof), 'Too many comments in a short time. Wait a while and try again.');
    limited(await takeHit(this.db, `comment:${userId}`, LIMITS.comment), 'Too many comments in a short time. Wait a while and try again.');
    limited(await takeHit(this.db, `comment-ip:${ip}`, LIMITS.comment * 2), 'Too many comments from this address. Wait a while and try again.');
  }

  /** Now and then, forget windows long over and proofs past their expiry (the tables stay small). */
  private async sweep(now = new Date()): Promise<void> {
    if (this.calls++ % 100 !== 0) return;
    await this.db.deleteFrom('rate_limits').where('window_start', '<=', new Date(now.getTime() - 2 * HOUR).toISOString()).execute();
    await this.db.deleteFrom('pow_spent').where('expires_at', '<=', now.toISOString()).execute();
  }
}
