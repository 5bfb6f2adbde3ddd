import type { Kysely, Transaction } from 'kysely';
import type { DB, NotificationsTable } from '../db/schema.ts';
import { notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';

type Q = Kysely<DB> | Transaction<DB>;
export type NewNotification = Omit<NotificationsTable, 'id' | 'read_at' | 'created_at'>;

/** In-app notifications; call inside the transaction of the change they announce. */
export async function createNotifications(db: Q, items: NewNotification[]): Promise<void> {
  if (items.length === 0) return;
  const now = nowIso();
  await db
    .insertInto('notifications')
    .values(items.map((n) => ({ ...n, id: newId(), read_at: null, created_at: now })))
    .execute();
}

export async function listMyNotifications(db: Kysely<DB>, userId: string, opts: { unread?: boolean; page: number; pageSize: number }) {
  let q = db.selectFrom('notifications').where('user_id', '=', userId);
  if (opts.unread) q = q.where('read_at', 'is', null);
  const [items, unread] = await Promise.all([
    q
      .select(['id', 'kind', 'title_ar', 'title_en', 'body_ar', 'body_en', 'link', 'read_at', 'created_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize)
      .execute(),
    db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, unread: Number(unread.n), page: opts.page, pageSize: opts.pageSize };
}

/** Marks one of my notifications read; someone else's is "not found" (its existence is not revealed). */
export async function markRead(db: Kysely<DB>, userId: string, id: string) {
  const row = await db.selectFrom('notifications').select(['id', 'read_at']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (!row) throw notFound('Notification');
  if (!row.read_at) await db.updateTable('notifications').set({ read_at: nowIso() }).where('id', '=', id).execute();
  return { id, read: true };
}
