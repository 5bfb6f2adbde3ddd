import fs from 'node:fs';
import cliProgress from 'cli-progress';
import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from '../config/config.ts';
import { checkIntegrity } from '../db/integrity.ts';
import { migrateToLatest, migrationState } from '../db/migrate.ts';
import { notePipelineOfEmptyIndex } from '../search/index.ts';
import { isEmptyDatabase, removeDemo, seedDemo } from '../demo/index.ts';
import { exportReport, listReports } from '../reports/index.ts';
import { reindexAll } from '../search/index.ts';
import { AppError } from '../shared/errors.ts';
import { createUser, listUsers, parseRole, resetPassword, setUserDisabled, unlockSignIn } from '../users/index.ts';
import { CliError, withDatabase } from './runtime.ts';
import { registerBackupCommands } from './backup.ts';
import { registerGlossaryCommand } from './glossary.ts';
import { registerImportCommand } from './import.ts';
import { registerMatrixCommand } from './matrix.ts';
import { registerPlanCommand } from './plan.ts';
import { registerTaggerCommand } from './tagger.ts';
import { registerSecretCommand } from './secret.ts';
import { serve } from './serve.ts';

const program = new Command();
program
  .name('rasd')
  .description('Rasd (رصد): human-rights recommendations tracking. DATABASE_URL selects the database (default sqlite:./data/rasd.db).')
  .showHelpAfterError()
  .exitOverride();

program
  .command('serve')
  .description('Run the web server (never creates demo data)')
  .action(async () => serve(loadConfig(), { withDemo: false }));

program
  .command('start')
  .description('Run the web server; on an empty database first create the demo workspace (used by npm start)')
  .action(async () => serve(loadConfig(), { withDemo: true }));

program
  .command('migrate')
  .description('Apply pending database migrations')
  .action(() =>
    withDatabase(
      async ({ db, dialect }) => {
        const applied = await migrateToLatest(db, dialect.engine);
        await notePipelineOfEmptyIndex(db);
        const state = await migrationState(db, dialect.engine);
        console.log(`${dialect.description}: ${applied.length} applied now, ${state.applied.length} in total, ${state.pending.length} pending.`);
      },
      { migrate: false },
    ),
  );

program
  .command('check')
  .description('Check the database\'s integrity (read-only): SQLite integrity_check and foreign_key_check, or every foreign key of PostgreSQL, and the search index; exits 1 on a problem')
  .option('--json', 'print the report as JSON')
  .action((o: { json?: boolean }) =>
    withDatabase(
      async ({ db, dialect }) => {
        const report = await checkIntegrity(db, dialect.engine);
        if (o.json) console.log(JSON.stringify(report, null, 2));
        else if (report.ok) console.log(`${dialect.description}: integrity check passed.`);
        else console.log(`${dialect.description}: ${report.problems.length} problem(s):\n${report.problems.map((p) => `  ${p}`).join('\n')}`);
        if (!report.ok) throw new CliError('The integrity check found problems.');
      },
      { migrate: false },
    ),
  );

program
  .command('demo')
  .description('Create the demo workspace in an empty database, or with --remove delete it (its accounts and exactly the records it created)')
  .option('--remove', 'remove the demo workspace; refused while real work hangs off demo records')
  .action((o: { remove?: boolean }) =>
    withDatabase(async ({ db }, config) => {
      if (o.remove) {
        const removed = await removeDemo(db, null, config.dataDir).catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'demo_in_use') {
            const blockers = (err.details as { blockers: { kind: string; count: number }[] }).blockers;
            throw new CliError(`${err.message}\n${blockers.map((b) => `  ${b.kind}: ${b.count}`).join('\n')}`);
          }
          throw err;
        });
        console.log('Demo workspace removed:');
        for (const [what, n] of Object.entries(removed)) console.log(`  ${what.padEnd(16)} ${n}`);
        return;
      }
      if (!(await isEmptyDatabase(db))) throw new CliError('The database is not empty; the demo is only created in an empty database.');
      const logins = await seedDemo(db);
      for (const l of logins) console.log(`${l.role.padEnd(12)} ${l.email}  ${l.password}`);
    }),
  );

const users = program.command('users').description('Manage user accounts');
users
  .command('add')
  .description('Create a user')
  .requiredOption('--email <email>', 'e-mail address (the login)')
  .requiredOption('--password <password>', 'password, at least 10 characters')
  .addOption(new Option('--role <role>', 'role').choices(['admin', 'coordinator', 'focal-point', 'contributor', 'viewer']).makeOptionMandatory())
  .option('--entity <id>', 'entity id or code (required for focal-point and contributor)')
  .option('--name <name>', 'display name')
  .action((o: { email: string; password: string; role: string; entity?: string; name?: string }) =>
    withDatabase(async ({ db }) => {
      const user = await createUser(db, { email: o.email, password: o.password, role: parseRole(o.role), entityId: o.entity ?? null, name: o.name });
      console.log(`Created ${user.role} ${user.email} (${user.id})`);
    }),
  );
users
  .command('list')
  .description('List users')
  .action(() =>
    withDatabase(async ({ db }) => {
      for (const u of await listUsers(db)) {
        console.log(`${u.email.padEnd(40)} ${u.role.padEnd(12)} ${u.entity_id ?? '-'} ${u.disabled_at ? 'DISABLED' : 'active'}`);
      }
    }),
  );
users
  .command('disable')
  .description('Disable a user and end their sessions')
  .argument('<email>', 'e-mail or id')
  .action((email: string) =>
    withDatabase(async ({ db }) => {
      await setUserDisabled(db, email, true);
      console.log(`Disabled ${email}`);
    }),
  );
users
  .command('enable')
  .description('Re-enable a disabled user')
  .argument('<email>', 'e-mail or id')
  .action((email: string) =>
    withDatabase(async ({ db }) => {
      await setUserDisabled(db, email, false);
      console.log(`Enabled ${email}`);
    }),
  );
users
  .command('unlock')
  .description('Lift the sign-in lock that failed attempts put on an account')
  .argument('<email>', 'e-mail or id')
  .action((email: string) =>
    withDatabase(async ({ db }) => {
      await unlockSignIn(db, email);
      console.log(`Unlocked ${email}`);
    }),
  );
users
  .command('reset-password')
  .description("Set a new password and end the user's sessions")
  .argument('<email>', 'e-mail or id')
  .requiredOption('--password <password>', 'new password, at least 10 characters')
  .action((email: string, o: { password: string }) =>
    withDatabase(async ({ db }) => {
      await resetPassword(db, email, o.password);
      console.log(`Password reset for ${email}`);
    }),
  );

program
  .command('reindex')
  .description('Rebuild the full-text search index of all recommendations (with progress)')
  .action(() =>
    withDatabase(async ({ db, dialect }) => {
      const bar = new cliProgress.SingleBar(
        { format: 'reindex [{bar}] {percentage}% | {value}/{total} recommendations', stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      const started = Date.now();
      bar.start(0, 0);
      const r = await reindexAll(db, dialect.search, (done, total) => {
        bar.setTotal(total);
        bar.update(done);
      });
      bar.stop();
      console.log(`Indexed ${r.indexed} recommendations (${r.removed} stale index rows removed) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    }),
  );

const report = program.command('report').description('Reports to the UN');
report
  .command('list')
  .description('List the report drafts (id, type, status, due date)')
  .action(() =>
    withDatabase(async ({ db }) => {
      for (const r of (await listReports(db, {})).items) console.log(`${r.id}  ${r.type.padEnd(16)} ${r.status.padEnd(10)} due ${r.due_date}  ${r.title_en ?? r.title_ar ?? ''}`);
    }),
  );
report
  .command('export')
  .description('Write a report as DOCX (UN layout, right-to-left Arabic) or PDF (through LibreOffice)')
  .argument('<report>', 'report id')
  .addOption(new Option('--format <format>', 'file format').choices(['docx', 'pdf']).default('docx'))
  .addOption(new Option('--lang <lang>', 'language of the document').choices(['ar', 'en']).default('ar'))
  .requiredOption('--out <file>', 'output file')
  .action((id: string, o: { format: 'docx' | 'pdf'; lang: 'ar' | 'en'; out: string }) =>
    withDatabase(async ({ db }) => {
      const out = await exportReport(db, id, o.format, o.lang);
      fs.writeFileSync(o.out, out.buffer);
      console.log(`Wrote ${o.out} (${o.format.toUpperCase()}, ${o.lang}, ${out.buffer.length} bytes).`);
    }),
  );

registerImportCommand(program);
registerMatrixCommand(program);
registerPlanCommand(program);
registerTaggerCommand(program);
registerBackupCommands(program);
registerGlossaryCommand(program);
registerSecretCommand(program);

function reason(err: unknown): string {
  if (err instanceof ConfigError || err instanceof CliError || err instanceof AppError) return err.message;
  if (err instanceof Error) return err.message.split('\n')[0]!;
  return String(err);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const code = (err as { code?: string }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') process.exit(0);
  if (typeof code === 'string' && code.startsWith('commander.')) process.exit(2); // commander already printed the reason
  process.stderr.write(`rasd: ${reason(err)}\n`);
  process.exit(1);
}
