import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
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
