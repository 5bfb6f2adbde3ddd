/**
 * `npm run bench -- stall --from SOURCE --paths P1,P2… [--body FILE] [--port 4197]` (issue 15): long requests in a running server over
 * a large register, and what the server's other users see meanwhile. SOURCE: a SQLite file or a PostgreSQL database name
 * (e.g. one the scale benchmark filled), copied first, never written (server-job.ts). On the copy: `rasd serve` (no
 * nightly backup), an admin signed in, the first list asked once; then each path in turn (GET), with a session request
 * every 25 ms, one at a time, until it is answered. Prints per path its status, bytes and time, and the session
 * requests' count, p50 and longest (the server's thread held by it). E.g. the matrix exports:
 * `--paths "/api/exports/matrix?format=xlsx&lang=ar,/api/exports/matrix?format=csv&lang=ar"`. A path written
 * `POST:/api/…` is sent as a POST with FILE's JSON as its body (e.g. `{"texts": […]}` for `/api/tagging/suggest`); one
 * written `JOB:/api/…` starts a background job so (e.g. `/api/clusters/suggest`) and follows it to its end, or for
 * `--job-seconds S` only.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { createUser } from '../src/users/index.ts';
import { latencySummary } from './mix.ts';
import { signIn, startServer } from './server.ts';
import { copyOf, followJob, log as logAs, round } from './server-job.ts';

const { values: args } = parseArgs({ options: { from: { type: 'string' }, paths: { type: 'string' }, body: { type: 'string' }, 'job-seconds': { type: 'string' }, port: { type: 'string', default: '4197' } } });
if (!args.from || !args.paths) throw new Error('--from SOURCE --paths P1,P2…');
const log = (m: string) => logAs('stall', m);
const BASE = `http://127.0.0.1:${args.port}`;
const PASSWORD = 'bench-stall-password-1';
const email = `stall-${Date.now()}@bench.test`;

log(`copying ${args.from}`);
const copy = await copyOf(args.from, 'stall-copy');
const database = createDb(parseDatabaseUrl(copy.url));
await createUser(database.db, { email, password: PASSWORD, role: 'admin', entityId: null });
await database.destroy();
const server = await startServer(copy.url, Number(args.port), { JOBS_POLL_SECONDS: '3600', BACKUP_KEEP: '0' });
try {
  const { cookie, csrf } = await signIn(BASE, email, PASSWORD);
  const headers = { cookie, 'x-csrf-token': csrf };
  for (let k = 0; k < 20; k++) await fetch(`${BASE}/api/auth/session`, { headers });
  await fetch(`${BASE}/api/recommendations?pageSize=20`, { headers });
  const results = [];
  for (const path of args.paths.split(',')) {
    log(path);
    if (path.startsWith('JOB:')) {
      // a background job started with FILE's JSON (202 with its id), followed to its end with a session request every 25 ms
      const url = `${BASE}${path.slice(4)}`;
      const followed = await followJob('stall', BASE, headers, server.pid!, async () => {
        const r = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: fs.readFileSync(args.body!, 'utf8') });
        if (r.status !== 202) throw new Error(`${path}: ${r.status} ${await r.text()}`);
        return ((await r.json()) as { jobId: string }).jobId;
      }, Number(args['job-seconds'] ?? Infinity));
      results.push({ path, ...followed });
      continue;
    }
    let answered = false;
    const a = performance.now();
    const post = path.startsWith('POST:');
    if (post && !args.body) throw new Error(`${path}: --body FILE`);
    const init = post ? { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: fs.readFileSync(args.body!, 'utf8') } : { headers };
    const request = fetch(`${BASE}${post ? path.slice(5) : path}`, init)
      .then(async (r) => ({ status: r.status, bytes: (await r.arrayBuffer()).byteLength, ms: round(performance.now() - a) }))
      .finally(() => (answered = true));
    const waits: number[] = [];
    while (!answered) {
      const t = performance.now();
      await (await fetch(`${BASE}/api/auth/session`, { headers })).arrayBuffer();
      waits.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 25));
    }
    results.push({ path, ...(await request), session_beside: { n: waits.length, ...latencySummary(waits) } });
  }
  process.stdout.write(`${JSON.stringify({ engine: copy.engine, results }, null, 2)}\n`);
} finally {
  server.kill();
}
