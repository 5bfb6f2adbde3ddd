import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { importEntitiesCsv } from '../entities/index.ts';
import { importSdgs } from '../taxonomies/index.ts';
import {
  downloadTo,
  FORMATS,
  importRecords,
  ImportParseError,
  ImportRejected,
  isFormat,
  parseErrorLine,
  parseFile,
  resolvePresetMapping,
  type FormatOptions,
  type ImportOutcome,
  type ParseReport,
} from '../imports/index.ts';
import { getSavedMapping, saveNamedMapping } from '../imports/mappings.ts';
import { CliError, withDatabase } from './runtime.ts';

interface ImportCliOptions {
  dryRun?: boolean;
  country?: string;
  body?: string;
  lang?: string;
  encoding?: string;
  symbol?: string;
  cycle?: string;
  session?: string;
  mapping?: string;
  mappingFile?: string;
  saveMapping?: string;
  url?: string;
}

function printOutcome(o: ImportOutcome) {
  const verb = o.dryRun ? 'Dry run (nothing written)' : 'Imported';
  console.log(
    `${verb}: ${o.total} records — ${o.new} new, ${o.updated} updated, ${o.unchanged} unchanged, ${o.invalid} invalid; ` +
      `${o.documentsCreated} documents and ${o.termsCreated} taxonomy terms created.`,
  );
  for (const i of o.issues.slice(0, 20)) console.log(`  row ${i.row ?? '-'} ${i.field ?? ''}: ${i.message}`);
  if (o.mappedThemes !== undefined) console.log(`Source issues linked to themes: ${o.mappedThemes}.`);
  if (o.unmappedThemes?.length) {
    console.log(`Source issues with no mapping and no theme of that name (imported without them; map them and import again): ${o.unmappedThemes.length}`);
    for (const u of o.unmappedThemes.slice(0, 50)) console.log(`  unmapped issue: ${u.label} (${u.source}): ${u.records} record(s)`);
  }
}

/** report-text: the numbered paragraphs found, checked against their numbering, and those not imported. */
export function printReport(r: ParseReport | undefined) {
  if (!r?.paragraphs) return;
  const p = r.paragraphs;
  console.log(
    `Numbered paragraphs found: ${p.found} — ${p.imported} imported, ${r.notImported?.filter((n) => n.paragraph.includes('.')).length ?? 0} not imported; ` +
      `gaps in the numbering: ${p.gaps.length ? p.gaps.join(', ') : 'none'}; duplicates: ${p.duplicates.length ? p.duplicates.join(', ') : 'none'}; ` +
      `${p.footnotesRemoved} footnotes and ${p.furnitureRemoved} page header/footer lines removed.`,
  );
  for (const n of r.notImported ?? []) console.log(`  not imported: paragraph ${n.paragraph}: ${n.reason} — ${n.text.slice(0, 100)}`);
}

export function registerImportCommand(program: Command) {
  program
    .command('import')
    .description(`Import recommendations (all or nothing). Formats: ${FORMATS.join(', ')}; also "entities" (CSV: code,name_ar,name_en[,parent_code]) and "sdg" (folder of {ar,en}-global-{goals,targets}.yml)`)
    .argument('<format>', 'file format')
    .argument('[file]', 'path of the file (for uhri-url: the URL, or use --url)')
    .option('--dry-run', 'report new/updated/unchanged/invalid counts and write nothing')
    .option('--country <name>', 'uhri-json/uhri-xlsx/upr-info-csv: keep only this country (English name); others: country of the document')
    .option('--body <code>', 'uhri: keep only this body (UPR, CRC, …); report-text: the body')
    .option('--lang <code>', 'language of the texts: ar, en, fr…')
    .option('--encoding <name>', 'utf8, macroman or latin1 (default: detected)')
    .option('--symbol <symbol>', 'document symbol when the file does not carry one')
    .option('--cycle <n>', 'UPR cycle')
    .option('--session <n>', 'UPR session')
    .option('--mapping <name>', 'csv/xlsx: a preset (morocco-didh) or a saved mapping name')
    .option('--mapping-file <path>', 'csv/xlsx: a JSON column mapping')
    .option('--save-mapping <name>', 'csv/xlsx: save the mapping under this name for later imports')
    .option('--url <url>', 'uhri-url: the export address (default: RASD_UHRI_URL)')
    .action(async (format: string, file: string | undefined, o: ImportCliOptions) => {
      if (format === 'sdg') {
        if (!file) throw new CliError('Give the folder holding {ar,en}-global-{goals,targets}.yml: rasd import sdg DIR');
        await withDatabase(async ({ db }) => {
          const r = await importSdgs(db, path.resolve(file));
          console.log(`SDGs: ${r.goals} goals and ${r.targets} targets (${r.created} created, ${r.updated} updated).`);
        });
        return;
      }
      if (format === 'entities') {
        if (!file) throw new CliError('Give the CSV file: rasd import entities FILE.csv');
        await withDatabase(async ({ db }) => {
          const r = await importEntitiesCsv(db, fs.readFileSync(path.resolve(file)), { dryRun: Boolean(o.dryRun) });
          console.log(`${o.dryRun ? 'Dry run: ' : ''}${r.created} entities created, ${r.updated} updated, ${r.unchanged} unchanged.`);
        });
        return;
      }
      if (!isFormat(format)) throw new CliError(`Unknown format "${format}". Use one of: ${FORMATS.join(', ')}, entities.`);
      const bar = new cliProgress.SingleBar(
        { format: '{task} [{bar}] {percentage}% | {value}/{total} {unit}', stream: process.stderr, noTTYOutput: false, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      await withDatabase(async ({ db, dialect }, config) => {
        let target = file ? path.resolve(file) : '';
        let tmpDir: string | null = null;
        let parseFormat: Exclude<typeof format, 'uhri-url'>;
        try {
          if (format === 'uhri-url') {
            const url = o.url ?? file ?? config.uhriUrl;
            if (!url) throw new CliError('Give the export address: rasd import uhri-url URL (or --url, or RASD_UHRI_URL).');
            tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-uhri-'));
            target = path.join(tmpDir, path.basename(new URL(url).pathname) || 'export.json');
            let started = false;
            // The operator named this address on the command line: its host is allowed for this run.
            const limits = { ...config.download, allowedHosts: [...config.download.allowedHosts, new URL(url).host.toLowerCase()] };
            await downloadTo(url, target, limits, (read, total) => {
              if (!started) {
                bar.start(total ?? read, 0, { task: 'download', unit: 'bytes' });
                started = true;
              }
              if (!total) bar.setTotal(read);
              bar.update(read);
            });
            if (started) bar.stop();
            parseFormat = 'uhri-json';
          } else {
            if (!file) throw new CliError(`Give the file to import: rasd import ${format} FILE`);
            if (!fs.existsSync(target)) throw new CliError(`No such file: ${target}`);
            parseFormat = format;
          }
          const options: FormatOptions = { filename: path.basename(target), heapMb: config.importWorkerHeapMb };
          if (o.country) options.country = o.country;
          if (o.body) options.body = o.body;
          if (o.lang) options.lang = o.lang as FormatOptions['lang'];
          if (o.encoding) options.encoding = o.encoding as FormatOptions['encoding'];
          if (o.symbol) options.symbol = o.symbol;
          if (o.cycle) options.uprCycle = Number(o.cycle);
          if (o.session) options.uprSession = Number(o.session);
          if (parseFormat === 'csv' || parseFormat === 'xlsx') {
            if (o.mappingFile) {
              try {
                options.mapping = JSON.parse(fs.readFileSync(path.resolve(o.mappingFile), 'utf8'));
              } catch (e) {
                throw new CliError(`invalid_mapping: the mapping file ${o.mappingFile} is not readable JSON (${(e as Error).message.split('\n')[0]}).`);
              }
            }
            else if (o.mapping) options.mapping = resolvePresetMapping(o.mapping) ?? (await getSavedMapping(db, o.mapping)) ?? undefined;
            if (!options.mapping) throw new CliError(`No mapping${o.mapping ? ` named "${o.mapping}"` : ''}: give --mapping NAME or --mapping-file PATH.`);
            if (o.saveMapping) await saveNamedMapping(db, { name: o.saveMapping, mapping: options.mapping, actorId: null, mode: 'replace' });
          }
          const size = fs.statSync(target).size;
          const byBytes = parseFormat === 'uhri-json';
          bar.start(byBytes ? size : 1, 0, { task: o.dryRun ? 'dry run' : 'import', unit: byBytes ? 'bytes' : 'records' });
          if (byBytes) options.onBytes = (read) => bar.update(read);
          let report: ParseReport | undefined;
          options.onReport = (r) => (report = r);
          const records = await parseFile(parseFormat, target, options);
          const outcome = await importRecords(db, records, {
            dryRun: Boolean(o.dryRun),
            source: `${format} ${path.basename(target)}`,
            bulkLoad: dialect.bulkLoad,
            onProgress: byBytes ? undefined : (n) => {
              bar.setTotal(Math.max(n, 1));
              bar.update(n);
            },
          });
          bar.stop();
          printOutcome(outcome);
          printReport(report);
          if (outcome.invalid > 0) process.exitCode = 1;
        } catch (err) {
          bar.stop();
          if (err instanceof ImportParseError) throw new CliError(parseErrorLine(err));
          if (err instanceof ImportRejected) {
            printOutcome(err.outcome);
            throw new CliError(err.message);
          }
          throw err;
        } finally {
          if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
        }
      });
    });
}
