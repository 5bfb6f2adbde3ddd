import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { findPlan, importPlanXlsx, planDocx, planTemplateXlsx, planXlsx, type ImportProblem } from '../plan/index.ts';
import { AppError } from '../shared/errors.ts';
import { CliError, withDatabase } from './runtime.ts';

function write(out: string, buffer: Buffer, what: string) {
  const file = path.resolve(out);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, buffer);
  console.log(`Wrote ${file} (${buffer.length} bytes, ${what}).`);
}

/** The CLI acts as the first active administrator (or coordinator): the audit log names a real person. */
async function cliActor(db: Kysely<DB>) {
  for (const role of ['admin', 'coordinator'] as const) {
    const u = await db.selectFrom('users').select(['id', 'role', 'entity_id']).where('role', '=', role).where('disabled_at', 'is', null).orderBy('created_at').executeTakeFirst();
    if (u) return u;
  }
  throw new CliError('There is no active admin or coordinator: create one first (rasd users add).');
}

/**
 * `rasd plan template --out FILE.xlsx`, `rasd plan import FILE.xlsx [--plan ID] [--dry-run]`,
 * `rasd plan export PLAN --format docx|xlsx --lang ar|en --out FILE` (PLAN: a plan id, or "current").
 */
export function registerPlanCommand(program: Command): void {
  const plan = program.command('plan').description('The national human rights action plan');
  plan
    .command('template')
    .description('Write the XLSX template of a plan (sheets Plan, Pillars, Objectives, Actions, Indicators)')
    .requiredOption('--out <file>', 'where to write the workbook')
    .action(async (o: { out: string }) => write(o.out, await planTemplateXlsx(), 'xlsx template'));
  plan
    .command('import')
    .description(
      "Create a draft plan from an XLSX workbook, or update a draft in place (the plan --plan names, else the Plan sheet's id): rows matched by their codes, all or nothing",
    )
    .argument('<file>', 'the workbook')
    .option('--plan <id>', 'the draft plan to update (default: the plan named by the Plan sheet\'s id column, if this database holds it)')
    .option('--dry-run', 'check the workbook and report what would be added, changed and removed, without writing')
    .action((file: string, o: { dryRun?: boolean; plan?: string }) =>
      withDatabase(async ({ db }) => {
        if (!fs.existsSync(file)) throw new CliError(`No file ${file}.`);
        try {
          const r = await importPlanXlsx(db, fs.readFileSync(file), await cliActor(db), { dryRun: o.dryRun, planId: o.plan });
          const c = r.counts;
          if (r.mode === 'create') {
            console.log(`${r.dryRun ? 'Dry run: would create' : `Created plan ${r.plan!.id} with`} ${c.pillars} pillars, ${c.objectives} objectives, ${c.actions} actions, ${c.indicators} indicators.`);
            return;
          }
          console.log(`${r.dryRun ? `Dry run: would update plan ${r.plan!.id}` : `Updated plan ${r.plan!.id}`} in place (${c.pillars} pillars, ${c.objectives} objectives, ${c.actions} actions, ${c.indicators} indicators):`);
          for (const [level, ch] of Object.entries(r.changes)) {
            console.log(`  ${level}: ${ch.added.length} added, ${ch.changed.length} changed, ${ch.removed.length} removed`);
            if (ch.added.length) console.log(`    added: ${ch.added.join(', ')}`);
            for (const x of ch.changed) console.log(`    changed ${x.code}: ${x.fields.join(', ')}`);
            if (ch.removed.length) console.log(`    removed: ${ch.removed.join(', ')}`);
          }
        } catch (err) {
          if (err instanceof AppError && err.code === 'plan_import_invalid') {
            for (const p of (err.details as { problems: ImportProblem[] }).problems) {
              console.error(`${p.sheet}${p.row ? ` row ${p.row}` : ''}${p.column ? ` column ${p.column}` : ''}: ${p.code}: ${p.message}`);
            }
          }
          if (err instanceof AppError && err.code === 'not_found') throw new CliError(`No plan "${o.plan}".`);
          throw err;
        }
      }),
    );
  plan
    .command('export')
    .description('Write the plan document (DOCX, in Arabic or English) or its workbook (XLSX)')
    .argument('<plan>', 'plan id, or "current" for the adopted plan (else the newest)')
    .addOption(new Option('--format <format>', 'document format').choices(['docx', 'xlsx']).default('docx'))
    .addOption(new Option('--lang <lang>', 'language of the document').choices(['ar', 'en']).default('ar'))
    .requiredOption('--out <file>', 'where to write the file')
    .action((planArg: string, o: { format: 'docx' | 'xlsx'; lang: 'ar' | 'en'; out: string }) =>
      withDatabase(async ({ db }) => {
        let id = planArg;
        if (planArg === 'current') {
          const row =
            (await db.selectFrom('plans').select('id').where('status', '=', 'adopted').orderBy('adopted_at', 'desc').executeTakeFirst()) ??
            (await db.selectFrom('plans').select('id').orderBy('created_at', 'desc').executeTakeFirst());
          if (!row) throw new CliError('There is no plan in this database.');
          id = row.id;
        }
        await findPlan(db, id).catch(() => {
          throw new CliError(`No plan "${planArg}".`);
        });
        const actor = await cliActor(db);
        const { buffer } = o.format === 'xlsx' ? await planXlsx(db, id, actor) : await planDocx(db, id, o.lang, actor);
        write(o.out, buffer, o.format === 'xlsx' ? 'xlsx' : `docx, ${o.lang}`);
      }),
    );
}
