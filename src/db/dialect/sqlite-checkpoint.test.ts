import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteDialect } from './sqlite.ts';
import { WAL_CHECKPOINT_BYTES, WalCheckpoints } from './sqlite-checkpoint.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-checkpoint-'));
  dirs.push(dir);
  return dir;
};

async function until(check: () => boolean, seconds = 30): Promise<void> {
  for (const end = Date.now() + seconds * 1000; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
}

describe('SQLite WAL checkpoints', () => {
  it("copy a large transaction's pages into the database file from a worker, and the WAL is cut back after", async () => {
    const file = path.join(tmp(), 'rasd.db');
    const dialect = sqliteDialect(file);
    const db = new Kysely<any>({ dialect: dialect.kysely });
    try {
      await sql`create table t (id integer primary key, body text)`.execute(db);
      const before = fs.statSync(file).size;
      // about 12 MB in one transaction: three times the WAL's threshold
      await db.transaction().execute(async (trx) => {
        for (let k = 0; k < 30; k++) await trx.insertInto('t').values(Array.from({ length: 100 }, (_, i) => ({ body: `${k}-${i}-`.padEnd(4000, String.fromCharCode(97 + ((k + i) % 26))) }))).execute();
      });
      expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(2 * WAL_CHECKPOINT_BYTES);
      // the writer does not checkpoint (wal_autocheckpoint 0): only the worker can have grown the file
      await until(() => fs.statSync(file).size > before + 2 * WAL_CHECKPOINT_BYTES);
      expect(fs.statSync(file).size).toBeGreaterThan(before + 2 * WAL_CHECKPOINT_BYTES);
      // a later write starts the WAL again, cut back to the threshold (so its size tells what was written since); not
      // always the next one: one that begins while a checkpoint holds its lock reads from the WAL, and leaves it as it is
      let writes = 0;
      while (fs.statSync(`${file}-wal`).size > WAL_CHECKPOINT_BYTES && writes < 100) {
        await db.insertInto('t').values({ body: 'small' }).execute();
        writes++;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(fs.statSync(`${file}-wal`).size).toBeLessThanOrEqual(WAL_CHECKPOINT_BYTES);
      expect(Number((await sql<{ n: number }>`select count(*) as n from t`.execute(db)).rows[0]!.n)).toBe(3000 + writes);
    } finally {
      await db.destroy();
      await dialect.close?.();
    }
  });

  it('give the checkpoints back to the writer when the worker cannot run', async () => {
    const dir = tmp();
    const writer = new Database(path.join(dir, 'writer.db'));
    writer.pragma('journal_mode = WAL');
    // a database the worker cannot open (its file is missing), whose WAL is over the threshold
    const missing = path.join(dir, 'missing.db');
    fs.writeFileSync(`${missing}-wal`, Buffer.alloc(WAL_CHECKPOINT_BYTES + 1));
    const checkpoints = new WalCheckpoints(missing, writer);
    try {
      expect(writer.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      checkpoints.committed();
      await checkpoints.idle();
      expect(writer.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      await checkpoints.close();
      writer.close();
    }
  });
});
