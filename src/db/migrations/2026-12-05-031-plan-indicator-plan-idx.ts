import type { Kysely } from 'kysely';

/**
 * Frozen (issue 11): the plan page reads a plan's indicators by `plan_id`, which had no index (a scan of every
 * version's indicators on each plan page).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('plan_indicators_plan_idx').on('plan_indicators').column('plan_id').execute();
}
