import type { Kysely } from 'kysely';

/**
 * Frozen: two-factor sign-in with a time-based one-time code (issue 14, identity). On `users`: the shared
 * secret (base32; set when set-up starts, in use once `totp_enabled_at` is set) and the last time step a code
 * was accepted for (a code is good once). `recovery_codes`: ten single-use codes per user, stored as sha256.
 */
export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_enabled_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recovery_codes_user_idx').on('recovery_codes').column('user_id').execute();
}
