import type { Kysely } from 'kysely';
import { addDays, assign, todayUtc } from '../assignments/index.ts';
import type { Actor } from '../auth/permissions.ts';
import type { DB } from '../db/schema.ts';
import { createUpdate, transitionUpdate } from '../updates/index.ts';

/**
 * Follow-up in the demo workspace: the 2025 UPR recommendations and the latest concluding observations
 * assigned round-robin to the ministries (some overdue, some due soon, the rest later), and, for the
 * Ministry of Justice, one draft, one submitted and one approved update, so every screen has something to show.
 */
export async function seedDemoFollowUp(db: Kysely<DB>, now = new Date()): Promise<void> {
  const users = await db.selectFrom('users').select(['id', 'email', 'role', 'entity_id']).execute();
  const coordinator = users.find((u) => u.email === 'coordinator@rasd.example');
  const focal = users.find((u) => u.email === 'focal.justice@rasd.example');
  const contributor = users.find((u) => u.email === 'contributor.justice@rasd.example');
  if (!coordinator || !focal || !contributor) return;
  const actor = (u: (typeof users)[number]): Actor => ({ id: u.id, role: u.role, entity_id: u.entity_id });
  const entities = await db.selectFrom('entities').select(['id', 'code']).orderBy('code').execute();
  const moj = entities.find((e) => e.code === 'MOJ');
  if (!moj) return;
  const recs = await db
    .selectFrom('recommendations as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .select(['r.id'])
    .where('d.symbol', 'in', ['A/HRC/59/98', 'CAT/C/WAH/CO/3', 'CEDAW/C/WAH/CO/5'])
    .where('r.status', '!=', 'no_action')
    .orderBy('d.symbol')
    .orderBy('r.paragraph')
    .execute();
  const today = todayUtc(now);
  const dueFor = (i: number) => (i % 5 === 0 ? addDays(today, -10) : i % 5 === 1 ? addDays(today, 5) : addDays(today, 60 + (i % 30)));
  const byEntity = new Map<string, { ids: string[]; due: string }[]>();
  const ordered = [moj, ...entities.filter((e) => e.id !== moj.id)];
  recs.forEach((r, i) => {
    const entity = ordered[i % ordered.length]!;
    const list = byEntity.get(entity.id) ?? [];
    list.push({ ids: [r.id], due: dueFor(Math.floor(i / ordered.length)) });
    byEntity.set(entity.id, list);
  });
  const mojAssignments: string[] = [];
  for (const [entityId, items] of byEntity) {
    for (const item of items) {
      const res = await assign(db, { recommendationIds: item.ids, entityId, role: 'lead', dueDate: item.due }, actor(coordinator));
      if (entityId === moj.id) mojAssignments.push(...res.ids);
    }
  }
  if (mojAssignments.length < 3) return;
  const [a1, a2, a3] = mojAssignments as [string, string, string];
  await createUpdate(
    db,
    a1,
    {
      text_ar: 'مسودة: تعمل الوزارة على مراجعة قانون الإجراءات الجزائية.',
      text_en: 'Draft: the Ministry is reviewing the Code of Criminal Procedure.',
      proposed_status: 'in_progress',
      measures: [{ type: 'legislation', description_ar: 'لجنة لمراجعة القانون', description_en: 'Law review committee' }],
    },
    actor(contributor),
  );
  const submitted = await createUpdate(
    db,
    a2,
    {
      period_start: addDays(today, -180),
      period_end: today,
      text_ar: 'نُظّمت دورات تدريبية للقضاة وأعضاء النيابة العامة.',
      text_en: 'Training courses were held for judges and prosecutors.',
      proposed_status: 'partially_implemented',
      measures: [{ type: 'training', description_ar: 'ثلاث دورات تدريبية', description_en: 'Three training courses' }],
      indicators: [{ name: 'Judges and prosecutors trained', value: 85, unit: 'people' }],
    },
    actor(focal),
  );
  await transitionUpdate(db, submitted.id, 'submit', {}, actor(focal));
  const approved = await createUpdate(
    db,
    a3,
    {
      period_start: addDays(today, -365),
      period_end: addDays(today, -30),
      text_ar: 'صدر قرار وزاري بإنشاء مكتب للمساعدة القانونية المجانية.',
      text_en: 'A ministerial decision established a free legal aid office.',
      proposed_status: 'fully_implemented',
      measures: [{ type: 'institution', description_ar: 'مكتب المساعدة القانونية', description_en: 'Legal aid office' }],
    },
    actor(focal),
  );
  await transitionUpdate(db, approved.id, 'submit', {}, actor(focal));
  await transitionUpdate(db, approved.id, 'approve', { comment: 'اعتُمد — Approved' }, actor(coordinator));
}
