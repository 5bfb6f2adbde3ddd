import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/**
 * Frozen: follow-up of the action plan goes through the progress-update workflow (issue 11, step 4).
 *
 * - `progress_updates` targets either an assignment (as before) or a plan action: `assignment_id` becomes
 *   nullable, `action_id` is new (exactly one of the two is set), and `proposed_action_status` carries the
 *   action status the entity reports (applied when the update is approved).
 * - `plan_indicator_values` loses its own workflow (status, reviewer, author, version…): each value now
 *   belongs to a progress update (`update_id`), and counts only once that update is approved.
 * - Existing values move over: each becomes one update on its indicator's action (an objective's indicator:
 *   the objective's first action), from the value's entity (else the action's lead entity), with the value's
 *   workflow status, author, submitter, reviewer and dates. A value with no action or no entity to report it
 *   cannot be placed and is dropped.
 *
 * SQLite cannot drop a NOT NULL: the table is rebuilt with foreign keys off (the documented procedure), so the
 * children (measures, indicators, evidence) keep pointing at it.
 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine === 'postgres') {
    await sql`alter table progress_updates alter column assignment_id drop not null`.execute(db);
    await db.schema
      .alterTable('progress_updates')
      .addColumn('action_id', 'text', (c) => c.references('plan_actions.id').onDelete('cascade'))
      .execute();
    await db.schema.alterTable('progress_updates').addColumn('proposed_action_status', 'text').execute();
    await db.schema
      .alterTable('progress_updates')
      .addCheckConstraint('progress_updates_target_ck', sql`(assignment_id is null) <> (action_id is null)`)
      .execute();
  } else {
    await sql`pragma foreign_keys = off`.execute(db);
    try {
      await db.schema
        .createTable('progress_updates_next')
        .addColumn('id', 'text', (c) => c.primaryKey().notNull())
        .addColumn('assignment_id', 'text', (c) => c.references('assignments.id').onDelete('cascade'))
        .addColumn('action_id', 'text', (c) => c.references('plan_actions.id').onDelete('cascade'))
        .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id'))
        .addColumn('author_id', 'text', (c) => c.references('users.id'))
        .addColumn('period_start', 'text')
        .addColumn('period_end', 'text')
        .addColumn('text_ar', 'text')
        .addColumn('text_en', 'text')
        .addColumn('proposed_status', 'text', (c) => c.references('statuses.code'))
        .addColumn('proposed_action_status', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('review_comment', 'text')
        .addColumn('reviewed_by', 'text', (c) => c.references('users.id'))
        .addColumn('reviewed_at', 'text')
        .addColumn('submitted_by', 'text', (c) => c.references('users.id'))
        .addColumn('submitted_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addCheckConstraint('progress_updates_target_ck', sql`(assignment_id is null) <> (action_id is null)`)
        .execute();
      await sql`insert into progress_updates_next (id, assignment_id, entity_id, author_id, period_start, period_end, text_ar, text_en, proposed_status,
          status, review_comment, reviewed_by, reviewed_at, submitted_by, submitted_at, version, created_at, updated_at)
        select id, assignment_id, entity_id, author_id, period_start, period_end, text_ar, text_en, proposed_status,
          status, review_comment, reviewed_by, reviewed_at, submitted_by, submitted_at, version, created_at, updated_at from progress_updates`.execute(db);
      await db.schema.dropTable('progress_updates').execute();
      await db.schema.alterTable('progress_updates_next').renameTo('progress_updates').execute();
      await db.schema.createIndex('progress_updates_assignment_idx').on('progress_updates').columns(['assignment_id', 'status']).execute();
      await db.schema.createIndex('progress_updates_entity_idx').on('progress_updates').columns(['entity_id', 'status']).execute();
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length) throw new Error(`foreign keys broken by the rebuild of progress_updates: ${JSON.stringify(broken.rows.slice(0, 5))}`);
    } finally {
      await sql`pragma foreign_keys = on`.execute(db);
    }
  }
  await db.schema.createIndex('progress_updates_action_idx').on('progress_updates').columns(['action_id', 'status']).execute();

  // values: one table without a workflow of its own, each value belonging to an update
  await db.schema.dropIndex('plan_indicator_values_indicator_idx').execute();
  await db.schema.alterTable('plan_indicator_values').renameTo('plan_indicator_values_old').execute();
  // PostgreSQL: the primary key's index keeps its name through a rename; free it for the new table
  if (engine === 'postgres') await sql`alter table plan_indicator_values_old rename constraint plan_indicator_values_pkey to plan_indicator_values_old_pkey`.execute(db);
  await db.schema
    .createTable('plan_indicator_values')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('update_id', 'text', (c) => c.notNull().references('progress_updates.id').onDelete('cascade'))
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('plan_indicators.id').onDelete('cascade'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('note', 'text')
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('plan_indicator_values_indicator_idx').on('plan_indicator_values').columns(['indicator_id', 'date']).execute();
  await db.schema.createIndex('plan_indicator_values_update_idx').on('plan_indicator_values').column('update_id').execute();

  const old = await sql<{
    id: string;
    indicator_id: string;
    entity_id: string | null;
    date: string;
    value: string;
    source: string | null;
    note: string | null;
    status: string;
    review_comment: string | null;
    author_id: string | null;
    submitted_by: string | null;
    submitted_at: string | null;
    reviewed_by: string | null;
    reviewed_at: string | null;
    created_at: string;
    updated_at: string;
    version: number;
    action_id: string | null;
    objective_id: string | null;
    reporting_entity_id: string | null;
  }>`select v.*, i.action_id, i.objective_id, i.reporting_entity_id
      from plan_indicator_values_old v join plan_indicators i on i.id = v.indicator_id
      order by v.created_at, v.id`.execute(db);
  const firstAction = new Map<string, string | null>();
  for (const v of old.rows) {
    let actionId = v.action_id;
    if (!actionId && v.objective_id) {
      if (!firstAction.has(v.objective_id)) {
        const a = await sql<{ id: string }>`select id from plan_actions where objective_id = ${v.objective_id} order by sort, code limit 1`.execute(db);
        firstAction.set(v.objective_id, a.rows[0]?.id ?? null);
      }
      actionId = firstAction.get(v.objective_id) ?? null;
    }
    if (!actionId) continue;
    const lead = await sql<{ lead_entity_id: string | null }>`select lead_entity_id from plan_actions where id = ${actionId}`.execute(db);
    const entityId = v.entity_id ?? lead.rows[0]?.lead_entity_id ?? v.reporting_entity_id;
    if (!entityId) continue;
    const updateId = randomUUID();
    await db
      .insertInto('progress_updates')
      .values({
        id: updateId,
        assignment_id: null,
        action_id: actionId,
        entity_id: entityId,
        author_id: v.author_id,
        period_start: v.date,
        period_end: v.date,
        text_ar: null,
        text_en: null,
        proposed_status: null,
        proposed_action_status: null,
        status: v.status,
        review_comment: v.review_comment,
        reviewed_by: v.reviewed_by,
        reviewed_at: v.reviewed_at,
        submitted_by: v.submitted_by,
        submitted_at: v.submitted_at,
        version: v.version,
        created_at: v.created_at,
        updated_at: v.updated_at,
      })
      .execute();
    await db
      .insertInto('plan_indicator_values')
      .values({ id: v.id, update_id: updateId, indicator_id: v.indicator_id, date: v.date, value: v.value, source: v.source, note: v.note, sort: 0 })
      .execute();
  }
  await db.schema.dropTable('plan_indicator_values_old').execute();
}
