import type { Kysely } from 'kysely';

/**
 * Frozen: indicator codes (issue 11, plan import that updates a draft in place). A plan's indicators get a `code`,
 * unique within the plan like the codes of its pillars, objectives and actions, so that a workbook row finds the
 * same indicator again (its reported values hang off it). Existing indicators are numbered per owner in their
 * order: "<action or objective code>-1", "-2", ….
 */
export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.alterTable('plan_indicators').addColumn('code', 'text').execute();
  const rows = (await db
    .selectFrom('plan_indicators as i')
    .leftJoin('plan_actions as a', 'a.id', 'i.action_id')
    .leftJoin('plan_objectives as o', 'o.id', 'i.objective_id')
    .select(['i.id', 'i.plan_id', 'a.code as action_code', 'o.code as objective_code'])
    .orderBy('i.plan_id')
    .orderBy('i.sort')
    .orderBy('i.created_at')
    .orderBy('i.id')
    .execute()) as { id: string; plan_id: string; action_code: string | null; objective_code: string | null }[];
  const used = new Set<string>();
  for (const r of rows) {
    const owner = r.action_code ?? r.objective_code ?? 'I';
    let n = 1;
    while (used.has(`${r.plan_id}\u0000${owner}-${n}`)) n++;
    used.add(`${r.plan_id}\u0000${owner}-${n}`);
    await db.updateTable('plan_indicators').set({ code: `${owner}-${n}` }).where('id', '=', r.id).execute();
  }
  await db.schema.createIndex('plan_indicators_code_idx').on('plan_indicators').columns(['plan_id', 'code']).unique().execute();
}
