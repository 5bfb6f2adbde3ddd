import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Insertable } from 'kysely';
import type { DB, Position, RecommendationsTable, Role, TermKind } from '../db/schema.ts';
import { createEntity } from '../entities/index.ts';
import { putSetting } from '../settings/index.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { createUser } from '../users/index.ts';
import {
  DEMO_AFFECTED,
  DEMO_ENTITIES,
  DEMO_STATE,
  DEMO_THEMES,
  OPENINGS,
  RECOMMENDING_STATES,
  TEMPLATES,
  type Template,
} from './demo-content.ts';
import { indexRecommendations } from '../search/index.ts';
import { seedDemoFollowUp } from './demo-followup.ts';
import { seedDemoReports } from './demo-reports.ts';
import { seedDemoPlan } from './demo-plan.ts';

export const DEMO_PASSWORD = 'Rasd-Demo-2026';

export interface DemoLogin {
  role: Role;
  email: string;
  password: string;
  entity?: string;
}

/** Small deterministic PRNG so every demo is the same. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DemoDoc {
  symbol: string;
  body: string;
  type: string;
  date: string;
  cycle?: number;
  session?: number;
  count: number;
  kind: 'recommendation' | 'observation' | 'pledge';
  paraBase: number;
}

const DOCS: DemoDoc[] = [
  { symbol: 'A/HRC/15/91', body: 'UPR', type: 'upr_wg_report', date: '2010-06-16', cycle: 1, session: 8, count: 55, kind: 'recommendation', paraBase: 80 },
  { symbol: 'A/HRC/29/98', body: 'UPR', type: 'upr_wg_report', date: '2015-04-13', cycle: 2, session: 21, count: 70, kind: 'recommendation', paraBase: 157 },
  { symbol: 'A/HRC/44/98', body: 'UPR', type: 'upr_wg_report', date: '2020-03-27', cycle: 3, session: 35, count: 75, kind: 'recommendation', paraBase: 156 },
  { symbol: 'A/HRC/59/98', body: 'UPR', type: 'upr_wg_report', date: '2025-04-02', cycle: 4, session: 49, count: 60, kind: 'recommendation', paraBase: 139 },
  { symbol: 'CCPR/C/WAH/CO/3', body: 'CCPR', type: 'concluding_observations', date: '2016-08-11', count: 10, kind: 'observation', paraBase: 9 },
  { symbol: 'CERD/C/WAH/CO/21-24', body: 'CERD', type: 'concluding_observations', date: '2017-09-19', count: 8, kind: 'observation', paraBase: 12 },
  { symbol: 'CRC/C/WAH/CO/4-5', body: 'CRC', type: 'concluding_observations', date: '2019-06-28', count: 10, kind: 'observation', paraBase: 11 },
  { symbol: 'CAT/C/WAH/CO/3', body: 'CAT', type: 'concluding_observations', date: '2021-12-07', count: 9, kind: 'observation', paraBase: 8 },
  { symbol: 'CESCR/C/WAH/CO/2', body: 'CESCR', type: 'concluding_observations', date: '2021-10-15', count: 8, kind: 'observation', paraBase: 10 },
  { symbol: 'CEDAW/C/WAH/CO/5', body: 'CEDAW', type: 'concluding_observations', date: '2022-11-02', count: 12, kind: 'observation', paraBase: 14 },
  { symbol: 'A/HRC/41/46/Add.1', body: 'SP', type: 'sp_visit_report', date: '2019-05-10', count: 7, kind: 'recommendation', paraBase: 80 },
  { symbol: 'A/HRC/44/98/Pledges', body: 'VP', type: 'pledge', date: '2020-03-27', count: 3, kind: 'pledge', paraBase: 1 },
  // the Arab Human Rights Committee's concluding observations on the state's report under the Arab Charter (last, so
  // that the random draws of the documents above stay as they were)
  { symbol: 'AHRC/WAH/CO/1', body: 'AHRC', type: 'concluding_observations', date: '2023-03-16', count: 5, kind: 'observation', paraBase: 18 },
];

const TREATY_PREFIX = {
  en: 'The Committee recommends that the State party ',
  ar: 'توصي اللجنة الدولة الطرف بأن ',
};

function lowerFirst(s: string) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function textsFor(t: Template, doc: DemoDoc, opening: (typeof OPENINGS)[number]) {
  if (doc.kind === 'observation') {
    return { en: `${TREATY_PREFIX.en}${lowerFirst(t.en)}.`, ar: `${TREATY_PREFIX.ar}${t.ar}.` };
  }
  if (doc.kind === 'pledge') {
    return { en: `The State pledges to ${lowerFirst(t.en)}.`, ar: `تتعهد الدولة بـ${t.ar}.` };
  }
  return { en: `${opening.en(t.en)}.`, ar: `${opening.ar(t.ar)}.` };
}

/** Whether the database already holds a demo (or any user): `npm start` seeds only an empty database. */
export async function isEmptyDatabase(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}

export async function seedDemo(db: Kysely<DB>): Promise<DemoLogin[]> {
  const rand = mulberry32(20261129);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

  await putSetting(db, 'state_name', { ar: DEMO_STATE.ar, en: DEMO_STATE.en });

  const entityIds = new Map<string, string>();
  for (const e of DEMO_ENTITIES) {
    const created = await createEntity(db, { code: e.code, name_ar: e.ar, name_en: e.en });
    entityIds.set(e.code, created.id);
  }

  const logins: DemoLogin[] = [
    { role: 'admin', email: 'admin@rasd.example', password: DEMO_PASSWORD },
    { role: 'coordinator', email: 'coordinator@rasd.example', password: DEMO_PASSWORD },
    { role: 'focal_point', email: 'focal.justice@rasd.example', password: DEMO_PASSWORD, entity: 'MOJ' },
    { role: 'contributor', email: 'contributor.justice@rasd.example', password: DEMO_PASSWORD, entity: 'MOJ' },
    { role: 'viewer', email: 'viewer@rasd.example', password: DEMO_PASSWORD },
  ];
  // The sign-in page lists these accounts (from the server) while the demo workspace exists.
  await putSetting(db, 'demo', {
    createdAt: nowIso(),
    note: 'Fictional demo workspace generated by Rasd',
    logins: logins.map((l) => ({ role: l.role, email: l.email })),
    password: DEMO_PASSWORD,
  });
  const names: Record<Role, string> = {
    admin: 'مدير النظام',
    coordinator: 'منسق الأمانة',
    focal_point: 'ضابط الاتصال — العدل',
    contributor: 'مساهم — العدل',
    viewer: 'عضو اللجنة',
    stakeholder: 'جهة من المجتمع المدني',
  };
  for (const l of logins) {
    await createUser(db, {
      email: l.email,
      password: l.password,
      role: l.role,
      name: names[l.role],
      entityId: l.entity ? entityIds.get(l.entity)! : null,
    });
  }

  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const termIds = new Map<string, string>();
    const addTerm = async (kind: TermKind, code: string, ar: string | null, en: string | null, sort: number) => {
      const id = newId();
      await trx.insertInto('terms').values({ id, kind, code, label_ar: ar, label_en: en, parent_id: null, sort, created_at: now }).execute();
      termIds.set(`${kind}:${code}`, id);
    };
    for (const [i, t] of DEMO_THEMES.entries()) await addTerm('theme', t.code, t.ar, t.en, i);
    for (const [i, t] of DEMO_AFFECTED.entries()) await addTerm('affected_person', t.code, t.ar, t.en, i);
    const sdgTargets = [...new Set(TEMPLATES.flatMap((t) => t.sdgs))].sort();
    for (const [i, code] of sdgTargets.entries()) await addTerm('sdg_target', code, null, null, i);

    const bodies = await trx.selectFrom('bodies').select(['id', 'code']).execute();
    const bodyId = new Map(bodies.map((b) => [b.code, b.id]));

    for (const doc of DOCS) {
      const documentId = newId();
      await trx
        .insertInto('documents')
        .values({
          id: documentId,
          symbol: doc.symbol,
          body_id: bodyId.get(doc.body)!,
          type: doc.type,
          title_ar: null,
          title_en: null,
          country: DEMO_STATE.en,
          date: doc.date,
          upr_cycle: doc.cycle ?? null,
          upr_session: doc.session ?? null,
          url: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const rows: Insertable<RecommendationsTable>[] = [];
      const links: { recommendation_id: string; term_id: string }[] = [];
      for (let i = 0; i < doc.count; i++) {
        const t = TEMPLATES[(i * 7 + doc.paraBase) % TEMPLATES.length]!;
        const texts = textsFor(t, doc, pick(OPENINGS));
        const paragraph = doc.body === 'UPR' ? `${doc.paraBase}.${i + 1}` : doc.kind === 'pledge' ? String(i + 1) : String(doc.paraBase + i * 2);
        const states = doc.body === 'UPR' ? [pick(RECOMMENDING_STATES), ...(rand() < 0.2 ? [pick(RECOMMENDING_STATES)] : [])] : [];
        const position: Position | null = doc.body === 'UPR' ? (rand() < 0.3 ? 'noted' : 'supported') : null;
        const age = 2026 - Number(doc.date.slice(0, 4));
        const r = rand();
        const status =
          position === 'noted'
            ? 'no_action'
            : r < 0.35 - age * 0.02
              ? 'not_started'
              : r < 0.65
                ? 'in_progress'
                : r < 0.85
                  ? 'partially_implemented'
                  : 'fully_implemented';
        const id = newId();
        rows.push({
          id,
          document_id: documentId,
          paragraph,
          external_id: `${doc.symbol}#${paragraph}`,
          external_source: 'demo',
          original_lang: 'en',
          text_ar: texts.ar,
          text_en: texts.en,
          text_fr: null,
          kind: doc.kind,
          position,
          position_source: position ? `${doc.symbol}/Add.1` : null,
          recommending_states: JSON.stringify([...new Set(states)]),
          status,
          priority: rand() < 0.2 ? 'high' : null,
          is_public: rand() < 0.7 ? 1 : 0,
          // treaty-body follow-up: the Arab Human Rights Committee has no such procedure
          follow_up: doc.kind === 'observation' && doc.body !== 'AHRC' && i < 3 ? 1 : 0,
          due_date: doc.kind === 'observation' && doc.body !== 'AHRC' && i < 3 ? `${Number(doc.date.slice(0, 4)) + (doc.body === 'CEDAW' ? 2 : 1)}${doc.date.slice(4)}` : null,
          notes: null,
          cluster_id: null,
          created_at: now,
          updated_at: now,
          version: 1,
        });
        for (const code of t.themes) links.push({ recommendation_id: id, term_id: termIds.get(`theme:${code}`)! });
        for (const code of t.affected) links.push({ recommendation_id: id, term_id: termIds.get(`affected_person:${code}`)! });
        for (const code of t.sdgs) links.push({ recommendation_id: id, term_id: termIds.get(`sdg_target:${code}`)! });
      }
      await trx.insertInto('recommendations').values(rows).execute();
      await indexRecommendations(trx, rows.map((r) => r.id));
      await trx.insertInto('recommendation_terms').values(links).execute();
    }
    await recordAudit(trx, { actorId: null, action: 'demo.seed', subjectType: 'workspace', after: { documents: DOCS.length } });
  });
  await seedDemoFollowUp(db);
  // the plan first: it groups some recommendations into accepted clusters, which the compiled report's sections follow
  // (compiled before them, the report's next compile would move those recommendations into new cluster sections)
  await seedDemoPlan(db);
  await seedDemoReports(db);
  return logins;
}
