import type { Kysely } from 'kysely';

/**
 * Frozen: reports to the UN (issue 12) — reporting obligations (what is owed to which body by when, the
 * documents and paragraphs it answers), their reminder log, report drafts with sections compiled from approved
 * progress updates, each section's edit history, review comments, and each user's iCalendar feed token.
 */
export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('obligations')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('body_id', 'text', (c) => c.notNull().references('bodies.id'))
    .addColumn('title_ar', 'text')
    .addColumn('title_en', 'text')
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('obligations_due_idx').on('obligations').columns(['due_date', 'status']).execute();

  await db.schema
    .createTable('obligation_documents')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('obligation_id', 'text', (c) => c.notNull().references('obligations.id').onDelete('cascade'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    /** JSON array of paragraph numbers answered, or null for the whole document */
    .addColumn('paragraphs', 'text')
    .addUniqueConstraint('obligation_documents_uq', ['obligation_id', 'document_id'])
    .execute();

  await db.schema
    .createTable('obligation_reminder_log')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('obligation_id', 'text', (c) => c.notNull().references('obligations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('sent_on', 'text', (c) => c.notNull())
    .addUniqueConstraint('obligation_reminder_log_uq', ['obligation_id', 'kind', 'due_date'])
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('obligation_id', 'text', (c) => c.notNull().references('obligations.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    /** which UN word limit applies (upr_national, common_core, treaty_initial, treaty_periodic, loipr_replies) or null */
    .addColumn('limit_kind', 'text')
    .addColumn('title_ar', 'text')
    .addColumn('title_en', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('symbol', 'text')
    .addColumn('submitted_on', 'text')
    .addColumn('compiled_at', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  /** one report per obligation */
  await db.schema.createIndex('reports_obligation_idx').on('reports').column('obligation_id').unique().execute();

  await db.schema
    .createTable('report_sections')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    /** stable template key: fixed:<name>, cluster:<id>, theme:<id>, other, para:<recommendation id> */
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('heading_ar', 'text', (c) => c.notNull())
    .addColumn('heading_en', 'text', (c) => c.notNull())
    .addColumn('text_ar', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    /** the text as last compiled (a section is "edited" in a language when its text differs from it) */
    .addColumn('compiled_ar', 'text', (c) => c.notNull())
    .addColumn('compiled_en', 'text', (c) => c.notNull())
    /** a newer compiled text waiting for the editor to take in or leave (edited sections only) */
    .addColumn('pending_ar', 'text')
    .addColumn('pending_en', 'text')
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .addColumn('source_changed', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON array of the recommendation ids the section covers */
    .addColumn('recommendation_ids', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('report_sections_key_uq', ['report_id', 'key'])
    .execute();

  await db.schema
    .createTable('report_section_history')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('section_id', 'text', (c) => c.notNull().references('report_sections.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('text_ar', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    /** compile, edit, accept */
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.references('users.id'))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_section_history_section_idx').on('report_section_history').columns(['section_id', 'version']).execute();

  await db.schema
    .createTable('report_comments')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('section_id', 'text', (c) => c.notNull().references('report_sections.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'text', (c) => c.references('users.id'))
    .addColumn('resolved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_comments_report_idx').on('report_comments').columns(['report_id', 'section_id']).execute();

  await db.schema
    .createTable('calendar_feeds')
    .addColumn('user_id', 'text', (c) => c.primaryKey().notNull().references('users.id').onDelete('cascade'))
    /** sha256 of the secret in the feed's address: a leaked database does not give usable feed links */
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();
}
