import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { countryName, type CountryName } from '../shared/countries.ts';
import { nowIso } from '../shared/ids.ts';

export async function getSetting<T>(db: Kysely<DB>, key: string): Promise<T | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : null;
}

export async function putSetting(db: Kysely<DB>, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  const updated_at = nowIso();
  await db
    .insertInto('settings')
    .values({ key, value: json, updated_at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at }))
    .execute();
}

export interface PublicSettings {
  stateName: { ar: string; en: string };
  demo: boolean;
}

export async function publicSettings(db: Kysely<DB>): Promise<PublicSettings> {
  const stateName = (await getSetting<{ ar: string; en: string }>(db, 'state_name')) ?? { ar: '', en: '' };
  const demo = await getSetting<unknown>(db, 'demo');
  return { stateName, demo: demo !== null };
}

/**
 * A country's names in Arabic and English: from the ISO list, or, for a name the list does not hold that is this
 * instance's own state (settings `state_name`, e.g. a demo state), the names the settings give it.
 */
export async function countryNameOf(db: Kysely<DB>, name: string): Promise<CountryName> {
  const named = countryName(name);
  if (named.code) return named;
  const own = await getSetting<{ ar: string; en: string }>(db, 'state_name');
  const n = name.trim();
  if (own && (n === own.en?.trim() || n === own.ar?.trim())) return { name, code: null, ar: own.ar || own.en, en: own.en || own.ar };
  return named;
}
