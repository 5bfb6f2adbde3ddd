/**
 * `npm run bench -- fuzz [--cases 1000] [--seed 14] [--engine sqlite|postgres|both] [--only TEXT] [--skip TEXT] [--timeout-ms 30000]
 *  [--out FILE]`
 * Property-based fuzzing of every JSON endpoint and every importer (bench/fuzz-targets.ts) against the real HTTP app
 * on a database seeded with the demo workspace. Prints JSON: per engine, per target, the cases run, their answers,
 * and the counts of 5xx, hangs and refused requests that wrote; the failures are listed with their case.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seedDemo, DEMO_PASSWORD } from '../src/demo/index.ts';
import { closeHarness, createHarness } from '../test/helpers/http.ts';
import type { Engine } from '../test/helpers/engines.ts';
import { DEMO_LOGINS, runFuzz, type FuzzClient, type FuzzContext, type FuzzReport, type Role } from './fuzz-targets.ts';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '14' },
    engine: { type: 'string', default: 'both' },
    only: { type: 'string' },
    skip: { type: 'string' },
    out: { type: 'string' },
    'timeout-ms': { type: 'string', default: '30000' },
  },
});


async function fuzzEngine(engine: Engine): Promise<FuzzReport> {
  const dataDir = fs.mkdtempSync('/tmp/rasd-fuzz-bench-');
  const h = await createHarness(engine, { DATA_DIR: dataDir });
  try {
    await seedDemo(h.database.db);
    const clients = new Map<Role, FuzzClient>();
    for (const [role, email] of Object.entries(DEMO_LOGINS)) clients.set(role as Role, await h.login(email, DEMO_PASSWORD));
    const matrix = JSON.parse(fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/access-matrix.json'), 'utf8')) as FuzzContext['matrix'];
    const started = Date.now();
    let last = '';
    const report = await runFuzz({ app: h.app, db: h.database.db, clients, matrix }, {
      seed: Number(values.seed),
      cases: Number(values.cases),
      only: values.only,
      skip: values.skip,
      // the report so far, rewritten after each target, so that a run stopped early keeps what it measured
      onTargetDone: values.out ? (partial) => fs.writeFileSync(`${values.out}.${engine}.partial.json`, JSON.stringify(partial, null, 2)) : undefined,
      timeoutMs: Number(values['timeout-ms']),
      onProgress: (target, done) => {
        if (target !== last || done % 100 === 0) process.stderr.write(`[${engine}] ${target}: ${done}\n`);
        last = target;
      },
    });
    process.stderr.write(`[${engine}] ${report.totals.cases} cases in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    return report;
  } finally {
    await closeHarness(h);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const engines: Engine[] = values.engine === 'both' ? ['sqlite', 'postgres'] : [values.engine as Engine];
const out: Record<string, FuzzReport | { error: string }> = {};
for (const engine of engines) {
  // no start-up probe: on a loaded machine it timed out while PostgreSQL answered the run itself
  out[engine] = await fuzzEngine(engine).catch((err: Error) => ({ error: err.message }));
}
console.log(JSON.stringify(out, null, 2));
const bad = Object.values(out).some((r) => !('totals' in r) || r.totals.fiveXx || r.totals.hangs || r.totals.writtenOnRefusal || r.failures.length);
process.exit(bad ? 1 : 0);
