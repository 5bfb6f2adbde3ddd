import { sql, type Kysely } from 'kysely';

/**
 * Frozen: follow-up (issue 5) — assignments, progress updates with measures, indicators and evidence,
 * notifications, the reminder log, and the columns the database job queue needs on `jobs` (created by 003):
 * `run_at` (when it may start; null = not scheduled, run in-process by its owner), `locked_by` and
 * `locked_until` (the instance holding it and until when its lease lasts), `attempts`.
 */
export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('assignments')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('recommendation_id', 'text', (c) => c.references('recommendations.id').onDelete('cascade'))
    .addColumn('cluster_id', 'text')
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    /** when the current due date was set: only updates approved since then answer it */
    .addColumn('due_set_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('assignments_rec_entity_uq', ['recommendation_id', 'entity_id'])
    .addUniqueConstraint('assignments_cluster_entity_uq', ['cluster_id', 'entity_id'])
    .addCheckConstraint('assignments_target_ck', sql`(recommendation_id is null) <> (cluster_id is null)`)
    .execute();
  await db.schema.createIndex('assignments_entity_idx').on('assignments').columns(['entity_id', 'due_date']).execute();
  await db.schema.createIndex('assignments_due_idx').on('assignments').column('due_date').execute();

  await db.schema
    .createTable('progress_updates')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('assignment_id', 'text', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id'))
    .addColumn('author_id', 'text', (c) => c.references('users.id'))
    .addColumn('period_start', 'text')
    .addColumn('period_end', 'text')
    .addColumn('text_ar', 'text')
    .addColumn('text_en', 'text')
    .addColumn('proposed_status', 'text', (c) => c.references('statuses.code'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('review_comment', 'text')
    .addColumn('reviewed_by', 'text', (c) => c.references('users.id'))
    .addColumn('reviewed_at', 'text')
    .addColumn('submitted_by', 'text', (c) => c.references('users.id'))
    .addColumn('submitted_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('progress_updates_assignment_idx').on('progress_updates').columns(['assignment_id', 'status']).execute();
  await db.schema.createIndex('progress_updates_entity_idx').on('progress_updates').columns(['entity_id', 'status']).execute();

  await db.schema
    .createTable('update_measures')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('update_id', 'text', (c) => c.notNull().references('progress_updates.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('description_ar', 'text')
    .addColumn('description_en', 'text')
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('update_measures_update_idx').on('update_measures').column('update_id').execute();

  await db.schema
    .createTable('update_indicators')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('update_id', 'text', (c) => c.notNull().references('progress_updates.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('unit', 'text')
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('update_indicators_update_idx').on('update_indicators').column('update_id').execute();

  await db.schema
    .createTable('evidence_files')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('update_id', 'text', (c) => c.notNull().references('progress_updates.id').onDelete('cascade'))
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('stored_name', 'text', (c) => c.notNull().unique())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evidence_files_update_idx').on('evidence_files').column('update_id').execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title_ar', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('body_ar', 'text')
    .addColumn('body_en', 'text')
    .addColumn('link', 'text')
    .addColumn('read_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('reminder_log')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('assignment_id', 'text', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('sent_on', 'text', (c) => c.notNull())
    .addUniqueConstraint('reminder_log_uq', ['assignment_id', 'kind', 'due_date'])
    .execute();

  await db.schema.alterTable('jobs').addColumn('run_at', 'text').execute();
  await db.schema.alterTable('jobs').addColumn('locked_by', 'text').execute();
  await db.schema.alterTable('jobs').addColumn('locked_until', 'text').execute();
  await db.schema.alterTable('jobs').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('jobs_queue_idx').on('jobs').columns(['status', 'run_at']).execute();
}

