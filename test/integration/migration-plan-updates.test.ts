/**
 * Migration 013 moves the plan's indicator values into the progress-update workflow: on a database holding
 * recommendation updates (with measures and evidence) and values in the old shape (each with its own workflow
 * status), on both engines: the existing updates and their children survive the rebuild, each old value becomes
 * an update on its action (an objective's indicator: the objective's first action) with the same status and
 * reviewer, approved values still count, an update must target exactly one thing, and foreign keys are on again.
 */
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createEntity } from '../../src/entities/index.ts';
import { getPlanTree } from '../../src/plan/index.ts';
import { newId, nowIso } from '../../src/shared/ids.ts';
import { createTestDatabase, ENGINES, pgSkipReason } from '../helpers/engines.ts';
import { makeRecommendations } from '../helpers/followup.ts';

describe.each(ENGINES)('migration 013 on a database with plan values (%s)', (engine) => {
  it.skipIf(engine === 'postgres' && pgSkipReason)('turns each value into an update on its action and keeps the existing updates', async () => {
    const t = await createTestDatabase(engine, { migrate: false });
    try {
      await migrateToLatest(t.db, engine, '2026-12-05-012-login-throttle');
      const db = t.db as unknown as Kysely<any>;
      const now = nowIso();
      const moj = await createEntity(t.db, { code: 'MOJ', name_ar: 'وزارة العدل', name_en: 'Ministry of Justice' });
      const [recId] = await makeRecommendations(t.db, 1);
      // a recommendation's update (old shape) with a measure and an evidence row
      const assignmentId = newId();
      await db.insertInto('assignments').values({ id: assignmentId, recommendation_id: recId, cluster_id: null, entity_id: moj.id, role: 'lead', due_date: null, due_set_at: now, created_by: null, created_at: now, updated_at: now }).execute();
      const recUpdate = newId();
      await db
        .insertInto('progress_updates')
        .values({ id: recUpdate, assignment_id: assignmentId, entity_id: moj.id, author_id: null, period_start: null, period_end: null, text_ar: 'نص', text_en: 'Text', proposed_status: null, status: 'approved', review_comment: null, reviewed_by: null, reviewed_at: now, submitted_by: null, submitted_at: now, version: 3, created_at: now, updated_at: now })
        .execute();
      await db.insertInto('update_measures').values({ id: newId(), update_id: recUpdate, type: 'policy', description_ar: 'سياسة', description_en: 'Policy', sort: 0 }).execute();
      await db.insertInto('evidence_files').values({ id: newId(), update_id: recUpdate, original_name: 'a.pdf', stored_name: newId(), mime: 'application/pdf', size: 10, sha256: 'x', uploaded_by: null, created_at: now }).execute();

      // a plan: one objective with two actions; an indicator on the first action and one on the objective
      const stamp = { created_at: now, updated_at: now, version: 1 };
      const planId = newId();
      await db.insertInto('plans').values({ id: planId, lineage_id: planId, version_number: 1, previous_id: null, title_ar: 'خطة', title_en: 'Plan', period_start: '2026-01-01', period_end: '2029-12-31', status: 'adopted', adopted_at: now, adopted_by: null, created_by: null, ...stamp }).execute();
      const pillarId = newId();
      await db.insertInto('plan_pillars').values({ id: pillarId, plan_id: planId, code: 'P1', title_ar: 'محور', title_en: 'Pillar', sort: 0, ...stamp }).execute();
      const objectiveId = newId();
      await db.insertInto('plan_objectives').values({ id: objectiveId, plan_id: planId, pillar_id: pillarId, code: 'O1', title_ar: 'هدف', title_en: 'Objective', sort: 0, ...stamp }).execute();
      const action = (id: string, code: string, sort: number) => ({
        id, plan_id: planId, objective_id: objectiveId, code, title_ar: code, title_en: code, description_ar: null, description_en: null, lead_entity_id: moj.id,
        start_date: null, end_date: null, budget_amount: null, budget_currency: null, budget_source: 'none', priority: 'medium', status: 'on_track', sort, ...stamp,
      });
      const [a1, a2] = [newId(), newId()];
      await db.insertInto('plan_actions').values([action(a2, 'A2', 1), action(a1, 'A1', 0)]).execute();
      const indicator = (id: string, owner: { action_id: string | null; objective_id: string | null }) => ({
        id, plan_id: planId, ...owner, name_ar: 'مؤشر', name_en: 'Indicator', type: 'process', unit: 'cases', baseline_value: '0', baseline_year: 2025, target_value: '100',
        target_year: 2029, data_source: null, frequency: 'annual', reporting_entity_id: null, disaggregation: '[]', sort: 0, ...stamp,
      });
      const [i1, i2] = [newId(), newId()];
      await db.insertInto('plan_indicators').values([indicator(i1, { action_id: a1, objective_id: null }), indicator(i2, { action_id: null, objective_id: objectiveId })]).execute();
      const value = (indicatorId: string, date: string, v: string, status: string, entity: string | null) => ({
        id: newId(), indicator_id: indicatorId, entity_id: entity, date, value: v, source: 'records', note: null, status, review_comment: status === 'returned' ? 'why?' : null,
        author_id: null, submitted_by: null, submitted_at: now, reviewed_by: null, reviewed_at: status === 'approved' ? now : null, created_at: now, updated_at: now, version: 2,
      });
      const old = [value(i1, '2026-06-30', '40', 'approved', moj.id), value(i1, '2026-12-31', '90', 'submitted', moj.id), value(i2, '2026-06-30', '25', 'approved', null), value(i2, '2026-07-31', '5', 'returned', null)];
      await db.insertInto('plan_indicator_values').values(old).execute();

      expect(await migrateToLatest(t.db, engine)).toContain('2026-12-05-013-plan-updates');
      if (engine === 'sqlite') expect((await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(t.db)).rows[0]?.foreign_keys).toBe(1);

      // the recommendation's update and its children are untouched
      expect(await t.db.selectFrom('progress_updates').selectAll().where('id', '=', recUpdate).executeTakeFirstOrThrow()).toMatchObject({ assignment_id: assignmentId, action_id: null, status: 'approved', version: 3, text_en: 'Text' });
      expect(await t.db.selectFrom('update_measures').select('type').where('update_id', '=', recUpdate).execute()).toEqual([{ type: 'policy' }]);
      expect(await t.db.selectFrom('evidence_files').select('original_name').where('update_id', '=', recUpdate).execute()).toEqual([{ original_name: 'a.pdf' }]);

      // every value is now in an update on an action, with its old status; the objective's went to its first action (A1)
      const moved = await t.db
        .selectFrom('plan_indicator_values as v')
        .innerJoin('progress_updates as u', 'u.id', 'v.update_id')
        .select(['v.id', 'v.value', 'u.action_id', 'u.entity_id', 'u.status', 'u.review_comment', 'u.version', 'u.period_end'])
        .orderBy('v.value')
        .execute();
      expect(moved.map((m) => [m.value, m.action_id, m.status])).toEqual([
        ['25', a1, 'approved'],
        ['40', a1, 'approved'],
        ['5', a1, 'returned'],
        ['90', a1, 'submitted'],
      ]);
      expect(moved.every((m) => m.entity_id === moj.id && m.version === 2)).toBe(true);
      expect(moved.find((m) => m.value === '5')).toMatchObject({ review_comment: 'why?', period_end: '2026-07-31' });
      expect(moved.map((m) => m.id).sort()).toEqual(old.map((o) => o.id).sort());

      // only approved values count in the plan's progress
      const tree = await getPlanTree(t.db, planId, { id: 'x', role: 'viewer', entity_id: null } as never);
      const inds = tree.pillars[0]!.objectives[0]!;
      expect(inds.actions.find((a) => a.id === a1)!.indicators[0]).toMatchObject({ latest: { value: '40' }, attainment: 40, approved_values: 1, submitted_values: 1 });
      expect(inds.indicators[0]).toMatchObject({ latest: { value: '25' }, attainment: 25 });

      // an update targets exactly one thing; deleting an action removes its updates and their values
      const row = { id: newId(), entity_id: moj.id, status: 'draft' as const, version: 1, created_at: now, updated_at: now, author_id: null, period_start: null, period_end: null, text_ar: null, text_en: null, proposed_status: null, proposed_action_status: null, review_comment: null, reviewed_by: null, reviewed_at: null, submitted_by: null, submitted_at: null };
      await expect(t.db.insertInto('progress_updates').values({ ...row, assignment_id: null, action_id: null }).execute()).rejects.toThrow(/check|constraint/i);
      await expect(t.db.insertInto('progress_updates').values({ ...row, assignment_id: assignmentId, action_id: a1 }).execute()).rejects.toThrow(/check|constraint/i);
      await t.db.deleteFrom('plan_actions').where('id', '=', a1).execute();
      expect(await t.db.selectFrom('progress_updates').select('id').where('action_id', 'is not', null).execute()).toEqual([]);
      expect(await t.db.selectFrom('plan_indicator_values').select('id').execute()).toEqual([]);
      // and deleting an assignment still cascades to its updates and their children
      await t.db.deleteFrom('assignments').where('id', '=', assignmentId).execute();
      expect(await t.db.selectFrom('update_measures').select('id').execute()).toEqual([]);
    } finally {
      await t.drop();
    }
  }, 60_000);
});
