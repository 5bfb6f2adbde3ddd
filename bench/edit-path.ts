/**
 * The edit path in one process (issue 15, item 1): over an existing database (e.g. one the scale benchmark
 * filled), `rasd serve`'s app answers through `app.inject`: a warm unfiltered list, then cycles of "edit one
 * recommendation of the first page (PATCH), then the same list", timing each, optionally with a CPU profile of
 * the cycles only (no start-up, no build in it).
 *
 *   npm run bench -- edit-path --db sqlite:/tmp/rasd-bench/x.db [--cycles 30] [--warm 200] [--split] [--profile /tmp/edit.cpuprofile] [--heap /tmp/after.heapsnapshot]
 *
 * `--split`: the register's patch is awaited apart before the list (as the write's own refresh does it), and timed.
 * `--heap`: after the cycles, the process's memory (`memoryUsage`, V8's heap spaces) on stderr and a heap snapshot
 * written there (run with `node --expose-gc` to have a full collection made first: what is live, not what is garbage).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import v8 from 'node:v8';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { registerIndex } from '../src/recommendations/index.ts';
import { buildApp } from '../src/server/app.ts';
import { createUser } from '../src/users/index.ts';

const { values: args } = parseArgs({
  options: { db: { type: 'string' }, cycles: { type: 'string', default: '30' }, profile: { type: 'string' }, warm: { type: 'string', default: '200' }, split: { type: 'boolean', default: false }, heap: { type: 'string' } },
});
const url = args.db!;
const PASSWORD = 'Bench-Password-12345';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-edit-path-'));
const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: url, DATA_DIR: dataDir, BACKUP_KEEP: '0', COOKIE_SECURE: 'false' });
const database = createDb(config.database);
const app = await buildApp({ db: database.db, dialect: database.dialect, config }, { logger: false, webDist: '/nonexistent' });
await app.ready();
const email = `edit.${Date.now()}@bench.example`;
await createUser(database.db, { email, password: PASSWORD, role: 'coordinator', entityId: null });
const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } });
const cookie = login.headers['set-cookie'] as string[] | string;
const cookies = (Array.isArray(cookie) ? cookie : [cookie]).map((c) => c.split(';')[0]).join('; ');
const csrf = (login.json() as { csrfToken: string }).csrfToken;
const LIST = '/api/recommendations?pageSize=25';
const list = async () => {
  const t = performance.now();
  const res = await app.inject({ method: 'GET', url: LIST, headers: { cookie: cookies } });
  if (res.statusCode !== 200) throw new Error(`list ${res.statusCode} ${res.body.slice(0, 300)}`);
  return { ms: performance.now() - t, body: res.json() as { items: { id: string; version: number; status: string }[] } };
};
const t0 = performance.now();
await list();
process.stderr.write(`first list (build) ${Math.round(performance.now() - t0)} ms\n`);
const warm: number[] = [];
for (let k = 0; k < Number(args.warm); k++) warm.push((await list()).ms);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
let session: Session | null = null;
if (args.profile) {
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}
const cycles: { patch: number; first: number; second: number }[] = [];
const refreshes: number[] = [];
const statuses = ['in_progress', 'partially_implemented'];
for (let c = 0; c < Number(args.cycles); c++) {
  const rec = (await list()).body.items[c % 25]!;
  const tp = performance.now();
  const patch = await app.inject({
    method: 'PATCH',
    url: `/api/recommendations/${rec.id}`,
    headers: { cookie: cookies, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    payload: { version: rec.version, status: statuses[c % 2] === rec.status ? 'not_started' : statuses[c % 2] },
  });
  if (patch.statusCode !== 200) throw new Error(`patch ${patch.statusCode} ${patch.body}`);
  const patchMs = performance.now() - tp;
  // --split: the register's patch timed apart (as the write's own refresh does it), then the list
  const tr = performance.now();
  if (args.split) await registerIndex(database.db, database.dialect).current();
  refreshes.push(performance.now() - tr);
  const first = await list();
  const second = await list();
  cycles.push({ patch: patchMs, first: first.ms, second: second.ms });
}
if (session) {
  const { profile } = await session.post('Profiler.stop');
  fs.writeFileSync(args.profile!, JSON.stringify(profile));
}
const r = (x: number) => Math.round(x * 100) / 100;
const firsts = cycles.map((c) => c.first);
process.stderr.write(
  `${url.split(/[/?]/).filter(Boolean).at(-1)}: warm p50 ${r(pct(warm, 50))} ms; first list after an edit: median ${r(pct(firsts, 50))}, max ${r(Math.max(...firsts))} (cycle ${firsts.indexOf(Math.max(...firsts)) + 1}) → ${r(pct(firsts, 50) / pct(warm, 50))}× warm; second list median ${r(pct(cycles.map((c) => c.second), 50))}; patch median ${r(pct(cycles.map((c) => c.patch), 50))}\n`,
);
if (args.split) process.stderr.write(`patch of the register alone: median ${r(pct(refreshes, 50))} ms\n`);
process.stdout.write(
  `${JSON.stringify({ warmP50: r(pct(warm, 50)), firstAfterEdit: { median: r(pct(firsts, 50)), max: r(Math.max(...firsts)) }, ratio: r(pct(firsts, 50) / pct(warm, 50)), cycles: cycles.map((c) => ({ patch: r(c.patch), first: r(c.first), second: r(c.second) })), ...(args.split ? { registerPatchMedian: r(pct(refreshes, 50)) } : {}) })}\n`,
);
process.stderr.write(`cycles (first list ms): ${firsts.map(r).join(', ')}\n`);
if (args.heap) {
  (globalThis as { gc?: () => void }).gc?.();
  const mb = (x: number) => Math.round(x / 1e5) / 10;
  const m = process.memoryUsage();
  const spaces = v8.getHeapSpaceStatistics().map((s) => `${s.space_name} ${mb(s.space_size)}/${mb(s.space_used_size)}`);
  process.stderr.write(`memory (MB): rss ${mb(m.rss)}, heap ${mb(m.heapTotal)}/${mb(m.heapUsed)}, array buffers ${mb(m.arrayBuffers)}; spaces (committed/used): ${spaces.join(', ')}\n`);
  process.stderr.write(`heap snapshot: ${v8.writeHeapSnapshot(args.heap)}\n`);
}
await app.close();
await database.destroy();
fs.rmSync(dataDir, { recursive: true, force: true });
