/**
 * `npm run bench -- log-read --db NAME` (issue 15): the register's read of its change log (`registerChangesAndReads`,
 * PostgreSQL) from the transaction that wrote the most change rows (a bulk import), as a list request after an import's
 * outcome waits for it. NAME: a PostgreSQL database the scale benchmark filled (e.g. a copy of
 * `<prefix>_postgres_250000` after its during-import scenario). Prints the wall time (p50, p90) and the processor
 * time of this process (the server's thread, in the app) over 200 runs after 5 warm ones, and what came back.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createDb } from '../src/db/create-db.ts';
import { patchLimit } from '../src/recommendations/index.ts';
import { BENCH_PG_ADMIN } from './seed.ts';

const { values: args } = parseArgs({ options: { db: { type: 'string' }, runs: { type: 'string', default: '200' } } });
if (!args.db) throw new Error('--db NAME: a PostgreSQL database the scale benchmark filled');
const url = new URL(BENCH_PG_ADMIN);
url.pathname = `/${args.db}`;
const d = createDb({ engine: 'postgres', url: url.toString() });
const { db, dialect } = d;
const [largest] = (await sql<{ tx: string; rows: number }>`select tx::text as tx, count(*)::int as rows from register_changes group by tx order by count(*) desc limit 1`.execute(db)).rows;
if (!largest) throw new Error('the change log is empty');
const recs = Number((await db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
// as RegisterIndex.readChanges asks: up to patchLimit recommendations, 4 rows each
const limit = patchLimit(recs);
const walls: number[] = [];
const cpus: number[] = [];
let last: { rows: number; more: boolean } = { rows: 0, more: false };
const runs = Number(args.runs);
for (let k = 0; k < runs + 5; k++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const read = await dialect.registerChangesAndReads!(db, Number(largest.tx), limit * 4, [], 32, null, limit);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  if (k >= 5) {
    walls.push(wall);
    cpus.push((cpu.user + cpu.system) / 1000);
  }
  last = { rows: read.rows.length, more: read.more === true };
}
const pct = (xs: number[], p: number) => Math.round([...xs].sort((a, b) => a - b)[Math.floor((p / 100) * (xs.length - 1))]! * 100) / 100;
console.log(
  JSON.stringify({ db: args.db, recommendations: recs, importRows: largest.rows, limit, runs, wallMs: { p50: pct(walls, 50), p90: pct(walls, 90) }, cpuMs: { p50: pct(cpus, 50), p90: pct(cpus, 90) }, ...last }),
);
await db.destroy();
await dialect.close?.();
