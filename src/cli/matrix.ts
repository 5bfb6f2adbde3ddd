import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { exportMatrix, MATRIX_LANGS, type MatrixFormat, type MatrixLang } from '../exports/index.ts';
import { listFiltersSchema } from '../recommendations/index.ts';
import { CliError, withDatabase } from './runtime.ts';

interface MatrixCliOptions {
  format: MatrixFormat;
  lang: MatrixLang;
  document?: string;
  q?: string;
  out: string;
}

/**
 * `rasd matrix`: the implementation matrix (XLSX) or the register as CSV, one row per recommendation after a
 * header row, through the same service as GET /api/exports/matrix. The file is written under a temporary name
 * and renamed when complete, so a failure never leaves a broken file behind.
 */
export function registerMatrixCommand(program: Command) {
  program
    .command('matrix')
    .description('Export the implementation matrix (xlsx) or the register list (csv): one row per recommendation, header row first')
    .addOption(new Option('--format <format>', 'file format').choices(['xlsx', 'csv']).makeOptionMandatory())
    .addOption(new Option('--lang <lang>', 'language of headers and values').choices([...MATRIX_LANGS]).default('ar'))
    .option('--document <symbol>', 'only the recommendations of this source document (e.g. A/HRC/44/17)')
    .option('--q <query>', 'only the recommendations matching this full-text search (as in the list)')
    .requiredOption('--out <file>', 'file to write')
    .action((o: MatrixCliOptions) =>
      withDatabase(async ({ db, dialect }) => {
        const out = path.resolve(o.out);
        if (!fs.existsSync(path.dirname(out))) throw new CliError(`The folder of --out does not exist: ${path.dirname(out)}`);
        const filters = listFiltersSchema.parse({
          q: o.q,
          document: o.document ? [o.document.trim()] : undefined,
          // search results by relevance (the list's default for a search), otherwise in paragraph order
          sort: o.q ? undefined : 'paragraph',
          order: 'asc',
        });
        const file = await exportMatrix(db, dialect, filters, o.format, o.lang);
        const tmp = `${out}.${process.pid}.part`;
        try {
          const rows = await file.write(fs.createWriteStream(tmp));
          fs.renameSync(tmp, out);
          console.log(`Wrote ${rows} recommendations (${o.format.toUpperCase()}, ${o.lang}) to ${out}`);
        } finally {
          fs.rmSync(tmp, { force: true });
        }
      }),
    );
}
