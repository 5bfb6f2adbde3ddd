import type { Kysely } from 'kysely';

/**
 * Frozen: consultation of the national human-rights institution and civil society (issue 16, items 3 and 4).
 * - `stakeholder_profiles`: one row per self-registered stakeholder account (users.role = 'stakeholder'): the
 *   organisation, and a coordinator's decision (pending → approved | rejected, with a reason). A pending or
 *   rejected account is disabled (users.disabled_at) so it cannot sign in.
 * - `consultations`: a coordinator's call for comments on a selection of recommendations, a report draft or an
 *   action-plan draft (`subject`, `subject_id`), with a period, bilingual title, description and questions (JSON
 *   list of {ar, en}), open to every approved stakeholder or to those invited only (`audience`).
 * - `consultation_items`: what may be commented on (recommendation, report_section or plan_action ids).
 * - `consultation_invitations`: who was invited.
 * - `consultation_comments`: a stakeholder's comment on one item, with an optional attachment (the bytes in
 *   DATA_DIR/evidence/, named by `attachment_stored_name`), and the moderation: pending → accepted | rejected
 *   (with a reason); an accepted comment may be shown in public (`is_public`).
 */
export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('stakeholder_profiles')
    .addColumn('user_id', 'text', (c) => c.primaryKey().notNull().references('users.id').onDelete('cascade'))
    .addColumn('organisation', 'text', (c) => c.notNull())
    .addColumn('org_kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decision_reason', 'text')
    .addColumn('decided_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('stakeholder_profiles_status_idx').on('stakeholder_profiles').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('consultations')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('title_ar', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('description_ar', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description_en', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('questions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('opens_at', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('consultations_period_idx').on('consultations').columns(['closes_at', 'opens_at']).execute();

  await db.schema
    .createTable('consultation_items')
    .addColumn('consultation_id', 'text', (c) => c.notNull().references('consultations.id').onDelete('cascade'))
    .addColumn('item_type', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('consultation_items_pk', ['consultation_id', 'item_type', 'item_id'])
    .execute();
  await db.schema.createIndex('consultation_items_item_idx').on('consultation_items').columns(['item_type', 'item_id']).execute();

  await db.schema
    .createTable('consultation_invitations')
    .addColumn('consultation_id', 'text', (c) => c.notNull().references('consultations.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('invited_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('invited_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('consultation_invitations_pk', ['consultation_id', 'user_id'])
    .execute();
  await db.schema.createIndex('consultation_invitations_user_idx').on('consultation_invitations').column('user_id').execute();

  await db.schema
    .createTable('consultation_comments')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('consultation_id', 'text', (c) => c.notNull().references('consultations.id').onDelete('cascade'))
    .addColumn('item_type', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('attachment_name', 'text')
    .addColumn('attachment_stored_name', 'text')
    .addColumn('attachment_mime', 'text')
    .addColumn('attachment_size', 'integer')
    .addColumn('attachment_sha256', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('moderation_reason', 'text')
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('moderated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('moderated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('consultation_comments_consultation_idx').on('consultation_comments').columns(['consultation_id', 'created_at']).execute();
  await db.schema.createIndex('consultation_comments_item_idx').on('consultation_comments').columns(['item_type', 'item_id', 'status']).execute();
  await db.schema.createIndex('consultation_comments_author_idx').on('consultation_comments').column('author_id').execute();
}
