/**
 * Import benchmark (issue 3): a generated UHRI JSON export of N records (default 250,000) imported through
 * the real import service on SQLite and PostgreSQL, next to a raw batched INSERT of the same parsed rows in
 * the same run. Each measurement runs in its own process (peak RSS is that process's):
 * - raw: plain batched INSERTs of the parsed rows into one table;
 * - app: the import service into an empty register (a first import: the engine's bulk path, if it has one);
 * - app-second-language (with --second-language): then the Arabic file of the same N records into that register
 *   (every record updated: its Arabic text added, re-indexed), with the longest statement it ran;
 * - app-populated: then a second file of N other records (another seed, same documents) into that register,
 *   the row-by-row path every later import takes.
 *   npm run bench -- import [--count 250000] [--engines sqlite,postgres] [--second-language] [--no-populated]
 * Prints JSON. Databases are made afresh (bench/server.ts; PostgreSQL admin URL: BENCH_PG_URL).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeUhriJson } from './gen-uhri.ts';
import pg from 'pg';
import { BENCH_CACHE, BENCH_PG_ADMIN, type Engine } from './seed.ts';
import { freshDatabase } from './server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const count = Number(arg('count', '250000'));
const engines = arg('engines', 'sqlite,postgres').split(',');

const cacheDir = BENCH_CACHE;
async function generated(seed: number, lang: 'en' | 'ar' = 'en'): Promise<string> {
  const f = path.join(cacheDir, seed === 42 ? `uhri-${count}-${lang}.json` : `uhri-${count}-${lang}-seed${seed}.json`);
  if (!fs.existsSync(f)) {
    process.stderr.write(`generating ${count} records → ${f}\n`);
    await writeUhriJson(`${f}.tmp`, { count, lang, seed });
    fs.renameSync(`${f}.tmp`, f);
  }
  return f;
}
const file = await generated(42);
// another seed whose records are not this one's shifted by a few places (gen-uhri's hash2 mixes seed and index by XOR)
const secondFile = await generated(42 ^ 0x40000000);
const secondLanguage = process.argv.includes('--second-language');
const arabicFile = secondLanguage ? await generated(42, 'ar') : '';
const populated = !process.argv.includes('--no-populated');

function child(engine: string, mode: string, db: string) {
  const args = ['--engine', engine, '--mode', mode === 'raw' ? 'raw' : 'app', '--file', mode === 'app-populated' ? secondFile : mode === 'app-second-language' ? arabicFile : file, '--db', db];
  if (mode === 'app-second-language') args.push('--lang', 'ar');
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'import-child.ts'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { records: number; seconds: number; recordsPerSecond: number; peakRssMB: number; cpuSeconds: { total: number } };
}

const loadAtStart = fs.readFileSync('/proc/loadavg', 'utf8').trim();
const results: Record<string, unknown>[] = [];
for (const engine of engines) {
  let appDb = '';
  for (const mode of ['raw', 'app', ...(secondLanguage ? ['app-second-language'] : []), ...(populated ? ['app-populated'] : [])]) {
    let db: string;
    if (mode === 'app-populated' || mode === 'app-second-language') db = appDb;
    else db = await freshDatabase(engine as Engine, `rasd_bench_import_${process.pid}_${mode.replace('-', '_')}`);
    if (mode === 'app') appDb = db;
    process.stderr.write(`${engine} ${mode}…\n`);
    results.push({ ...child(engine, mode, db), engine, mode });
  }
}
if (engines.includes('postgres')) {
  const c = new pg.Client({ connectionString: BENCH_PG_ADMIN });
  await c.connect();
  for (const mode of ['raw', 'app']) await c.query(`drop database if exists rasd_bench_import_${process.pid}_${mode} with (force)`);
  await c.end();
}
const load = fs.readFileSync('/proc/loadavg', 'utf8').trim();
const summary = engines.map((engine) => {
  const raw = results.find((r) => r.engine === engine && r.mode === 'raw') as { recordsPerSecond: number; cpuSeconds: { total: number } };
  const app = results.find((r) => r.engine === engine && r.mode === 'app') as { recordsPerSecond: number; peakRssMB: number; cpuSeconds: { total: number } };
  const later = results.find((r) => r.engine === engine && r.mode === 'app-populated') as { recordsPerSecond: number; peakRssMB: number } | undefined;
  return {
    engine,
    appRecordsPerSecond: app.recordsPerSecond,
    rawRecordsPerSecond: raw.recordsPerSecond,
    appToRawRatio: Number((app.recordsPerSecond / raw.recordsPerSecond).toFixed(2)),
    // the same ratio from processor time (client and server): raw CPU ÷ app CPU
    appToRawCpuRatio: Number((raw.cpuSeconds.total / app.cpuSeconds.total).toFixed(2)),
    appPeakRssMB: app.peakRssMB,
    populatedRecordsPerSecond: later?.recordsPerSecond,
    populatedToRawRatio: later ? Number((later.recordsPerSecond / raw.recordsPerSecond).toFixed(2)) : undefined,
    populatedPeakRssMB: later?.peakRssMB,
    ...(secondLanguage ? { secondLanguage: results.find((r) => r.engine === engine && r.mode === 'app-second-language') } : {}),
  };
});
console.log(JSON.stringify({ benchmark: 'import-uhri-json', records: count, loadAverageAtStart: loadAtStart, loadAverageAtEnd: load, fileMB: Math.round(fs.statSync(file).size / 1048576), cpus: os.cpus().length, results, summary }, null, 2));
