/**
 * `npm run bench -- retrain --from SOURCE [--port 4197]` (issues 15 and 17): a retraining of the tagger in a running
 * server over a large register, and what the server's other users see meanwhile. SOURCE: a SQLite file or the name
 * of a PostgreSQL database with labelled recommendations (e.g. one the scale benchmark filled); it is copied first
 * (`VACUUM INTO`, `CREATE DATABASE … TEMPLATE`), never written. On the copy: `rasd serve`, a curator signed in,
 * `POST /api/tagging/train`, then until the job ends a bare authenticated request (`/api/auth/session`) every 25 ms,
 * one at a time, and the server's RSS read every 250 ms. Prints the job's time and result, the session requests'
 * p50 / p99 / longest (the server's thread held by the retraining), the server's peak RSS, and the first suggestions
 * for 200 texts after it (the new model loaded) with the longest session request beside them.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { createUser } from '../src/users/index.ts';
import { signIn, startServer } from './server.ts';
import { copyOf, followJob, log as logAs, round } from './server-job.ts';

const { values: args } = parseArgs({ options: { from: { type: 'string' }, port: { type: 'string', default: '4197' } } });
if (!args.from) throw new Error('--from SOURCE: a SQLite file or a PostgreSQL database name with labelled recommendations');
const log = (m: string) => logAs('retrain', m);
const BASE = `http://127.0.0.1:${args.port}`;
const PASSWORD = 'bench-retrain-password-1';
const email = `retrain-${Date.now()}@bench.test`;

log(`copying ${args.from}`);
const copy = await copyOf(args.from, 'retrain-copy');
const database = createDb(parseDatabaseUrl(copy.url));
const recommendations = Number((await database.db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
await database.db.deleteFrom('jobs').where('kind', '=', 'tagger.train').where('status', '=', 'queued').execute();
await createUser(database.db, { email, password: PASSWORD, role: 'coordinator', entityId: null });
await database.destroy();

log(`starting the server on ${recommendations} recommendations (${copy.engine})`);
// JOBS_POLL_SECONDS high: the job runner does not claim anything queued meanwhile; BACKUP_KEEP 0: no nightly backup
// at start beside the retraining (before 7 December 2026 the runs after 02:00 UTC had one, and its stalls)
const server = await startServer(copy.url, Number(args.port), { JOBS_POLL_SECONDS: '3600', BACKUP_KEEP: '0' });
const pid = server.pid!;
try {
  const { cookie, csrf } = await signIn(BASE, email, PASSWORD);
  const headers = { cookie, 'x-csrf-token': csrf };
  // warm: the session route, and the register's first list
  for (let k = 0; k < 20; k++) await fetch(`${BASE}/api/auth/session`, { headers });
  await fetch(`${BASE}/api/recommendations?pageSize=20`, { headers });
  const followed = await followJob('retrain', BASE, headers, pid, async () => {
    const started = await fetch(`${BASE}/api/tagging/train`, { method: 'POST', headers });
    if (started.status !== 202) throw new Error(`train: ${started.status} ${await started.text()}`);
    return ((await started.json()) as { jobId: string }).jobId;
  });
  // the first suggestions after the training, for 200 texts of the register: the new model loaded, with a session
  // request every 25 ms beside them (the longest of those: this thread held meanwhile)
  const texts = ((await (await fetch(`${BASE}/api/recommendations?pageSize=200`, { headers })).json()) as { items: { text_en?: string | null; text_ar?: string | null }[] }).items
    .map((r) => r.text_en ?? r.text_ar ?? '')
    .filter(Boolean);
  const s0 = performance.now();
  let suggested = false;
  const suggest = fetch(`${BASE}/api/tagging/suggest`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ texts }) })
    .then(async (r) => {
      if (!r.ok) throw new Error(`suggest: ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    })
    .finally(() => (suggested = true));
  const besideSuggest: number[] = [];
  while (!suggested) {
    const a = performance.now();
    await (await fetch(`${BASE}/api/auth/session`, { headers })).arrayBuffer();
    besideSuggest.push(performance.now() - a);
    await new Promise((r) => setTimeout(r, 25));
  }
  await suggest;
  const firstSuggestMs = round(performance.now() - s0);
  process.stdout.write(
    `${JSON.stringify(
      {
        engine: copy.engine,
        recommendations,
        ...followed,
        first_suggestions_after: { texts: texts.length, ms: firstSuggestMs, longest_session_ms: round(Math.max(0, ...besideSuggest)) },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  server.kill();
}
