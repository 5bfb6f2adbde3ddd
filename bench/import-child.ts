/**
 * One measured import in its own process, so peak RSS belongs to that run alone.
 *   tsx bench/import-child.ts --engine sqlite|postgres --mode app|raw --file F --db URL [--lang en|ar]
 * Prints one JSON line: { engine, mode, records, seconds, recordsPerSecond, peakRssMB, cpuSeconds, threadCpuSeconds }. The time of `app`
 * leaves out migrating the fresh database (about 1–2 s on PostgreSQL, which alone was most of the raw INSERT's time at
 * 10,000). `cpuSeconds`: the processor time of this process (all its threads) and, on PostgreSQL, of its server
 * processes (read from /proc: the server must run on this machine), over the same span: on a machine shared with
 * other work, wall time mostly measures the wait for a core, processor time what the import itself costs.
 * `threadCpuSeconds`: the same per thread of this process (`main`, and the others by name: threads that ended before
 * the end are left out; `BENCH_TIDS=1` prints each thread apart on stderr). `phases`: the same split at the bulk
 * path's finish (see `phase`).
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import pg from 'pg';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import type { BulkLoad } from '../src/db/dialect/types.ts';
import type { DB } from '../src/db/schema.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { importRecords, parseFile, type ImportRecord } from '../src/imports/index.ts';
import { notePipelineOfEmptyIndex } from '../src/search/index.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const engine = arg('engine') as 'sqlite' | 'postgres';
const mode = arg('mode') as 'app' | 'raw';
const file = arg('file')!;
const url = arg('db')!;
const lang = (arg('lang') ?? 'en') as 'en' | 'ar';
/** the longest statement the import ran (timed by Kysely, so COPY's streams are not among them) */
const longest = { ms: 0, sql: '' };
/** per kind of statement (its first words): how many ran, their total and longest time, and how many took over 1 s */
const kinds = new Map<string, { n: number; totalMs: number; maxMs: number; over1s: number }>();
function timedStatement(text: string, ms: number): void {
  const flat = text.replace(/\s+/g, ' ');
  if (ms > longest.ms) Object.assign(longest, { ms: Math.round(ms), sql: flat.slice(0, 120) });
  const kind = flat.replace(/\$\d+/g, '?').replace(/\((\?, )*\?\)(, \((\?, )*\?\))*/g, '(…)').slice(0, 70);
  const k = kinds.get(kind) ?? { n: 0, totalMs: 0, maxMs: 0, over1s: 0 };
  k.n += 1;
  k.totalMs += ms;
  k.maxMs = Math.max(k.maxMs, ms);
  if (ms > 1000) k.over1s += 1;
  kinds.set(kind, k);
}
/** the kinds of statement that took the most time in all */
const topKinds = () =>
  [...kinds.entries()]
    .sort((a, b) => b[1].totalMs - a[1].totalMs)
    .slice(0, 6)
    .map(([sql, k]) => ({ sql, n: k.n, totalMs: Math.round(k.totalMs), maxMs: Math.round(k.maxMs), over1s: k.over1s }));

/** Processor time of a server process so far, in ms (0 when it cannot be read). */
function serverCpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return 0;
  }
}
let serverMs = 0;

/**
 * Processor time of each thread of this process, in s, by thread id (`main`: the main thread; others by their name:
 * worker threads, V8's and libuv's helpers): on two cores, the main thread's time is the import's critical path,
 * whatever the load. Threads that ended before the reading are not counted.
 */
function threadCpu(): Map<string, { name: string; s: number }> {
  const out = new Map<string, { name: string; s: number }>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, { name: tid === String(process.pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), s: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}
let threads0 = new Map<string, { name: string; s: number }>();
/** each thread's processor time since `threads0`, summed by name */
function threadCpuSince(): Record<string, number> {
  const out: Record<string, number> = {};
  if (process.env.BENCH_TIDS) for (const [tid, t] of threadCpu()) process.stderr.write(`${tid} ${t.name} ${(t.s - (threads0.get(tid)?.s ?? 0)).toFixed(2)}\n`);
  for (const [tid, t] of threadCpu()) out[t.name] = Number(((out[t.name] ?? 0) + t.s - (threads0.get(tid)?.s ?? 0)).toFixed(2));
  return out;
}

/**
 * The import's phases on the bulk path: `rows` (until the bulk session's finish is called: the chunks parsed, analysed
 * and sent), `end` (its finish: the last COPYs awaited, the key checks, the postings key, ANALYZE) and `commit` (the
 * rest, the commit included); each with its wall time, the processor time of this process, of its main thread (`main`:
 * the import's critical path on SQLite) and of the server's connections, and for `end` that of the key build's
 * parallel workers (other processes, seen every 20 ms).
 */
const phases: Record<string, { s: number; client: number; main: number; server: number; keyWorkers?: number }> = {};
let phaseMark = { t: 0, client: 0, main: 0, server: 0 };
let serverNow: () => Promise<number> = async () => 0;
const clientNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
/** the main thread's processor time so far, in s */
const mainNow = () => threadCpu().get(String(process.pid))?.s ?? 0;
async function phase(name: string, keyWorkers?: number): Promise<void> {
  const mark = { t: performance.now(), client: clientNow(), main: mainNow(), server: await serverNow() };
  phases[name] = {
    s: Number(((mark.t - phaseMark.t) / 1000).toFixed(2)),
    client: Number((mark.client - phaseMark.client).toFixed(2)),
    main: Number((mark.main - phaseMark.main).toFixed(2)),
    server: Number((mark.server - phaseMark.server).toFixed(2)),
    ...(keyWorkers !== undefined ? { keyWorkers: Number(keyWorkers.toFixed(2)) } : {}),
  };
  phaseMark = mark;
}
/**
 * The processor time (s) of the parallel workers of these server processes (PostgreSQL's `leader_pid`), read every
 * 50 ms until `stop` is called (what a worker spends after the last reading is missed).
 */
function watchParallelWorkers(db: Kysely<DB>, leaders: number[]): { stop(): Promise<number> } {
  const seen = new Map<number, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where leader_pid = any(${leaders})`.execute(db);
      for (const r of rows) seen.set(r.pid, Math.max(seen.get(r.pid) ?? 0, serverCpuMs(r.pid) / 1000));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return [...seen.values()].reduce((x, y) => x + y, 0);
    },
  };
}

/** The import service; the clock starts once the database is migrated (the raw INSERT's table exists before its rows too). */
async function runApp(): Promise<number> {
  const database = createDb(parseDatabaseUrl(url));
  await migrateToLatest(database.db, database.dialect.engine);
  // what every CLI command does after migrating (src/cli/runtime.ts): with the index still empty, note the text
  // pipeline's version, or the first `rasd serve` after this import takes the index for an older pipeline's and
  // rebuilds all of it before listening (at 250,000 on PostgreSQL: over 5 minutes)
  await notePipelineOfEmptyIndex(database.db);
  const timed = new Kysely<DB>({
    dialect: database.dialect.kysely,
    plugins: [database.dialect.changes],
    log: (e) => timedStatement(e.query.sql, e.queryDurationMillis),
  });
  const backends = async () =>
    engine === 'postgres' ? (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(database.db)).rows.map((r) => r.pid) : [];
  const before = new Map((await backends()).map((pid) => [pid, serverCpuMs(pid)]));
  t0 = performance.now();
  cpu0 = process.cpuUsage();
  threads0 = threadCpu();
  serverNow = async () => (await backends()).reduce((a, pid) => a + (serverCpuMs(pid) - (before.get(pid) ?? 0)) / 1000, 0);
  phaseMark = { t: t0, client: clientNow(), main: mainNow(), server: 0 };
  const records = await parseFile('uhri-json', file, { lang });
  const engineBulk = database.dialect.bulkLoad;
  const bulkLoad: BulkLoad | undefined = engineBulk && {
    ...engineBulk,
    async begin(trx) {
      const session = await engineBulk.begin(trx);
      return (
        session && {
          ...session,
          async finish() {
            await phase('rows');
            // PostgreSQL's key builds run in parallel workers (SQLite has none to watch)
            const workers = engine === 'postgres' ? watchParallelWorkers(database.db, await backends()) : null;
            await session.finish();
            await phase('end', workers ? await workers.stop() : undefined);
          },
        }
      );
    },
  };
  const outcome = await importRecords(timed, records, { source: 'bench', bulkLoad });
  if (phases.end) await phase('commit');
  for (const pid of await backends()) serverMs += serverCpuMs(pid) - (before.get(pid) ?? 0);
  await database.destroy();
  return outcome.total;
}

/** The same rows, parsed by the same streaming parser (on the main thread), inserted with plain batched INSERTs and nothing else. */
async function runRaw(): Promise<number> {
  const cols = ['id', 'symbol', 'paragraph', 'text', 'kind', 'position', 'states', 'themes'];
  const row = (r: ImportRecord) => [
    r.externalId ?? '',
    r.document.symbol,
    r.paragraph ?? null,
    r.texts.en ?? r.texts.ar ?? '',
    r.kind,
    r.position ?? null,
    JSON.stringify(r.recommendingStates ?? []),
    JSON.stringify(r.themes ?? []),
  ];
  const BATCH = 500;
  let n = 0;
  // parsed on this thread: the parse worker's extra job (search-index analysis) is app work
  const records = await parseFile('uhri-json', file, { lang: 'en', worker: false });
  if (engine === 'sqlite') {
    const db = new Database(parseDatabaseUrl(url).engine === 'sqlite' ? (parseDatabaseUrl(url) as { file: string }).file : '');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`create table raw_recs (${cols.map((c) => `${c} text`).join(', ')})`);
    const stmt = db.prepare(`insert into raw_recs values ${Array.from({ length: BATCH }, () => `(${cols.map(() => '?').join(',')})`).join(',')}`);
    const one = db.prepare(`insert into raw_recs values (${cols.map(() => '?').join(',')})`);
    db.exec('begin');
    let batch: unknown[][] = [];
    for await (const r of records) {
      batch.push(row(r));
      n++;
      if (batch.length === BATCH) {
        stmt.run(batch.flat());
        batch = [];
      }
    }
    for (const b of batch) one.run(b);
    db.exec('commit');
    db.close();
  } else {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    await client.query(`create table raw_recs (${cols.map((c) => `${c} text`).join(', ')})`);
    await client.query('begin');
    let batch: unknown[][] = [];
    const flush = async () => {
      if (!batch.length) return;
      const values = batch.map((_, i) => `(${cols.map((__, j) => `$${i * cols.length + j + 1}`).join(',')})`).join(',');
      await client.query(`insert into raw_recs values ${values}`, batch.flat());
      batch = [];
    };
    for await (const r of records) {
      batch.push(row(r));
      n++;
      if (batch.length === BATCH) await flush();
    }
    await flush();
    await client.query('commit');
    serverMs = serverCpuMs(pid);
    await client.end();
  }
  return n;
}

let t0 = performance.now();
let cpu0 = process.cpuUsage();
threads0 = threadCpu();
const records = mode === 'app' ? await runApp() : await runRaw();
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const nodeCpu = (cpu.user + cpu.system) / 1e6;
console.log(
  JSON.stringify({
    engine,
    mode,
    records,
    seconds: Number(seconds.toFixed(2)),
    recordsPerSecond: Math.round(records / seconds),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(mode === 'app' ? { phases, longestStatement: longest, statementsOver1s: [...kinds.values()].reduce((a, k) => a + k.over1s, 0), statementKinds: topKinds() } : {}),
    cpuSeconds: { node: Number(nodeCpu.toFixed(2)), server: Number((serverMs / 1000).toFixed(2)), total: Number((nodeCpu + serverMs / 1000).toFixed(2)) },
    threadCpuSeconds: threadCpuSince(),
  }),
);
