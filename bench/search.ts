/**
 * Search benchmark (issue 4): 250,000 generated recommendations (English + Arabic texts, UHRI
 * shape, imported through the import service), 50 Arabic and English queries with facets sent
 * sequentially through the HTTP API (a real server on 127.0.0.1, fetch), p50/p95; the same queries
 * run directly on the engine (better-sqlite3 / pg) in the same run: the full-text hit list as one query
 * in one thread (on SQLite the API splits it across two threads) plus the statements the API ran through Kysely, and the
 * plain ranked full-text query for the first page; ratios API/direct. The first request's time (building the
 * in-memory register index) is reported apart. Then "similar recommendations" of 20 recommendations through the API,
 * and clustering time for 10,000 recommendations. Prints JSON.
 *
 *   npx tsx bench/search.ts [--engine sqlite|postgres|both] [--count 250000] [--rounds 3] [--cluster 10000]
 *
 * Generated databases are cached between runs: SQLite under $TMPDIR/rasd-bench/, PostgreSQL as
 * database rasd_bench_search_<count> (admin URL: BENCH_PG_URL, default the local socket as root).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { Kysely, type LogEvent } from 'kysely';
import pg from 'pg';
import { suggestClusters } from '../src/clusters/index.ts';
import { loadConfig } from '../src/config/config.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { postgresDialect } from '../src/db/dialect/postgres.ts';
import { sqliteDialect } from '../src/db/dialect/sqlite.ts';
import type { EngineDialect } from '../src/db/dialect/types.ts';
import type { DB } from '../src/db/schema.ts';
import { importRecords, parseFile } from '../src/imports/index.ts';
import { buildApp } from '../src/server/app.ts';
import { parseQuery } from '../src/text/index.ts';
import { createUser } from '../src/users/index.ts';
import { writeUhriJson } from './gen-uhri.ts';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    count: { type: 'string', default: '250000' },
    rounds: { type: 'string', default: '3' },
    cluster: { type: 'string', default: '10000' },
  },
});
const COUNT = Number(args.count);
const ROUNDS = Number(args.rounds);
const CLUSTER_N = Number(args.cluster);
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://root@localhost/postgres?host=/var/run/postgresql';
const CACHE = path.join(os.tmpdir(), 'rasd-bench');
fs.mkdirSync(CACHE, { recursive: true });
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

const EN = [
  'torture', 'women', 'ratify', '"optional protocol"', 'child*', 'discrimination', 'trafficking', 'death penalty',
  'freedom of expression', 'disabilities', 'migrant workers', 'domestic violence', 'human rights education',
  'juvenile justice', 'birth registration', 'corporal punishment', 'national human rights institution', 'Paris Principles',
  'indigenous', 'prison conditions', 'journalists', 'ratif*', 'gender equality', 'poverty', 'refugees',
];
const AR = [
  'التعذيب', 'المرأة', 'الطفل', 'الاتفاقية', '"حقوق الإنسان"', 'العنف', 'التمييز', 'الإعاقة', 'الاتجار بالبشر',
  'عقوبة الإعدام', 'حرية التعبير', 'المهاجرين', 'التعليم', 'السجون', 'الصحة', 'اللاجئين', 'المساواة', 'الفقر',
  'القضاء', 'الشرطة', 'الأسرة', 'العمال', 'المدافعين', 'التصديق', 'الاتف*',
];
const FACETS = ['', '&mechanism=UPR', '&body=CRC', '&year=2015', '&mechanism=TB&year=2012,2013', '&position=supported'];
const QUERIES = [...EN, ...AR].map((q, i) => ({ q, facets: FACETS[i % FACETS.length]! }));

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 100) / 100;
}

async function generateFiles(): Promise<{ en: string; ar: string }> {
  const en = path.join(CACHE, `gen-${COUNT}-export-full-en.json`);
  const ar = path.join(CACHE, `gen-${COUNT}-export-full-ar.json`);
  for (const [file, lang] of [[en, 'en'], [ar, 'ar']] as const) {
    if (fs.existsSync(file)) continue;
    log(`generating ${file}`);
    await writeUhriJson(`${file}.tmp`, { count: COUNT, lang, seed: 42 });
    fs.renameSync(`${file}.tmp`, file);
  }
  return { en, ar };
}

interface Opened {
  dialect: EngineDialect;
  db: Kysely<DB>;
  captured: { sql: string; parameters: readonly unknown[] }[] | null;
  raw: { run(sql: string, params: readonly unknown[]): Promise<void>; close(): Promise<void> };
  loadSeconds: number | null;
  close(): Promise<void>;
}

async function open(engine: 'sqlite' | 'postgres'): Promise<Opened> {
  let dialect: EngineDialect;
  let reset: () => Promise<void>;
  let rawFactory: () => Promise<Opened['raw']>;
  if (engine === 'sqlite') {
    const file = path.join(CACHE, `search-${COUNT}.db`);
    dialect = sqliteDialect(file);
    reset = async () => undefined; // a fresh file is created below when needed
    rawFactory = async () => {
      const raw = new Database(file, { readonly: true });
      const cache = new Map<string, Database.Statement>();
      return {
        async run(sql, params) {
          let st = cache.get(sql);
          if (!st) cache.set(sql, (st = raw.prepare(sql)));
          if (st.reader) st.all(...(params as unknown[]));
          else st.run(...(params as unknown[]));
        },
        async close() {
          raw.close();
        },
      };
    };
  } else {
    const name = `rasd_bench_search_${COUNT}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(PG_ADMIN);
    url.pathname = `/${name}`;
    dialect = postgresDialect(url.toString());
    reset = async () => undefined;
    rawFactory = async () => {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      return {
        async run(sql, params) {
          await client.query({ text: sql, values: params as unknown[] });
        },
        async close() {
          await client.end();
        },
      };
    };
  }
  const captured: Opened['captured'] = null;
  const state = { captured: captured as Opened['captured'] };
  const db = new Kysely<DB>({
    dialect: dialect.kysely,
    plugins: [dialect.changes],
    log: (e: LogEvent) => {
      if (e.level === 'query' && state.captured) state.captured.push({ sql: e.query.sql, parameters: e.query.parameters });
    },
  });
  await migrateToLatest(db, engine);
  const n = Number((await db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  let loadSeconds: number | null = null;
  if (n < COUNT) {
    if (n > 0) throw new Error(`${engine}: cached database holds ${n} of ${COUNT} recommendations; delete it and run again`);
    await reset();
    const files = await generateFiles();
    const t0 = performance.now();
    for (const [file, lang] of [[files.en, 'en'], [files.ar, 'ar']] as const) {
      log(`${engine}: importing ${path.basename(file)}`);
      let last = 0;
      const out = await importRecords(db, await parseFile('uhri-json', file, { lang }), {
        source: `bench ${lang}`,
        bulkLoad: dialect.bulkLoad,
        onProgress: (done) => {
          if (done - last >= 50_000) {
            last = done;
            log(`${engine}: ${lang} ${done} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
          }
        },
      });
      log(`${engine}: ${lang} new ${out.new}, updated ${out.updated}`);
    }
    await dialect.search.optimize(db);
    loadSeconds = Math.round((performance.now() - t0) / 100) / 10;
  } else if (engine === 'postgres') {
    await dialect.search.optimize(db); // after a new migration's backfill: VACUUM keeps the postings' scans index-only
  }
  const raw = await rawFactory();
  return {
    dialect,
    db,
    get captured() {
      return state.captured;
    },
    set captured(v) {
      state.captured = v;
    },
    raw,
    loadSeconds,
    async close() {
      await raw.close();
      await db.destroy();
      await dialect.close?.();
    },
  };
}

async function benchEngine(engine: 'sqlite' | 'postgres') {
  const o = await open(engine);
  const total = Number((await o.db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const email = 'bench@rasd.example';
  const password = 'Bench-Password-2026';
  if (!(await o.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst())) {
    await createUser(o.db, { email, password, role: 'viewer' });
  }
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite::memory:' });
  const app = await buildApp({ db: o.db, dialect: o.dialect, config }, { logger: false, webDist: '/nonexistent' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (login.status !== 200) throw new Error(`login failed ${login.status}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

  const url = (x: { q: string; facets: string }) => `${base}/api/recommendations?q=${encodeURIComponent(x.q)}${x.facets}`;
  // The first request builds the in-memory register index.
  const tIndex = performance.now();
  const first = await fetch(url({ q: '', facets: '' }), { headers: { cookie } });
  if (first.status !== 200) throw new Error(`first request: HTTP ${first.status}`);
  await first.arrayBuffer();
  const indexBuildMs = Math.round(performance.now() - tIndex);
  // Warm-up, capturing the SQL each request runs (for the raw replay).
  const statements = new Map<number, { sql: string; parameters: readonly unknown[] }[]>();
  const totals: Record<string, number> = {};
  for (const [i, x] of QUERIES.entries()) {
    o.captured = [];
    const res = await fetch(url(x), { headers: { cookie } });
    if (res.status !== 200) throw new Error(`${x.q}: HTTP ${res.status} ${await res.text()}`);
    totals[`${x.q}${x.facets}`] = ((await res.json()) as { total: number }).total;
    statements.set(i, o.captured.filter((s) => !/\b(sessions|users|recommendation_fts|fts_tsv)\b/.test(s.sql)));
    o.captured = null;
  }
  const api: number[] = [];
  const raw: number[] = [];
  const hitsOnly: number[] = [];
  const ratios: number[] = [];
  const perQuery: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, x] of QUERIES.entries()) {
      const timeApi = async () => {
        const t = performance.now();
        const res = await fetch(url(x), { headers: { cookie } });
        await res.arrayBuffer();
        return performance.now() - t;
      };
      // The same queries on the engine directly: the full-text hit list (as one query, one thread) and
      // the statements the API ran through Kysely (page rows, freshness check).
      const direct = o.dialect.search.rawSql(parseQuery(x.q));
      const timeRaw = async () => {
        const t = performance.now();
        for (const h of direct.hitList) await o.raw.run(h.sql, h.parameters);
        for (const s of statements.get(i)!) await o.raw.run(s.sql, s.parameters);
        return performance.now() - t;
      };
      // The plain engine query: first 25 hits by relevance.
      const timePage = async () => {
        const t = performance.now();
        await o.raw.run(direct.rankedPage.sql, direct.rankedPage.parameters);
        return performance.now() - t;
      };
      // Whatever runs first warms the caches for the others: the order turns with each query and round.
      const order = [timeApi, timeRaw, timePage];
      const shift = (round + i) % 3;
      const times = new Map<unknown, number>();
      for (const f of [...order.slice(shift), ...order.slice(0, shift)]) times.set(f, await f());
      const a = times.get(timeApi)!;
      const r = times.get(timeRaw)!;
      hitsOnly.push(times.get(timePage)!);
      (perQuery[`${x.q}${x.facets}`] ??= []).push(a);
      api.push(a);
      raw.push(r);
      ratios.push(a / r);
    }
  }
  // "Similar recommendations" of 20 recommendations, through the API (each recommendation page asks for them).
  const similar: number[] = [];
  const sample = await o.db.selectFrom('recommendations').select('id').orderBy('external_id').limit(21).execute();
  for (const [k, { id }] of sample.entries()) {
    const t = performance.now();
    const res = await fetch(`${base}/api/recommendations/${id}/similar`, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`similar: HTTP ${res.status}`);
    await res.arrayBuffer();
    if (k > 0) similar.push(performance.now() - t); // the first warms the full-text workers
  }
  await app.close();

  // Clustering time for CLUSTER_N recommendations (load + compute, in process).
  const t0 = performance.now();
  const docs = await o.db.selectFrom('recommendations').select(['id', 'text_ar', 'text_en', 'text_fr']).orderBy('id').limit(CLUSTER_N).execute();
  const t1 = performance.now();
  const clusters = await suggestClusters(docs);
  const t2 = performance.now();
  await o.close();
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    engine,
    recommendations: total,
    loadSeconds: o.loadSeconds,
    requests: api.length,
    api_ms: { p50: pct(api, 50), p95: pct(api, 95), max: pct(api, 100) },
    raw_same_queries_ms: { p50: pct(raw, 50), p95: pct(raw, 95) },
    ratio_api_over_raw_same_queries: { p50: pct(ratios, 50), p95: pct(ratios, 95), total: Math.round((sum(api) / sum(raw)) * 100) / 100 },
    raw_fulltext_ranked_page_ms: { p50: pct(hitsOnly, 50), p95: pct(hitsOnly, 95) },
    ratio_api_over_raw_fulltext: {
      p50: Math.round((pct(api, 50) / pct(hitsOnly, 50)) * 100) / 100,
      p95: Math.round((pct(api, 95) / pct(hitsOnly, 95)) * 100) / 100,
      total: Math.round((sum(api) / sum(hitsOnly)) * 100) / 100,
    },
    slowest_queries_api_median_ms: Object.fromEntries(
      Object.entries(perQuery)
        .map(([q, xs]) => [q, pct(xs, 50)] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12),
    ),
    similar_api_ms: { requests: similar.length, p50: pct(similar, 50), p95: pct(similar, 95) },
    index_build_ms: indexBuildMs,
    statements_per_request: Math.round(sum([...statements.values()].map((s) => s.length)) / statements.size),
    hits_per_query: totals,
    clustering: {
      recommendations: docs.length,
      load_ms: Math.round(t1 - t0),
      cluster_ms: Math.round(t2 - t1),
      clusters: clusters.length,
      clustered: clusters.reduce((a, c) => a + c.members.length, 0),
    },
  };
}

const engines = args.engine === 'both' ? (['sqlite', 'postgres'] as const) : ([args.engine as 'sqlite' | 'postgres'] as const);
const results = [];
for (const e of engines) results.push(await benchEngine(e));
console.log(JSON.stringify({ benchmark: 'search', count: COUNT, rounds: ROUNDS, queries: QUERIES.length, cores: os.cpus().length, results }, null, 2));
