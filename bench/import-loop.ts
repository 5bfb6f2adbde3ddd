/**
 * `npm run bench -- import-loop [--rows N] [--file PATH] [--interval MS]` (issue 14, item 4): does a CLI import on
 * SQLite freeze the event loop of a server running on the same database file?
 *
 * The server runs in this process (the real app, on a SQLite file in a temporary folder); `rasd import upr-info-csv`
 * runs in a child process on the same file. While the child runs, this process measures its own event loop's delay
 * (perf_hooks) and, every `--interval` ms, the latency of three requests to the server over HTTP:
 * - `GET /api/health` (anonymous),
 * - `GET /api/auth/session` (a session check: a read),
 * - `POST /api/auth/login` (a write: a new session row), one at a time.
 * Prints JSON: the import's duration, the longest event-loop delay, and per request kind the count, failures,
 * p50/p99/max latency and how many completed while the import was still running.
 *
 * The file: the shared UPR Info export (../shared/data), or its first `--rows` records.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/server/app.ts';
import { createUser } from '../src/users/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    file: { type: 'string' },
    interval: { type: 'string', default: '50' },
  },
});

const PASSWORD = 'Bench-Loop-Password-1';

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** The UPR Info export, or its header and first `rows` records (records may span lines: cut by the CSV parser). */
async function inputFile(dir: string): Promise<string> {
  const source = values.file ?? path.resolve(root, '..', 'shared', 'data', 'upr-info', 'upr-info-sessions-1-20.csv');
  if (!values.rows) return source;
  const { parse } = await import('csv-parse/sync');
  const rows = parse(fs.readFileSync(source), { columns: true }) as Record<string, string>[];
  const kept = rows.slice(0, Number(values.rows));
  const header = Object.keys(rows[0]!);
  const q = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const out = path.join(dir, 'upr-info.csv');
  fs.writeFileSync(out, [header.join(','), ...kept.map((r) => header.map((h) => q(r[h] ?? '')).join(','))].join('\n'));
  return out;
}

interface Sample {
  kind: 'health' | 'session' | 'login';
  ms: number;
  status: number;
  duringImport: boolean;
}

export async function measure(opts: { dir: string; file: string; intervalMs: number; log?: (s: string) => void }) {
  const dbFile = path.join(opts.dir, 'rasd.db');
  const env = { DATABASE_URL: `sqlite:${dbFile}`, LOG_LEVEL: 'silent', DATA_DIR: path.join(opts.dir, 'data') };
  const config = loadConfig({ ...process.env, ...env });
  const database = createDb(config.database);
  await migrateToLatest(database.db, database.dialect.engine);
  await createUser(database.db, { email: 'bench@rasd.example', password: PASSWORD, role: 'coordinator', entityId: null, name: 'Bench' });
  const app = await buildApp({ db: database.db, dialect: database.dialect, config }, { logger: false, webDist: '/nonexistent' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const login = async () => {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@rasd.example', password: PASSWORD }) });
    await res.arrayBuffer();
    return res;
  };
  const first = await login();
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0]!;

  const samples: Sample[] = [];
  let importing = true;
  const timed = async (kind: Sample['kind'], fn: () => Promise<Response>) => {
    const t0 = performance.now();
    let status = 0;
    try {
      const res = await fn();
      status = res.status;
      if (kind !== 'login') await res.arrayBuffer();
    } catch {
      status = -1;
    }
    const ms = performance.now() - t0;
    // "during": the answer came while the child was still importing
    samples.push({ kind, ms, status, duringImport: importing });
  };

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'bin', 'rasd.mjs'), 'import', 'upr-info-csv', opts.file], {
    cwd: opts.dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let childOut = '';
  child.stdout.on('data', (d: Buffer) => (childOut += d.toString()));
  child.stderr.on('data', (d: Buffer) => (childOut += d.toString()));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  let loginBusy = false;
  const timer = setInterval(() => {
    void timed('health', () => fetch(`${base}/api/health`));
    void timed('session', () => fetch(`${base}/api/auth/session`, { headers: { cookie } }));
    if (!loginBusy) {
      loginBusy = true;
      void timed('login', login).finally(() => (loginBusy = false));
    }
  }, opts.intervalMs);
  const code = await exited;
  importing = false;
  const importMs = performance.now() - t0;
  clearInterval(timer);
  // the requests still out finish, then one more of each after the import
  await new Promise((resolve) => setTimeout(resolve, 200));
  while (loginBusy) await new Promise((resolve) => setTimeout(resolve, 50));
  await timed('health', () => fetch(`${base}/api/health`));
  await timed('login', login);
  loop.disable();
  await app.close();
  await database.destroy();

  const by = (kind: Sample['kind']) => {
    const all = samples.filter((s) => s.kind === kind);
    const during = all.filter((s) => s.duringImport);
    const ms = during.map((s) => s.ms);
    return {
      requests: all.length,
      answeredDuringImport: during.filter((s) => s.status > 0).length,
      failed: all.filter((s) => s.status < 0 || s.status >= 500).length,
      statuses: [...new Set(all.map((s) => s.status))].sort(),
      p50Ms: Math.round(quantile(ms, 0.5)),
      p99Ms: Math.round(quantile(ms, 0.99)),
      maxMs: Math.round(Math.max(0, ...ms)),
    };
  };
  return {
    engine: 'sqlite',
    file: path.basename(opts.file),
    importExitCode: code,
    importOutput: childOut.trim().split('\n').filter((l) => /^(Imported|Dry run)/.test(l)),
    importMs: Math.round(importMs),
    eventLoop: { maxDelayMs: Math.round(loop.max / 1e6), p99DelayMs: Math.round(loop.percentile(99) / 1e6), meanDelayMs: Math.round(loop.mean / 1e6) },
    health: by('health'),
    session: by('session'),
    login: by('login'),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-import-loop-'));
  try {
    const result = await measure({ dir, file: await inputFile(dir), intervalMs: Number(values.interval) });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
