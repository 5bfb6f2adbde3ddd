import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { checkForeignKeys, PreparedInsert } from './sqlite-bulk.ts';

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

describe('checkForeignKeys', () => {
  it('finds a value its parent lacks, for a one-column key, a key naming no parent column and a composite key', async () => {
    const raw = new Database(':memory:');
    raw.exec(`create table p (id text primary key, a text, b integer, unique (a, b));
      create table one (x text references p (id));
      create table bare (x text references p);
      create table two (a text, b integer, foreign key (a, b) references p (a, b));
      insert into p values ('p1', 'a', 1), ('p2', 'a', 2);
      insert into one values ('p1'), (null), ('p2');
      insert into bare values ('p2');
      insert into two values ('a', 1), ('a', null);`);
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
    await expect(checkForeignKeys(db)).resolves.toBeUndefined();
    const broken = async (statement: string) => {
      raw.pragma('foreign_keys = off');
      raw.exec(statement);
      return checkForeignKeys(db).then(
        () => 'no error',
        (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
      );
    };
    expect(await broken(`insert into one values ('p3'), ('p3'), ('p4')`)).toBe('SQLITE_CONSTRAINT_FOREIGNKEY: FOREIGN KEY constraint failed: one.x → p.id: 2 value(s) not found, e.g. "p3"');
    raw.exec(`delete from one where x in ('p3', 'p4')`);
    expect(await broken(`insert into bare values ('p9')`)).toBe('SQLITE_CONSTRAINT_FOREIGNKEY: FOREIGN KEY constraint failed: bare (x) → p: a row whose parent is not found');
    raw.exec(`delete from bare where x = 'p9'`);
    expect(await broken(`insert into two values ('a', 3)`)).toBe('SQLITE_CONSTRAINT_FOREIGNKEY: FOREIGN KEY constraint failed: two (a, b) → p: a row whose parent is not found');
    raw.exec(`delete from two where b = 3`);
    await expect(checkForeignKeys(db)).resolves.toBeUndefined();
    await db.destroy();
  });
});
