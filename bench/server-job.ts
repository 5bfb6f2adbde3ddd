/**
 * What the benchmarks of a long job in a running server share (retrain.ts, backup.ts): a copy of a large database to
 * run it on, and the job followed with a bare authenticated request (`/api/auth/session`) every 25 ms, one at a time,
 * and the server's RSS read every 250 ms: the longest of those requests is the server's thread held by the job.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { latencySummary } from './mix.ts';
import { BENCH_CACHE, BENCH_PG_ADMIN } from './seed.ts';

export const log = (bench: string, m: string) => process.stderr.write(`[${bench}] ${m}\n`);
export const round = (x: number) => Math.round(x * 10) / 10;

/** A copy of `from` (a SQLite file or a PostgreSQL database name) named `name`, replaced by the next run; never writes `from`. */
export async function copyOf(from: string, name: string): Promise<{ url: string; engine: 'sqlite' | 'postgres' }> {
  if (fs.existsSync(from)) {
    const file = path.join(BENCH_CACHE, `${name}.db`);
    for (const ext of ['', '-wal', '-shm']) fs.rmSync(file + ext, { force: true });
    const Database = (await import('better-sqlite3')).default;
    const src = new Database(from, { readonly: true, fileMustExist: true });
    src.prepare('vacuum into ?').run(file);
    src.close();
    return { url: `sqlite:${file}`, engine: 'sqlite' };
  }
  const db = `rasd_${name.replace(/-/g, '_')}`;
  const admin = new pg.Client({ connectionString: BENCH_PG_ADMIN });
  await admin.connect();
  await admin.query(`drop database if exists ${db} with (force)`);
  await admin.query(`create database ${db} template ${from}`);
  await admin.end();
  const u = new URL(BENCH_PG_ADMIN);
  u.pathname = `/${db}`;
  return { url: u.toString(), engine: 'postgres' };
}

export const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};

export interface JobView {
  status: string;
  phase: string | null;
  progress?: number;
  total?: number;
  result: unknown;
  error: unknown;
}

/**
 * Starts a job (`start` answers its id) and follows it to its end with a session request every 25 ms (the job's own
 * state read once a second, apart). Answers the job, its wall time, the session requests' latencies and the longest
 * with the job's phase then, and the server's RSS before, at its peak and after.
 */
/** `stopAfterS`: stop following (the job still running) after so many seconds, e.g. a run that would take an hour. */
export async function followJob(bench: string, base: string, headers: Record<string, string>, pid: number, start: () => Promise<string>, stopAfterS = Infinity) {
  const rssBefore = rssMb(pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 250);
  const t0 = performance.now();
  const jobId = await start();
  const waits: number[] = [];
  let longest = { ms: 0, atS: 0, phase: '' };
  let job: JobView | null = null;
  let phase = '';
  let lastPoll = 0;
  for (;;) {
    const a = performance.now();
    const res = await fetch(`${base}/api/auth/session`, { headers });
    await res.arrayBuffer();
    const ms = performance.now() - a;
    waits.push(ms);
    if (ms > longest.ms) longest = { ms: round(ms), atS: round((a - t0) / 1000), phase };
    if (performance.now() - lastPoll > 1000) {
      lastPoll = performance.now();
      job = (await (await fetch(`${base}/api/jobs/${jobId}`, { headers })).json()) as JobView;
      if (job.phase && job.phase !== phase) log(bench, `${round((lastPoll - t0) / 1000)} s: ${job.phase}`);
      phase = job.phase ?? phase;
      if (job.status !== 'queued' && job.status !== 'running') break;
      if ((lastPoll - t0) / 1000 > stopAfterS) {
        log(bench, `${round((lastPoll - t0) / 1000)} s: stopped following (${job.status}, ${job.progress ?? '?'} of ${job.total ?? '?'})`);
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const seconds = round((performance.now() - t0) / 1000);
  clearInterval(sampler);
  return {
    job: { status: job?.status, seconds, result: job?.result, error: job?.error },
    session_during: { n: waits.length, ...latencySummary(waits), longest },
    server_rss_mb: { before: round(rssBefore), peak: round(rssPeak), after: round(rssMb(pid)) },
  };
}
