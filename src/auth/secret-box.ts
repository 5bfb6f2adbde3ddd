import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { parseSecretKey } from '../config/config.ts';
import type { DB } from '../db/schema.ts';

/**
 * Secrets kept at rest encrypted (issue 14): AES-256-GCM under a 32-byte key. The key comes from SECRET_KEY
 * (64 hex digits or 32 bytes in base64), the same on every instance; without it, the embedded single-instance
 * mode keeps one in DATA_DIR/secret.key, made on first start (mode 0600). Stored form: `v1:` then base64url of
 * the 12-byte nonce, the 16-byte tag and the ciphertext. The key is not in the database nor in its backups:
 * keep it with them (docs/OPERATIONS.md).
 */
const PREFIX = 'v1:';
export const SECRET_KEY_FILE = 'secret.key';

const keys = new WeakMap<object, Buffer>();

/**
 * The key of this configuration: SECRET_KEY when set, else DATA_DIR/secret.key (made when absent). Read once
 * per configuration.
 */
export function secretKeyFor(config: { secretKey: Buffer | null; dataDir: string }): Buffer {
  const hit = keys.get(config);
  if (hit) return hit;
  let key = config.secretKey;
  if (!key) {
    const file = path.join(config.dataDir, SECRET_KEY_FILE);
    if (!fs.existsSync(file)) {
      fs.mkdirSync(config.dataDir, { recursive: true });
      try {
        // `wx`: of two processes starting at once, one writes; the other reads what it wrote
        fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    key = parseSecretKey(fs.readFileSync(file, 'utf8'), file);
  }
  keys.set(config, key);
  return key;
}

/**
 * The keys a server reads secrets with: the current one (SECRET_KEY or the key file), which seals every new
 * secret, and during a key rotation the previous one (SECRET_KEY_PREVIOUS), whose secrets are still read until
 * `rasd secret rotate` has re-encrypted them (src/auth/secret-rotation.ts).
 */
export interface SecretKeys {
  current: Buffer;
  previous: Buffer | null;
}

export function secretKeysFor(config: { secretKey: Buffer | null; secretKeyPrevious: Buffer | null; dataDir: string }): SecretKeys {
  return { current: secretKeyFor(config), previous: config.secretKeyPrevious };
}

/** Opens a sealed value under the current key, else under the previous one; throws when neither opens it. */
export function openWithAny(keys: SecretKeys, stored: string): string {
  try {
    return open(keys.current, stored);
  } catch (err) {
    if (!keys.previous) throw err;
    return open(keys.previous, stored);
  }
}

export const isSealed = (stored: string) => stored.startsWith(PREFIX);


export function seal(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** Opens a sealed value; throws when it was sealed under another key or altered. */
export function open(key: Buffer, stored: string): string {
  if (!isSealed(stored)) throw new Error('not a sealed value');
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
  if (raw.length < 28) throw new Error('sealed value too short');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/**
 * Encrypts the two-factor secrets an earlier version stored in clear (migration 022 kept them as base32). Runs
 * at every start (buildApp), after the migrations; a no-op once all are sealed. Each row is changed only if it
 * is still the clear value read, so two instances starting at once do not seal a value twice.
 */
export async function sealTotpSecrets(db: Kysely<DB>, key: Buffer): Promise<number> {
  const rows = await db.selectFrom('users').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).where(sql<boolean>`totp_secret not like ${PREFIX + '%'}`).execute();
  let n = 0;
  for (const r of rows) {
    const res = await db.updateTable('users').set({ totp_secret: seal(key, r.totp_secret!) }).where('id', '=', r.id).where('totp_secret', '=', r.totp_secret).executeTakeFirst();
    n += Number(res.numUpdatedRows);
  }
  return n;
}
