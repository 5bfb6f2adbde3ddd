import type { Kysely } from 'kysely';

/**
 * Frozen: one record per recommendation, and imported classifications mapped onto the register's own (issue 13).
 * - `theme_mappings`: a source's label (e.g. a UPR Info issue, lower-cased) → one of the register's themes, so that
 *   an import links the theme the committee already has instead of creating an English-only twin. `term_id` null:
 *   the label is deliberately not linked to any theme.
 * - `recommendation_aliases`: the external ids of records merged into another (the survivor), with the fields
 *   their source last imported (JSON), so that re-importing that source finds the one record and never adds a
 *   duplicate, and finds nothing changed when the source has not changed.
 * - `recommendation_merges`: each merge, with what it needs to undo it (JSON: the merged record's row, the rows
 *   moved onto the survivor, the survivor's fields before), so that an unmerge restores both records;
 *   `undone_at` once unmerged.
 * - `recommendation_pair_decisions`: candidate pairs a coordinator chose to keep apart (a_id < b_id).
 */
export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('theme_mappings')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('term_id', 'text', (c) => c.references('terms.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('theme_mappings_pk', ['source', 'label'])
    .execute();


  await db.schema
    .createTable('recommendation_merges')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('survivor_id', 'text', (c) => c.notNull().references('recommendations.id').onDelete('cascade'))
    // no foreign key: the merged record's row is gone while merged (it is in `moved`), and back after an unmerge
    .addColumn('merged_id', 'text', (c) => c.notNull())
    .addColumn('moved', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('undone_at', 'text')
    .addColumn('undone_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('recommendation_merges_survivor_idx').on('recommendation_merges').column('survivor_id').execute();
  await db.schema.createIndex('recommendation_merges_merged_idx').on('recommendation_merges').column('merged_id').execute();

  await db.schema
    .createTable('recommendation_aliases')
    .addColumn('external_id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('recommendation_id', 'text', (c) => c.notNull().references('recommendations.id').onDelete('cascade'))
    .addColumn('merge_id', 'text', (c) => c.notNull().references('recommendation_merges.id').onDelete('cascade'))
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recommendation_aliases_rec_idx').on('recommendation_aliases').column('recommendation_id').execute();

  await db.schema
    .createTable('recommendation_pair_decisions')
    .addColumn('a_id', 'text', (c) => c.notNull().references('recommendations.id').onDelete('cascade'))
    .addColumn('b_id', 'text', (c) => c.notNull().references('recommendations.id').onDelete('cascade'))
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('recommendation_pair_decisions_pk', ['a_id', 'b_id'])
    .execute();
}
