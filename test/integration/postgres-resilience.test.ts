import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, PG_ADMIN_URL, pgSkipReason, type TestDatabase } from '../helpers/engines.ts';

describe.skipIf(Boolean(pgSkipReason))('PostgreSQL connection loss', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
  });
  afterAll(() => t.drop());

  it('survives the server closing an idle pooled connection, and the next query works', async () => {
    const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(t.db)).rows[0]!.pid;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await admin.end();
    await new Promise((r) => setTimeout(r, 200));
    const again = await sql<{ one: number }>`select 1 as one`.execute(t.db);
    expect(again.rows[0]!.one).toBe(1);
  });
});
