import type { Kysely } from 'kysely';

/**
 * Frozen: OpenID Connect sign-in (issue 14, identity). `users.oidc_subject` is the identity provider's subject
 * (`sub`) of a user who signed in through it; `oidc_requests` holds each sign-in under way (state, nonce, PKCE
 * verifier) for the few minutes between leaving for the provider and coming back, shared by every instance.
 */
export async function up(db: Kysely<any>, _engine: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.alterTable('users').addColumn('oidc_subject', 'text').execute();
  await db.schema.createIndex('users_oidc_subject_idx').on('users').column('oidc_subject').unique().execute();
  await db.schema
    .createTable('oidc_requests')
    .addColumn('state', 'text', (c) => c.primaryKey().notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
