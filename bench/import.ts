/**
 * Import benchmark (issue 3): a generated UHRI JSON export of N records (default 250,000) imported through
 * the real import service on SQLite and PostgreSQL, next to a raw batched INSERT of the same parsed rows in
 * the same run. Each measurement runs in its own process (peak RSS is that process's):
 * - raw: plain batched INSERTs of the parsed rows into one table;
 * - app: the import service into an empty register (a first import: the engine's bulk path, if it has one);
 * - app-populated: then a second file of N other records (another seed, same documents) into that register,
 *   the row-by-row path every later import takes.
 *   npm run bench -- import [--count 250000] [--engines sqlite,postgres]
 * Prints JSON. Databases are made afresh (bench/server.ts; PostgreSQL admin URL: BENCH_PG_URL).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeUhriJson } from './gen-uhri.ts';
import { BENCH_CACHE, type Engine } from './seed.ts';
import { freshDatabase } from './server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const count = Number(arg('count', '250000'));
const engines = arg('engines', 'sqlite,postgres').split(',');

const cacheDir = BENCH_CACHE;
async function generated(seed: number): Promise<string> {
  const f = path.join(cacheDir, seed === 42 ? `uhri-${count}-en.json` : `uhri-${count}-en-seed${seed}.json`);
  if (!fs.existsSync(f)) {
    process.stderr.write(`generating ${count} records → ${f}\n`);
    await writeUhriJson(f, { count, lang: 'en', seed });
  }
  return f;
}
const file = await generated(42);
// another seed whose records are not this one's shifted by a few places (gen-uhri's hash2 mixes seed and index by XOR)
const secondFile = await generated(42 ^ 0x40000000);

function child(engine: string, mode: string, db: string) {
  const args = ['--engine', engine, '--mode', mode === 'raw' ? 'raw' : 'app', '--file', mode === 'app-populated' ? secondFile : file, '--db', db];
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'import-child.ts'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { records: number; seconds: number; recordsPerSecond: number; peakRssMB: number };
}

const results: Record<string, unknown>[] = [];
for (const engine of engines) {
  let appDb = '';
  for (const mode of ['raw', 'app', 'app-populated']) {
    let db: string;
    if (mode === 'app-populated') db = appDb;
    else db = await freshDatabase(engine as Engine, `rasd_bench_import_${mode}`);
    if (mode === 'app') appDb = db;
    process.stderr.write(`${engine} ${mode}…\n`);
    results.push({ ...child(engine, mode, db), engine, mode });
  }
}
const summary = engines.map((engine) => {
  const raw = results.find((r) => r.engine === engine && r.mode === 'raw') as { recordsPerSecond: number };
  const app = results.find((r) => r.engine === engine && r.mode === 'app') as { recordsPerSecond: number; peakRssMB: number };
  const populated = results.find((r) => r.engine === engine && r.mode === 'app-populated') as { recordsPerSecond: number; peakRssMB: number };
  return {
    engine,
    appRecordsPerSecond: app.recordsPerSecond,
    rawRecordsPerSecond: raw.recordsPerSecond,
    appToRawRatio: Number((app.recordsPerSecond / raw.recordsPerSecond).toFixed(2)),
    appPeakRssMB: app.peakRssMB,
    populatedRecordsPerSecond: populated.recordsPerSecond,
    populatedToRawRatio: Number((populated.recordsPerSecond / raw.recordsPerSecond).toFixed(2)),
    populatedPeakRssMB: populated.peakRssMB,
  };
});
console.log(JSON.stringify({ benchmark: 'import-uhri-json', records: count, fileMB: Math.round(fs.statSync(file).size / 1048576), cpus: os.cpus().length, results, summary }, null, 2));
