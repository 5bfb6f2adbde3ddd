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
 * Generated files and databases are cached: $TMPDIR/rasd-bench/gen-N-export-full-{en,ar}.json (shared with the
 * search benchmark), $TMPDIR/rasd-bench/export-N.db and PostgreSQL database rasd_bench_export_N. Prints JSON.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { DB } from '../src/db/schema.ts';
import { importRecords, parseFile } from '../src/imports/index.ts';
import { newId, nowIso } from '../src/shared/ids.ts';
import { writeUhriJson } from './gen-uhri.ts';
import { copySqliteToPostgres } from './seed-postgres.ts';

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
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://root@localhost/postgres?host=/var/run/postgresql';
const CACHE = path.join(os.tmpdir(), 'rasd-bench');
fs.mkdirSync(CACHE, { recursive: true });
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (msg: string) => process.stderr.write(`[bench export] ${msg}\n`);

async function generated(lang: 'en' | 'ar'): Promise<string> {
  const file = path.join(CACHE, `gen-${COUNT}-export-full-${lang}.json`);
  if (!fs.existsSync(file)) {
    log(`generating ${file}`);
    await writeUhriJson(`${file}.tmp`, { count: COUNT, lang, seed: 42 });
    fs.renameSync(`${file}.tmp`, file);
  }
  return file;
}

async function databaseUrl(engine: 'sqlite' | 'postgres'): Promise<string> {
  if (engine === 'sqlite') return `sqlite:${path.join(CACHE, `export-${COUNT}.db`)}`;
  const name = `rasd_bench_export_${COUNT}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  if ((await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 0) await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Follow-up work for the matrix's entity, measure and update columns, written in batches in one transaction. */
async function seedFollowUp(db: Kysely<DB>): Promise<void> {
  const now = nowIso();
  const entities = Array.from({ length: 10 }, (_, i) => ({
    id: newId(),
    code: `BENCH${i}`,
    name_ar: `الوزارة رقم ${i + 1}`,
    name_en: `Ministry number ${i + 1}`,
    parent_id: null,
    archived_at: null,
    created_at: now,
    updated_at: now,
  }));
  const recs = await db.selectFrom('recommendations').select('id').orderBy('external_id').execute();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('entities').values(entities).execute();
    const BATCH = 400;
    for (let i = 0; i < recs.length; i += BATCH * 4) {
      const slice = recs.slice(i, i + BATCH * 4);
      const assignments = [];
      const updates = [];
      const measures = [];
      for (const [k, r] of slice.entries()) {
        const n = i + k;
        if (n % 4 !== 0) continue;
        const lead = { id: newId(), recommendation_id: r.id, cluster_id: null, entity_id: entities[n % 10]!.id, role: 'lead' as const, due_date: '2027-01-01', due_set_at: now, created_by: null, created_at: now, updated_at: now };
        assignments.push(lead);
        if (n % 8 === 0) assignments.push({ ...lead, id: newId(), entity_id: entities[(n + 3) % 10]!.id, role: 'supporting' as const });
        const update = {
          id: newId(),
          assignment_id: lead.id,
          entity_id: lead.entity_id,
          author_id: null,
          period_start: '2026-01-01',
          period_end: '2026-06-30',
          text_ar: 'اتُّخذت إجراءات تشريعية وتدريبية لتنفيذ هذه التوصية خلال الفترة.',
          text_en: 'Legislative and training measures were taken to implement this recommendation in the period.',
          proposed_status: 'in_progress',
          status: 'approved' as const,
          review_comment: null,
          reviewed_by: null,
          reviewed_at: now,
          submitted_by: null,
          submitted_at: now,
          created_at: now,
          updated_at: now,
        };
        updates.push(update);
        measures.push(
          { id: newId(), update_id: update.id, type: 'legislation' as const, description_ar: 'مشروع قانون', description_en: 'Draft law', sort: 0 },
          { id: newId(), update_id: update.id, type: 'training' as const, description_ar: 'تدريب 300 موظف', description_en: 'Training of 300 officials', sort: 1 },
        );
      }
      if (assignments.length) await trx.insertInto('assignments').values(assignments).execute();
      if (updates.length) await trx.insertInto('progress_updates').values(updates).execute();
      if (measures.length) await trx.insertInto('update_measures').values(measures).execute();
    }
  });
}

async function prepare(engine: 'sqlite' | 'postgres'): Promise<string> {
  const url = await databaseUrl(engine);
  const database = createDb(parseDatabaseUrl(url));
  try {
    await migrateToLatest(database.db, engine);
    const n = Number((await database.db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    // The follow-up data is written last: its entities mark a complete database.
    const complete = await database.db.selectFrom('entities').select('id').where('code', '=', 'BENCH0').executeTakeFirst();
    if (n === COUNT && complete) return url;
    if (n > 0) throw new Error(`${engine}: the cached database is incomplete (${n} of ${COUNT} recommendations${complete ? '' : ', no follow-up data'}); delete it and run again`);
    if (engine === 'postgres' && PG_SEED === 'copy') {
      // The SQLite database of the same size, copied row for row (bench/seed-postgres.ts): the import service's
      // PostgreSQL path stalls at 250,000 records, and what is measured here is the export.
      const sqliteUrl = await prepare('sqlite');
      log(`postgres: copying ${sqliteUrl} with batched INSERTs`);
      await copySqliteToPostgres(path.join(CACHE, `export-${COUNT}.db`), url, log);
      return url;
    }
    for (const lang of ['en', 'ar'] as const) {
      log(`${engine}: importing ${COUNT} records (${lang})`);
      await importRecords(database.db, await parseFile('uhri-json', await generated(lang), { lang }), { source: `bench ${lang}`, bulkLoad: database.dialect.bulkLoad });
    }
    log(`${engine}: follow-up data`);
    await seedFollowUp(database.db);
    await database.dialect.search.optimize(database.db);
    return url;
  } finally {
    await database.destroy();
  }
}

function child(mode: 'xlsx' | 'csv' | 'raw', url: string, probeMemory = false) {
  const out = path.join(CACHE, `export-out-${process.pid}.${mode}`);
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
