import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { exportGlossaryCsv, importGlossaryCsv } from '../glossary/index.ts';
import { AppError } from '../shared/errors.ts';
import { CliError, withDatabase } from './runtime.ts';

/** `rasd glossary export FILE.csv`, `rasd glossary import FILE.csv [--replace] [--dry-run]` (the same service as the glossary screen). */
export function registerGlossaryCommand(program: Command): void {
  const glossary = program.command('glossary').description('The bilingual glossary that expands searches across Arabic and English');
  glossary
    .command('export')
    .argument('<file>', 'CSV file to write (term_ar,term_en,note; UTF-8)')
    .description('Write the whole glossary to a CSV file')
    .action((file: string) =>
      withDatabase(async ({ db }) => {
        const csv = await exportGlossaryCsv(db);
        const out = path.resolve(file);
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, csv, 'utf8');
        console.log(`Wrote ${out} (${csv.trim().split('\r\n').length - 1} pairs).`);
      }),
    );
  glossary
    .command('import')
    .argument('<file>', 'CSV file (term_ar,term_en[,note]; UTF-8)')
    .option('--replace', 'make the glossary exactly the file (remove the pairs it does not hold); default: add the new pairs')
    .option('--dry-run', 'check the file and count, write nothing')
    .description('Add (or with --replace, set) glossary pairs from a CSV file; a row with an empty side or a repeated pair refuses the whole file')
    .action((file: string, o: { replace?: boolean; dryRun?: boolean }) =>
      withDatabase(async ({ db }) => {
        if (!fs.existsSync(file)) throw new CliError(`No such file: ${file}`);
        try {
          const r = await importGlossaryCsv(db, fs.readFileSync(file), { mode: o.replace ? 'replace' : 'merge', dryRun: Boolean(o.dryRun), actorId: null });
          console.log(`${r.dryRun ? 'Dry run: would add' : 'Added'} ${r.added} pair(s); ${r.unchanged} already held${r.mode === 'replace' ? `; ${r.removed} removed` : ''}.`);
        } catch (err) {
          if (err instanceof AppError) throw new CliError(`${err.code}: ${err.message}`);
          throw err;
        }
      }),
    );
}
