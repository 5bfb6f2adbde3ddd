/**
 * What the benchmarks that measure a real server process share: a fresh database, `rasd serve` started on it and
 * waited for, and a user signed in over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BENCH_CACHE, BENCH_PG_ADMIN, type Engine } from './seed.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** An empty database of this name, made afresh: $TMPDIR/rasd-bench/<name>.db, or PostgreSQL database <name>. */
export async function freshDatabase(engine: Engine, name: string): Promise<string> {
  if (engine === 'sqlite') {
    const f = path.join(BENCH_CACHE, `${name}.db`);
    for (const ext of ['', '-wal', '-shm']) fs.rmSync(f + ext, { force: true });
    return `sqlite:${f}`;
  }
  const c = new pg.Client({ connectionString: BENCH_PG_ADMIN });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(BENCH_PG_ADMIN);
  u.pathname = `/${name}`;
  return u.toString();
}

/** `rasd serve` on 127.0.0.1:port over this database, once /api/health answers (up to 5 minutes: a large register). */
export async function startServer(databaseUrl: string, port: number, env: Record<string, string>): Promise<ChildProcess> {
  // BENCH_SERVER_CPU_PROF=dir: the server writes a CPU profile of its main thread there when it stops (node --cpu-prof)
  const prof = process.env.BENCH_SERVER_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_CPU_PROF}`] : [];
  // BENCH_SERVER_NODE_ARGS="--trace-gc …": more flags for the server's node; BENCH_SERVER_STDOUT=file keeps its standard output
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const out = process.env.BENCH_SERVER_STDOUT ? fs.openSync(process.env.BENCH_SERVER_STDOUT, 'w') : 'ignore';
  const server = spawn(process.execPath, [...prof, ...extra, path.join(root, 'bin/rasd.mjs'), 'serve'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', COOKIE_SECURE: 'false', ...env },
    stdio: ['ignore', out, 'inherit'],
  });
  for (let k = 0; k < 1500; k++) {
    // its own exit (e.g. EADDRINUSE): otherwise another server left on the port would answer for it
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`the server exited before answering (${server.exitCode ?? server.signalCode})`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  server.kill();
  throw new Error('the server did not start');
}

/** Signs in with a password: the session cookie and the CSRF token that writes need. */
export async function signIn(base: string, email: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  return { cookie, csrf };
}
