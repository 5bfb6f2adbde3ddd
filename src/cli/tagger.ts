import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { type Command, Option } from 'commander';
import { FORMATS, ImportParseError, isFormat, parseFile, reportParseError, type ImportFormat } from '../imports/index.ts';
import { evaluateAgainstDatabase, trainAndSuggest } from '../tagging/index.ts';
import { CliError, withDatabase } from './runtime.ts';

const BY_EXTENSION: Record<string, ImportFormat> = { '.json': 'uhri-json', '.docx': 'ohchr-docx', '.csv': 'upr-info-csv', '.xlsx': 'uhri-xlsx', '.txt': 'report-text' };
const KINDS = [
  ['sdg_goal', 'SDG goals', 'sdg_goal'],
  ['sdg_target', 'SDG targets', 'sdg_target'],
  ['theme', 'themes', 'theme'],
  ['affected', 'affected persons', 'affected_person'],
] as const;

/** `rasd tagger train`, `rasd tagger eval --test FILE [--format F] [--sdg DIR] [--list-names] [--json]`. */
export function registerTaggerCommand(program: Command): void {
  const tagger = program.command('tagger').description('Tag suggestions: SDG goals and targets, themes, affected persons');
  tagger
    .command('train')
    .description("Train the tagger on the database's labelled recommendations and SDG texts, and refresh the pending suggestions")
    .action(() =>
      withDatabase(async ({ db }) => {
        const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: '{phase} [{bar}] {value}/{total}', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
        bar?.start(1, 0, { phase: 'reading' });
        const r = await trainAndSuggest(db, {
          actorId: null,
          jobId: null,
          progress: async (phase, done, total) => {
            bar?.setTotal(Math.max(1, total));
            bar?.update(done, { phase });
          },
        });
        bar?.stop();
        console.log(
          `Trained on ${r.docs} labelled recommendations (${r.labels.sdg_goal} SDG goals, ${r.labels.sdg_target} targets, ${r.labels.theme} themes, ${r.labels.affected_person} affected persons) in ${(r.ms / 1000).toFixed(1)} s; ${r.suggestions} suggestions for ${r.recommendations} recommendations.`,
        );
      }),
    );
  tagger
    .command('eval')
    .description("Measure the tagger on a labelled file: trains on the database (the file's records left out) and prints micro/macro-F1, precision@3 and coverage")
    .requiredOption('--test <file>', 'a labelled file (UHRI JSON, OHCHR thematic list, UPR Info CSV…)')
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(FORMATS.filter((f) => f !== 'uhri-url')))
    .option('--json', 'print one JSON object')
    .option('--sdg <dir>', 'SDG goal and target titles to use ({ar,en}-global-{goals,targets}.yml), e.g. when the database has no SDG target terms (no `rasd import sdg`)')
    .option('--list-names', "suggest themes and affected persons in the test file's own names (a list of another generation): mapped from the trained labels, settings by cross-validation over the database's documents")
    .action((o: { test: string; format?: string; json?: boolean; listNames?: boolean; sdg?: string }) =>
      withDatabase(async ({ db }) => {
        const file = path.resolve(o.test);
        if (!fs.existsSync(file)) throw new CliError(`No file ${o.test}.`);
        const format = o.format ?? BY_EXTENSION[path.extname(file).toLowerCase()];
        if (!format || !isFormat(format) || format === 'uhri-url') throw new CliError(`Cannot tell the format of ${o.test}: give --format.`);
        let report;
        try {
          report = await evaluateAgainstDatabase(db, await parseFile(format, file, { filename: path.basename(file) }), { listNames: Boolean(o.listNames), ...(o.sdg ? { sdgDir: path.resolve(o.sdg) } : {}) });
        } catch (err) {
          if (err instanceof ImportParseError) {
            const r = reportParseError(err);
            throw new CliError(`${r.code}: ${r.message}`);
          }
          throw err;
        }
        if (report.sdg_texts === 'none') {
          process.stderr.write('Note: the database holds no SDG target texts (never `rasd import sdg DIR`): SDG goals and targets are learned from labelled recommendations alone, without the SDG prior of the 169 target titles. Import them, or give --sdg DIR.\n');
        }
        if (o.json) {
          const out: Record<string, unknown> = { n: report.n };
          for (const [k, , kind] of KINDS) out[k] = { micro_f1: report[k].micro_f1, macro_f1: report[k].macro_f1, p_at_3: report[k].p_at_3, coverage: report[k].coverage, n: report[k].n, confidence: report.confidence[kind] };
          out.train_docs = report.train_docs;
          out.sdg_texts = report.sdg_texts;
          if (report.list_names) out.list_names = report.list_names;
          console.log(JSON.stringify(out));
          return;
        }
        console.log(`Trained on ${report.train_docs} labelled recommendations; tested on ${report.n} labelled records of ${path.basename(file)}.`);
        console.log(`${'labels'.padEnd(18)} ${'n'.padStart(6)} ${'micro-F1'.padStart(9)} ${'macro-F1'.padStart(9)} ${'P@3'.padStart(6)} ${'coverage'.padStart(9)} ${'shown'.padStart(6)} ${'right'.padStart(6)} ${'ECE'.padStart(6)}`);
        for (const [k, name, kind] of KINDS) {
          const m = report[k];
          const c = report.confidence[kind];
          console.log(
            `${name.padEnd(18)} ${String(m.n).padStart(6)} ${m.micro_f1.toFixed(3).padStart(9)} ${m.macro_f1.toFixed(3).padStart(9)} ${m.p_at_3.toFixed(3).padStart(6)} ${m.coverage.toFixed(3).padStart(9)} ${c.mean_confidence.toFixed(3).padStart(6)} ${c.precision.toFixed(3).padStart(6)} ${c.ece.toFixed(3).padStart(6)}`,
          );
        }
        console.log('shown / right: the mean confidence of the suggestions kept (the first three of a kind at 10% or more) and the share of them that is right; ECE: how far apart the two are, per tenth of confidence.');
      }),
    );
}
