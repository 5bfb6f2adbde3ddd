import type { Kysely } from 'kysely';
import { addDays, answeredSql } from '../assignments/index.ts';
import type { DB } from '../db/schema.ts';
import { createNotifications, reminderMail, type Mailer, type ReminderItem } from '../notifications/index.ts';
import { newId } from '../shared/ids.ts';

export interface RemindersOptions {
  /** YYYY-MM-DD, UTC */
  today: string;
  reminderDays: number;
  mailer: Mailer;
  publicUrl: string;
  log?: { error(obj: unknown, msg?: string): void };
}

export interface RemindersResult {
  due: number;
  overdue: number;
  notifications: number;
  mails: number;
  mailErrors: string[];
}

/**
 * The daily reminders. An assignment with a due date and no update approved since that due date was set is
 * "due" when the date falls within `reminderDays` from today and "overdue" once it has passed. Each
 * (assignment, kind, due date) is announced once (reminder_log): due → the entity's focal points;
 * overdue → the entity's focal points and the coordinators. One in-app notification and one bilingual
 * e-mail per entity and kind. Mail goes out after the log is committed; a failed send is reported in the
 * job result and logged, not retried (the in-app notice is already there).
 */
export async function runReminders(db: Kysely<DB>, opts: RemindersOptions): Promise<RemindersResult> {
  const horizon = addDays(opts.today, opts.reminderDays);
  const open = await db
    .selectFrom('assignments as a')
    .innerJoin('entities as e', 'e.id', 'a.entity_id')
    .leftJoin('recommendations as r', 'r.id', 'a.recommendation_id')
    .leftJoin('documents as d', 'd.id', 'r.document_id')
    .leftJoin('clusters as c', 'c.id', 'a.cluster_id')
    .select([
      'a.id',
      'a.entity_id',
      'a.due_date',
      'a.cluster_id',
      'e.name_ar',
      'e.name_en',
      'd.symbol',
      'r.paragraph',
      'c.title_en as cluster_title',
    ])
    .where('a.due_date', 'is not', null)
    .where('a.due_date', '<=', horizon)
    .where((eb) => eb.not(answeredSql))
    .where('e.archived_at', 'is', null)
    .orderBy('a.due_date')
    .execute();

  type Group = { kind: 'due' | 'overdue'; entityId: string; entity: { name_ar: string; name_en: string }; items: ReminderItem[] };
  const result: RemindersResult = { due: 0, overdue: 0, notifications: 0, mails: 0, mailErrors: [] };
  const mails: { to: string[]; group: Group }[] = [];

  await db.transaction().execute(async (trx) => {
    const groups = new Map<string, Group>();
    for (const a of open) {
      const kind = a.due_date! < opts.today ? 'overdue' : 'due';
      const logged = await trx
        .insertInto('reminder_log')
        .values({ id: newId(), assignment_id: a.id, kind, due_date: a.due_date!, sent_on: opts.today })
        .onConflict((oc) => oc.columns(['assignment_id', 'kind', 'due_date']).doNothing())
        .executeTakeFirst();
      if (Number(logged.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
      result[kind] += 1;
      const key = `${kind}:${a.entity_id}`;
      const group = groups.get(key) ?? { kind, entityId: a.entity_id, entity: { name_ar: a.name_ar, name_en: a.name_en }, items: [] };
      const label = a.cluster_id ? `Cluster: ${a.cluster_title ?? a.cluster_id}` : [a.symbol, a.paragraph].filter(Boolean).join(' ');
      group.items.push({ assignmentId: a.id, label, dueDate: a.due_date! });
      groups.set(key, group);
    }
    for (const group of groups.values()) {
      const roles = group.kind === 'overdue' ? ['focal_point', 'coordinator'] : ['focal_point'];
      const users = await trx
        .selectFrom('users')
        .select(['id', 'email', 'role', 'entity_id'])
        .where('disabled_at', 'is', null)
        .where('role', 'in', roles as ('focal_point' | 'coordinator')[])
        .execute();
      const recipients = users.filter((u) => u.role === 'coordinator' || u.entity_id === group.entityId);
      if (recipients.length === 0) continue;
      const mail = reminderMail(group.kind, group.entity, group.items, opts.publicUrl);
      await createNotifications(
        trx,
        recipients.map((u) => ({
          user_id: u.id,
          kind: `reminder.${group.kind}`,
          title_ar: mail.ar.subject,
          title_en: mail.en.subject,
          body_ar: `${mail.ar.intro}\n${group.items.map((i) => `${i.label} — ${i.dueDate}`).join('\n')}`,
          body_en: `${mail.en.intro}\n${group.items.map((i) => `${i.label} — ${i.dueDate}`).join('\n')}`,
          link: u.role === 'coordinator' ? `/assignments?overdue=true&entity=${group.entityId}` : '/workspace',
        })),
      );
      result.notifications += recipients.length;
      mails.push({ to: recipients.map((u) => u.email), group });
    }
  });

  if (opts.mailer.enabled) {
    for (const m of mails) {
      const mail = reminderMail(m.group.kind, m.group.entity, m.group.items, opts.publicUrl);
      try {
        await opts.mailer.send({ to: m.to, subject: mail.subject, text: mail.text, html: mail.html });
        result.mails += 1;
      } catch (err) {
        const message = (err as Error).message;
        result.mailErrors.push(message);
        opts.log?.error({ err: message, to: m.to.length }, 'reminder e-mail failed');
      }
    }
  }
  return result;
}
