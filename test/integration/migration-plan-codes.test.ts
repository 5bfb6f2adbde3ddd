/**
 * Migration 024 gives each plan indicator a code, unique within its plan: on a database with indicators written
 * before it, on both engines, each gets "<owner code>-<n>" numbered per owner in the indicators' order, the same
 * codes may recur in another plan, and a second indicator with a taken code is refused by the database.
 */
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { newId, nowIso } from '../../src/shared/ids.ts';
import { createTestDatabase, ENGINES, pgSkipReason } from '../helpers/engines.ts';

describe.each(ENGINES)('migration 024 on a database with plan indicators (%s)', (engine) => {
  it.skipIf(engine === 'postgres' && pgSkipReason)('numbers the indicators of each plan by owner, and keeps the codes unique within a plan', async () => {
    const t = await createTestDatabase(engine, { migrate: false });
    try {
      await migrateToLatest(t.db, engine, '2026-12-05-023-oidc');
      const db = t.db as unknown as Kysely<any>;
      const now = nowIso();
      const stamp = { created_at: now, updated_at: now, version: 1 };
      const plan = async () => {
        const planId = newId();
        await db.insertInto('plans').values({ id: planId, lineage_id: planId, version_number: 1, previous_id: null, title_ar: 'خطة', title_en: 'Plan', period_start: '2026-01-01', period_end: '2029-12-31', status: 'draft', adopted_at: null, adopted_by: null, created_by: null, ...stamp }).execute();
        const pillarId = newId();
        await db.insertInto('plan_pillars').values({ id: pillarId, plan_id: planId, code: 'P1', title_ar: 'محور', title_en: 'Pillar', sort: 0, ...stamp }).execute();
        const objectiveId = newId();
        await db.insertInto('plan_objectives').values({ id: objectiveId, plan_id: planId, pillar_id: pillarId, code: 'O1', title_ar: 'هدف', title_en: 'Objective', sort: 0, ...stamp }).execute();
        const actionId = newId();
        await db
          .insertInto('plan_actions')
          .values({ id: actionId, plan_id: planId, objective_id: objectiveId, code: 'A1', title_ar: 'إجراء', title_en: 'Action', description_ar: null, description_en: null, lead_entity_id: null, start_date: null, end_date: null, budget_amount: null, budget_currency: null, budget_source: 'none', priority: 'medium', status: 'on_track', sort: 0, ...stamp })
          .execute();
        const indicator = (name: string, sort: number, owner: { action_id: string | null; objective_id: string | null }) => ({
          id: newId(), plan_id: planId, ...owner, name_ar: name, name_en: name, type: 'process', unit: null, baseline_value: null, baseline_year: null, target_value: null,
          target_year: null, data_source: null, frequency: 'annual', reporting_entity_id: null, disaggregation: '[]', sort, ...stamp,
        });
        await db
          .insertInto('plan_indicators')
          .values([
            indicator('second on A1', 1, { action_id: actionId, objective_id: null }),
            indicator('on O1', 0, { action_id: null, objective_id: objectiveId }),
            indicator('first on A1', 0, { action_id: actionId, objective_id: null }),
          ])
          .execute();
        return planId;
      };
      const [p1, p2] = [await plan(), await plan()];
      await migrateToLatest(t.db, engine);
      for (const planId of [p1, p2]) {
        const rows = await t.db.selectFrom('plan_indicators').select(['name_en', 'code']).where('plan_id', '=', planId).orderBy('code').execute();
        expect(rows).toEqual([
          { name_en: 'first on A1', code: 'A1-1' },
          { name_en: 'second on A1', code: 'A1-2' },
          { name_en: 'on O1', code: 'O1-1' },
        ]);
      }
      const one = await t.db.selectFrom('plan_indicators').selectAll().where('plan_id', '=', p1).where('code', '=', 'A1-1').executeTakeFirstOrThrow();
      await expect(t.db.insertInto('plan_indicators').values({ ...one, id: newId() }).execute()).rejects.toThrow();
    } finally {
      await t.drop();
    }
  });
});
