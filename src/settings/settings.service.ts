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
  /** the demo's sign-in accounts still active, only while the demo workspace exists (empty otherwise) */
  demoLogins: { role: string; email: string }[];
  demoPassword: string | null;
}

interface DemoSetting {
  logins?: { role: string; email: string }[];
  password?: string;
}

export async function publicSettings(db: Kysely<DB>): Promise<PublicSettings> {
  const stateName = (await getSetting<{ ar: string; en: string }>(db, 'state_name')) ?? { ar: '', en: '' };
  const demo = await getSetting<DemoSetting>(db, 'demo');
  const listed = demo?.logins ?? [];
  // an account the administrators disabled or removed is not offered
  const active = listed.length
    ? new Set((await db.selectFrom('users').select('email').where('email', 'in', listed.map((l) => l.email)).where('disabled_at', 'is', null).execute()).map((u) => u.email))
    : new Set<string>();
  const demoLogins = listed.filter((l) => active.has(l.email));
  return { stateName, demo: demo !== null, demoLogins, demoPassword: demo && demoLogins.length ? (demo.password ?? null) : null };
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
