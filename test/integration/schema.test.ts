import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/engines.ts';
import { describeEachEngine } from '../helpers/http.ts';

const SNAPSHOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../schema-snapshot.json');

/** Engine-specific full-text objects (FTS5 tables, tsvector column, GIN index; migration 003) are not compared. */
const ENGINE_FTS = /(^|_)fts(_|$)/;

/** Tables → sorted "column:type:nullable" lists, with engine type names folded to one vocabulary. */
async function describeSchema(t: TestDatabase) {
  const tables = await t.db.introspection.getTables();
  const fold = (type: string) => {
    const x = type.toLowerCase();
    if (x.startsWith('int')) return 'integer';
    if (x === 'text' || x.startsWith('varchar') || x.startsWith('character')) return 'text';
    if (x === 'bytea') return 'blob';
    return x;
  };
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    if (table.name.startsWith('kysely_') || ENGINE_FTS.test(table.name)) continue;
    out[table.name] = table.columns.filter((c) => !ENGINE_FTS.test(c.name)).map((c) => `${c.name}:${fold(c.dataType)}:${c.isNullable ? 'null' : 'notnull'}`).sort();
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

async function indexNames(t: TestDatabase): Promise<string[]> {
  if (t.dialect.engine === 'sqlite') {
    const r = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and name not like 'sqlite_%'`.execute(t.db);
    // a uniqueness constraint's index is named …_key on both engines (SQLite: migration 008), and not listed on either
    return r.rows.map((x) => x.name).filter((n) => !n.endsWith('_key') && !ENGINE_FTS.test(n)).sort();
  }
  const r = await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = 'public' and indexname not like '%_pkey' and indexname not like '%_key' and indexname not like 'kysely_%'`.execute(t.db);
  return r.rows.map((x) => x.name).filter((n) => !n.endsWith('_uq') && !n.endsWith('_pk') && !ENGINE_FTS.test(n)).sort();
}

describeEachEngine('migrated schema', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(() => t.drop());

  it('matches the committed snapshot (UPDATE_SCHEMA_SNAPSHOT=1 rewrites it after a new migration)', async () => {
    const schema = { tables: await describeSchema(t), indexes: await indexNames(t) };
    if (process.env.UPDATE_SCHEMA_SNAPSHOT === '1' && engine === 'sqlite') {
      fs.writeFileSync(SNAPSHOT, `${JSON.stringify(schema, null, 2)}\n`);
    }
    const committed = JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8'));
    expect(schema).toEqual(committed);
  });
});
