import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteDialect } from './sqlite.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('SQLite backup snapshot', () => {
  it("copies a database file without holding the server's thread, as of one commit, while the server writes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-sqlite-backup-'));
    dirs.push(dir);
    const dialect = sqliteDialect(path.join(dir, 'rasd.db'));
    const db = new Kysely<any>({ dialect: dialect.kysely });
    try {
      // about 48 MB
      await sql`create table t (id integer primary key, b blob)`.execute(db);
      await sql`insert into t (b) select randomblob(8000) from (with recursive n(i) as (select 1 union all select i + 1 from n where i < 6000) select i from n)`.execute(db);
      fs.mkdirSync(path.join(dir, 'out'));

      // the server writing all along (each write through another connection than the copy's)
      let copying = true;
      let written = 0;
      const writes = (async () => {
        while (copying) {
          await sql`insert into t (b) values (randomblob(100))`.execute(db);
          written += 1;
          await new Promise((r) => setTimeout(r, 2));
        }
      })();
      const snap = await dialect.backup.snapshot(db, path.join(dir, 'out'), async (copy) => {
        const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(copy);
        return rows[0]!.n;
      });
      copying = false;
      await writes;

      // a consistent copy: every row of the start, and some of those written meanwhile or none
      expect(written).toBeGreaterThan(0);
      expect(snap.result).toBeGreaterThanOrEqual(6000);
      expect(snap.result).toBeLessThanOrEqual(6000 + written);
      expect(snap.native).toEqual({ file: 'rasd.sqlite', format: 'sqlite' });
      const copy = new Database(path.join(dir, 'out', 'rasd.sqlite'), { readonly: true });
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      copy.close();

      // the copy goes on while the server's thread is busy: copied on that thread (as before), it would not move
      // until the thread was free again
      const bytes = Number((await sql<{ n: number }>`select page_count * page_size as n from pragma_page_count, pragma_page_size`.execute(db)).rows[0]!.n);
      fs.mkdirSync(path.join(dir, 'again'));
      const target = path.join(dir, 'again', 'rasd.sqlite');
      const again = dialect.backup.snapshot(db, path.join(dir, 'again'), async () => null);
      const deadline = Date.now() + 30_000;
      let copied = 0;
      while (Date.now() < deadline && copied < bytes) copied = fs.existsSync(target) ? fs.statSync(target).size : 0;
      expect(copied).toBeGreaterThanOrEqual(bytes);
      await again;
    } finally {
      await db.destroy();
      await dialect.close?.();
    }
  });
});
