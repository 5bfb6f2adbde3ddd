/**
 * Export benchmark (issue 12): the implementation matrix as XLSX (exceljs streaming writer) and the register as CSV,
 * of N generated recommendations (UHRI shape, English and Arabic texts, imported through the import service; a
 * quarter of them assigned to a lead entity with an approved update carrying two measures, an eighth also to a
 * supporting entity), next to the raw engine's read of the same rows in the same run. Each measurement runs in its own
 * process (peak RSS is that run's alone); memory while writing is sampled, and sampled again in a second run after a forced
 * GC each second (live heap: whether memory stays flat, apart from garbage V8 has not collected yet).
 *
 *   npm run bench -- export [--count 10000] [--engines sqlite,postgres] [--pg-seed copy|import] [--runs 3]
 *
 * PostgreSQL's database is by default a row-for-row copy of the SQLite one (bench/seed-postgres.ts, batched INSERTs);
 * `--pg-seed import` fills it through the import service instead. Each measurement runs `--runs` times; the medians are
 * printed (and every run's figure).
 *
 * The database is seeded by bench/seed.ts (shared with the portal benchmark) and cached: $TMPDIR/rasd-bench/export-N.db
 * and PostgreSQL database rasd_bench_export_N. Prints JSON.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_CACHE, seededDatabase } from './seed.ts';

const { values: args } = parseArgs({
  options: { count: { type: 'string', default: '10000' }, engines: { type: 'string', default: 'sqlite,postgres' }, 'pg-seed': { type: 'string', default: 'copy' }, runs: { type: 'string', default: '3' } },
});
/** How an empty PostgreSQL benchmark database is filled: `copy` (the SQLite one, with batched INSERTs) or `import` (the import service). */
const PG_SEED = args['pg-seed'] as 'copy' | 'import';
const RUNS = Math.max(1, Number(args.runs));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : Math.round(((s[m - 1]! + s[m]!) / 2) * 1000) / 1000;
};
const COUNT = Number(args.count);
const ENGINES = args.engines!.split(',') as ('sqlite' | 'postgres')[];
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (msg: string) => process.stderr.write(`[bench export] ${msg}\n`);
const prepare = (engine: 'sqlite' | 'postgres') => seededDatabase(engine, { name: 'export', count: COUNT, log, pgSeed: PG_SEED });

function child(mode: 'xlsx' | 'csv' | 'raw', url: string, probeMemory = false) {
  const out = path.join(BENCH_CACHE, `export-out-${process.pid}.${mode}`);
  try {
    const argv = ['--expose-gc', '--import', 'tsx', path.join(here, 'export-child.ts'), '--mode', mode, '--db', url, '--out', out, ...(probeMemory ? ['--probe-memory'] : [])];
    const stdout = execFileSync(process.execPath, argv, {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as {
      rows: number;
      seconds: number;
      peakRssMB: number;
      indexBuildMs?: number;
      selectionMs?: number;
      bytes?: number | null;
      rssBeforeWriteMB?: number;
      heapBeforeWriteMB?: number;
      peakRssDuringWriteMB?: number;
      peakHeapDuringWriteMB?: number;
    };
  } finally {
    fs.rmSync(out, { force: true });
  }
}

/** `RUNS` runs of one measurement: the median run's figures, and every run's seconds. */
function measured(mode: 'xlsx' | 'csv' | 'raw', url: string) {
  const runs = Array.from({ length: RUNS }, () => child(mode, url));
  const secs = runs.map((r) => r.seconds);
  const mid = runs.find((r) => r.seconds === median(secs)) ?? runs.sort((a, b) => a.seconds - b.seconds)[runs.length >> 1]!;
  return { ...mid, seconds: median(secs), runs: secs };
}

const results = [];
for (const engine of ENGINES) {
  const url = await prepare(engine);
  log(`${engine}: raw read`);
  const raw = measured('raw', url);
  const entry: Record<string, unknown> = { engine, recommendations: COUNT, raw_read_same_rows: { seconds: raw.seconds, runs: raw.runs, rows: raw.rows, peakRssMB: raw.peakRssMB } };
  for (const format of ['xlsx', 'csv'] as const) {
    log(`${engine}: ${format} (${RUNS} runs)`);
    const r = measured(format, url);
    log(`${engine}: ${format}, live memory probe`);
    const m = child(format, url, true);
    entry[format] = {
      seconds: r.seconds,
      runs: r.runs,
      rows: r.rows,
      fileMB: r.bytes ? Math.round((r.bytes / 1048576) * 10) / 10 : null,
      peakRssMB: r.peakRssMB,
      rss_before_write_MB: r.rssBeforeWriteMB,
      peak_rss_while_writing_MB: r.peakRssDuringWriteMB,
      heap_before_write_MB: r.heapBeforeWriteMB,
      peak_heap_while_writing_MB: r.peakHeapDuringWriteMB,
      live_heap_before_write_MB: m.heapBeforeWriteMB,
      max_live_heap_while_writing_MB: m.peakHeapDuringWriteMB,
      selection_ms: r.selectionMs,
      register_index_build_ms: r.indexBuildMs,
      raw_read_seconds: raw.seconds,
      ratio_over_raw_read: Math.round((r.seconds / raw.seconds) * 10) / 10,
    };
  }
  results.push(entry);
}
console.log(JSON.stringify({ benchmark: 'export', count: COUNT, runs: RUNS, cpus: os.cpus().length, loadavg: os.loadavg().map((x) => Math.round(x * 10) / 10), targets: { xlsx_10k_s: 3, xlsx_250k_s: 60, csv_250k_s: 10 }, results }, null, 2));
