import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { BatchInsert } from './batch-insert.ts';
import type { DB } from './schema.ts';

function setup() {
  const database = new Database(':memory:');
  database.exec('create table terms (id text primary key, kind text not null, code text not null, label_en text)');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database }) });
  let builds = 0;
  const insert = new BatchInsert<{ id: string; kind: string; code: string; label_en: string | null }>((k, rows) => {
    builds += 1;
    return k
      .insertInto('terms')
      .values(rows as never)
      .onConflict((oc) => oc.column('id').doUpdateSet({ label_en: (eb) => eb.ref('excluded.label_en') }));
  });
  const all = () => database.prepare('select id, kind, code, label_en from terms order by id').all();
  return { db, insert, all, builds: () => builds };
}

describe('BatchInsert', () => {
  it('builds a statement once per row count and columns, and sends each call its own values', async () => {
    const { db, insert, all, builds } = setup();
    await insert.run(db, [
      { id: 'a', kind: 'theme', code: 'x', label_en: 'A' },
      { id: 'b', kind: 'theme', code: 'y', label_en: null },
    ]);
    await insert.run(db, [
      { id: 'c', kind: 'tag', code: 'z', label_en: 'C' },
      { id: 'a', kind: 'theme', code: 'x', label_en: 'A2' },
    ]);
    expect(builds()).toBe(1);
    await insert.run(db, [{ id: 'd', kind: 'tag', code: 'w', label_en: 'D' }]);
    expect(builds()).toBe(2);
    await insert.run(db, []);
    expect(builds()).toBe(2);
    expect(all()).toEqual([
      { id: 'a', kind: 'theme', code: 'x', label_en: 'A2' },
      { id: 'b', kind: 'theme', code: 'y', label_en: null },
      { id: 'c', kind: 'tag', code: 'z', label_en: 'C' },
      { id: 'd', kind: 'tag', code: 'w', label_en: 'D' },
    ]);
  });

  it('runs rows whose columns differ, or hold undefined, as built (nothing misplaced)', async () => {
    const { db, insert, all, builds } = setup();
    await insert.run(db, [
      { id: 'a', kind: 'theme', code: 'x', label_en: 'A' },
      { id: 'b', kind: 'theme', code: 'y', label_en: 'B' },
    ]);
    await insert.run(db, [
      { id: 'c', code: 'z', kind: 'tag', label_en: 'C' }, // same columns, other order: its own statement text
      { id: 'd', kind: 'tag', code: 'w', label_en: undefined as unknown as null },
    ]);
    await insert.run(db, [
      { id: 'e', kind: 'tag', code: 'v', label_en: 'E' },
      { id: 'f', kind: 'tag', code: 'u', label_en: undefined as unknown as null },
    ]);
    expect(builds()).toBe(3);
    expect(all()).toEqual([
      { id: 'a', kind: 'theme', code: 'x', label_en: 'A' },
      { id: 'b', kind: 'theme', code: 'y', label_en: 'B' },
      { id: 'c', kind: 'tag', code: 'z', label_en: 'C' },
      { id: 'd', kind: 'tag', code: 'w', label_en: null },
      { id: 'e', kind: 'tag', code: 'v', label_en: 'E' },
      { id: 'f', kind: 'tag', code: 'u', label_en: null },
    ]);
  });
});
