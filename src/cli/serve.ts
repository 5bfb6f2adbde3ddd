import type { AppConfig } from '../config/config.ts';
import { createDb } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { isEmptyDatabase, seedDemo, DEMO_PASSWORD } from '../demo/index.ts';
import { getSetting } from '../settings/index.ts';
import { indexMissing, reindexIfStale } from '../search/index.ts';
import { buildApp } from '../server/app.ts';
import { createJobRunner } from '../jobs/index.ts';
import { registerIndex } from '../recommendations/register-index.ts';
import { removeStalePdfDirs } from '../reports/report-export.ts';

const DEMO_EMAILS = [
  ['admin', 'admin@rasd.example'],
  ['coordinator', 'coordinator@rasd.example'],
  ['focal point (Ministry of Justice)', 'focal.justice@rasd.example'],
  ['contributor (Ministry of Justice)', 'contributor.justice@rasd.example'],
  ['viewer', 'viewer@rasd.example'],
] as const;

/** Runs the server until SIGINT/SIGTERM. `withDemo` (npm start) seeds a demo into an empty database. */
export async function serve(config: AppConfig, opts: { withDemo: boolean }): Promise<void> {
  const database = createDb(config.database);
  await migrateToLatest(database.db, database.dialect.engine);
  // Recommendations written before the search index existed (or by an older version) get indexed now.
  await indexMissing(database.db, database.dialect.search);
  // An index built by an older text pipeline (stemming) is rebuilt once.
  if (await reindexIfStale(database.db, database.dialect.search)) process.stdout.write('Rebuilt the search index for the new text pipeline.\n');
  if (opts.withDemo && (await isEmptyDatabase(database.db))) {
    process.stdout.write('Creating the demo workspace (fictional data)…\n');
    await seedDemo(database.db);
  }
  // PDF conversion folders of a process killed mid-export
  removeStalePdfDirs();
  const app = await buildApp({ db: database.db, dialect: database.dialect, config });
  // The job queue (reminders…): every instance runs a runner; each job still runs once.
  const jobs = createJobRunner(database.db, config, { log: app.log, dialect: database.dialect });
  const close = async () => {
    await jobs.runner.stop();
    jobs.mailer.close();
    await app.close();
    await database.destroy();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ port: config.port, host: config.host });
  jobs.runner.start();
  // Build the in-memory register index now rather than on the first list request.
  registerIndex(database.db, database.dialect)
    .current()
    .catch((err: unknown) => app.log.warn({ err }, 'register index: first build failed; the next list request retries'));
  const url = `http://localhost:${config.port}`;
  process.stdout.write(`\nRasd is running on ${url} (${database.dialect.description})\n`);
  if (await getSetting(database.db, 'demo')) {
    process.stdout.write('\n  DEMO WORKSPACE — fictional data. Demo logins (password for all: ' + DEMO_PASSWORD + '):\n');
    for (const [role, email] of DEMO_EMAILS) process.stdout.write(`    ${role.padEnd(36)} ${email}\n`);
    process.stdout.write('\n');
  }
}
