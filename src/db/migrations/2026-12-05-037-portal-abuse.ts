import { sql, type Kysely } from 'kysely';

/**
 * Frozen: the portal's public forms against abuse (issue 16).
 * - A stakeholder's registration is confirmed by a single-use, expiring link mailed to its address:
 *   `stakeholder_profiles.confirm_token_hash` (sha256 of the link's token, cleared once used) and
 *   `confirm_expires_at`; `email_confirmed_at` set when the link is followed. Registrations made before this
 *   migration count as confirmed (they were made when no link was sent).
 * - `rate_limits`: one row per key (a form and an address or account), the hits in the current window and when it
 *   started, so that every instance on one database counts against the same limit.
 * - `pow_spent`: proof-of-work challenges already used (until they expire), so that a proof is accepted once.
 */
export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.alterTable('stakeholder_profiles').addColumn('email_confirmed_at', 'text').execute();
  await db.schema.alterTable('stakeholder_profiles').addColumn('confirm_token_hash', 'text').execute();
  await db.schema.alterTable('stakeholder_profiles').addColumn('confirm_expires_at', 'text').execute();
  await sql`update stakeholder_profiles set email_confirmed_at = created_at`.execute(db);
  await db.schema.createIndex('stakeholder_profiles_confirm_idx').unique().on('stakeholder_profiles').column('confirm_token_hash').execute();
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey().notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('pow_spent')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pow_spent_expires_idx').on('pow_spent').column('expires_at').execute();
}
