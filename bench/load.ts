/**
 * Load benchmark (issue 14, "Load"): N signed-in users at once (default 50) for D seconds (default 60) against a
 * real server process (`rasd serve`) on a database seeded with the demo workspace, on SQLite and on PostgreSQL.
 * The mix of requests (list, search, detail, curation writes, evidence uploads) and what is reported per engine are
 * bench/mix.ts's, shared with the scale benchmark. Prints JSON; progress on stderr.
 *
 *   npm run bench -- load [--users 50] [--duration 60] [--engines sqlite,postgres] [--timeout-ms 10000]
 *
 * Databases are made afresh (bench/server.ts): $TMPDIR/rasd-bench/rasd_bench_load.db, PostgreSQL database rasd_bench_load
 * (admin URL: BENCH_PG_URL).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedDemo } from '../src/demo/index.ts';
import { createMixUsers, runMix, type MixUsers } from './mix.ts';
import { freshDatabase, startServer } from './server.ts';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '50' },
    duration: { type: 'string', default: '60' },
    engines: { type: 'string', default: 'sqlite,postgres' },
    port: { type: 'string', default: '3931' },
    'timeout-ms': { type: 'string', default: '10000' },
  },
});
const USERS = Number(args.users);
const DURATION_S = Number(args.duration);
const PORT = Number(args.port);
const BASE = `http://127.0.0.1:${PORT}`;
const PASSWORD = 'Load-Bench-Password-1';
const log = (m: string) => process.stderr.write(`${m}\n`);
const round = (n: number) => Math.round(n * 10) / 10;

interface Seeded {
  users: MixUsers;
  recommendationIds: string[];
  assignmentIds: string[];
}

/** The demo workspace, plus the benchmark's users: a fifth curators, two fifths contributors of MOJ, the rest viewers. */
async function seed(dbUrl: string): Promise<Seeded> {
  const database = createDb(parseDatabaseUrl(dbUrl));
  try {
    await migrateToLatest(database.db, database.dialect.engine);
    await seedDemo(database.db);
    const moj = await database.db.selectFrom('entities').select('id').where('code', '=', 'MOJ').executeTakeFirstOrThrow();
    const users = await createMixUsers(database.db, USERS, PASSWORD, moj.id);
    const recommendationIds = (await database.db.selectFrom('recommendations').select('id').orderBy('id').execute()).map((r) => r.id);
    const assignmentIds = (await database.db.selectFrom('assignments').select('id').where('entity_id', '=', moj.id).execute()).map((r) => r.id);
    return { users, recommendationIds, assignmentIds };
  } finally {
    await database.destroy();
  }
}

async function measure(engine: 'sqlite' | 'postgres') {
  log(`${engine}: seeding`);
  const dbUrl = await freshDatabase(engine, 'rasd_bench_load');
  const seeded = await seed(dbUrl);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-load-'));
  const server = await startServer(dbUrl, PORT, { DATA_DIR: dataDir });
  try {
    return await runMix({ base: BASE, password: PASSWORD, ...seeded, durationS: DURATION_S, timeoutMs: Number(args['timeout-ms']), log: (m) => log(`${engine}: ${m}`) });
  } finally {
    server.kill();
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const out: Record<string, unknown> = { machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map(round) } };
for (const engine of args.engines.split(',') as ('sqlite' | 'postgres')[]) out[engine] = await measure(engine);
console.log(JSON.stringify(out, null, 2));
