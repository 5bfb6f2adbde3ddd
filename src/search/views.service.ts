/** Saved views: a user's named list searches (the list's query string), private to that user. */
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { DB, User } from '../db/schema.ts';
import { notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';

export async function listViews(db: Kysely<DB>, user: User) {
  return db
    .selectFrom('saved_views')
    .select(['id', 'name', 'query', 'created_at'])
    .where('user_id', '=', user.id)
    .orderBy('name')
    .orderBy('created_at')
    .execute();
}

/** Stores the query string without a leading "?", e.g. "q=torture&body=CAT". */
export async function createView(db: Kysely<DB>, user: User, input: { name: string; query: string }) {
  const row = { id: newId(), user_id: user.id, name: input.name.trim(), query: input.query.replace(/^\?/, ''), created_at: nowIso() };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('saved_views').values(row).execute();
    await recordAudit(trx, { actorId: user.id, action: 'view.create', subjectType: 'saved_view', subjectId: row.id, after: { name: row.name, query: row.query } });
  });
  return { id: row.id, name: row.name, query: row.query, created_at: row.created_at };
}

/** Deletes one of the user's own views; someone else's view is "not found". */
export async function deleteView(db: Kysely<DB>, user: User, id: string) {
  await db.transaction().execute(async (trx) => {
    const view = await trx.selectFrom('saved_views').selectAll().where('id', '=', id).where('user_id', '=', user.id).executeTakeFirst();
    if (!view) throw notFound('Saved view');
    await trx.deleteFrom('saved_views').where('id', '=', id).execute();
    await recordAudit(trx, { actorId: user.id, action: 'view.delete', subjectType: 'saved_view', subjectId: id, before: { name: view.name, query: view.query } });
  });
}
