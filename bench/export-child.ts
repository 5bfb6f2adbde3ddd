/**
 * One measured export in its own process, so that peak RSS belongs to that run alone.
 *   tsx bench/export-child.ts --mode xlsx|csv|raw --db URL --out FILE
 * - xlsx / csv: the whole register through the export service (the same code as GET /api/exports/matrix and
 *   `rasd matrix`), written to FILE; the register index is built first (reported apart), as a running server has it.
 * - raw: the same rows read by the engine's own driver (better-sqlite3 iterating, pg in one query per table),
 *   no formatting: recommendations with document and body, their theme/SDG terms, assignments, approved updates, measures.
 * --probe-memory (with node --expose-gc): memory samples after a forced GC, i.e. the live heap while writing.
 * Prints one JSON line.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { exportMatrix } from '../src/exports/index.ts';
import { listFiltersSchema } from '../src/recommendations/index.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const mode = arg('mode') as 'xlsx' | 'csv' | 'raw';
const url = arg('db')!;
const outFile = arg('out') ?? '/dev/null';
const target = parseDatabaseUrl(url);

const RAW_SQL = [
  `select r.id, r.paragraph, r.text_ar, r.text_en, r.text_fr, r.position, r.status, r.recommending_states, r.cluster_id, d.symbol, b.code
     from recommendations r join documents d on d.id = r.document_id join bodies b on b.id = d.body_id`,
  `select rt.recommendation_id, t.kind, t.code, t.label_ar, t.label_en from recommendation_terms rt join terms t on t.id = rt.term_id
     where t.kind in ('theme', 'sdg_goal', 'sdg_target')`,
  `select id, recommendation_id, cluster_id, entity_id, role from assignments`,
  `select id, assignment_id, text_ar, text_en, reviewed_at from progress_updates where status = 'approved'`,
  `select update_id, type, description_ar, description_en, sort from update_measures`,
];

async function raw(): Promise<{ rows: number; ms: number }> {
  let rows = 0;
  if (target.engine === 'sqlite') {
    const db = new Database(target.file, { readonly: true });
    const t0 = performance.now();
    for (const sql of RAW_SQL) for (const _ of db.prepare(sql).iterate()) rows++;
    const ms = performance.now() - t0;
    db.close();
    return { rows, ms };
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  const t0 = performance.now();
  for (const sql of RAW_SQL) rows += (await client.query(sql)).rowCount ?? 0;
  const ms = performance.now() - t0;
  await client.end();
  return { rows, ms };
}

async function app(format: 'xlsx' | 'csv') {
  const database = createDb(target);
  const filters = listFiltersSchema.parse({});
  const t0 = performance.now();
  // Builds the in-memory register index (a running server has it already; reported apart) and checks the selection.
  await exportMatrix(database.db, database.dialect, filters, format, 'ar');
  const t1 = performance.now();
  const file = await exportMatrix(database.db, database.dialect, filters, format, 'ar');
  const t2 = performance.now();
  // Memory while the file is written (after the selection): sampled, to show it stays flat whatever the size.
  const mb = (n: number) => Math.round(n / 1048576);
  (globalThis as { gc?: () => void }).gc?.(); // the index build's garbage is not the export's
  const rssBeforeWriteMB = mb(process.memoryUsage().rss);
  const heapBeforeWriteMB = mb(process.memoryUsage().heapUsed);
  let peakRssDuringWrite = 0;
  let peakHeapDuringWrite = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRssDuringWrite = Math.max(peakRssDuringWrite, m.rss);
    peakHeapDuringWrite = Math.max(peakHeapDuringWrite, m.heapUsed);
  };
  // --probe-memory: a full GC before each sample (once a second), so that the peak is live memory, not garbage V8 has not
  // collected yet (slower: for the memory figure only, not the timing).
  const probe = process.argv.includes('--probe-memory');
  const gc = (globalThis as { gc?: () => void }).gc;
  const timer = probe && gc ? setInterval(() => (gc(), sample()), 1000) : setInterval(sample, 50);
  const rows = await file.write(fs.createWriteStream(outFile));
  clearInterval(timer);
  sample();
  const t3 = performance.now();
  await database.destroy();
  return {
    rows,
    indexBuildMs: Math.round(t1 - t0),
    selectionMs: Math.round(t2 - t1),
    ms: t3 - t1,
    bytes: outFile === '/dev/null' ? null : fs.statSync(outFile).size,
    rssBeforeWriteMB,
    heapBeforeWriteMB,
    peakRssDuringWriteMB: mb(peakRssDuringWrite),
    peakHeapDuringWriteMB: mb(peakHeapDuringWrite),
  };
}

const result =
  mode === 'raw'
    ? { mode, engine: target.engine, ...(await raw()) }
    : { mode, engine: target.engine, ...(await app(mode)) };
const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify({ ...result, seconds: Math.round(result.ms) / 1000, ms: undefined, peakRssMB }));
