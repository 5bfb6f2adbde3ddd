import type { Kysely } from 'kysely';
import { addDays } from '../assignments/index.ts';
import type { DB } from '../db/schema.ts';
import { createNotifications, type Mailer } from '../notifications/index.ts';
import { newId } from '../shared/ids.ts';

export interface ObligationRemindersOptions {
  /** YYYY-MM-DD, UTC */
  today: string;
  /** a reminder goes this many days before the due date */
  reminderDays: number;
  mailer: Mailer;
  publicUrl: string;
  log?: { error(obj: unknown, msg?: string): void };
}

export interface ObligationRemindersResult {
  due: number;
  overdue: number;
  notifications: number;
  mails: number;
  mailErrors: string[];
}

const TYPE_LABELS: Record<string, { ar: string; en: string }> = {
  upr_national: { ar: 'التقرير الوطني للاستعراض الدوري الشامل', en: 'UPR national report' },
  upr_midterm: { ar: 'تقرير منتصف المدة للاستعراض الدوري الشامل', en: 'UPR mid-term report' },
  treaty_periodic: { ar: 'تقرير دوري إلى هيئة معاهدة', en: 'Treaty body periodic report' },
  loipr_replies: { ar: 'ردود على قائمة المسائل', en: 'Replies to a list of issues' },
  treaty_followup: { ar: 'تقرير متابعة الملاحظات الختامية', en: 'Follow-up report on concluding observations' },
  arab_charter: { ar: 'تقرير الميثاق العربي لحقوق الإنسان', en: 'Arab Charter report' },
  sp_followup: { ar: 'متابعة الإجراءات الخاصة', en: 'Special procedure follow-up' },
};
export const obligationTypeLabel = (type: string) => TYPE_LABELS[type] ?? { ar: type, en: type };

const ltr = (s: string) => `\u2066${s}\u2069`;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The daily reporting-deadline reminders, run by the job runner beside the assignment reminders. An
 * obligation not yet submitted is "due" when its due date falls within `reminderDays` from today and
 * "overdue" once the date has passed; each (obligation, kind, due date) is announced once
 * (obligation_reminder_log). Due → its owner (the coordinators when it has none); overdue → its owner and
 * the coordinators. In-app notice and one bilingual e-mail (Arabic first) per obligation and kind.
 */
export async function runObligationReminders(db: Kysely<DB>, opts: ObligationRemindersOptions): Promise<ObligationRemindersResult> {
  const horizon = addDays(opts.today, opts.reminderDays);
  const open = await db
    .selectFrom('obligations as o')
    .innerJoin('bodies as b', 'b.id', 'o.body_id')
    .select(['o.id', 'o.type', 'o.due_date', 'o.owner_id', 'o.title_ar', 'o.title_en', 'b.code as body_code'])
    .where('o.status', '<>', 'submitted')
    .where('o.due_date', '<=', horizon)
    .orderBy('o.due_date')
    .execute();
  const result: ObligationRemindersResult = { due: 0, overdue: 0, notifications: 0, mails: 0, mailErrors: [] };
  const mails: { to: string[]; subject: string; text: string; html: string }[] = [];

  await db.transaction().execute(async (trx) => {
    const coordinators = await trx.selectFrom('users').select(['id', 'email']).where('role', '=', 'coordinator').where('disabled_at', 'is', null).execute();
    for (const o of open) {
      const kind = o.due_date < opts.today ? 'overdue' : 'due';
      const logged = await trx
        .insertInto('obligation_reminder_log')
        .values({ id: newId(), obligation_id: o.id, kind, due_date: o.due_date, sent_on: opts.today })
        .onConflict((oc) => oc.columns(['obligation_id', 'kind', 'due_date']).doNothing())
        .executeTakeFirst();
      if (Number(logged.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
      result[kind] += 1;
      const owner = o.owner_id
        ? await trx.selectFrom('users').select(['id', 'email']).where('id', '=', o.owner_id).where('disabled_at', 'is', null).executeTakeFirst()
        : undefined;
      const recipients = new Map<string, string>();
      if (owner) recipients.set(owner.id, owner.email);
      if (kind === 'overdue' || !owner) for (const c of coordinators) recipients.set(c.id, c.email);
      if (recipients.size === 0) continue;
      const label = obligationTypeLabel(o.type);
      const name = { ar: o.title_ar || label.ar, en: o.title_en || label.en };
      const ar =
        kind === 'due'
          ? { subject: `تذكير: يحين موعد تقديم ${name.ar} في ${ltr(o.due_date)}`, body: `${name.ar} (${ltr(o.body_code)}) مستحق في ${ltr(o.due_date)}.` }
          : { subject: `إشعار تأخر: ${name.ar} تجاوز موعده ${ltr(o.due_date)}`, body: `انقضى موعد تقديم ${name.ar} (${ltr(o.body_code)}) في ${ltr(o.due_date)} ولم يُقدَّم بعد.` };
      const en =
        kind === 'due'
          ? { subject: `Reminder: ${name.en} due on ${o.due_date}`, body: `${name.en} (${o.body_code}) is due on ${o.due_date}.` }
          : { subject: `Overdue: ${name.en} was due on ${o.due_date}`, body: `${name.en} (${o.body_code}) was due on ${o.due_date} and has not been submitted.` };
      await createNotifications(
        trx,
        [...recipients.keys()].map((userId) => ({
          user_id: userId,
          kind: `obligation.${kind}`,
          title_ar: ar.subject,
          title_en: en.subject,
          body_ar: ar.body,
          body_en: en.body,
          link: `/reports?obligation=${o.id}`,
        })),
      );
      result.notifications += recipients.size;
      const link = `${opts.publicUrl}/reports?obligation=${o.id}`;
      mails.push({
        to: [...recipients.values()],
        subject: `${ar.subject} | ${en.subject}`,
        text: [ar.body, `افتح التقارير والتقويم: ${link}`, '', '----------------------------------------', '', en.body, `Open Reports & calendar: ${link}`, '', 'رصد — Rasd'].join('\n'),
        html: `<!doctype html><html><body><div dir="rtl" lang="ar" style="text-align:right"><p>${esc(ar.body)}</p><p><a href="${esc(link)}">افتح التقارير والتقويم</a></p></div><hr><div dir="ltr" lang="en" style="text-align:left"><p>${esc(en.body)}</p><p><a href="${esc(link)}">Open Reports &amp; calendar</a></p></div></body></html>`,
      });
    }
  });

  if (opts.mailer.enabled) {
    for (const m of mails) {
      try {
        await opts.mailer.send(m);
        result.mails += 1;
      } catch (err) {
        const message = (err as Error).message;
        result.mailErrors.push(message);
        opts.log?.error({ err: message, to: m.to.length }, 'obligation reminder e-mail failed');
      }
    }
  }
  return result;
}
