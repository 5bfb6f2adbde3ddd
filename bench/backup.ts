/**
 * `npm run bench -- backup --from SOURCE [--port 4197]` (issues 14 and 15): an admin's "back up now" in a running
 * server over a large register, and what the server's other users see meanwhile. SOURCE: a SQLite file or the name of
 * a PostgreSQL database (e.g. one the scale benchmark filled), copied first, never written (server-job.ts). On the
 * copy: `rasd serve` (no nightly backup of its own), an admin signed in, `POST /api/admin/backups`, followed to its end
 * with a session request every 25 ms. Prints the job's time and archive, the session requests' p50 / p99 / longest
 * (the server's thread held by the backup) and the server's RSS. The archive is deleted after.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { createUser } from '../src/users/index.ts';
import { BENCH_CACHE } from './seed.ts';
import { signIn, startServer } from './server.ts';
import { copyOf, followJob, log as logAs } from './server-job.ts';

const { values: args } = parseArgs({ options: { from: { type: 'string' }, port: { type: 'string', default: '4197' } } });
if (!args.from) throw new Error('--from SOURCE: a SQLite file or a PostgreSQL database name');
const log = (m: string) => logAs('backup', m);
const BASE = `http://127.0.0.1:${args.port}`;
const PASSWORD = 'bench-backup-password-1';
const email = `backup-${Date.now()}@bench.test`;
const backupDir = path.join(BENCH_CACHE, 'backup-bench');

log(`copying ${args.from}`);
const copy = await copyOf(args.from, 'backup-copy');
const database = createDb(parseDatabaseUrl(copy.url));
const recommendations = Number((await database.db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
await createUser(database.db, { email, password: PASSWORD, role: 'admin', entityId: null });
await database.destroy();

fs.rmSync(backupDir, { recursive: true, force: true });
log(`starting the server on ${recommendations} recommendations (${copy.engine})`);
// BACKUP_KEEP 0: no nightly backup of the server's own; an admin's backup still runs, into BACKUP_DIR
const server = await startServer(copy.url, Number(args.port), { JOBS_POLL_SECONDS: '3600', BACKUP_KEEP: '0', BACKUP_DIR: backupDir });
try {
  const { cookie, csrf } = await signIn(BASE, email, PASSWORD);
  const headers = { cookie, 'x-csrf-token': csrf };
  for (let k = 0; k < 20; k++) await fetch(`${BASE}/api/auth/session`, { headers });
  await fetch(`${BASE}/api/recommendations?pageSize=20`, { headers });
  const followed = await followJob('backup', BASE, headers, server.pid!, async () => {
    const started = await fetch(`${BASE}/api/admin/backups`, { method: 'POST', headers });
    if (started.status !== 202) throw new Error(`backup: ${started.status} ${await started.text()}`);
    return ((await started.json()) as { jobId: string }).jobId;
  });
  process.stdout.write(`${JSON.stringify({ engine: copy.engine, recommendations, ...followed }, null, 2)}\n`);
} finally {
  server.kill();
  fs.rmSync(backupDir, { recursive: true, force: true });
}
