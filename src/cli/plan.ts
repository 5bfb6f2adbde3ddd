import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { findPlan, planDocx } from '../plan/index.ts';
import { CliError, withDatabase } from './runtime.ts';

/** `rasd plan export PLAN --format docx --lang ar|en --out FILE` (PLAN: a plan id, or "current" for the adopted one). */
export function registerPlanCommand(program: Command): void {
  const plan = program.command('plan').description('The national human rights action plan');
  plan
    .command('export')
    .description('Write the plan document (DOCX) in Arabic or English')
    .argument('<plan>', 'plan id, or "current" for the adopted plan (else the newest)')
    .addOption(new Option('--format <format>', 'document format').choices(['docx']).default('docx'))
    .addOption(new Option('--lang <lang>', 'language of the document').choices(['ar', 'en']).default('ar'))
    .requiredOption('--out <file>', 'where to write the document')
    .action((planArg: string, o: { format: 'docx'; lang: 'ar' | 'en'; out: string }) =>
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
        const { buffer } = await planDocx(db, id, o.lang, { id: 'cli', role: 'admin', entity_id: null });
        const out = path.resolve(o.out);
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, buffer);
        console.log(`Wrote ${out} (${buffer.length} bytes, ${o.format}, ${o.lang}).`);
      }),
    );
}
