import type { Kysely } from 'kysely';

/**
 * Frozen: login throttling by counters reserved before a password is checked (issue 18). `login_throttle`
 * holds one row per key (an account at an address, an account, an address): the attempts in the current
 * window, when the window started, how many times the key was locked (back-off) and until when.
 * `known_devices` remembers the browsers a user signed in from (sha256 of a cookie token), so that the right
 * password from one of them passes an account-wide lock. `login_failures` (one row per failure, counted after
 * the password check) is gone.
 */
export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.dropTable('login_failures').execute();
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey().notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('strikes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .execute();
  await db.schema
    .createTable('known_devices')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('known_devices_user_idx').on('known_devices').column('user_id').execute();
}
