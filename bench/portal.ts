/**
 * Public portal benchmark (issue 16): requests per second and latency percentiles (autocannon) of the portal's
 * list page, a filtered and paged list, a recommendation's page (rotating over many ids), the same page revalidated
 * with If-None-Match (304) and the public API's list, over N published recommendations (UHRI shape, English and
 * Arabic, imported through the import service, all published). The app runs as `rasd serve` in a child process
 * (as in production, one process); next to it, in the same run, a bare Fastify server answering a fixed page of
 * the same size shows what the HTTP stack alone gives on this machine.
 *
 *   npm run bench -- portal [--count 10000] [--engines sqlite,postgres] [--duration 10] [--connections 10]
 *
 * The database is cached: $TMPDIR/rasd-bench/portal-N.db, PostgreSQL database rasd_bench_portal_N. Prints JSON.
 */
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { BENCH_CACHE, seededDatabase } from './seed.ts';
import { startServer } from './server.ts';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    engines: { type: 'string', default: 'sqlite' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
  },
});
const COUNT = Number(args.count);
const ENGINES = args.engines!.split(',') as ('sqlite' | 'postgres')[];
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const log = (msg: string) => process.stderr.write(`[bench portal] ${msg}\n`);

/** The seeded database (bench/seed.ts, shared with the export benchmark) with every recommendation published; a sample of ids and the largest body. */
async function prepare(engine: 'sqlite' | 'postgres'): Promise<{ url: string; ids: string[]; body: string }> {
  const url = await seededDatabase(engine, { name: 'portal', count: COUNT, log, copyFrom: ['export'] });
  const database = createDb(parseDatabaseUrl(url));
  try {
    await database.db.updateTable('recommendations').set({ is_public: 1 }).where('is_public', '=', 0).execute();
    const rows = await database.db.selectFrom('recommendations').select('id').orderBy('external_id').limit(2000).execute();
    const body = await database.db
      .selectFrom('recommendations as r')
      .innerJoin('documents as d', 'd.id', 'r.document_id')
      .innerJoin('bodies as b', 'b.id', 'd.body_id')
      .select('b.code')
      .groupBy('b.code')
      .orderBy((eb) => eb.fn.countAll(), 'desc')
      .executeTakeFirstOrThrow();
    return { url, ids: rows.map((r) => r.id), body: body.code };
  } finally {
    await database.destroy();
  }
}

interface Scenario {
  name: string;
  paths: string[];
  headers?: Record<string, string>;
}

async function measure(base: string, s: Scenario) {
  let k = 0;
  // warm-up: the register index is built on first use, the pages' code paths compiled, and (with the page cache)
  // every page of the scenario visited once, so that what is measured is the repeat visit
  for (const p of s.paths) await fetch(base + p, { headers: s.headers });
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION,
    headers: s.headers,
    requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: s.paths[k++ % s.paths.length] }) }],
  });
  return {
    name: s.name,
    reqPerSec: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    status: { '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] },
  };
}

/** The HTTP stack alone: a bare Fastify server answering a fixed page of about the same size. */
async function bareBaseline(size: number) {
  const app = Fastify({ logger: false });
  const page = `<!doctype html><html><body>${'x'.repeat(Math.max(0, size - 40))}</body></html>`;
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(page));
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await measure(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, { name: 'bare fastify, fixed page of the same size', paths: ['/'] });
  } finally {
    await app.close();
  }
}

const out: Record<string, unknown> = { bench: 'portal', count: COUNT, durationSeconds: DURATION, connections: CONNECTIONS, cpus: os.cpus().length, loadAverageAtStart: os.loadavg(), target: { reqPerSec: 1000, p99Ms: 100 }, engines: {} };
for (const engine of ENGINES) {
  const { url, ids, body } = await prepare(engine);
  const runs: Record<string, unknown> = {};
  let pageSize = 0;
  // the same scenarios without the page cache (each page rendered from the register and the database, as before
  // the cache) and with it, in one run: the ratio holds on a machine whose load changes
  for (const [mode, cacheEntries] of [['without page cache', '0'], ['with page cache', '2000']] as const) {
    const port = 39000 + Math.floor(Math.random() * 1000);
    const server = await startServer(url, port, { DATA_DIR: path.join(BENCH_CACHE, 'portal-data'), PUBLIC_API_RATE_PER_MINUTE: '1000000', JOBS_POLL_SECONDS: '3600', PUBLIC_PAGE_CACHE_ENTRIES: cacheEntries });
    const base = `http://127.0.0.1:${port}`;
    try {
      const recPaths = ids.slice(0, 1000).map((id, i) => `/public/${i % 2 ? 'en' : 'ar'}/recommendations/${id}`);
      const first = await fetch(base + recPaths[0]!);
      const etag = first.headers.get('etag') ?? '';
      pageSize = (await first.text()).length;
      const scenarios: Scenario[] = [
        { name: 'list page /public/en/recommendations', paths: ['/public/en/recommendations', '/public/ar/recommendations'] },
        { name: `filtered list, page 3 (body=${body})`, paths: [`/public/en/recommendations?body=${encodeURIComponent(body)}&page=3`, `/public/ar/recommendations?body=${encodeURIComponent(body)}&page=3`] },
        { name: 'recommendation pages (1,000 ids, both languages)', paths: recPaths },
        { name: 'recommendation page revalidated (If-None-Match → 304)', paths: [recPaths[0]!], headers: { 'if-none-match': etag } },
        { name: 'public API list /api/public/recommendations', paths: ['/api/public/recommendations'] },
      ];
      const results = [];
      for (const s of scenarios) {
        log(`${engine}, ${mode}: ${s.name}`);
        results.push(await measure(base, s));
      }
      runs[mode] = results;
    } finally {
      server.kill();
    }
  }
  log(`${engine}: bare baseline`);
  runs['bare fastify, fixed page of the same size'] = await bareBaseline(pageSize);
  (out.engines as Record<string, unknown>)[engine] = runs;
}
console.log(JSON.stringify(out, null, 2));
