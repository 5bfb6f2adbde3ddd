import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { getSetting, putSetting } from '../settings/index.ts';
import type { ColumnMapping } from './generic-mapping.ts';

const key = (name: string) => `import_mapping:${name}`;

export const getSavedMapping = (db: Kysely<DB>, name: string) => getSetting<ColumnMapping>(db, key(name));
export const saveMapping = (db: Kysely<DB>, name: string, mapping: ColumnMapping) => putSetting(db, key(name), mapping);

export async function listSavedMappings(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('settings').select('key').where('key', 'like', 'import_mapping:%').orderBy('key').execute();
  return rows.map((r) => r.key.slice('import_mapping:'.length));
}
