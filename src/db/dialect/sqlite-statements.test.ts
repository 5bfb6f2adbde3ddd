import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './sqlite-statements.ts';

describe('withStatementCache', () => {
  it('hands out the prepared statement again, keeping the most recently used', () => {
    const cached = withStatementCache(new Database(':memory:'), 2);
    const a = cached.prepare('select 1 as a');
    expect(cached.prepare('select 1 as a')).toBe(a);
    const b = cached.prepare('select 2 as b');
    cached.prepare('select 1 as a'); // a used last: b goes first
    cached.prepare('select 3 as c');
    expect(cached.prepare('select 1 as a')).toBe(a);
    expect(cached.prepare('select 2 as b')).not.toBe(b);
  });

  it('gives a query a fresh statement while the held one is still being iterated', () => {
    const database = new Database(':memory:');
    database.exec('create table t (n integer); insert into t values (1), (2), (3)');
    const cached = withStatementCache(database);
    const text = 'select n from t order by n';
    const held = cached.prepare(text);
    const it = held.iterate([]);
    expect(it.next().value).toEqual({ n: 1 });
    const other = cached.prepare(text);
    expect(other).not.toBe(held);
    expect(other.all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect([...it]).toEqual([{ n: 2 }, { n: 3 }]);
    expect(cached.prepare(text)).toBe(held); // no longer busy
  });
});
