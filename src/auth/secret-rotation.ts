import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { DB } from '../db/schema.ts';
import { AppError, conflict } from '../shared/errors.ts';
import { isSealed, open, seal } from './secret-box.ts';

/**
 * SECRET_KEY rotation (`rasd secret rotate`, docs/OPERATIONS.md): every secret kept encrypted at rest (today the
 * two-factor secrets in `users.totp_secret`, set up or still pending) is opened with one of the old keys and sealed
 * again under the new one, in one transaction: all of them or none. A value already sealed under the new key (sealed
 * by a server that runs with the new SECRET_KEY during the rotation window) is left as it is; one still in clear
 * (from an old backup) is sealed. A value that no given key opens refuses the whole rotation with
 * `secret_key_wrong`, and nothing is changed.
 */
export interface RotationResult {
  /** sealed again under the new key (or sealed for the first time) */
  rotated: number;
  /** already under the new key */
  unchanged: number;
}

const opens = (key: Buffer, stored: string) => {
  try {
    open(key, stored);
    return true;
  } catch {
    return false;
  }
};

export async function rotateSecrets(db: Kysely<DB>, keys: { to: Buffer; from: Buffer[] }): Promise<RotationResult> {
  const from = keys.from.filter((k) => !k.equals(keys.to));
  if (from.length === 0) throw new AppError(400, 'secret_key_same', 'The new key is the key in use: give another key (e.g. `openssl rand -hex 32`).');
  return db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('users').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).orderBy('id').execute();
    let rotated = 0;
    let unchanged = 0;
    const unreadable: string[] = [];
    for (const row of rows) {
      const stored = row.totp_secret!;
      let plain: string | null = null;
      if (!isSealed(stored)) plain = stored;
      else if (opens(keys.to, stored)) {
        unchanged += 1;
        continue;
      } else {
        for (const k of from) {
          if (!opens(k, stored)) continue;
          plain = open(k, stored);
          break;
        }
      }
      if (plain === null) {
        unreadable.push(row.id);
        continue;
      }
      // only if it is still the value read: a concurrent change (a new set-up) makes the rotation start again
      const res = await trx.updateTable('users').set({ totp_secret: seal(keys.to, plain) }).where('id', '=', row.id).where('totp_secret', '=', stored).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw conflict('secret_rotation_conflict', 'A secret changed while the rotation ran; nothing was changed. Run the rotation again.');
      rotated += 1;
    }
    if (unreadable.length) {
      throw new AppError(
        422,
        'secret_key_wrong',
        `${unreadable.length} encrypted secret(s) open with neither the old key nor the new one: the old key given is not the key they were stored under. Nothing was changed.`,
        { secrets: unreadable.length },
      );
    }
    await recordAudit(trx, { actorId: null, action: 'secrets.rotate', subjectType: 'settings', subjectId: 'secret_key', after: { rotated, unchanged } });
    return { rotated, unchanged };
  });
}
