/**
 * Import benchmark (issue 3): a generated UHRI JSON export of N records (default 250,000) imported through
 * the real import service on SQLite and PostgreSQL, next to a raw batched INSERT of the same parsed rows in
 * the same run. Each measurement runs in its own process (peak RSS is that process's).
 *   npm run bench -- import [--count 250000] [--engines sqlite,postgres]
 * Prints JSON.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { writeUhriJson } from './gen-uhri.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const count = Number(arg('count', '250000'));
const engines = arg('engines', 'sqlite,postgres').split(',');
const pgAdmin = process.env.TEST_PG_URL ?? 'postgres://root@localhost/postgres?host=/var/run/postgresql';

const cacheDir = path.join(os.tmpdir(), 'rasd-bench');
fs.mkdirSync(cacheDir, { recursive: true });
const file = path.join(cacheDir, `uhri-${count}-en.json`);
if (!fs.existsSync(file)) {
  process.stderr.write(`generating ${count} records → ${file}\n`);
  await writeUhriJson(file, { count, lang: 'en', seed: 42 });
}

function child(engine: string, mode: string, db: string) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'import-child.ts'), '--engine', engine, '--mode', mode, '--file', file, '--db', db], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { records: number; seconds: number; recordsPerSecond: number; peakRssMB: number };
}

async function freshPg(name: string): Promise<string> {
  const c = new pg.Client({ connectionString: pgAdmin });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(pgAdmin);
  u.pathname = `/${name}`;
  return u.toString();
}

const results: Record<string, unknown>[] = [];
for (const engine of engines) {
  for (const mode of ['raw', 'app']) {
    let db: string;
    if (engine === 'sqlite') {
      const f = path.join(cacheDir, `bench-import-${mode}.db`);
      for (const ext of ['', '-wal', '-shm']) fs.rmSync(f + ext, { force: true });
      db = `sqlite:${f}`;
    } else {
      db = await freshPg(`rasd_bench_import_${mode}`);
    }
    process.stderr.write(`${engine} ${mode}…\n`);
    results.push({ engine, mode, ...child(engine, mode, db) });
  }
}
const summary = engines.map((engine) => {
  const raw = results.find((r) => r.engine === engine && r.mode === 'raw') as { recordsPerSecond: number };
  const app = results.find((r) => r.engine === engine && r.mode === 'app') as { recordsPerSecond: number; peakRssMB: number };
  return { engine, appRecordsPerSecond: app.recordsPerSecond, rawRecordsPerSecond: raw.recordsPerSecond, appToRawRatio: Number((app.recordsPerSecond / raw.recordsPerSecond).toFixed(2)), appPeakRssMB: app.peakRssMB };
});
console.log(JSON.stringify({ benchmark: 'import-uhri-json', records: count, fileMB: Math.round(fs.statSync(file).size / 1048576), cpus: os.cpus().length, results, summary }, null, 2));
