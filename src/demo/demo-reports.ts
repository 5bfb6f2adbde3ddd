import type { Kysely } from 'kysely';
import { addDays, todayUtc } from '../assignments/index.ts';
import type { Actor } from '../auth/permissions.ts';
import type { DB } from '../db/schema.ts';
import { addMonths, createObligation, createReport } from '../reports/index.ts';
import { createUpdate, transitionUpdate } from '../updates/index.ts';

/** Approved updates the mid-term report is compiled from (fictional, like the rest of the demo). */
const APPROVED: { ar: string; en: string; status: string; measure?: { type: 'legislation' | 'policy' | 'programme' | 'institution' | 'training'; ar: string; en: string }; indicator?: { name: string; value: number; unit: string } }[] = [
  {
    ar: 'أقرّ مجلس الوزراء الخطة الوطنية لحقوق الإنسان للفترة 2026–2030 بعد مشاورات مع المجتمع المدني.',
    en: 'The Council of Ministers adopted the national human rights plan for 2026–2030 after consultations with civil society.',
    status: 'partially_implemented',
    measure: { type: 'policy', ar: 'الخطة الوطنية لحقوق الإنسان', en: 'National human rights plan' },
  },
  {
    ar: 'صدر قانون جديد للعمالة المنزلية يحدد ساعات العمل ويكفل يوم راحة أسبوعياً.',
    en: 'A new domestic workers law sets working hours and guarantees a weekly day of rest.',
    status: 'fully_implemented',
    measure: { type: 'legislation', ar: 'قانون العمالة المنزلية', en: 'Domestic Workers Law' },
    indicator: { name: 'Labour inspections', value: 420, unit: 'visits' },
  },
  {
    ar: 'دُرّب موظفو إنفاذ القانون على معايير منع التعذيب وسوء المعاملة.',
    en: 'Law enforcement officers were trained on standards for preventing torture and ill-treatment.',
    status: 'in_progress',
    measure: { type: 'training', ar: 'برنامج تدريب سنوي', en: 'Annual training programme' },
    indicator: { name: 'Officers trained', value: 310, unit: 'people' },
  },
  {
    ar: 'أُنشئت وحدة لحماية الطفل في كل محافظة.',
    en: 'A child protection unit was set up in every governorate.',
    status: 'fully_implemented',
    measure: { type: 'institution', ar: 'وحدات حماية الطفل', en: 'Child protection units' },
  },
  {
    ar: 'وُسّع برنامج التعليم الدامج ليشمل 40 مدرسة إضافية.',
    en: 'The inclusive education programme was extended to 40 more schools.',
    status: 'partially_implemented',
    measure: { type: 'programme', ar: 'برنامج التعليم الدامج', en: 'Inclusive education programme' },
    indicator: { name: 'Schools covered', value: 40, unit: 'schools' },
  },
];

/**
 * Reporting in the demo workspace: the obligations a committee like this carries (the UPR mid-term and next
 * national report, CAT follow-up — overdue —, the CEDAW periodic report, the Arab Charter report answering the Arab Human
 * Rights Committee's concluding observations; each obligation answers a source document), a few more
 * approved updates on the 2025 UPR recommendations, and the mid-term report draft compiled from them.
 */
export async function seedDemoReports(db: Kysely<DB>, now = new Date()): Promise<void> {
  const users = await db.selectFrom('users').select(['id', 'email', 'role', 'entity_id']).execute();
  const coordinator = users.find((u) => u.email === 'coordinator@rasd.example');
  if (!coordinator) return;
  const actor: Actor = { id: coordinator.id, role: coordinator.role, entity_id: coordinator.entity_id };
  const today = todayUtc(now);
  const docs = await db.selectFrom('documents').select(['id', 'symbol', 'date']).execute();
  const doc = (symbol: string) => docs.find((d) => d.symbol === symbol);
  const upr = doc('A/HRC/59/98');
  const cat = doc('CAT/C/WAH/CO/3');
  const cedaw = doc('CEDAW/C/WAH/CO/5');
  const ahrc = doc('AHRC/WAH/CO/1');
  if (!upr?.date || !cat || !cedaw || !ahrc) return;

  // approved updates on UPR assignments that have none yet (the first of each of five entities)
  const open = await db
    .selectFrom('assignments as a')
    .innerJoin('recommendations as r', 'r.id', 'a.recommendation_id')
    .select(['a.id', 'a.entity_id'])
    .where('r.document_id', '=', upr.id)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('progress_updates as pu').select('pu.id').whereRef('pu.assignment_id', '=', 'a.id'))))
    .orderBy('r.paragraph')
    .execute();
  // not the Ministry of Justice: its workspace keeps the follow-up demo's draft / submitted / approved trio
  const moj = await db.selectFrom('entities').select('id').where('code', '=', 'MOJ').executeTakeFirst();
  const picked: typeof open = [];
  for (const a of open) {
    if (a.entity_id !== moj?.id && picked.length < APPROVED.length && !picked.some((p) => p.entity_id === a.entity_id)) picked.push(a);
  }
  for (const [i, a] of picked.entries()) {
    const u = APPROVED[i]!;
    const created = await createUpdate(
      db,
      a.id,
      {
        period_start: addDays(today, -300),
        period_end: addDays(today, -30),
        text_ar: u.ar,
        text_en: u.en,
        proposed_status: u.status,
        measures: u.measure ? [{ type: u.measure.type, description_ar: u.measure.ar, description_en: u.measure.en }] : [],
        indicators: u.indicator ? [u.indicator] : [],
      },
      actor,
    );
    await transitionUpdate(db, created.id, 'submit', {}, actor);
    await transitionUpdate(db, created.id, 'approve', {}, actor);
  }

  const basis = upr.date.slice(0, 10);
  const midterm = await createObligation(
    db,
    { type: 'upr_midterm', body: 'UPR', dueDate: addMonths(basis, 30), ownerId: coordinator.id, title_ar: 'تقرير منتصف المدة — الجولة الرابعة', title_en: 'Mid-term report — fourth cycle', sources: [{ documentId: upr.id }] },
    actor,
  );
  await createObligation(db, { type: 'upr_national', body: 'UPR', dueDate: addMonths(basis, 54), title_ar: 'التقرير الوطني — الجولة الخامسة', title_en: 'National report — fifth cycle', sources: [{ documentId: upr.id }] }, actor);
  const flagged = await db.selectFrom('recommendations').select('paragraph').where('document_id', '=', cat.id).where('follow_up', '=', 1).execute();
  await createObligation(
    db,
    {
      type: 'treaty_followup',
      body: 'CAT',
      dueDate: addDays(today, -20),
      ownerId: coordinator.id,
      title_ar: 'معلومات المتابعة إلى لجنة مناهضة التعذيب',
      title_en: 'Follow-up information to the Committee against Torture',
      sources: [{ documentId: cat.id, paragraphs: flagged.map((f) => f.paragraph!).filter(Boolean) }],
    },
    actor,
  );
  await createObligation(db, { type: 'treaty_periodic', body: 'CEDAW', dueDate: addDays(today, 200), title_ar: 'التقرير الدوري السادس إلى لجنة سيداو', title_en: 'Sixth periodic report to CEDAW', sources: [{ documentId: cedaw.id }] }, actor);
  await createObligation(
    db,
    {
      type: 'arab_charter',
      body: 'AHRC',
      dueDate: addDays(today, 400),
      title_ar: 'التقرير الدوري بموجب الميثاق العربي لحقوق الإنسان',
      title_en: 'Periodic report under the Arab Charter on Human Rights',
      sources: [{ documentId: ahrc.id }],
    },
    actor,
  );
  await createReport(db, { obligationId: midterm.id, limitKind: 'upr_national' }, actor);
}
