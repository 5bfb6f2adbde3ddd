import type { Kysely } from 'kysely';

/**
 * Frozen: tag suggestions (issue 17). `tagger_models` holds trained tagger models (the model as JSON, when and by whom
 * it was trained, on how many labelled recommendations, with its leave-one-out figures); the newest is the one in use.
 * `tag_suggestions` holds one suggested term per recommendation with its confidence (per mille) and what a person
 * decided: pending until someone accepts it (the term is then added to the recommendation) or rejects it (it is not
 * suggested again).
 */
export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('tagger_models')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('trained_at', 'text', (c) => c.notNull())
    .addColumn('trained_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('job_id', 'text')
    .addColumn('docs', 'integer', (c) => c.notNull())
    .addColumn('labels', 'integer', (c) => c.notNull())
    .addColumn('stats', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tagger_models_trained_idx').on('tagger_models').column('trained_at').execute();

  await db.schema
    .createTable('tag_suggestions')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('recommendation_id', 'text', (c) => c.notNull().references('recommendations.id').onDelete('cascade'))
    .addColumn('term_id', 'text', (c) => c.notNull().references('terms.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('confidence', 'integer', (c) => c.notNull())
    .addColumn('model_id', 'text', (c) => c.references('tagger_models.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('tag_suggestions_uq', ['recommendation_id', 'term_id'])
    .execute();
  await db.schema.createIndex('tag_suggestions_status_idx').on('tag_suggestions').columns(['status', 'recommendation_id']).execute();
  await db.schema.createIndex('tag_suggestions_term_idx').on('tag_suggestions').column('term_id').execute();
}
