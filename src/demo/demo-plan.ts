import type { Kysely } from 'kysely';
import { assign } from '../assignments/index.ts';
import type { Actor } from '../auth/permissions.ts';
import type { ActionStatus, DB, IndicatorType } from '../db/schema.ts';
import {
  actionFromCluster,
  createAction,
  createIndicator,
  createObjective,
  createPillar,
  createPlan,
  patchAction,
  setPlanStatus,
} from '../plan/index.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { createActionUpdate, transitionUpdate } from '../updates/index.ts';
import { TEMPLATES } from './demo-content.ts';

/** Templates grouped as accepted clusters in the demo (the rest stay for the suggestion run to find). */
const CLUSTERED = [0, 1, 5, 6, 7, 10];

/** The plan's structure: pillar → objectives → the templates (recommendation demands) its actions answer. */
const STRUCTURE = [
  {
    code: 'P1',
    ar: 'العدالة وسيادة القانون والحماية من التعذيب',
    en: 'Justice, rule of law and protection from torture',
    objectives: [
      { code: 'O1.1', ar: 'منع التعذيب وضمان المحاكمة العادلة', en: 'Prevent torture and guarantee fair trial', templates: [0, 11, 15, 2] },
      { code: 'O1.2', ar: 'حماية الحريات ومكافحة الاتجار بالبشر', en: 'Protect freedoms and combat trafficking in persons', templates: [9, 10] },
    ],
  },
  {
    code: 'P2',
    ar: 'المساواة وحماية الفئات الأولى بالرعاية',
    en: 'Equality and protection of groups in vulnerable situations',
    objectives: [
      { code: 'O2.1', ar: 'حقوق النساء والأطفال', en: 'Rights of women and children', templates: [3, 7, 8, 16, 17] },
      { code: 'O2.2', ar: 'العمال المهاجرون وعديمو الجنسية والأشخاص ذوو الإعاقة', en: 'Migrant workers, stateless persons and persons with disabilities', templates: [1, 4, 5, 12, 14, 19] },
    ],
  },
  {
    code: 'P3',
    ar: 'المؤسسات الوطنية والالتزامات الدولية',
    en: 'National institutions and international commitments',
    objectives: [
      { code: 'O3.1', ar: 'مؤسسات وطنية لحقوق الإنسان فعّالة', en: 'Effective national human rights institutions', templates: [6, 18] },
      { code: 'O3.2', ar: 'الانضمام إلى الصكوك الدولية', en: 'Accession to international instruments', templates: [13] },
    ],
  },
];

const INDICATORS: { ar: string; en: string; type: IndicatorType; unit: string; baseline: number; target: number }[] = [
  { ar: 'مراحل اعتماد الإطار القانوني (من 4)', en: 'Stages of adoption of the legal framework (of 4)', type: 'structure', unit: 'stages', baseline: 0, target: 4 },
  { ar: 'عدد الموظفين المدرَّبين', en: 'Officials trained', type: 'process', unit: 'persons', baseline: 0, target: 400 },
  { ar: 'عدد حملات التوعية المنفَّذة', en: 'Awareness campaigns held', type: 'process', unit: 'campaigns', baseline: 0, target: 12 },
  { ar: 'نسبة الشكاوى المعالجة خلال 60 يوماً', en: 'Complaints resolved within 60 days', type: 'outcome', unit: '%', baseline: 40, target: 90 },
  { ar: 'عدد المستفيدين من الخدمات', en: 'People reached by the services', type: 'outcome', unit: 'persons', baseline: 0, target: 5000 },
];

const STATUSES: ActionStatus[] = ['on_track', 'on_track', 'not_started', 'delayed', 'completed', 'on_track', 'not_started'];

const addMonths = (date: string, months: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};

/**
 * The demo's national action plan (issue 11), adopted: 3 pillars, 6 objectives, 20 actions answering the demo's
 * recommendation demands (6 of them turned from accepted clusters, whose lead entities come from cluster
 * assignments), one indicator per action with approved values, one value awaiting approval from the Ministry of
 * Justice, and a few delayed and overdue actions so the dashboard and the timeline have something to show.
 */
export async function seedDemoPlan(db: Kysely<DB>): Promise<void> {
  const users = await db.selectFrom('users').select(['id', 'email', 'role', 'entity_id']).execute();
  const coordinatorRow = users.find((u) => u.email === 'coordinator@rasd.example');
  const focalRow = users.find((u) => u.email === 'focal.justice@rasd.example');
  if (!coordinatorRow || !focalRow) return;
  const coordinator: Actor = { id: coordinatorRow.id, role: coordinatorRow.role, entity_id: coordinatorRow.entity_id };
  const focal: Actor = { id: focalRow.id, role: focalRow.role, entity_id: focalRow.entity_id };
  const entities = new Map((await db.selectFrom('entities').select(['id', 'code']).execute()).map((e) => [e.code, e.id]));

  // which recommendations carry each demand (the demo builds every text from one template)
  const recs = await db
    .selectFrom('recommendations as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .select(['r.id', 'r.text_en', 'd.date'])
    .orderBy('r.external_id')
    .execute();
  const byTemplate = TEMPLATES.map((t) => recs.filter((r) => (r.text_en ?? '').toLowerCase().includes(t.en.toLowerCase())));
  // an action written by hand answers the recommendations of the last five years; older ones are left for coverage to show
  const recentOf = (i: number) => byTemplate[i]!.filter((r) => (r.date ?? '') >= '2020-01-01').map((r) => r.id);

  // accepted clusters for a few demands, each assigned to its lead entity
  const now = nowIso();
  const clusterOf = new Map<number, string>();
  for (const i of CLUSTERED) {
    const t = TEMPLATES[i]!;
    if (!byTemplate[i]!.length) continue;
    const id = newId();
    await db
      .insertInto('clusters')
      .values({ id, title_ar: t.ar, title_en: t.en, status: 'accepted', job_id: null, similarity_pct: null, created_by: coordinator.id, created_at: now, updated_at: now })
      .execute();
    await db.updateTable('recommendations').set({ cluster_id: id }).where('id', 'in', byTemplate[i]!.map((r) => r.id)).execute();
    const lead = entities.get(t.entity);
    if (lead) await assign(db, { clusterId: id, entityId: lead, role: 'lead', dueDate: null }, coordinator);
    clusterOf.set(i, id);
  }

  const plan = await createPlan(
    db,
    { title_ar: 'الخطة الوطنية لحقوق الإنسان 2026–2029', title_en: 'National Human Rights Action Plan 2026–2029', period_start: '2026-01-01', period_end: '2029-12-31' },
    coordinator,
  );
  let n = 0;
  const indicatorIds: { id: string; actionId: string; entity: string | null; k: number }[] = [];
  for (const p of STRUCTURE) {
    const pillar = await createPillar(db, plan.id, { code: p.code, title_ar: p.ar, title_en: p.en }, coordinator);
    for (const o of p.objectives) {
      const objective = await createObjective(db, pillar.id, { code: o.code, title_ar: o.ar, title_en: o.en }, coordinator);
      for (const ti of o.templates) {
        n += 1;
        const t = TEMPLATES[ti]!;
        // two actions ran past their end date (overdue); the others end within the plan's period
        const overdue = n === 3 || n === 10;
        const start = overdue ? '2026-01-01' : addMonths('2026-01-01', (n % 4) * 6);
        const endRaw = overdue ? '2026-09-30' : addMonths(start, 12 + (n % 3) * 12);
        const end = endRaw > '2029-12-31' ? '2029-12-31' : endRaw;
        const status = overdue ? 'delayed' : STATUSES[n % STATUSES.length]!;
        const code = `A${String(n).padStart(2, '0')}`;
        const clusterId = clusterOf.get(ti);
        let actionId: string;
        let lead: string | null;
        if (clusterId) {
          const a = await actionFromCluster(db, plan.id, { objective_id: objective.id, cluster_id: clusterId, code }, coordinator);
          actionId = a.id;
          lead = a.lead_entity_id;
          await patchAction(db, a.id, { version: a.version, start_date: start, end_date: end, status, budget_amount: String(50_000 * ((n % 5) + 1)), budget_source: n % 3 === 0 ? 'partner' : 'state_budget', priority: n % 4 === 0 ? 'high' : 'medium' }, coordinator);
        } else {
          lead = entities.get(t.entity) ?? null;
          const partnerId = entities.get(n % 2 ? 'MOFA' : 'MOSA');
          const partner = partnerId && partnerId !== lead ? partnerId : null;
          const a = await createAction(
            db,
            objective.id,
            {
              code,
              title_ar: t.ar,
              title_en: t.en,
              description_ar: `إجراء يستجيب لـ${recentOf(ti).length} توصية من آليات حقوق الإنسان.`,
              description_en: `An action answering ${recentOf(ti).length} recommendations of the human rights mechanisms.`,
              lead_entity_id: lead,
              partner_entity_ids: partner ? [partner] : [],
              start_date: start,
              end_date: end,
              budget_amount: n % 4 === 2 ? null : String(25_000 * ((n % 6) + 1)),
              budget_source: n % 4 === 2 ? 'none' : n % 3 === 0 ? 'partner' : 'state_budget',
              priority: n % 4 === 0 ? 'high' : n % 4 === 1 ? 'medium' : 'low',
              status,
              recommendation_ids: recentOf(ti),
            },
            coordinator,
          );
          actionId = a.id;
        }
        const k = n % INDICATORS.length;
        const spec = INDICATORS[k]!;
        const ind = await createIndicator(
          db,
          { actionId },
          {
            name_ar: spec.ar,
            name_en: spec.en,
            type: spec.type,
            unit: spec.unit,
            baseline_value: String(spec.baseline),
            baseline_year: 2025,
            target_value: String(spec.target),
            target_year: 2029,
            data_source: 'التقارير السنوية للجهة — Annual reports of the entity',
            frequency: spec.type === 'structure' ? 'annual' : 'semiannual',
            reporting_entity_id: lead,
            disaggregation: spec.unit === 'persons' ? ['sex', 'nationality'] : [],
          },
          coordinator,
        );
        indicatorIds.push({ id: ind.id, actionId, entity: lead, k: n });
      }
    }
  }

  // reported values, through progress updates on the actions: most indicators have approved values; one of
  // the Ministry of Justice's awaits approval
  const moj = entities.get('MOJ') ?? null;
  let pendingDone = false;
  for (const { id, actionId, entity, k } of indicatorIds) {
    const spec = INDICATORS[k % INDICATORS.length]!;
    if (k % 6 === 5 || !entity) continue; // a few without data yet
    const share = [0.15, 0.3, 0.45, 0.6, 0.02][k % 5]!; // the last one lags: off track
    const points: [string, number][] = [
      ['2026-06-30', share / 2],
      ['2026-11-30', share],
    ];
    for (const [date, s] of points) {
      const value = String(Math.round(spec.baseline + (spec.target - spec.baseline) * s));
      const u = await createActionUpdate(
        db,
        actionId,
        {
          period_end: date,
          text_ar: 'تقرير دوري عن سير الإجراء ومؤشراته.',
          text_en: 'Periodic report on the action and its indicators.',
          values: [{ indicator_id: id, date, value, source: 'التقرير السنوي للجهة', note: null }],
        },
        coordinator,
      );
      await transitionUpdate(db, u.id, 'submit', {}, coordinator);
      await transitionUpdate(db, u.id, 'approve', { comment: 'اعتُمد — Approved' }, coordinator);
    }
    if (!pendingDone && entity === moj && moj) {
      const value = String(Math.round(spec.baseline + (spec.target - spec.baseline) * (share + 0.1)));
      const u = await createActionUpdate(
        db,
        actionId,
        {
          period_end: '2026-12-01',
          text_ar: 'تقدّم إضافي في تنفيذ الإجراء.',
          text_en: 'Further progress on the action.',
          proposed_action_status: 'on_track',
          values: [{ indicator_id: id, date: '2026-12-01', value, source: 'سجلات وزارة العدل', note: null }],
        },
        focal,
      );
      await transitionUpdate(db, u.id, 'submit', {}, focal);
      pendingDone = true;
    }
  }

  const consult = await setPlanStatus(db, plan.id, { version: plan.version, status: 'consultation' }, coordinator);
  await setPlanStatus(db, plan.id, { version: consult.version, status: 'adopted' }, coordinator);
}
