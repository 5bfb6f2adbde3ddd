/**
 * Load benchmark (issue 14, "Load"): N signed-in users at once (default 50) for D seconds (default 60) against a
 * real server process (`rasd serve`) on a database seeded with the demo workspace, on SQLite and on PostgreSQL.
 * Each user loops without pause over a mix of what people do:
 * - list (a page of the register, sometimes with a facet or another sort), search (a query in Arabic or English),
 *   detail (one recommendation);
 * - curators: curation writes (PATCH a recommendation's notes with the version last read; the writers share a small
 *   set of recommendations, so some writes meet a newer version and get 409 `version_conflict`, as they should);
 * - contributors: evidence uploads (a small PDF) to their own draft update.
 * Reported per engine: requests, requests per second, answers by status, the count of 5xx and of network errors,
 * and latency p50/p90/p99/max, overall and per kind of request. Prints JSON; progress on stderr.
 *
 *   npm run bench -- load [--users 50] [--duration 60] [--engines sqlite,postgres]
 *
 * Databases are made afresh (bench/server.ts): $TMPDIR/rasd-bench/rasd_bench_load.db, PostgreSQL database rasd_bench_load
 * (admin URL: BENCH_PG_URL).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedDemo } from '../src/demo/index.ts';
import { createUser } from '../src/users/index.ts';
import { freshDatabase, signIn, startServer } from './server.ts';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '50' },
    duration: { type: 'string', default: '60' },
    engines: { type: 'string', default: 'sqlite,postgres' },
    port: { type: 'string', default: '3931' },
  },
});
const USERS = Number(args.users);
const DURATION_S = Number(args.duration);
const PORT = Number(args.port);
const BASE = `http://127.0.0.1:${PORT}`;
const PASSWORD = 'Load-Bench-Password-1';
const log = (m: string) => process.stderr.write(`${m}\n`);

type Kind = 'list' | 'search' | 'detail' | 'curate' | 'upload';
const SEARCHES = ['torture', 'التعذيب', 'women', 'المرأة', 'education', 'الأطفال', 'detention', 'حرية التعبير', 'migrant workers', 'الاتجار بالبشر'];
const LISTS = ['pageSize=25', 'pageSize=25&page=2', 'pageSize=50&sort=date', 'pageSize=25&status=not_started', 'pageSize=25&position=supported', 'pageSize=10&page=3'];
/** a minimal PDF: what the evidence check accepts */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

interface Seeded {
  curators: string[];
  contributors: string[];
  readers: string[];
  recommendationIds: string[];
  assignmentIds: string[];
}

/** The demo workspace, plus the benchmark's users: a fifth curators, two fifths contributors of MOJ, the rest viewers. */
async function seed(dbUrl: string): Promise<Seeded> {
  const database = createDb(parseDatabaseUrl(dbUrl));
  try {
    await migrateToLatest(database.db, database.dialect.engine);
    await seedDemo(database.db);
    const moj = await database.db.selectFrom('entities').select('id').where('code', '=', 'MOJ').executeTakeFirstOrThrow();
    const out: Seeded = { curators: [], contributors: [], readers: [], recommendationIds: [], assignmentIds: [] };
    for (let i = 0; i < USERS; i++) {
      const role = i % 5 === 0 ? 'coordinator' : i % 5 <= 2 ? 'contributor' : 'viewer';
      const email = `load.${i}@bench.example`;
      await createUser(database.db, { email, password: PASSWORD, role, entityId: role === 'contributor' ? moj.id : null });
      (role === 'coordinator' ? out.curators : role === 'contributor' ? out.contributors : out.readers).push(email);
    }
    out.recommendationIds = (await database.db.selectFrom('recommendations').select('id').orderBy('id').execute()).map((r) => r.id);
    out.assignmentIds = (await database.db.selectFrom('assignments').select('id').where('entity_id', '=', moj.id).execute()).map((r) => r.id);
    return out;
  } finally {
    await database.destroy();
  }
}

interface Session {
  email: string;
  kind: 'curator' | 'contributor' | 'reader';
  headers: Record<string, string>;
  draftUpdateId?: string;
}

async function signInAs(email: string, kind: Session['kind']): Promise<Session> {
  const { cookie, csrf } = await signIn(BASE, email, PASSWORD);
  return { email, kind, headers: { cookie, 'x-csrf-token': csrf } };
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);
const round = (n: number) => Math.round(n * 10) / 10;
function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: round(percentile(s, 50)), p90: round(percentile(s, 90)), p99: round(percentile(s, 99)), max: round(s[s.length - 1] ?? 0) };
}

async function measure(engine: 'sqlite' | 'postgres') {
  log(`${engine}: seeding`);
  const dbUrl = await freshDatabase(engine, 'rasd_bench_load');
  const seeded = await seed(dbUrl);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-load-'));
  const server = await startServer(dbUrl, PORT, { DATA_DIR: dataDir });
  try {
    log(`${engine}: signing in ${USERS} users`);
    const sessions: Session[] = [];
    for (const e of seeded.curators) sessions.push(await signInAs(e, 'curator'));
    for (const e of seeded.readers) sessions.push(await signInAs(e, 'reader'));
    for (const [i, e] of seeded.contributors.entries()) {
      const s = await signInAs(e, 'contributor');
      const assignment = seeded.assignmentIds[i % seeded.assignmentIds.length];
      if (assignment) {
        const res = await fetch(`${BASE}/api/assignments/${assignment}/updates`, { method: 'POST', headers: { ...s.headers, 'content-type': 'application/json' }, body: JSON.stringify({ text_en: `Load bench draft ${i}` }) });
        if (res.status === 201) s.draftUpdateId = ((await res.json()) as { id: string }).id;
        else log(`${engine}: draft update for ${e}: ${res.status} ${await res.text()}`);
      }
      sessions.push(s);
    }
    // the writers share 20 recommendations, so that some writes race and meet a newer version
    const hot = seeded.recommendationIds.slice(0, 20);
    const versions = new Map<string, number>();
    for (const id of hot) {
      const res = await fetch(`${BASE}/api/recommendations/${id}`, { headers: sessions[0]!.headers });
      versions.set(id, ((await res.json()) as { version: number }).version);
    }

    const latencies: Record<Kind, number[]> = { list: [], search: [], detail: [], curate: [], upload: [] };
    const statuses: Record<Kind, Record<string, number>> = { list: {}, search: {}, detail: {}, curate: {}, upload: {} };
    const failures: string[] = [];
    let networkErrors = 0;
    let rand = 0x2f6b_3a1d;
    const random = () => {
      rand = (Math.imul(rand ^ (rand >>> 15), 1 | rand) + 0x6d2b79f5) | 0;
      return ((rand >>> 0) % 1_000_000) / 1_000_000;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

    async function once(s: Session): Promise<void> {
      const r = random();
      let kind: Kind;
      let url: string;
      let init: RequestInit = { headers: s.headers };
      let hotId: string | undefined;
      if (s.kind === 'curator' && r < 0.3) {
        kind = 'curate';
        hotId = pick(hot);
        url = `${BASE}/api/recommendations/${hotId}`;
        init = { method: 'PATCH', headers: { ...s.headers, 'content-type': 'application/json' }, body: JSON.stringify({ version: versions.get(hotId), notes: `load ${s.email} ${Date.now()}` }) };
      } else if (s.kind === 'contributor' && s.draftUpdateId && r < 0.15) {
        kind = 'upload';
        url = `${BASE}/api/updates/${s.draftUpdateId}/evidence`;
        init = { method: 'POST', headers: { ...s.headers, 'content-type': 'application/octet-stream', 'x-filename': encodeURIComponent('دليل-evidence.pdf') }, body: PDF };
      } else if (r < 0.55) {
        kind = 'list';
        url = `${BASE}/api/recommendations?${pick(LISTS)}`;
      } else if (r < 0.8) {
        kind = 'search';
        url = `${BASE}/api/recommendations?pageSize=25&q=${encodeURIComponent(pick(SEARCHES))}`;
      } else {
        kind = 'detail';
        hotId = random() < 0.3 ? pick(hot) : pick(seeded.recommendationIds);
        url = `${BASE}/api/recommendations/${hotId}`;
      }
      const t = performance.now();
      try {
        const res = await fetch(url, init);
        const body = await res.text();
        latencies[kind].push(performance.now() - t);
        statuses[kind][res.status] = (statuses[kind][res.status] ?? 0) + 1;
        if (res.status >= 500 && failures.length < 20) failures.push(`${kind} ${url}: ${res.status} ${body.slice(0, 200)}`);
        if (hotId && versions.has(hotId) && (res.status === 200 || res.status === 409)) {
          const v = res.status === 200 ? (JSON.parse(body) as { version?: number }).version : (JSON.parse(body) as { error?: { details?: { currentVersion?: number } } }).error?.details?.currentVersion;
          if (typeof v === 'number' && v > (versions.get(hotId) ?? 0)) versions.set(hotId, v);
        }
      } catch (err) {
        networkErrors += 1;
        if (failures.length < 20) failures.push(`${kind} ${url}: ${(err as Error).message}`);
      }
    }

    log(`${engine}: ${USERS} users for ${DURATION_S} s`);
    const started = performance.now();
    const end = started + DURATION_S * 1000;
    await Promise.all(
      sessions.map(async (s) => {
        while (performance.now() < end) await once(s);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const all = Object.values(latencies).flat();
    const byStatus: Record<string, number> = {};
    for (const k of Object.values(statuses)) for (const [st, n] of Object.entries(k)) byStatus[st] = (byStatus[st] ?? 0) + n;
    const fiveXx = Object.entries(byStatus).filter(([st]) => Number(st) >= 500).reduce((n, [, v]) => n + v, 0);
    return {
      users: USERS,
      seconds: round(seconds),
      recommendations: seeded.recommendationIds.length,
      requests: all.length,
      requestsPerSecond: round(all.length / seconds),
      statuses: byStatus,
      fiveXx,
      networkErrors,
      latencyMs: summary(all),
      byKind: Object.fromEntries((Object.keys(latencies) as Kind[]).map((k) => [k, { requests: latencies[k].length, statuses: statuses[k], latencyMs: summary(latencies[k]) }])),
      failures,
    };
  } finally {
    server.kill();
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const out: Record<string, unknown> = { machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map(round) } };
for (const engine of args.engines.split(',') as ('sqlite' | 'postgres')[]) out[engine] = await measure(engine);
console.log(JSON.stringify(out, null, 2));
