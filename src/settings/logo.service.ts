import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { DB } from '../db/schema.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { nowIso } from '../shared/ids.ts';
import { detectFileType } from '../updates/file-type.ts';
import { getSetting, putSetting } from './settings.service.ts';

/** A logo is shown small (header, sign-in page): 512 KB is plenty for a PNG or JPEG of that size. */
export const MAX_LOGO_BYTES = 512 * 1024;

/** What the public settings say about the logo; the bytes are kept apart (setting `logo_data`, base64). */
export interface LogoMeta {
  mime: 'image/png' | 'image/jpeg';
  /** sha-256 of the bytes (hex): the ETag and the cache-busting part of the logo's address */
  sha256: string;
  size: number;
  updatedAt: string;
}

export const logoTooLarge = () => new AppError(413, 'logo_too_large', `The logo may be at most ${MAX_LOGO_BYTES / 1024} KB.`);

export async function logoMeta(db: Kysely<DB>): Promise<LogoMeta | null> {
  return getSetting<LogoMeta>(db, 'logo');
}

/**
 * Sets the state's logo. Only PNG and JPEG, recognised from the bytes (never the name or declared type): SVG can
 * carry scripts and is refused like any other type. Audited.
 */
export async function setLogo(db: Kysely<DB>, bytes: Buffer, actorId: string): Promise<LogoMeta> {
  if (bytes.length === 0) throw new AppError(400, 'logo_empty', 'The file is empty.');
  if (bytes.length > MAX_LOGO_BYTES) throw logoTooLarge();
  const type = detectFileType(bytes);
  if (!type || (type.mime !== 'image/png' && type.mime !== 'image/jpeg')) {
    throw new AppError(415, 'logo_type', 'The logo must be a PNG or JPEG image; the content of this file is neither.');
  }
  const meta: LogoMeta = { mime: type.mime, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, updatedAt: nowIso() };
  return db.transaction().execute(async (trx) => {
    const before = await logoMeta(trx);
    await putSetting(trx, 'logo_data', bytes.toString('base64'));
    await putSetting(trx, 'logo', meta);
    await recordAudit(trx, { actorId, action: 'settings.logo.set', subjectType: 'setting', subjectId: 'logo', before, after: meta });
    return meta;
  });
}

/** Removes the logo (the header falls back to the product's mark). Audited; 404 when there is none. */
export async function removeLogo(db: Kysely<DB>, actorId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await logoMeta(trx);
    if (!before) throw notFound('Logo');
    await trx.deleteFrom('settings').where('key', 'in', ['logo', 'logo_data']).execute();
    await recordAudit(trx, { actorId, action: 'settings.logo.remove', subjectType: 'setting', subjectId: 'logo', before, after: null });
  });
}

export async function readLogo(db: Kysely<DB>): Promise<{ meta: LogoMeta; bytes: Buffer } | null> {
  const meta = await logoMeta(db);
  const data = meta ? await getSetting<string>(db, 'logo_data') : null;
  if (!meta || data === null) return null;
  return { meta, bytes: Buffer.from(data, 'base64') };
}
