/**
 * Fault injection (issue 14, item 5): kill -9 of `rasd serve` during an import, a bulk assignment, a plan import and
 * a report export, N times each per engine, with a concurrent client's acknowledged writes; after each restart the
 * integrity check, the operation wholly there or wholly absent, and every acknowledged write present.
 * See bench/faults-harness.ts (shared with test/integration/faults.test.ts). JSON on stdout, progress on stderr.
 *
 *   npm run bench -- faults [--runs 20] [--engines sqlite,postgres] [--ops import,bulk-assign,plan-import,report-export] [--seed 1]
 *
 * PostgreSQL: a database is created and dropped through BENCH_PG_URL (default the local socket). Exits 1 when any
 * acknowledged write was lost, any operation was partial or any integrity check failed.
 */
import { parseArgs } from 'node:util';
import { FAULT_OPS, runFaults, type Engine, type FaultOp, type FaultSummary } from './faults-harness.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    engines: { type: 'string', default: 'sqlite,postgres' },
    ops: { type: 'string', default: FAULT_OPS.join(',') },
    seed: { type: 'string', default: '1' },
    port: { type: 'string', default: '3941' },
  },
});
const engines = args.engines.split(',').filter(Boolean) as Engine[];
const ops = args.ops.split(',').filter(Boolean) as FaultOp[];
for (const op of ops) if (!FAULT_OPS.includes(op)) throw new Error(`unknown operation ${op} (${FAULT_OPS.join(', ')})`);
const results: FaultSummary[] = [];
const started = Date.now();
for (const engine of engines) {
  results.push(
    await runFaults({
      engine,
      runs: Number(args.runs),
      ops,
      seed: Number(args.seed),
      port: Number(args.port),
      pgAdminUrl: process.env.BENCH_PG_URL ?? 'postgres://root@localhost/postgres?host=/var/run/postgresql',
      log: (m) => process.stderr.write(`${m}\n`),
    }),
  );
}
const bad = results.some((r) => r.lostWrites > 0 || r.partialOperations > 0 || r.integrityFailures > 0);
process.stdout.write(`${JSON.stringify({ runsPerOperation: Number(args.runs), seconds: Math.round((Date.now() - started) / 1000), results }, null, 2)}\n`);
process.exit(bad ? 1 : 0);
