import type { Kysely } from 'kysely';

/**
 * Frozen: the public portal (issue 16). A progress update, once approved, may be marked public by a curator
 * (`progress_updates.is_public`, 0/1): the portal shows only approved updates so marked, and only on published
 * recommendations.
 */
export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.alterTable('progress_updates').addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
