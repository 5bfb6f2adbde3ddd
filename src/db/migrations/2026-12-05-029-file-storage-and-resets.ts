import type { Kysely } from 'kysely';

/**
 * Frozen: administrators' password resets (issue 14, identity). `users.password_change_required_at` is set when
 * an administrator gives a user a temporary password: until they choose their own, a signed-in user can do
 * nothing else. `password_resets` holds single-use, expiring reset links sent by e-mail (stored as the sha256 of
 * the link's token: a leaked database gives no usable link).
 *
 * Files stored in the database (several instances, FILE_STORAGE=database): `files` one row per stored file,
 * `file_chunks` its bytes in order, in chunks of 1 MiB (blob on SQLite, bytea on PostgreSQL), deleted with it.
 */
export async function up(db: Kysely<any>, engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('files')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('file_chunks')
    .addColumn('file_id', 'text', (c) => c.notNull().references('files.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', engine === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_chunks_pk', ['file_id', 'seq'])
    .execute();
  await db.schema.alterTable('users').addColumn('password_change_required_at', 'text').execute();
  await db.schema
    .createTable('password_resets')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('password_resets_user_idx').on('password_resets').column('user_id').execute();
}
