import path from 'node:path';
import cliProgress from 'cli-progress';
import { Option, type Command } from 'commander';
import { createBackup, exportData, restoreBackup, type ExportFormat } from '../backup/index.ts';
import { AppError } from '../shared/errors.ts';
import { CliError, withDatabase } from './runtime.ts';

/** A coded error as one line: `code: message`. */
async function coded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError) throw new CliError(`${err.code}: ${err.message}`);
    throw err;
  }
}

function progressBar(label: string) {
  const bar = new cliProgress.SingleBar(
    { format: `${label} {phase} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true, noTTYOutput: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let phase = '';
  return {
    update(p: string, done: number, total: number) {
      if (!process.stderr.isTTY) return;
      if (!started || p !== phase) {
        if (started) bar.stop();
        bar.start(total, done, { phase: p });
        started = true;
        phase = p;
      }
      bar.setTotal(total);
      bar.update(done, { phase: p });
    },
    stop: () => started && bar.stop(),
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** `rasd backup`, `rasd restore`, `rasd export`: thin over src/backup. */
export function registerBackupCommands(program: Command) {
  program
    .command('backup')
    .description('Write one backup archive (zip) of the database, evidence and pending import files, while the app keeps running')
    .requiredOption('--out <file>', 'archive to write, e.g. rasd-2026-12-05.zip')
    .action((o: { out: string }) =>
      withDatabase(async (database, config) =>
        coded(async () => {
          const bar = progressBar('backup');
          const r = await createBackup(database, { out: path.resolve(o.out), dataDir: config.dataDir, progress: (p, d, t) => bar.update(p, d, t) }).finally(() => bar.stop());
          console.log(
            `Wrote ${r.file} (${mb(r.size)}): ${r.engine}, schema ${r.schema_version}, ${r.tables} tables, ${r.rows} rows, ${r.files} files` +
              `${r.missing_files ? ` (${r.missing_files} files were gone)` : ''}; native copy: ${r.native ?? `none (${r.native_note})`}.`,
          );
        }),
      ),
    );

  program
    .command('restore')
    .description('Restore a backup archive into this database (SQLite or PostgreSQL, whichever made the backup), all or nothing')
    .argument('<file>', 'backup archive written by rasd backup')
    .option('--force', 'replace everything in a database that is not empty')
    .action((file: string, o: { force?: boolean }) =>
      withDatabase(
        async (database, config) =>
          coded(async () => {
            const bar = progressBar('restore');
            const r = await restoreBackup(database, { file: path.resolve(file), dataDir: config.dataDir, force: o.force === true, fileStorage: config.fileStorage, progress: (p, d, t) => bar.update(p, d, t) }).finally(() =>
              bar.stop(),
            );
            console.log(
              `Restored the backup of ${r.created_at} (${r.engine_from}, schema ${r.schema_version}) into ${database.dialect.description}: ${r.tables} tables, ${r.rows} rows, ${r.files} files; every checksum and count verified.` +
                (r.replaced.length ? ` Replaced the data in ${r.replaced.length} tables.` : ''),
            );
          }),
        { migrate: false },
      ),
    );

  program
    .command('export')
    .description('Export every table of the register (JSON or CSV, one file per table) with a README data dictionary, for use elsewhere')
    .addOption(new Option('--format <format>', 'file format').choices(['json', 'csv']).makeOptionMandatory())
    .requiredOption('--out <dir>', 'folder to write (new or empty)')
    .action((o: { format: ExportFormat; out: string }) =>
      withDatabase(async (database) =>
        coded(async () => {
          const r = await exportData(database, { dir: o.out, format: o.format });
          console.log(`Exported ${r.tables.length} tables (${r.tables.reduce((s, t) => s + t.rows, 0)} rows) as ${r.format.toUpperCase()} into ${r.dir}; see README.md there.`);
        }),
      ),
    );
}
