import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../create-db.ts';

let open: Database | null = null;
let dir = '';
afterEach(async () => {
  await open?.destroy();
  open = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function setup() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-rw-'));
  open = createDb({ engine: 'sqlite', file: path.join(dir, 'x.db') });
  await sql`create table notes (id integer primary key, body text not null)`.execute(open.db);
  await open.db.insertInto('notes' as never).values({ id: 1, body: 'before' } as never).execute();
  return open;
}

const bodies = async (d: Database) => (await sql<{ body: string }>`select body from notes order by id`.execute(d.db)).rows.map((r) => r.body);

describe('SQLite with a reader and a writer connection', () => {
  it('answers reads during a transaction with the committed data, and runs other writes after it', async () => {
    const d = await setup();
    let finish!: () => void;
    const held = new Promise<void>((r) => (finish = r));
    let inside: string[] = [];
    const transaction = d.db.transaction().execute(async (trx) => {
      await sql`insert into notes (id, body) values (2, 'inside')`.execute(trx);
      inside = (await sql<{ body: string }>`select body from notes order by id`.execute(trx)).rows.map((r) => r.body);
      await held;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(inside).toEqual(['before', 'inside']); // the transaction reads its own writes
    expect(await bodies(d)).toEqual(['before']); // another read does not wait, and sees only what is committed
    let written = false;
    const write = sql`insert into notes (id, body) values (3, 'after')`.execute(d.db).then(() => (written = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(written).toBe(false); // it waits for the writer
    finish();
    await transaction;
    await write;
    expect(await bodies(d)).toEqual(['before', 'inside', 'after']);
  });

  it('frees the writer after a rollback, and counts a committed table again', async () => {
    const d = await setup();
    const stamp = () => d.dialect.changes.stamp(['notes']);
    await expect(
      d.db.transaction().execute(async (trx) => {
        await trx.insertInto('notes' as never).values({ id: 2, body: 'undone' } as never).execute();
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await bodies(d)).toEqual(['before']);
    let during = 0;
    await d.db.transaction().execute(async (trx) => {
      await trx.insertInto('notes' as never).values({ id: 2, body: 'kept' } as never).execute();
      during = stamp(); // what a value built now from the reader (without this row) would be stamped with
    });
    expect(stamp()).toBeGreaterThan(during);
    expect(await bodies(d)).toEqual(['before', 'kept']);
  });
});
