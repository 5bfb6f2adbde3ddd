import { sql, type Kysely } from 'kysely';

/**
 * Frozen: the national human rights action plan (issue 11). Plan → pillars → objectives → actions, with
 * partners, links to recommendations, clusters and SDG targets; indicators (on an action or an objective)
 * and their reported values (draft → submitted → returned | approved). Numbers that may hold decimals
 * (budget, baseline, target, value) are decimal text, so that both engines store and return the same thing.
 * `lineage_id` groups the versions of one plan; `version_number` is the plan's public version (1, 2, …);
 * `version` is the row's optimistic-concurrency counter, as everywhere.
 */
export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('lineage_id', 'text', (c) => c.notNull())
    .addColumn('version_number', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('previous_id', 'text', (c) => c.references('plans.id'))
    .addColumn('title_ar', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('adopted_at', 'text')
    .addColumn('adopted_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('plans_lineage_version_uq', ['lineage_id', 'version_number'])
    .execute();

  await db.schema
    .createTable('plan_pillars')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('title_ar', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('plan_pillars_code_uq', ['plan_id', 'code'])
    .execute();

  await db.schema
    .createTable('plan_objectives')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('pillar_id', 'text', (c) => c.notNull().references('plan_pillars.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('title_ar', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('plan_objectives_code_uq', ['plan_id', 'code'])
    .execute();
  await db.schema.createIndex('plan_objectives_pillar_idx').on('plan_objectives').column('pillar_id').execute();

  await db.schema
    .createTable('plan_actions')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('objective_id', 'text', (c) => c.notNull().references('plan_objectives.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('title_ar', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('description_ar', 'text')
    .addColumn('description_en', 'text')
    .addColumn('lead_entity_id', 'text', (c) => c.references('entities.id'))
    .addColumn('start_date', 'text')
    .addColumn('end_date', 'text')
    .addColumn('budget_amount', 'text')
    .addColumn('budget_currency', 'text')
    .addColumn('budget_source', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('priority', 'text', (c) => c.notNull().defaultTo('medium'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('not_started'))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('plan_actions_code_uq', ['plan_id', 'code'])
    .execute();
  await db.schema.createIndex('plan_actions_objective_idx').on('plan_actions').column('objective_id').execute();
  await db.schema.createIndex('plan_actions_lead_idx').on('plan_actions').column('lead_entity_id').execute();

  await db.schema
    .createTable('plan_action_partners')
    .addColumn('action_id', 'text', (c) => c.notNull().references('plan_actions.id').onDelete('cascade'))
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id'))
    .addPrimaryKeyConstraint('plan_action_partners_pk', ['action_id', 'entity_id'])
    .execute();
  await db.schema
    .createTable('plan_action_recommendations')
    .addColumn('action_id', 'text', (c) => c.notNull().references('plan_actions.id').onDelete('cascade'))
    .addColumn('recommendation_id', 'text', (c) => c.notNull().references('recommendations.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('plan_action_recommendations_pk', ['action_id', 'recommendation_id'])
    .execute();
  await db.schema
    .createIndex('plan_action_recommendations_rec_idx')
    .on('plan_action_recommendations')
    .column('recommendation_id')
    .execute();
  await db.schema
    .createTable('plan_action_clusters')
    .addColumn('action_id', 'text', (c) => c.notNull().references('plan_actions.id').onDelete('cascade'))
    .addColumn('cluster_id', 'text', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('plan_action_clusters_pk', ['action_id', 'cluster_id'])
    .execute();
  await db.schema.createIndex('plan_action_clusters_cluster_idx').on('plan_action_clusters').column('cluster_id').execute();
  await db.schema
    .createTable('plan_action_sdgs')
    .addColumn('action_id', 'text', (c) => c.notNull().references('plan_actions.id').onDelete('cascade'))
    .addColumn('term_id', 'text', (c) => c.notNull().references('terms.id'))
    .addPrimaryKeyConstraint('plan_action_sdgs_pk', ['action_id', 'term_id'])
    .execute();

  await db.schema
    .createTable('plan_indicators')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('action_id', 'text', (c) => c.references('plan_actions.id').onDelete('cascade'))
    .addColumn('objective_id', 'text', (c) => c.references('plan_objectives.id').onDelete('cascade'))
    .addColumn('name_ar', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('unit', 'text')
    .addColumn('baseline_value', 'text')
    .addColumn('baseline_year', 'integer')
    .addColumn('target_value', 'text')
    .addColumn('target_year', 'integer')
    .addColumn('data_source', 'text')
    .addColumn('frequency', 'text', (c) => c.notNull().defaultTo('annual'))
    .addColumn('reporting_entity_id', 'text', (c) => c.references('entities.id'))
    .addColumn('disaggregation', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('plan_indicators_owner_ck', sql`(action_id is null) <> (objective_id is null)`)
    .execute();
  await db.schema.createIndex('plan_indicators_action_idx').on('plan_indicators').column('action_id').execute();
  await db.schema.createIndex('plan_indicators_objective_idx').on('plan_indicators').column('objective_id').execute();
  await db.schema.createIndex('plan_indicators_entity_idx').on('plan_indicators').column('reporting_entity_id').execute();

  await db.schema
    .createTable('plan_indicator_values')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('plan_indicators.id').onDelete('cascade'))
    .addColumn('entity_id', 'text', (c) => c.references('entities.id'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('review_comment', 'text')
    .addColumn('author_id', 'text', (c) => c.references('users.id'))
    .addColumn('submitted_by', 'text', (c) => c.references('users.id'))
    .addColumn('submitted_at', 'text')
    .addColumn('reviewed_by', 'text', (c) => c.references('users.id'))
    .addColumn('reviewed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('plan_indicator_values_indicator_idx')
    .on('plan_indicator_values')
    .columns(['indicator_id', 'status', 'date'])
    .execute();
}
