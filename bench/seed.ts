/**
 * One seeded benchmark database for the benchmarks that need a realistic register with follow-up (export, portal):
 * N generated recommendations (UHRI shape, English and Arabic texts, imported through the import service; seed 42),
 * then follow-up work: a quarter of them assigned to a lead entity with an approved update carrying two measures, an
 * eighth also to a supporting entity. The follow-up data is written last, so its entities mark a complete database.
 *
 * Databases are cached: $TMPDIR/rasd-bench/<name>-N.db, PostgreSQL database rasd_bench_<name>_N; the generated files
 * $TMPDIR/rasd-bench/gen-N-export-full-{en,ar}.json (shared with the search benchmark). A SQLite database of another
 * name holding the same seeded data (`copyFrom`) is copied (VACUUM INTO) instead of importing it all again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

export type Engine = 'sqlite' | 'postgres';
export const BENCH_CACHE = path.join(os.tmpdir(), 'rasd-bench');
fs.mkdirSync(BENCH_CACHE, { recursive: true });
export const BENCH_PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://root@localhost/postgres?host=/var/run/postgresql';

export interface SeedOptions {
  /** the benchmark's name: the cached database's name */
  name: string;
  count: number;
  log: (msg: string) => void;
  /** how an empty PostgreSQL database is filled: `copy` (the SQLite one of the same name, batched INSERTs) or `import` */
  pgSeed?: 'copy' | 'import';
  /** names of other benchmarks whose complete SQLite database of the same count may be copied */
  copyFrom?: string[];
}

/** The generated UHRI export of `count` records in a language (seed 42), cached. */
export async function generatedUhri(count: number, lang: 'en' | 'ar', log: (msg: string) => void): Promise<string> {
  const file = path.join(BENCH_CACHE, `gen-${count}-export-full-${lang}.json`);
  if (!fs.existsSync(file)) {
    log(`generating ${file}`);
    await writeUhriJson(`${file}.tmp`, { count, lang, seed: 42 });
    fs.renameSync(`${file}.tmp`, file);
  }
  return file;
}

export const sqliteBenchFile = (name: string, count: number) => path.join(BENCH_CACHE, `${name}-${count}.db`);

/** The benchmark database's URL (a PostgreSQL database is created when missing). */
export async function benchDatabaseUrl(engine: Engine, name: string, count: number): Promise<string> {
  if (engine === 'sqlite') return `sqlite:${sqliteBenchFile(name, count)}`;
  const db = `rasd_bench_${name}_${count}`;
  const admin = new pg.Client({ connectionString: BENCH_PG_ADMIN });
  await admin.connect();
  if ((await admin.query('select 1 from pg_database where datname = $1', [db])).rowCount === 0) await admin.query(`create database ${db}`);
  await admin.end();
  const u = new URL(BENCH_PG_ADMIN);
  u.pathname = `/${db}`;
  return u.toString();
}

async function isComplete(db: Kysely<DB>, count: number): Promise<{ n: number; complete: boolean }> {
  const n = Number((await db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const marker = await db.selectFrom('entities').select('id').where('code', '=', 'BENCH0').executeTakeFirst();
  return { n, complete: n === count && !!marker };
}

/** Migrated and seeded (register + follow-up); returns the database's URL. */
export async function seededDatabase(engine: Engine, o: SeedOptions): Promise<string> {
  const file = sqliteBenchFile(o.name, o.count);
  if (engine === 'sqlite' && !fs.existsSync(file)) {
    for (const other of o.copyFrom ?? []) {
      const source = sqliteBenchFile(other, o.count);
      if (!fs.existsSync(source)) continue;
      // read-only: another benchmark's database is neither migrated nor written here
      const Database = (await import('better-sqlite3')).default;
      const src = new Database(source, { readonly: true, fileMustExist: true });
      try {
        const n = (src.prepare('select count(*) as n from recommendations').get() as { n: number }).n;
        const marker = src.prepare("select 1 from entities where code = 'BENCH0'").get();
        if (n !== o.count || !marker) continue;
        o.log(`copying ${source} to ${file}`);
        src.prepare('vacuum into ?').run(`${file}.tmp`);
      } finally {
        src.close();
      }
      fs.renameSync(`${file}.tmp`, file);
      break;
    }
  }
  const url = await benchDatabaseUrl(engine, o.name, o.count);
  const database = createDb(parseDatabaseUrl(url));
  try {
    await migrateToLatest(database.db, engine);
    const { n, complete } = await isComplete(database.db, o.count);
    if (complete) return url;
    if (n > 0) throw new Error(`${engine}: the cached database ${url} is incomplete (${n} of ${o.count} recommendations, or no follow-up data); delete it and run again`);
    if (engine === 'postgres' && (o.pgSeed ?? 'copy') === 'copy') {
      // The SQLite database of the same size, copied row for row (bench/seed-postgres.ts): the import service's
      // PostgreSQL path stalls at 250,000 records, and what is measured is not the import.
      await seededDatabase('sqlite', o);
      o.log(`postgres: copying ${file} with batched INSERTs`);
      await copySqliteToPostgres(file, url, o.log);
      return url;
    }
    for (const lang of ['en', 'ar'] as const) {
      o.log(`${engine}: importing ${o.count} records (${lang})`);
      await importRecords(database.db, await parseFile('uhri-json', await generatedUhri(o.count, lang, o.log), { lang }), { source: `bench ${lang}`, bulkLoad: database.dialect.bulkLoad });
    }
    o.log(`${engine}: follow-up data`);
    await seedFollowUp(database.db);
    await database.dialect.search.optimize(database.db);
    return url;
  } finally {
    await database.destroy();
  }
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
