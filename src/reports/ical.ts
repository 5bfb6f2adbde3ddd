import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { todayUtc } from '../assignments/index.ts';
import { recordAudit } from '../audit/index.ts';
import type { DB, User } from '../db/schema.ts';
import { notFound } from '../shared/errors.ts';
import { nowIso } from '../shared/ids.ts';
import { obligationTypeLabel } from './obligation-reminders.ts';
import { calendarActions } from './obligations.service.ts';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function feedStatus(db: Kysely<DB>, user: Pick<User, 'id'>) {
  const row = await db.selectFrom('calendar_feeds').select(['created_at', 'last_used_at']).where('user_id', '=', user.id).executeTakeFirst();
  return { active: !!row, created_at: row?.created_at ?? null, last_used_at: row?.last_used_at ?? null };
}

/** A new secret feed address for this user (any earlier one stops working). The token is shown once. */
export async function createFeed(db: Kysely<DB>, user: Pick<User, 'id'>, publicUrl: string) {
  const token = randomBytes(24).toString('base64url');
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('calendar_feeds').where('user_id', '=', user.id).execute();
    await trx.insertInto('calendar_feeds').values({ user_id: user.id, token_hash: hash(token), created_at: now, last_used_at: null }).execute();
    await recordAudit(trx, { actorId: user.id, action: 'calendar_feed.create', subjectType: 'user', subjectId: user.id });
  });
  return { url: `${publicUrl}/api/calendar/feed/${token}.ics`, created_at: now };
}

export async function revokeFeed(db: Kysely<DB>, user: Pick<User, 'id'>) {
  await db.transaction().execute(async (trx) => {
    const res = await trx.deleteFrom('calendar_feeds').where('user_id', '=', user.id).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw notFound('Calendar feed');
    await recordAudit(trx, { actorId: user.id, action: 'calendar_feed.revoke', subjectType: 'user', subjectId: user.id });
  });
}

/** RFC 5545 text: backslash, semicolon, comma and newline escaped. */
const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Folds a content line at 75 octets (continuation lines start with a space), never inside a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  let bytes = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > (out.length ? 74 : 75)) {
      out.push(cur);
      cur = '';
      bytes = 0;
    }
    cur += ch;
    bytes += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

const ymd = (d: string) => d.replace(/-/g, '');
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The .ics feed behind a secret address: reporting deadlines (all obligations not yet submitted, and submitted ones of
 * the last year), the update due dates of the user's own entity, and the end dates of the adopted action plan's
 * actions (those the user's entity leads or partners; all of them for a user without an entity). In the user's language. Unknown or revoked
 * address → 404.
 */
export async function renderFeed(db: Kysely<DB>, token: string, publicUrl: string): Promise<string> {
  const feed = await db
    .selectFrom('calendar_feeds as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .select(['u.id', 'u.locale', 'u.entity_id', 'u.disabled_at'])
    .where('f.token_hash', '=', hash(token))
    .executeTakeFirst();
  if (!feed || feed.disabled_at) throw notFound('Calendar feed');
  await db.updateTable('calendar_feeds').set({ last_used_at: nowIso() }).where('user_id', '=', feed.id).execute();
  const lang = feed.locale === 'en' ? 'en' : 'ar';
  const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  const obligations = await db
    .selectFrom('obligations as o')
    .innerJoin('bodies as b', 'b.id', 'o.body_id')
    .select(['o.id', 'o.type', 'o.due_date', 'o.status', 'o.title_ar', 'o.title_en', 'o.updated_at', 'b.code'])
    .where((eb) => eb.or([eb('o.status', '<>', 'submitted'), eb('o.due_date', '>=', yearAgo)]))
    .orderBy('o.due_date')
    .execute();
  const assignments = feed.entity_id
    ? await db
        .selectFrom('assignments as a')
        .leftJoin('recommendations as r', 'r.id', 'a.recommendation_id')
        .leftJoin('documents as d', 'd.id', 'r.document_id')
        .leftJoin('clusters as c', 'c.id', 'a.cluster_id')
        .select(['a.id', 'a.due_date', 'a.updated_at', 'd.symbol', 'r.paragraph', 'c.title_ar', 'c.title_en'])
        .where('a.entity_id', '=', feed.entity_id)
        .where('a.due_date', 'is not', null)
        .where('a.due_date', '>=', yearAgo)
        .orderBy('a.due_date')
        .execute()
    : [];
  // action plan end dates: the actions of the adopted plans (see calendarActions) that the user's entity leads or
  // partners, or all of them for a user without an entity (the secretariat)
  const actions = await calendarActions(db, { from: yearAgo, to: '9999-12-31', entity: feed.entity_id ?? undefined });
  const stamp = `${nowIso().replace(/[-:]/g, '').slice(0, 15)}Z`;
  const today = todayUtc();
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Rasd//Reporting calendar//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${esc(lang === 'ar' ? 'رصد — مواعيد التقارير' : 'Rasd — reporting deadlines')}`];
  for (const o of obligations) {
    const label = obligationTypeLabel(o.type)[lang];
    const title = (lang === 'ar' ? o.title_ar || o.title_en : o.title_en || o.title_ar) || label;
    const overdue = o.status !== 'submitted' && o.due_date < today;
    const prefix = overdue ? (lang === 'ar' ? 'متأخر: ' : 'Overdue: ') : '';
    lines.push(
      'BEGIN:VEVENT',
      `UID:obligation-${o.id}@rasd`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${ymd(o.due_date)}`,
      `DTEND;VALUE=DATE:${ymd(nextDay(o.due_date))}`,
      `SUMMARY:${esc(`${prefix}${title} (${o.code})`)}`,
      `DESCRIPTION:${esc(`${label} — ${o.code}`)}`,
      `URL:${publicUrl}/reports?obligation=${o.id}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  for (const a of assignments) {
    const what = a.symbol ? `${a.symbol} ${a.paragraph ?? ''}`.trim() : (lang === 'ar' ? a.title_ar || a.title_en : a.title_en || a.title_ar) || '';
    lines.push(
      'BEGIN:VEVENT',
      `UID:assignment-${a.id}@rasd`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${ymd(a.due_date!)}`,
      `DTEND;VALUE=DATE:${ymd(nextDay(a.due_date!))}`,
      `SUMMARY:${esc(`${lang === 'ar' ? 'تحديث مستحق' : 'Update due'}: ${what}`)}`,
      `URL:${publicUrl}/assignments/${a.id}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  for (const a of actions) {
    const title = (lang === 'ar' ? a.title_ar || a.title_en : a.title_en || a.title_ar) || a.code;
    const overdue = a.status !== 'completed' && a.end_date! < today;
    const prefix = overdue ? (lang === 'ar' ? 'متأخر: ' : 'Overdue: ') : '';
    lines.push(
      'BEGIN:VEVENT',
      `UID:action-${a.id}@rasd`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${ymd(a.end_date!)}`,
      `DTEND;VALUE=DATE:${ymd(nextDay(a.end_date!))}`,
      `SUMMARY:${esc(`${prefix}${lang === 'ar' ? 'نهاية إجراء' : 'Action ends'}: ${a.code} ${title}`)}`,
      `URL:${publicUrl}/plan/${a.plan_id}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
