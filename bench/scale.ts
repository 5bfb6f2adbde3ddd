/**
 * Scale benchmark (issue 15): a generated UHRI register of N records per size, on SQLite and PostgreSQL,
 * served by a real server process (`rasd serve`, so its RSS is the server's alone), measured over HTTP:
 * - import: records/s of the import service into the empty register (its own process, with peak RSS) and of
 *   a raw batched INSERT of the same parsed rows in the same run (bench/import-child.ts);
 * - warm list: p50/p99 of sequential unfiltered list requests;
 * - throughput with 10 connections (autocannon): the unfiltered list, a list with an English query and two
 *   facets (the same query, 20 queries in turn, and 400 in turn so that each one searches again), and the bare
 *   authenticated route /api/auth/session, in the same run;
 * - edits: cycles of "edit one recommendation (PATCH), then list" by the same user, while a probe sends
 *   /api/auth/session requests one after the other: the first list after the edit, the longest wait of a
 *   probe request during it, and the server's RSS before and after the cycles.
 * Prints JSON (progress on stderr).
 *
 *   npm run bench -- scale [--sizes 10000,100000,250000] [--engines sqlite,postgres] [--duration 10] [--cycles 10] [--port 3917] [--prefix rasd_bench_scale]
 *
 * Generated files are cached under $TMPDIR/rasd-bench (shared with the import benchmark); databases are
 * made afresh: SQLite files there, PostgreSQL databases rasd_bench_scale_* (admin URL: BENCH_PG_URL).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { createUser } from '../src/users/index.ts';
import { writeUhriJson } from './gen-uhri.ts';
import { BENCH_CACHE } from './seed.ts';
import { freshDatabase, signIn, startServer } from './server.ts';

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => Promise<CannonResult>;

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,250000' },
    engines: { type: 'string', default: 'sqlite,postgres' },
    duration: { type: 'string', default: '10' },
    cycles: { type: 'string', default: '10' },
    port: { type: 'string', default: '3917' },
    /** PostgreSQL database names (and SQLite file names) start with this: runs beside another one's */
    prefix: { type: 'string', default: 'rasd_bench_scale' },
  },
});
const SIZES = args.sizes.split(',').map(Number);
const ENGINES = args.engines.split(',') as ('sqlite' | 'postgres')[];
const DURATION = Number(args.duration);
const CYCLES = Number(args.cycles);
const PORT = Number(args.port);
const BASE = `http://127.0.0.1:${PORT}`;
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (msg: string) => process.stderr.write(`[scale] ${msg}\n`);
const PASSWORD = 'Bench-Password-12345';

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!, 2);
}

async function generated(count: number): Promise<string> {
  const f = path.join(BENCH_CACHE, `uhri-${count}-en.json`);
  if (!fs.existsSync(f)) {
    log(`generating ${count} records → ${f}`);
    await writeUhriJson(`${f}.tmp`, { count, lang: 'en', seed: 42 });
    fs.renameSync(`${f}.tmp`, f);
  }
  return f;
}

function importChild(engine: string, mode: 'app' | 'raw', file: string, db: string) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'import-child.ts'), '--engine', engine, '--mode', mode, '--file', file, '--db', db], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { records: number; seconds: number; recordsPerSecond: number; peakRssMB: number };
}

function rssMB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024, 0);
}

async function timed(url: string, init: RequestInit): Promise<{ ms: number; status: number; body: any }> {
  const t = performance.now();
  const res = await fetch(url, init);
  const body = await res.json().catch(() => null);
  return { ms: performance.now() - t, status: res.status, body };
}

async function measure(engine: 'sqlite' | 'postgres', size: number) {
  const file = await generated(size);
  log(`${engine} ${size}: raw INSERT`);
  const raw = importChild(engine, 'raw', file, await freshDatabase(engine, `${args.prefix}_raw`));
  log(`${engine} ${size}: import`);
  const dbUrl = await freshDatabase(engine, `${args.prefix}_${engine}_${size}`);
  const imported = importChild(engine, 'app', file, dbUrl);

  const email = `bench.${Date.now()}@bench.example`;
  const database = createDb(parseDatabaseUrl(dbUrl));
  await createUser(database.db, { email, password: PASSWORD, role: 'coordinator', entityId: null });
  await database.destroy();

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-scale-'));
  const server = await startServer(dbUrl, PORT, { DATA_DIR: dataDir });
  try {
    const { cookie, csrf } = await signIn(BASE, email, PASSWORD);
    const headers = { cookie };
    const LIST = `${BASE}/api/recommendations?pageSize=25`;
    const QUERY = `${BASE}/api/recommendations?q=torture&mechanism=TB&year=2012,2013,2014,2015`;

    const first = await timed(LIST, { headers }); // builds the register, if the server has not yet
    if (first.status !== 200) throw new Error(`list: ${first.status} ${JSON.stringify(first.body)}`);
    const warm: number[] = [];
    for (let k = 0; k < 200; k++) warm.push((await timed(LIST, { headers })).ms);

    const cannon = async (url: string, requests?: { path: string }[]) => {
      const r = await autocannon({ url, connections: 10, duration: DURATION, headers, ...(requests ? { requests } : {}) });
      return { reqPerSec: round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts };
    };
    await timed(QUERY, { headers }); // starts the full-text workers
    log(`${engine} ${size}: throughput`);
    const session = await cannon(`${BASE}/api/auth/session`);
    const list = await cannon(LIST);
    const queried = await cannon(QUERY);
    // the same two facets with a different text query each time, round robin: a query's full-text hits are kept
    // per register version, so the one query repeated measures the filtering and counting, this one the search too
    const WORDS = ['torture', 'women', 'children', 'migrant', 'disabilities', 'judiciary', 'trafficking', 'death', 'education', 'violence', 'institution', 'legislation', 'moratorium', 'independence', 'resources', 'civil', 'domestic', 'inclusive', 'optional', 'principles'];
    const varied = await cannon(
      QUERY,
      WORDS.map((w) => ({ path: `/api/recommendations?q=${w}&mechanism=TB&year=2012,2013,2014,2015` })),
    );
    // those 20 queries' hits are kept after their first request (up to 32 queries are kept per register
    // version): here, 400 different two-word queries in turn, so that none is kept when it comes round again
    // and every request searches the full-text index
    const fresh = await cannon(
      QUERY,
      WORDS.flatMap((a, i) => WORDS.map((b, j) => (i === j ? `${a}*` : `${a} ${b}`))).map((q) => ({
        path: `/api/recommendations?q=${encodeURIComponent(q)}&mechanism=TB&year=2012,2013,2014,2015`,
      })),
    );

    log(`${engine} ${size}: edit cycles`);
    const rssBefore = rssMB(server.pid!);
    const cycles: { patchMs: number; firstListMs: number; longestWaitMs: number }[] = [];
    const statuses = ['in_progress', 'partially_implemented'];
    for (let c = 0; c < CYCLES; c++) {
      const rec = (await timed(LIST, { headers })).body.items[c] as { id: string; version: number; status: string };
      // the probe: cheap requests one after the other, each one's start and end
      const probes: { start: number; end: number }[] = [];
      let probing = true;
      const probe = (async () => {
        while (probing) {
          const start = performance.now();
          await fetch(`${BASE}/api/auth/session`, { headers }).then((r) => r.arrayBuffer());
          probes.push({ start, end: performance.now() });
        }
      })();
      await new Promise((r) => setTimeout(r, 20));
      const patch = await timed(`${BASE}/api/recommendations/${rec.id}`, {
        method: 'PATCH',
        headers: { ...headers, 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ version: rec.version, status: statuses[c % 2] === rec.status ? 'not_started' : statuses[c % 2] }),
      });
      if (patch.status !== 200) throw new Error(`patch: ${patch.status} ${JSON.stringify(patch.body)}`);
      const t0 = performance.now();
      const after = await timed(LIST, { headers });
      const t1 = performance.now();
      await new Promise((r) => setTimeout(r, 20));
      probing = false;
      await probe;
      const during = probes.filter((p) => p.end >= t0 && p.start <= t1);
      cycles.push({ patchMs: round(patch.ms, 2), firstListMs: round(after.ms, 2), longestWaitMs: round(Math.max(0, ...during.map((p) => p.end - p.start)), 2) });
    }
    const rssAfter = rssMB(server.pid!);
    const warmP50 = pct(warm, 50);
    return {
      engine,
      size,
      import: { recordsPerSec: imported.recordsPerSecond, peakRssMB: imported.peakRssMB, rawInsertRecordsPerSec: raw.recordsPerSecond, ratio: round(imported.recordsPerSecond / raw.recordsPerSecond, 2) },
      firstListMs: round(first.ms, 0),
      warmList: { p50: warmP50, p99: pct(warm, 99) },
      throughput: { session, list, queryTwoFacets: queried, queryTwoFacetsVaried: varied, queryTwoFacetsUncached: fresh, listVsSession: round(list.reqPerSec / session.reqPerSec, 2) },
      afterEdit: {
        firstListMs: { median: pct(cycles.map((c) => c.firstListMs), 50), max: Math.max(...cycles.map((c) => c.firstListMs)) },
        firstListVsWarm: round(pct(cycles.map((c) => c.firstListMs), 50) / warmP50, 2),
        longestWaitMs: Math.max(...cycles.map((c) => c.longestWaitMs)),
        cycles,
      },
      serverRssMB: { beforeCycles: rssBefore, afterCycles: rssAfter },
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const load = fs.readFileSync('/proc/loadavg', 'utf8').trim();
const results = [];
for (const size of SIZES) for (const engine of ENGINES) results.push(await measure(engine, size));
console.log(JSON.stringify({ loadavgBefore: load, loadavgAfter: fs.readFileSync('/proc/loadavg', 'utf8').trim(), cores: os.cpus().length, results }, null, 2));
