import Database from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ChangeCounter, StampedValue } from './changes.ts';

describe('ChangeCounter', () => {
  it('counts writes per table, from query builders and raw SQL, and ignores reads', async () => {
    const counter = new ChangeCounter();
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }), plugins: [counter] });
    await sql`create table a (id integer primary key, v text)`.execute(db);
    await sql`create table b (id integer primary key)`.execute(db);
    expect(counter.stamp(['a', 'b'])).toBe(0);
    await db.insertInto('a').values({ id: 1, v: 'x' }).execute();
    expect(counter.stamp(['a'])).toBe(1);
    await db.updateTable('a as t').set({ v: 'y' }).execute();
    await db.deleteFrom('a').where('id', '=', 2).execute();
    expect(counter.stamp(['a'])).toBe(3);
    await db.selectFrom('a').selectAll().execute();
    await sql`select * from a`.execute(db);
    expect(counter.stamp(['a', 'b'])).toBe(3);
    await sql`insert or ignore into b (id) values (1)`.execute(db);
    await sql`UPDATE "b" set id = 2`.execute(db);
    expect(counter.stamp(['b'])).toBe(2);
    expect(counter.stamp(['a'])).toBe(3);
    await db.destroy();
  });
});

describe('StampedValue', () => {
  it('keeps the value while the stamp stays, builds again when it changes, and forgets a failed build', async () => {
    const cache = new StampedValue<number>();
    let builds = 0;
    const build = async () => ++builds;
    expect(await cache.get('a', build)).toBe(1);
    expect(await cache.get('a', build)).toBe(1);
    expect(await cache.get('b', build)).toBe(2);
    await expect(cache.get('c', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('c', build)).toBe(3);
  });
});
