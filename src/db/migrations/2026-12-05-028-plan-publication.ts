import type { Kysely } from 'kysely';

/**
 * Frozen: publication of an action plan on the public portal (issue 16). An adopted plan version may be
 * published by a coordinator (`plans.published_at`, `plans.published_by`); the portal shows a plan, its pillars,
 * objectives, actions and indicators only while `published_at` is set. A new draft version starts unpublished.
 */
export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.alterTable('plans').addColumn('published_at', 'text').execute();
  await db.schema.alterTable('plans').addColumn('published_by', 'text', (c) => c.references('users.id')).execute();
}
