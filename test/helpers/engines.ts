import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/config/config.ts';
import { createDb, type Database } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export type Engine = 'sqlite' | 'postgres';
export const ENGINES: Engine[] = ['sqlite', 'postgres'];

/** Admin connection used to create one database per test file. Override with TEST_PG_URL. */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://root@localhost/postgres?host=/var/run/postgresql';

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgProblem = await probePostgres();
if (pgProblem && process.env.CI === 'true') {
  throw new Error(`PostgreSQL is required under CI=true but is not reachable at ${PG_ADMIN_URL}: ${pgProblem}`);
}
export const pgSkipReason = pgProblem ? `PostgreSQL not reachable (${pgProblem}); start it with pg_ctlcluster 15 main start` : null;

export interface TestDatabase extends Database {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

/** A fresh, migrated database: a temp SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(engine: Engine, opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let target: DatabaseTarget;
  let cleanup: () => Promise<void>;
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-test-'));
    target = { engine: 'sqlite', file: path.join(dir, 'rasd.db') };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `rasd_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    target = { engine: 'postgres', url: url.toString() };
    cleanup = async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const database = createDb(target);
  if (opts.migrate !== false) await migrateToLatest(database.db, database.dialect.engine);
  return {
    ...database,
    target,
    async drop() {
      await database.destroy();
      await cleanup();
    },
  };
}

/** Polls `ok` every 10 ms, `tries` times at most, then fails naming `what`. */
export async function until(ok: () => Promise<boolean> | boolean, what: string, tries = 200): Promise<void> {
  for (let k = 0; k < tries; k++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let barriers = 0;
/**
 * PostgreSQL: waits until this process has received the change notifications (`rasd_changes`) of every transaction
 * committed so far. A notification of its own, sent now, reaches the process's listener after them (a listener gets
 * notifications in commit order), so once it has come the rest have. Values stamped with the change feed (the
 * portal's caches) then stay put until the next write; before, a late notification of an earlier write could change
 * them between two requests. SQLite has no feed: nothing to wait for.
 */
export async function changeFeedDelivered(database: Database): Promise<void> {
  if (database.dialect.engine !== 'postgres') return;
  const barrier = `rasd_test_barrier_${process.pid}_${++barriers}`;
  const { db, dialect } = database;
  // counts the notifications naming this barrier (and those naming no table, which a test does not send meanwhile)
  const before = await dialect.externalChanges(db, [barrier]);
  await sql`select pg_notify('rasd_changes', ${`${barrier} 0`})`.execute(db);
  await until(async () => (await dialect.externalChanges(db, [barrier])) !== before, 'the change feed to deliver a notification', 1000);
}
