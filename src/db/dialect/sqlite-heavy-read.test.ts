import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteDialect } from './sqlite.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('SQLite heavy reads', () => {
  it("answer on a worker's read-only connection what the server's own connection answers, committed writes included", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-heavy-read-'));
    dirs.push(dir);
    const dialect = sqliteDialect(path.join(dir, 'rasd.db'));
    const db = new Kysely<any>({ dialect: dialect.kysely });
    try {
      await sql`create table t (id integer primary key, kind text)`.execute(db);
      await db.insertInto('t').values([{ kind: 'a' }, { kind: 'b' }, { kind: 'a' }]).execute();
      const counts = () => db.selectFrom('t').select(['kind', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('kind').orderBy('kind');
      expect(await dialect.heavyRead(db, counts())).toEqual(await counts().execute());
      await db.insertInto('t').values({ kind: 'b' }).execute();
      expect(await dialect.heavyRead(db, counts())).toEqual([
        { kind: 'a', n: 2 },
        { kind: 'b', n: 2 },
      ]);
      // not the server's connection: the worker's cannot write
      await expect(dialect.heavyRead(db, db.insertInto('t').values({ kind: 'c' }).returning('id'))).rejects.toThrow(/readonly/);
      expect(await counts().execute()).toHaveLength(2);
    } finally {
      await db.destroy();
      await dialect.close?.();
    }
  });
});
