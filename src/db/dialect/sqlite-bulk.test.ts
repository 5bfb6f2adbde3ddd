import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PreparedInsert } from './sqlite-bulk.ts';

/** The rows as stored, with each value's storage class, in insertion order. */
function stored(db: Database.Database): unknown[][] {
  return db
    .prepare('select a, typeof(a), b, typeof(b), c, typeof(c), d, typeof(d) from t order by rowid')
    .raw()
    .all() as unknown[][];
}

describe('PreparedInsert', () => {
  it('stores every row as one-row INSERTs with bound values would, whatever values the rows of a statement share', () => {
    const fast = new Database(':memory:');
    const plain = new Database(':memory:');
    for (const db of [fast, plain]) db.exec('create table t (a text, b text, c integer, d)');
    const insert = new PreparedInsert(fast, 't', ['a', 'b', 'c', 'd']);
    const one = plain.prepare('insert into t (a, b, c, d) values (?, ?, ?, ?)');
    // 250 rows: statements of 100, 100 and 50 rows. Shared by every row of a statement: a quoted string, a null,
    // a string with a NUL, a long string, the empty string, numbers (left bound); in the second statement, a row in
    // the middle differs in one column and the last row in another; the third holds a value that looks like the key of another set of literals
    const shared = ["it's \"quoted\" -- ; \\ 'again'", null, 'a\0b', 'x'.repeat(200), '', 7, 1.5, "1:'x'|2:'y'"];
    const rows: unknown[][] = [];
    for (let i = 0; i < 250; i++) {
      const statement = Math.floor(i / 100);
      const s = (k: number) => shared[(k + statement) % shared.length];
      rows.push([statement === 1 && i === 150 ? 'different' : s(0), s(1), statement === 2 ? i : s(5), statement === 2 ? s(7) : i === 199 ? 'last' : s(3)]);
    }
    insert.run(rows.flat(), rows.length);
    for (const r of rows) one.run(r);
    expect(stored(fast)).toEqual(stored(plain));
    expect(stored(fast)).toHaveLength(250);
    // again, with a statement already prepared for the same shared values, and a short last one
    insert.run(rows.slice(0, 103).flat(), 103);
    for (const r of rows.slice(0, 103)) one.run(r);
    expect(stored(fast)).toEqual(stored(plain));
  });
});
