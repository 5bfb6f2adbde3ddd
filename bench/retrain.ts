/**
 * `npm run bench -- retrain --from SOURCE [--port 4197]` (issues 15 and 17): a retraining of the tagger in a running
 * server over a large register, and what the server's other users see meanwhile. SOURCE: a SQLite file or the name
 * of a PostgreSQL database with labelled recommendations (e.g. one the scale benchmark filled); it is copied first
 * (`VACUUM INTO`, `CREATE DATABASE … TEMPLATE`), never written. On the copy: `rasd serve`, a curator signed in,
 * `POST /api/tagging/train`, then until the job ends a bare authenticated request (`/api/auth/session`) every 25 ms,
 * one at a time, and the server's RSS read every 250 ms. Prints the job's time and result, the session requests'
 * p50 / p99 / longest (the server's thread held by the retraining), the server's peak RSS, and the first suggestions
 * for 200 texts after it (the new model loaded) with the longest session request beside them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { createUser } from '../src/users/index.ts';
import { latencySummary } from './mix.ts';
import { BENCH_CACHE, BENCH_PG_ADMIN } from './seed.ts';
import { signIn, startServer } from './server.ts';

const { values: args } = parseArgs({ options: { from: { type: 'string' }, port: { type: 'string', default: '4197' } } });
if (!args.from) throw new Error('--from SOURCE: a SQLite file or a PostgreSQL database name with labelled recommendations');
const log = (m: string) => process.stderr.write(`[retrain] ${m}\n`);
const BASE = `http://127.0.0.1:${args.port}`;
const PASSWORD = 'bench-retrain-password-1';
const email = `retrain-${Date.now()}@bench.test`;

/** The copy (replaced by the next run, left for a look meanwhile). */
async function copyOf(from: string): Promise<{ url: string; engine: 'sqlite' | 'postgres' }> {
  if (fs.existsSync(from)) {
    const file = path.join(BENCH_CACHE, 'retrain-copy.db');
    for (const ext of ['', '-wal', '-shm']) fs.rmSync(file + ext, { force: true });
    const Database = (await import('better-sqlite3')).default;
    const src = new Database(from, { readonly: true, fileMustExist: true });
    src.prepare('vacuum into ?').run(file);
    src.close();
    return { url: `sqlite:${file}`, engine: 'sqlite' };
  }
  const name = 'rasd_retrain_copy';
  const admin = new pg.Client({ connectionString: BENCH_PG_ADMIN });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name} template ${from}`);
  await admin.end();
  const u = new URL(BENCH_PG_ADMIN);
  u.pathname = `/${name}`;
  return { url: u.toString(), engine: 'postgres' };
}

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};
const round = (x: number) => Math.round(x * 10) / 10;

log(`copying ${args.from}`);
const copy = await copyOf(args.from);
const database = createDb(parseDatabaseUrl(copy.url));
const recommendations = Number((await database.db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
await database.db.deleteFrom('jobs').where('kind', '=', 'tagger.train').where('status', '=', 'queued').execute();
await createUser(database.db, { email, password: PASSWORD, role: 'coordinator', entityId: null });
await database.destroy();

log(`starting the server on ${recommendations} recommendations (${copy.engine})`);
// JOBS_POLL_SECONDS high: the job runner does not claim anything queued meanwhile
const server = await startServer(copy.url, Number(args.port), { JOBS_POLL_SECONDS: '3600' });
const pid = server.pid!;
try {
  const { cookie, csrf } = await signIn(BASE, email, PASSWORD);
  const headers = { cookie, 'x-csrf-token': csrf };
  // warm: the session route, and the register's first list
  for (let k = 0; k < 20; k++) await fetch(`${BASE}/api/auth/session`, { headers });
  await fetch(`${BASE}/api/recommendations?pageSize=20`, { headers });
  const rssBefore = rssMb(pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 250);
  const t0 = performance.now();
  const started = await fetch(`${BASE}/api/tagging/train`, { method: 'POST', headers });
  if (started.status !== 202) throw new Error(`train: ${started.status} ${await started.text()}`);
  const { jobId } = (await started.json()) as { jobId: string };
  const waits: number[] = [];
  let longest = { ms: 0, atS: 0, phase: '' };
  interface JobView {
    status: string;
    phase: string | null;
    result: unknown;
    error: unknown;
  }
  let job: JobView | null = null;
  let phase = '';
  let lastPoll = 0;
  for (;;) {
    const a = performance.now();
    const res = await fetch(`${BASE}/api/auth/session`, { headers });
    await res.arrayBuffer();
    const ms = performance.now() - a;
    waits.push(ms);
    if (ms > longest.ms) longest = { ms: round(ms), atS: round((a - t0) / 1000), phase };
    if (performance.now() - lastPoll > 1000) {
      lastPoll = performance.now();
      job = (await (await fetch(`${BASE}/api/jobs/${jobId}`, { headers })).json()) as JobView;
      if (job.phase && job.phase !== phase) log(`${round((lastPoll - t0) / 1000)} s: ${job.phase}`);
      phase = job.phase ?? phase;
      if (job.status !== 'queued' && job.status !== 'running') break;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const seconds = round((performance.now() - t0) / 1000);
  clearInterval(sampler);
  // the first suggestions after the training, for 200 texts of the register: the new model loaded, with a session
  // request every 25 ms beside them (the longest of those: this thread held meanwhile)
  const texts = ((await (await fetch(`${BASE}/api/recommendations?pageSize=200`, { headers })).json()) as { items: { text_en?: string | null; text_ar?: string | null }[] }).items
    .map((r) => r.text_en ?? r.text_ar ?? '')
    .filter(Boolean);
  const s0 = performance.now();
  let suggested = false;
  const suggest = fetch(`${BASE}/api/tagging/suggest`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ texts }) })
    .then(async (r) => {
      if (!r.ok) throw new Error(`suggest: ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    })
    .finally(() => (suggested = true));
  const besideSuggest: number[] = [];
  while (!suggested) {
    const a = performance.now();
    await (await fetch(`${BASE}/api/auth/session`, { headers })).arrayBuffer();
    besideSuggest.push(performance.now() - a);
    await new Promise((r) => setTimeout(r, 25));
  }
  await suggest;
  const firstSuggestMs = round(performance.now() - s0);
  process.stdout.write(
    `${JSON.stringify(
      {
        engine: copy.engine,
        recommendations,
        job: { status: job?.status, seconds, result: job?.result, error: job?.error },
        session_during: { n: waits.length, ...latencySummary(waits), longest },
        server_rss_mb: { before: round(rssBefore), peak: round(rssPeak), after: round(rssMb(pid)) },
        first_suggestions_after: { texts: texts.length, ms: firstSuggestMs, longest_session_ms: round(Math.max(0, ...besideSuggest)) },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  server.kill();
}
