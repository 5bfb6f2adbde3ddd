import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb, type Database } from '../../src/db/create-db.ts';
import { JobRunner, type JobHandler } from '../../src/jobs/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/engines.ts';
import { describeEachEngine } from '../helpers/http.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachEngine('database job queue', (engine) => {
  let t: TestDatabase;
  let second: Database; // a second "instance": its own connection(s) to the same database
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    second = createDb(t.target);
  });
  afterAll(async () => {
    await second.destroy();
    await t.drop();
  });

  it('runs each job once when two instances race for the same jobs', async () => {
    const runs: string[] = [];
    const handler: JobHandler = async (job) => {
      runs.push(job.id);
      await sleep(20);
      return { ok: true };
    };
    const a = new JobRunner(t.db, { count: handler }, { instanceId: 'a' });
    const b = new JobRunner(second.db, { count: handler }, { instanceId: 'b' });
    for (let i = 0; i < 12; i++) await a.enqueue('count', { i });
    const [ranA, ranB] = await Promise.all([a.runDue(), b.runDue()]);
    expect(ranA + ranB).toBe(12);
    expect(runs).toHaveLength(12);
    expect(new Set(runs).size).toBe(12);
    const rows = await t.db.selectFrom('jobs').select(['status', 'attempts', 'locked_by']).where('kind', '=', 'count').execute();
    expect(rows.every((r) => r.status === 'succeeded' && Number(r.attempts) === 1)).toBe(true);
  });

  it('claims a single job for exactly one of two simultaneous claimers', async () => {
    const a = new JobRunner(t.db, { once: async () => null }, { instanceId: 'a' });
    const b = new JobRunner(second.db, { once: async () => null }, { instanceId: 'b' });
    await a.enqueue('once', {}, { id: 'once-1' });
    const claims = await Promise.all([a.claimNext(), b.claimNext(), a.claimNext(), b.claimNext()]);
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('enqueues a daily job once per day however many instances ask, and never touches jobs without run_at', async () => {
    const now = () => new Date('2027-03-01T04:00:00Z');
    const handlers = { daily: async () => 'done' };
    const a = new JobRunner(t.db, handlers, { instanceId: 'a', now, daily: [{ kind: 'daily', hourUtc: 5 }] });
    const b = new JobRunner(second.db, handlers, { instanceId: 'b', now, daily: [{ kind: 'daily', hourUtc: 5 }] });
    await Promise.all([a.ensureDaily(), b.ensureDaily(), a.ensureDaily()]);
    const rows = await t.db.selectFrom('jobs').select(['id', 'run_at']).where('kind', '=', 'daily').execute();
    expect(rows).toEqual([{ id: 'daily:2027-03-01', run_at: '2027-03-01T05:00:00.000Z' }]);
    expect(await a.runDue()).toBe(0); // 04:00 is before 05:00
    const at6 = new JobRunner(t.db, handlers, { instanceId: 'c', now: () => new Date('2027-03-01T06:00:00Z') });
    expect(await at6.runDue()).toBe(1);
    // an in-process job of another module (run_at null) stays queued
    await t.db
      .insertInto('jobs')
      .values({ id: 'inproc', kind: 'daily', status: 'queued', params: '{}', progress: 0, total: 0, created_at: 'x', updated_at: 'x' })
      .execute();
    expect(await at6.runDue()).toBe(0);
  });

  it('takes over a job whose runner died once its lease has expired, and retries failures', async () => {
    let clock = new Date('2027-04-01T00:00:00Z');
    const now = () => clock;
    let calls = 0;
    const handlers: Record<string, JobHandler> = {
      flaky: async () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        return 'ok';
      },
    };
    const dead = new JobRunner(t.db, handlers, { instanceId: 'dead', now, leaseMs: 60_000 });
    const alive = new JobRunner(second.db, handlers, { instanceId: 'alive', now, leaseMs: 60_000 });
    await dead.enqueue('flaky', {}, { id: 'flaky-1' });
    expect(await dead.claimNext()).not.toBeNull(); // claimed, then the instance "dies"
    expect(await alive.claimNext()).toBeNull(); // lease still held
    clock = new Date(clock.getTime() + 61_000);
    expect(await alive.runDue()).toBe(1); // takes over; the handler fails → re-queued with a delay
    let row = await t.db.selectFrom('jobs').selectAll().where('id', '=', 'flaky-1').executeTakeFirstOrThrow();
    expect(row.status).toBe('queued');
    expect(JSON.parse(row.error!).message).toBe('boom');
    clock = new Date(clock.getTime() + 60 * 60_000);
    expect(await alive.runDue()).toBe(1);
    row = await t.db.selectFrom('jobs').selectAll().where('id', '=', 'flaky-1').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'succeeded', locked_by: 'alive' });
    expect(Number(row.attempts)).toBe(3);
  });
});
