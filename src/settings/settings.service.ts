import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { conflict } from '../shared/errors.ts';
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
  /** the application's own title (empty: the product name) */
  appTitle: { ar: string; en: string };
  demo: boolean;
  /** the demo's sign-in accounts still active, only while the demo workspace exists (empty otherwise) */
  demoLogins: { role: string; email: string }[];
  demoPassword: string | null;
  /** the state's logo: its sha-256 (the cache key of `/api/settings/logo?v=`), or null when none is set */
  logo: string | null;
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
  const appTitle = (await getSetting<{ ar: string; en: string }>(db, 'app_title')) ?? { ar: '', en: '' };
  const logo = await getSetting<{ sha256: string }>(db, 'logo');
  return { stateName, appTitle, demo: demo !== null, demoLogins, demoPassword: demo && demoLogins.length ? (demo.password ?? null) : null, logo: logo?.sha256 ?? null };
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

export interface InstanceSettings {
  stateName: { ar: string; en: string };
  appTitle: { ar: string; en: string };
  /** optimistic concurrency: send the version read */
  version: number;
}

/** The state's names and the app's title, as the admin settings form edits them. */
export async function instanceSettings(db: Kysely<DB>): Promise<InstanceSettings> {
  return {
    stateName: (await getSetting<{ ar: string; en: string }>(db, 'state_name')) ?? { ar: '', en: '' },
    appTitle: (await getSetting<{ ar: string; en: string }>(db, 'app_title')) ?? { ar: '', en: '' },
    version: (await getSetting<number>(db, 'instance_version')) ?? 0,
  };
}

/** Saves the state's names and the app's title (a real deployment says "State of Kuwait", not a demo state); audited. */
export async function updateInstanceSettings(db: Kysely<DB>, input: InstanceSettings, actorId: string): Promise<InstanceSettings> {
  return db.transaction().execute(async (trx) => {
    const before = await instanceSettings(trx);
    if (before.version !== input.version) {
      throw conflict('version_conflict', 'Someone else changed these settings meanwhile. Reload them and try again.', { currentVersion: before.version });
    }
    const after = { stateName: input.stateName, appTitle: input.appTitle, version: before.version + 1 };
    await putSetting(trx, 'state_name', after.stateName);
    await putSetting(trx, 'app_title', after.appTitle);
    await putSetting(trx, 'instance_version', after.version);
    await recordAudit(trx, { actorId, action: 'settings.update', subjectType: 'setting', subjectId: 'instance', before, after });
    return after;
  });
}
