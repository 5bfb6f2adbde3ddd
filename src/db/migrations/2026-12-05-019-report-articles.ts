import type { Kysely } from 'kysely';

/**
 * Frozen: treaty reports laid out article by article (issue 12). `reports.structure` says how a report's body is
 * laid out when its type offers a choice: `by_paragraph` (one section per concluding-observation paragraph) or
 * `by_article` (one section per article of the treaty); null for the types with one layout only.
 * `report_articles` holds, for a report laid out by article, the article each covered recommendation is reported
 * under: `suggested` 1 when Rasd pre-assigned it from an article the recommendation's own text cites, 0 when a person
 * chose it.
 */
export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.alterTable('reports').addColumn('structure', 'text').execute();
  await db.schema
    .createTable('report_articles')
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('recommendation_id', 'text', (c) => c.notNull().references('recommendations.id').onDelete('cascade'))
    .addColumn('article', 'text', (c) => c.notNull())
    .addColumn('suggested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('assigned_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_articles_pk', ['report_id', 'recommendation_id'])
    .execute();
}
