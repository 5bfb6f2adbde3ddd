import Database from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { CompiledReads } from './compiled-reads.ts';

describe('compiled reads', () => {
  const raw = new Database(':memory:');
  raw.exec("create table t (id text primary key, n integer); insert into t values ('a', 1), ('b', 2), ('c', 3)");
  const db = new Kysely<{ t: { id: string; n: number } }>({ dialect: new SqliteDialect({ database: raw }) });
  afterAll(() => db.destroy());

  it('runs the read compiled once with each call’s values', async () => {
    const reads = new CompiledReads();
    let built = 0;
    const byIds = (ids: string[]) =>
      reads.run(db, 'by-ids', ids, (marks) => {
        built++;
        return db.selectFrom('t').select(['id', 'n']).where('id', 'in', marks).orderBy('id');
      });
    expect(await byIds(['a', 'c'])).toEqual([{ id: 'a', n: 1 }, { id: 'c', n: 3 }]);
    expect(await byIds(['b', 'a'])).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
    expect(built).toBe(1); // the same shape (two ids): compiled once
    expect(await byIds(['b'])).toEqual([{ id: 'b', n: 2 }]);
    expect(built).toBe(2);
    // raw sql, a value used twice
    const twice = await reads.run(db, 'raw', [2], ([m]) => sql<{ id: string }>`select id from t where n >= ${m} and n < ${m} + 1`);
    expect(twice).toEqual([{ id: 'b' }]);
  });

  it('refuses a value that is not a parameter', async () => {
    const reads = new CompiledReads();
    await expect(reads.run(db, 'bad', ['a'], ([m]) => sql<{ id: string }>`select id from t where id = ${sql.lit(m)}`)).rejects.toThrow(/not a parameter/);
  });
});
