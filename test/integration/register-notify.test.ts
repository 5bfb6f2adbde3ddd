/**
 * PostgreSQL: a notification names the transaction that wrote (migration 043). The register does not read its change
 * log again for a transaction that had committed when it last read the log (this process's own writes, which come
 * back as notifications after its own patch), and does read it for one that had not: a write committed after that
 * read, or one still running during it, is shown to the next reader.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../../src/db/create-db.ts';
import { REGISTER_LOG_CONNECTION, registerLogConnection } from '../../src/db/dialect/postgres.ts';
import type { ListQuery } from '../../src/recommendations/recommendations.schema.ts';
import { registerIndex, type RegisterSnapshot } from '../../src/recommendations/register-index.ts';
import { pgSkipReason, until } from '../helpers/engines.ts';
import { makeRecommendations } from '../helpers/followup.ts';
import { closeHarness, createHarness, type Harness, type TestClient } from '../helpers/http.ts';

describe.skipIf(Boolean(pgSkipReason))('the change feed names the writing transaction [postgres]', () => {
  let h: Harness;
  let viewer: TestClient;
  let other: Database;
  let recs: string[];
  beforeAll(async () => {
    h = await createHarness('postgres');
    recs = await makeRecommendations(h.database.db, 12, { body: 'CAT' });
    viewer = await h.loginAs('viewer');
    other = createDb(h.database.target); // another process's connections to the same database
  });
  afterAll(async () => {
    await other?.destroy();
    await closeHarness(h);
  });

  const holdingStatus = (snapshot: RegisterSnapshot, id: string, status: string) =>
    snapshot.query({ page: 1, pageSize: 100, order: 'desc', status: [status] } as ListQuery, { by: 'date', direction: 'desc' }, null).ids.includes(id);

  const statusOf = async (id: string) => {
    const res = await h.app.inject({ method: 'GET', url: `/api/recommendations?pageSize=100`, headers: { cookie: viewer.cookie } });
    expect(res.statusCode).toBe(200);
    return (res.json() as { items: { id: string; status: string }[] }).items.find((i) => i.id === id)?.status;
  };

  it("does not read the change log again for its own write's notification", async () => {
    const { db, dialect } = h.database;
    const index = registerIndex(db, dialect);
    await statusOf(recs[0]!); // built
    const generation = await dialect.externalChanges(db);
    // this process's write, and the register patched right after it: the notification arrives after the log was read
    await db.updateTable('recommendations').set({ status: 'in_progress', version: 2 }).where('id', '=', recs[0]!).execute();
    await index.current();
    await until(async () => (await dialect.externalChanges(db)) > generation, 'the notification');
    const reads = index.logReads;
    expect(await statusOf(recs[0]!)).toBe('in_progress');
    await index.current();
    expect(index.logReads).toBe(reads);
  });

  it("shows this process's write that was under way while the log was read at once, not from its notification", async () => {
    const { db, dialect } = h.database;
    const index = registerIndex(db, dialect);
    const holding = (snapshot: RegisterSnapshot, id: string, status: string) =>
      snapshot.query({ page: 1, pageSize: 100, order: 'desc', status: [status] } as ListQuery, { by: 'date', direction: 'desc' }, null).ids.includes(id);
    for (let k = 0; k < 12; k++) {
      const id = recs[4 + (k % 6)]!;
      const status = k % 2 ? 'in_progress' : 'no_action';
      await index.current();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('recommendations').set({ status }).where('id', '=', id).execute();
        // the write counters moved when the update was built: the log is read while it is not committed yet
        await index.current();
      });
      // right after the commit: its notification may not have been handled yet
      expect(holding(await index.current(), id, status), `round ${k}`).toBe(true);
    }
  });

  it('reads the rows of an edit in the statement that reads the change log (one round trip)', async () => {
    const { db, dialect } = h.database;
    const index = registerIndex(db, dialect);
    await index.current();
    const [logReads, rowReads] = [index.logReads, index.rowReads];
    await db.updateTable('recommendations').set({ status: 'fully_implemented', version: 5 }).where('id', '=', recs[10]!).execute();
    await index.current();
    expect([index.logReads, index.rowReads]).toEqual([logReads + 1, rowReads]);
    expect(await statusOf(recs[10]!)).toBe('fully_implemented');
  });

  it('reads the change log on a connection of its own, opened again when it breaks', async () => {
    const { db, dialect } = h.database;
    const index = registerIndex(db, dialect);
    const url = h.database.target.engine === 'postgres' ? h.database.target.url : '';
    const database = new URL(url).pathname.slice(1);
    const own = async () =>
      (
        await sql<{ pid: number; query: string }>`select pid, query from pg_stat_activity where datname = ${database} and application_name = ${REGISTER_LOG_CONNECTION}`.execute(
          other.db,
        )
      ).rows;
    await index.current();
    for (const [k, status] of ['no_action', 'in_progress', 'fully_implemented'].entries()) {
      await db.updateTable('recommendations').set({ status, version: 10 + k }).where('id', '=', recs[11]!).execute();
      expect(holdingStatus(await index.current(), recs[11]!, status)).toBe(true);
    }
    const [first, ...more] = await own();
    expect(more).toEqual([]);
    expect(first?.query).toContain('register_read');
    await sql`select pg_terminate_backend(${first!.pid}::integer)`.execute(other.db);
    await until(async () => (await own()).length === 0, 'the connection closed');
    // the next patch opens it again (a patch that fails on the broken connection is made by the next reader)
    await db.updateTable('recommendations').set({ status: 'no_action', version: 20 }).where('id', '=', recs[11]!).execute();
    await until(async () => holdingStatus(await index.current().catch(() => index.current()), recs[11]!, 'no_action'), 'the patch after the connection broke');
    const again = await own();
    expect(again).toHaveLength(1);
    expect(again[0]!.pid).not.toBe(first!.pid);
  });

  it("plans the log's statement once on its own connection and keeps that plan", async () => {
    const url = h.database.target.engine === 'postgres' ? h.database.target.url : '';
    const own = registerLogConnection(url);
    try {
      const text = 'select count(*)::integer as n from register_changes where tx >= (select $1::bigint)';
      for (let k = 0; k < 8; k++) await own.query({ name: 'rasd_test_plan', text, values: [k] }, () => Promise.reject(new Error('not through the pool')));
      const { rows } = await own.query<{ generic_plans: number; custom_plans: number }>(
        { text: `select generic_plans::integer, custom_plans::integer from pg_prepared_statements where name = 'rasd_test_plan'` },
        () => Promise.reject(new Error('not through the pool')),
      );
      // through a pooled connection the first five runs were planned each for their values (custom_plans 5)
      expect(rows).toEqual([{ generic_plans: 8, custom_plans: 0 }]);
    } finally {
      await own.close();
    }
  });

  it('reads the change log again for a write that another process committed after the last read', async () => {
    const { db, dialect } = h.database;
    const index = registerIndex(db, dialect);
    expect(await statusOf(recs[1]!)).toBe('not_started');
    await other.db.updateTable('recommendations').set({ status: 'no_action', version: 2 }).where('id', '=', recs[1]!).execute();
    await until(async () => (await statusOf(recs[1]!)) === 'no_action', 'the other write');
    expect(index.logReads).toBeGreaterThan(0);
  });

  it('reads the change log again for a write whose transaction was still running when the log was read', async () => {
    const { db, dialect } = h.database;
    const index = registerIndex(db, dialect);
    const reads = index.logReads;
    expect(await statusOf(recs[2]!)).toBe('not_started');
    let commit!: () => void;
    const committing = new Promise<void>((r) => (commit = r));
    let written!: () => void;
    const wrote = new Promise<void>((r) => (written = r));
    const running = other.db.connection().execute(async (c) => {
      await sql`begin`.execute(c);
      await sql`update recommendations set status = 'no_action', version = version + 1 where id = ${recs[2]!}`.execute(c);
      written();
      await committing;
      await sql`commit`.execute(c);
    });
    await wrote;
    // this process writes and reads the log while that transaction runs: the read's snapshot does not hold it
    await db.updateTable('recommendations').set({ status: 'in_progress', version: 3 }).where('id', '=', recs[3]!).execute();
    await index.current();
    expect(await statusOf(recs[2]!)).toBe('not_started');
    commit();
    await running;
    await until(async () => (await statusOf(recs[2]!)) === 'no_action', 'the write committed after the read');
    expect(index.logReads).toBeGreaterThan(reads + 1);
  });
});
