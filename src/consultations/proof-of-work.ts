import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AppError, isUniqueViolation } from '../shared/errors.ts';

/**
 * Proof-of-work on the public forms (issue 16, item 4), hashcash-like. The server puts a signed, expiring challenge
 * in the form (`pow_challenge`); the page's small script (proof-of-work.js) finds a nonce such that
 * sha256(`<challenge>:<nonce>`) starts with `bits` zero bits and fills `pow_nonce`. The server checks the
 * signature, the expiry and the hash, then records the challenge as spent (table `pow_spent`): a proof is accepted
 * once. Stateless to issue: any instance sharing the secret key verifies any other's challenge.
 */
export const POW_BITS = 14;
/** A form may stay open this long before it is sent. */
export const POW_TTL_MS = 60 * 60 * 1000;

const subKey = (secret: Buffer) => createHmac('sha256', secret).update('rasd proof-of-work v1').digest();
const mac = (secret: Buffer, body: string) => createHmac('sha256', subKey(secret)).update(body).digest('base64url').slice(0, 32);

/** `<expires ms>.<random>.<bits>.<signature>` */
export function issueChallenge(secret: Buffer, now = Date.now(), bits = POW_BITS): string {
  const body = `${now + POW_TTL_MS}.${randomBytes(12).toString('base64url')}.${bits}`;
  return `${body}.${mac(secret, body)}`;
}

export function leadingZeroBits(digest: Uint8Array): number {
  let n = 0;
  for (const byte of digest) {
    if (byte === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(byte) - 24;
  }
  return n;
}

const digestOf = (challenge: string, nonce: string) => createHash('sha256').update(`${challenge}:${nonce}`).digest();

/** What the page's script does, in Node (tests and benchmarks). */
export function solveChallenge(challenge: string): string {
  const bits = Number(challenge.split('.')[2]);
  for (let n = 0; ; n++) if (leadingZeroBits(digestOf(challenge, String(n))) >= bits) return String(n);
}

export const powInvalid = () => new AppError(400, 'pow_invalid', 'The form’s anti-robot check did not pass (it expired or was altered). Reload the page and send the form again.');
export const powRequired = () => new AppError(400, 'pow_required', 'A proof of work is needed: fetch a challenge from GET /api/public/pow-challenge and send pow_challenge and pow_nonce.');
export const powReplayed = () => new AppError(409, 'pow_replayed', 'This form was already sent once. Reload the page to send it again.');

/** Checks a proof and records it as spent; throws `pow_invalid` or `pow_replayed`. */
export async function spendProof(db: Kysely<DB>, secret: Buffer, challenge: string, nonce: string, now = Date.now()): Promise<void> {
  const parts = challenge.split('.');
  if (parts.length !== 4 || !/^\d{1,8}$/.test(nonce ?? '')) throw powInvalid();
  const [expires, id, bits, signature] = parts as [string, string, string, string];
  const expected = Buffer.from(mac(secret, `${expires}.${id}.${bits}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw powInvalid();
  if (!(Number(expires) > now) || !(Number(bits) >= 1)) throw powInvalid();
  if (leadingZeroBits(digestOf(challenge, nonce)) < Number(bits)) throw powInvalid();
  try {
    await db.insertInto('pow_spent').values({ id, expires_at: new Date(Number(expires)).toISOString() }).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw powReplayed();
    throw err;
  }
}
