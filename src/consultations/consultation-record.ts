import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/permissions.ts';
import type { DB } from '../db/schema.ts';
import { consultationRecord } from './consultations.service.ts';

/** Words of the record workbook in both languages. */
const W = {
  summary: { ar: 'ملخص المشاورة', en: 'Summary' },
  invited: { ar: 'المدعوون', en: 'Invited' },
  participants: { ar: 'المشاركون', en: 'Participants' },
  items: { ar: 'البنود', en: 'Items' },
  title: { ar: 'العنوان', en: 'Title' },
  subject: { ar: 'موضوع المشاورة', en: 'Subject' },
  opens: { ar: 'تاريخ الفتح', en: 'Opens' },
  closes: { ar: 'تاريخ الإغلاق', en: 'Closes' },
  audience: { ar: 'الجمهور', en: 'Audience' },
  invitedCount: { ar: 'عدد المدعوين', en: 'Stakeholders invited' },
  participantCount: { ar: 'عدد المشاركين', en: 'Stakeholders who took part' },
  comments: { ar: 'عدد التعليقات', en: 'Comments' },
  accepted: { ar: 'المقبولة', en: 'Accepted' },
  rejected: { ar: 'المرفوضة', en: 'Rejected' },
  pending: { ar: 'قيد المراجعة', en: 'Pending' },
  itemCount: { ar: 'عدد البنود', en: 'Items consulted on' },
  questions: { ar: 'الأسئلة', en: 'Questions' },
  name: { ar: 'الاسم', en: 'Name' },
  organisation: { ar: 'الجهة', en: 'Organisation' },
  kind: { ar: 'نوع الجهة', en: 'Kind' },
  invitedAt: { ar: 'تاريخ الدعوة', en: 'Invited on' },
  firstAt: { ar: 'أول تعليق', en: 'First comment' },
  lastAt: { ar: 'آخر تعليق', en: 'Last comment' },
  ref: { ar: 'المرجع', en: 'Reference' },
  text: { ar: 'النص', en: 'Text' },
  generated: { ar: 'تاريخ الإعداد', en: 'Generated' },
} as const;
const SUBJECTS = { recommendations: { ar: 'توصيات مختارة', en: 'Selected recommendations' }, report: { ar: 'مسودة تقرير', en: 'Report draft' }, plan: { ar: 'مسودة خطة العمل', en: 'Action-plan draft' } };
const AUDIENCES = { open: { ar: 'كل الجهات المعتمدة', en: 'All approved stakeholders' }, invited: { ar: 'المدعوون فقط', en: 'Invited only' } };
const KINDS: Record<string, { ar: string; en: string }> = { nhri: { ar: 'مؤسسة وطنية لحقوق الإنسان', en: 'National human rights institution' }, civil_society: { ar: 'مجتمع مدني', en: 'Civil society' }, other: { ar: 'أخرى', en: 'Other' } };

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '');

/** The consultation record as a workbook in one language (Arabic sheets right to left): summary, invited, participants, items. */
export async function consultationRecordXlsx(db: Kysely<DB>, id: string, actor: Actor, lang: 'ar' | 'en'): Promise<Buffer> {
  const r = await consultationRecord(db, id, actor);
  const c = r.consultation;
  const w = (k: keyof typeof W) => W[k][lang];
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Rasd';
  const sheet = (name: string, widths: number[]) => {
    const s = wb.addWorksheet(name, { views: [{ rightToLeft: lang === 'ar', state: 'frozen', ySplit: 1 }] });
    s.columns = widths.map((width) => ({ width }));
    return s;
  };
  const head = (s: ExcelJS.Worksheet, cells: string[]) => {
    const row = s.addRow(cells);
    row.font = { bold: true };
  };

  const sum = sheet(w('summary'), [34, 70]);
  head(sum, [w('summary'), '']);
  const pairs: [string, string | number][] = [
    [w('title'), lang === 'ar' ? c.title_ar : c.title_en],
    [w('subject'), SUBJECTS[c.subject][lang]],
    [w('opens'), day(c.opens_at)],
    [w('closes'), day(c.closes_at)],
    [w('audience'), AUDIENCES[c.audience][lang]],
    [w('itemCount'), r.totals.items],
    [w('invitedCount'), r.totals.invited],
    [w('participantCount'), r.totals.participants],
    [w('comments'), r.totals.comments],
    [w('accepted'), r.totals.accepted],
    [w('rejected'), r.totals.rejected],
    [w('pending'), r.totals.pending],
    [w('questions'), c.questions.map((q, i) => `${i + 1}. ${lang === 'ar' ? q.ar : q.en}`).join('\n')],
    [w('generated'), day(new Date().toISOString())],
  ];
  for (const p of pairs) sum.addRow(p);
  sum.getColumn(2).alignment = { wrapText: true, vertical: 'top' };

  const inv = sheet(w('invited'), [30, 40, 16]);
  head(inv, [w('name'), w('organisation'), w('invitedAt')]);
  for (const i of c.invitations) inv.addRow([i.name, i.organisation ?? '', day(i.invited_at)]);

  const part = sheet(w('participants'), [30, 40, 28, 12, 12, 14, 14]);
  head(part, [w('name'), w('organisation'), w('kind'), w('comments'), w('accepted'), w('firstAt'), w('lastAt')]);
  for (const p of r.participants) part.addRow([p.name, p.organisation ?? '', p.org_kind ? (KINDS[p.org_kind]?.[lang] ?? p.org_kind) : '', p.comments, p.accepted, day(p.first_at), day(p.last_at)]);

  const items = sheet(w('items'), [24, 80, 12, 12]);
  head(items, [w('ref'), w('text'), w('comments'), w('accepted')]);
  for (const it of r.perItem) items.addRow([it.ref, lang === 'ar' ? it.label_ar : it.label_en, it.comments, it.accepted]);

  return Buffer.from(await wb.xlsx.writeBuffer());
}
