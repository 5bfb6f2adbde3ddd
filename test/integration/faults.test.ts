/**
 * Issue 14, item 5 ("nothing lost under faults"), a seeded sample of `npm run bench -- faults` on both engines, with
 * the same harness (bench/faults-harness.ts): the real server as a child process, killed with SIGKILL twice during
 * each of an import, a bulk assignment, a plan import and a report export while a second client writes; after each
 * restart the integrity check passes, the operation is wholly there or wholly absent (an import killed mid-way is
 * marked failed `interrupted` by the restarted server, never left "running"), and every write answered 2xx is there.
 * Also `rasd check` (src/db/integrity.ts): passes on a sound database, and finds a row whose foreign key points nowhere.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FAULT_OPS, freePort, runFaults } from '../../bench/faults-harness.ts';
import { checkIntegrity } from '../../src/db/integrity.ts';
import { seedDemo } from '../../src/demo/index.ts';
import { createTestDatabase, PG_ADMIN_URL, type TestDatabase } from '../helpers/engines.ts';
import { describeEachEngine } from '../helpers/http.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/rasd.mjs');

function rasdCheck(url: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'check'], { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' } });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describeEachEngine('kill -9 during long operations', (engine) => {
  it('loses no acknowledged write, leaves no operation half done, and the integrity check passes', { timeout: 420_000 }, async () => {
    const s = await runFaults({ engine, runs: 2, ops: FAULT_OPS, seed: 3, port: await freePort(), pgAdminUrl: PG_ADMIN_URL, importRecords: 1500, planActions: 200, bulkSize: 1000, window: 0.7 });
    expect(s.failures).toEqual([]);
    expect(s.kills).toBe(8);
    expect(s.lostWrites).toBe(0);
    expect(s.partialOperations).toBe(0);
    expect(s.integrityFailures).toBe(0);
    expect(s.importRunsLeftRunning).toBe(0);
    // the sample proves something: writes were acknowledged, and the kills cut operations mid-way, an import included
    expect(s.acknowledgedWrites).toBeGreaterThan(0);
    expect(s.perOp.import!.killedMidOperation).toBeGreaterThanOrEqual(1);
    expect(Object.keys(s.perOp.import!.outcomes)).toContain('failed interrupted');
    expect(s.killedMidOperation).toBeGreaterThanOrEqual(4);
  });
});

describeEachEngine('rasd check', (engine) => {
  let t: TestDatabase;
  const url = () => (t.target.engine === 'sqlite' ? `sqlite:${t.target.file}` : t.target.url);
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    await seedDemo(t.db);
  });
  afterAll(async () => t?.drop());

  it('passes on a sound database and exits 1 on a row whose foreign key points nowhere', async () => {
    expect(await checkIntegrity(t.db, engine)).toMatchObject({ ok: true, problems: [] });
    const ok = await rasdCheck(url());
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('integrity check passed');

    const a = await t.db.selectFrom('assignments').select(['id']).executeTakeFirstOrThrow();
    // what a broken restore or a hand edit could leave: the foreign key's enforcement off for one statement
    if (engine === 'sqlite') {
      await sql`pragma foreign_keys = off`.execute(t.db);
      await sql`update assignments set entity_id = 'no-such-entity' where id = ${a.id}`.execute(t.db);
      await sql`pragma foreign_keys = on`.execute(t.db);
    } else {
      await t.db.connection().execute(async (conn) => {
        await sql`set session_replication_role = replica`.execute(conn);
        await sql`update assignments set entity_id = 'no-such-entity' where id = ${a.id}`.execute(conn);
        await sql`set session_replication_role = origin`.execute(conn);
      });
    }
    const report = await checkIntegrity(t.db, engine);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/assignments/);
    const bad = await rasdCheck(url());
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/problem\(s\)[\s\S]*assignments/);
  });
});
