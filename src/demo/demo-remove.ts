import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { DB } from '../db/schema.ts';
import { conflict } from '../shared/errors.ts';
import { getSetting } from '../settings/index.ts';
import { discardOnDisk, removeFromDatabase } from '../files/file-store.ts';
import { DEMO_AFFECTED, DEMO_ENTITIES, DEMO_STATE, DEMO_THEMES, TEMPLATES } from './demo-content.ts';

/**
 * Removing the demo workspace (`rasd demo --remove`, the admins' button).
 *
 * What the demo is. The demo is only ever seeded into an empty database, so its records are known by origin:
 * - the demo accounts: the e-mails the `demo` setting lists (written by the seed);
 * - the demo's recommendations (`external_source = 'demo'`) and the documents that hold only those;
 * - what the demo accounts created: clusters, plans, obligations and the reports of those obligations, and every
 *   assignment and progress update on the demo's recommendations, clusters and plan actions;
 * - the demo's ministries and themes (by code), but only when nothing that stays uses them: they are reference data a
 *   real deployment may have kept using, so an entity with a real user or a real assignment, or a theme that real
 *   recommendations or a theme mapping use, stays.
 * Real records that merely mention a demo account (an import run, a status change, a review made while signed in as
 * the demo administrator) stay; their reference to the removed account becomes empty. The audit log is kept whole.
 *
 * The rule for real work on demo records: when a person's own work (not a demo account's) hangs off a demo record
 * and would be lost with it, nothing is removed and the answer is 409 `demo_in_use`, listing what is in the way.
 */

export type DemoBlocker =
  | 'assignments'
  | 'updates'
  | 'status_changes'
  | 'plan_links'
  | 'cluster_members'
  | 'obligation_sources'
  | 'reports'
  | 'merges'
  | 'plan_versions';

export interface DemoCounts {
  users: number;
  entities: number;
  documents: number;
  recommendations: number;
  clusters: number;
  plans: number;
  obligations: number;
  reports: number;
  assignments: number;
  updates: number;
  terms: number;
}

export interface DemoWorkspace {
  exists: boolean;
  /** what removal deletes (entities and themes: only those nothing that stays uses) */
  counts: DemoCounts;
  /** real work on demo records that removal would lose: removal is refused while any is listed */
  blockers: { kind: DemoBlocker; count: number }[];
  /** the demo's sign-in e-mails (the accounts removal deletes) */
  emails: string[];
}

interface DemoSetting {
  logins?: { role: string; email: string }[];
}

type Db = Kysely<DB> | Transaction<DB>;

/** SQLite's and PostgreSQL's bound-parameter limits are far above this; chunks keep every statement small. */
const CHUNK = 500;
const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

async function idsWhereIn(db: Db, table: keyof DB, column: string, values: string[], select = 'id'): Promise<string[]> {
  const out: string[] = [];
  for (const part of chunks(values)) {
    const rows = (await (db as Kysely<any>).selectFrom(table).select(select).where(column, 'in', part).execute()) as Record<string, string>[];
    for (const r of rows) out.push(r[select]!);
  }
  return [...new Set(out)];
}

interface DemoIds {
  userIds: string[];
  emails: string[];
  recIds: string[];
  docIds: string[];
  clusterIds: string[];
  planIds: string[];
  obligationIds: string[];
  reportIds: string[];
  assignmentIds: string[];
  updateIds: string[];
}

async function identify(db: Db): Promise<DemoIds | null> {
  const setting = await getSetting<DemoSetting>(db, 'demo');
  if (!setting) return null;
  const emails = (setting.logins ?? []).map((l) => l.email);
  const userIds = await idsWhereIn(db, 'users', 'email', emails);
  const recIds = (await db.selectFrom('recommendations').select('id').where('external_source', '=', 'demo').execute()).map((r) => r.id);
  const docIds = (
    await db
      .selectFrom('documents as d')
      .select('d.id')
      .where((eb) => eb.exists(eb.selectFrom('recommendations as r').select('r.id').whereRef('r.document_id', '=', 'd.id').where('r.external_source', '=', 'demo')))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('recommendations as r')
              .select('r.id')
              .whereRef('r.document_id', '=', 'd.id')
              .where((w) => w.or([w('r.external_source', 'is', null), w('r.external_source', '!=', 'demo')])),
          ),
        ),
      )
      .execute()
  ).map((d) => d.id);
  const clusterIds = await idsWhereIn(db, 'clusters', 'created_by', userIds);
  const planIds = await idsWhereIn(db, 'plans', 'created_by', userIds);
  const obligationIds = await idsWhereIn(db, 'obligations', 'created_by', userIds);
  const reportIds = await idsWhereIn(db, 'reports', 'obligation_id', obligationIds);
  const assignmentIds = [...new Set([...(await idsWhereIn(db, 'assignments', 'recommendation_id', recIds)), ...(await idsWhereIn(db, 'assignments', 'cluster_id', clusterIds))])];
  const actionIds = await idsWhereIn(db, 'plan_actions', 'plan_id', planIds);
  const updateIds = [...new Set([...(await idsWhereIn(db, 'progress_updates', 'assignment_id', assignmentIds)), ...(await idsWhereIn(db, 'progress_updates', 'action_id', actionIds))])];
  return { userIds, emails, recIds, docIds, clusterIds, planIds, obligationIds, reportIds, assignmentIds, updateIds };
}

/** Rows of `table` whose `column` is one of `values` and whose `by` is a real person (set, and not a demo account). */
async function countByReal(db: Db, table: keyof DB, column: string, values: string[], by: string[], demoUsers: Set<string>, select = 'id'): Promise<number> {
  const seen = new Set<string>();
  for (const part of chunks(values)) {
    const rows = (await (db as Kysely<any>).selectFrom(table).select([select, ...by]).where(column, 'in', part).execute()) as Record<string, string | null>[];
    for (const r of rows) if (by.some((b) => r[b] !== null && !demoUsers.has(r[b]!))) seen.add(r[select]!);
  }
  return seen.size;
}

async function blockersOf(db: Db, ids: DemoIds): Promise<DemoWorkspace['blockers']> {
  const demoUsers = new Set(ids.userIds);
  const out: DemoWorkspace['blockers'] = [];
  const add = (kind: DemoBlocker, count: number) => {
    if (count > 0) out.push({ kind, count });
  };
  add('assignments', await countByReal(db, 'assignments', 'id', ids.assignmentIds, ['created_by'], demoUsers));
  add('updates', await countByReal(db, 'progress_updates', 'id', ids.updateIds, ['author_id', 'submitted_by'], demoUsers));
  add('status_changes', await countByReal(db, 'status_history', 'recommendation_id', ids.recIds, ['changed_by'], demoUsers));
  const demoPlans = new Set(ids.planIds);
  const demoClusters = new Set(ids.clusterIds);
  const demoRecs = new Set(ids.recIds);
  // a plan that stays, linked to a demo recommendation or cluster
  let planLinks = 0;
  for (const part of chunks(ids.recIds)) {
    const rows = await db.selectFrom('plan_action_recommendations as l').innerJoin('plan_actions as a', 'a.id', 'l.action_id').select('a.plan_id').where('l.recommendation_id', 'in', part).execute();
    planLinks += rows.filter((r) => !demoPlans.has(r.plan_id)).length;
  }
  for (const part of chunks(ids.clusterIds)) {
    const rows = await db.selectFrom('plan_action_clusters as l').innerJoin('plan_actions as a', 'a.id', 'l.action_id').select('a.plan_id').where('l.cluster_id', 'in', part).execute();
    planLinks += rows.filter((r) => !demoPlans.has(r.plan_id)).length;
  }
  add('plan_links', planLinks);
  // a cluster mixing demo and real recommendations, on either side
  let members = 0;
  for (const part of chunks(ids.clusterIds)) {
    members += (await db.selectFrom('recommendations').select('id').where('cluster_id', 'in', part).execute()).filter((r) => !demoRecs.has(r.id)).length;
  }
  for (const part of chunks(ids.recIds)) {
    members += (await db.selectFrom('recommendations').select('cluster_id').where('id', 'in', part).where('cluster_id', 'is not', null).execute()).filter((r) => !demoClusters.has(r.cluster_id!)).length;
  }
  add('cluster_members', members);
  const demoObligations = new Set(ids.obligationIds);
  let sources = 0;
  for (const part of chunks(ids.docIds)) {
    sources += (await db.selectFrom('obligation_documents').select('obligation_id').where('document_id', 'in', part).execute()).filter((o) => !demoObligations.has(o.obligation_id)).length;
  }
  add('obligation_sources', sources);
  add('reports', (await countByReal(db, 'reports', 'id', ids.reportIds, ['created_by'], demoUsers)) + (await countByReal(db, 'report_comments', 'report_id', ids.reportIds, ['author_id'], demoUsers)));
  let merges = 0;
  for (const part of chunks(ids.recIds)) {
    merges += (await db.selectFrom('recommendation_merges').select('id').where('survivor_id', 'in', part).where('undone_at', 'is', null).execute()).length;
  }
  add('merges', merges);
  let versions = 0;
  for (const part of chunks(ids.planIds)) {
    versions += (await db.selectFrom('plans').select('id').where('previous_id', 'in', part).execute()).filter((p) => !demoPlans.has(p.id)).length;
  }
  add('plan_versions', versions);
  return out;
}

const DEMO_TERM_KEYS: { kind: 'theme' | 'affected_person' | 'sdg_target'; code: string }[] = [
  ...DEMO_THEMES.map((t) => ({ kind: 'theme' as const, code: t.code })),
  ...DEMO_AFFECTED.map((t) => ({ kind: 'affected_person' as const, code: t.code })),
  ...[...new Set(TEMPLATES.flatMap((t) => t.sdgs))].map((code) => ({ kind: 'sdg_target' as const, code })),
];

/** The demo's ministries that nothing staying refers to (an entity a real user or a real record uses stays). */
async function removableEntities(db: Db, ids: DemoIds): Promise<string[]> {
  const candidates = await idsWhereIn(db, 'entities', 'code', DEMO_ENTITIES.map((e) => e.code));
  const gone = { users: new Set(ids.userIds), assignments: new Set(ids.assignmentIds), updates: new Set(ids.updateIds), plans: new Set(ids.planIds) };
  const used = new Set<string>();
  for (const part of chunks(candidates)) {
    for (const u of await db.selectFrom('users').select(['id', 'entity_id']).where('entity_id', 'in', part).execute()) if (!gone.users.has(u.id)) used.add(u.entity_id!);
    for (const e of await db.selectFrom('entities').select(['id', 'parent_id']).where('parent_id', 'in', part).execute()) if (!part.includes(e.id)) used.add(e.parent_id!);
    for (const a of await db.selectFrom('assignments').select(['id', 'entity_id']).where('entity_id', 'in', part).execute()) if (!gone.assignments.has(a.id)) used.add(a.entity_id);
    for (const u of await db.selectFrom('progress_updates').select(['id', 'entity_id']).where('entity_id', 'in', part).execute()) if (!gone.updates.has(u.id)) used.add(u.entity_id);
    const planRefs = [
      ...(await db.selectFrom('plan_actions').select(['plan_id', 'lead_entity_id as entity_id']).where('lead_entity_id', 'in', part).execute()),
      ...(await db.selectFrom('plan_action_partners as p').innerJoin('plan_actions as a', 'a.id', 'p.action_id').select(['a.plan_id', 'p.entity_id']).where('p.entity_id', 'in', part).execute()),
      ...(await db.selectFrom('plan_indicators').select(['plan_id', 'reporting_entity_id as entity_id']).where('reporting_entity_id', 'in', part).execute()),
    ];
    for (const r of planRefs) if (!gone.plans.has(r.plan_id) && r.entity_id) used.add(r.entity_id);
  }
  return candidates.filter((id) => !used.has(id));
}

/** The demo's themes, groups and SDG targets that nothing staying uses (SDG targets stay once the SDG list is imported). */
async function removableTerms(db: Db, ids: DemoIds): Promise<string[]> {
  const sdgImported = await db.selectFrom('terms').select('id').where('kind', '=', 'sdg_goal').limit(1).executeTakeFirst();
  const keys = DEMO_TERM_KEYS.filter((k) => !(sdgImported && k.kind === 'sdg_target'));
  const terms = await db.selectFrom('terms').select(['id', 'kind', 'code']).where('kind', 'in', ['theme', 'affected_person', 'sdg_target']).execute();
  const wanted = new Set(keys.map((k) => `${k.kind}:${k.code}`));
  const candidates = terms.filter((t) => wanted.has(`${t.kind}:${t.code}`)).map((t) => t.id);
  const demoRecs = new Set(ids.recIds);
  const demoPlans = new Set(ids.planIds);
  const used = new Set<string>();
  for (const part of chunks(candidates)) {
    for (const l of await db.selectFrom('recommendation_terms').select(['recommendation_id', 'term_id']).where('term_id', 'in', part).execute()) if (!demoRecs.has(l.recommendation_id)) used.add(l.term_id);
    for (const l of await db.selectFrom('plan_action_sdgs as s').innerJoin('plan_actions as a', 'a.id', 's.action_id').select(['a.plan_id', 's.term_id']).where('s.term_id', 'in', part).execute()) if (!demoPlans.has(l.plan_id)) used.add(l.term_id);
    for (const m of await db.selectFrom('theme_mappings').select('term_id').where('term_id', 'in', part).execute()) if (m.term_id) used.add(m.term_id);
    for (const t of await db.selectFrom('terms').select(['id', 'parent_id']).where('parent_id', 'in', part).execute()) if (!part.includes(t.id)) used.add(t.parent_id!);
  }
  return candidates.filter((id) => !used.has(id));
}

/** What removing the demo would delete, and what real work stands in the way (the confirmation shows this). */
export async function describeDemo(db: Kysely<DB>): Promise<DemoWorkspace> {
  const ids = await identify(db);
  if (!ids) {
    const zero: DemoCounts = { users: 0, entities: 0, documents: 0, recommendations: 0, clusters: 0, plans: 0, obligations: 0, reports: 0, assignments: 0, updates: 0, terms: 0 };
    return { exists: false, counts: zero, blockers: [], emails: [] };
  }
  return {
    exists: true,
    counts: await countsOf(db, ids),
    blockers: await blockersOf(db, ids),
    emails: ids.emails,
  };
}

async function countsOf(db: Db, ids: DemoIds): Promise<DemoCounts> {
  return {
    users: ids.userIds.length,
    entities: (await removableEntities(db, ids)).length,
    documents: ids.docIds.length,
    recommendations: ids.recIds.length,
    clusters: ids.clusterIds.length,
    plans: ids.planIds.length,
    obligations: ids.obligationIds.length,
    reports: ids.reportIds.length,
    assignments: ids.assignmentIds.length,
    updates: ids.updateIds.length,
    terms: (await removableTerms(db, ids)).length,
  };
}

/** Every column that names a user and may outlive that user (set to null when a demo account goes). */
const USER_REFERENCES: [keyof DB, string][] = [
  ['status_history', 'changed_by'],
  ['import_runs', 'created_by'],
  ['clusters', 'created_by'],
  ['jobs', 'created_by'],
  ['assignments', 'created_by'],
  ['progress_updates', 'author_id'],
  ['progress_updates', 'reviewed_by'],
  ['progress_updates', 'submitted_by'],
  ['evidence_files', 'uploaded_by'],
  ['obligations', 'owner_id'],
  ['obligations', 'created_by'],
  ['reports', 'created_by'],
  ['report_sections', 'updated_by'],
  ['report_section_history', 'changed_by'],
  ['report_comments', 'author_id'],
  ['report_comments', 'resolved_by'],
  ['report_articles', 'assigned_by'],
  ['plans', 'adopted_by'],
  ['plans', 'created_by'],
  ['tagger_models', 'trained_by'],
  ['tag_suggestions', 'decided_by'],
  ['theme_mappings', 'updated_by'],
  ['recommendation_merges', 'created_by'],
  ['recommendation_merges', 'undone_by'],
  ['recommendation_pair_decisions', 'decided_by'],
];

async function deleteIn(trx: Transaction<DB>, table: keyof DB, column: string, values: string[]): Promise<void> {
  for (const part of chunks(values)) await (trx as Transaction<any>).deleteFrom(table).where(column, 'in', part).execute();
}

/**
 * Removes the demo workspace in one transaction: exactly the demo's records (see the top of this file), never a
 * real user's. Refuses with 409 `no_demo` when there is none, `demo_in_use` when real work hangs off demo records.
 * Evidence files of removed updates are deleted from disk after the commit. Audited as `demo.remove`.
 */
export async function removeDemo(db: Kysely<DB>, actorId: string | null, dataDir: string): Promise<DemoCounts> {
  const { counts, files } = await db.transaction().execute(async (trx) => {
    const ids = await identify(trx);
    if (!ids) throw conflict('no_demo', 'There is no demo workspace to remove.');
    if (actorId && ids.userIds.includes(actorId)) {
      throw conflict('demo_remove_own_account', 'You are signed in with a demo account, which removal deletes. Sign in with your own administrator account first.');
    }
    const blockers = await blockersOf(trx, ids);
    if (blockers.length) throw conflict('demo_in_use', 'Real work depends on demo records and would be lost; nothing was removed.', { blockers });
    const counts = await countsOf(trx, ids);
    const entityIds = await removableEntities(trx, ids);
    const termIds = await removableTerms(trx, ids);
    const files = await idsWhereIn(trx, 'evidence_files', 'update_id', ids.updateIds, 'stored_name');

    // follow-up first (its updates cascade to measures, indicators, values and evidence rows), then what it hung off
    await deleteIn(trx, 'progress_updates', 'id', ids.updateIds);
    await deleteIn(trx, 'assignments', 'id', ids.assignmentIds);
    await deleteIn(trx, 'reports', 'id', ids.reportIds);
    await deleteIn(trx, 'obligations', 'id', ids.obligationIds);
    for (const part of chunks(ids.planIds)) await trx.updateTable('plans').set({ previous_id: null }).where('id', 'in', part).execute();
    await deleteIn(trx, 'plans', 'id', ids.planIds);
    await deleteIn(trx, 'recommendations', 'id', ids.recIds);
    await deleteIn(trx, 'clusters', 'id', ids.clusterIds);
    await deleteIn(trx, 'documents', 'id', ids.docIds);
    for (const part of chunks(ids.userIds)) {
      for (const [table, column] of USER_REFERENCES) {
        await (trx as Transaction<any>).updateTable(table).set({ [column]: null }).where(column, 'in', part).execute();
      }
    }
    await deleteIn(trx, 'users', 'id', ids.userIds);
    await deleteIn(trx, 'entities', 'id', entityIds);
    await deleteIn(trx, 'terms', 'id', termIds);

    await trx.deleteFrom('settings').where('key', '=', 'demo').execute();
    const stateName = await getSetting<{ ar: string; en: string }>(trx, 'state_name');
    // the demo named the instance after its fictional state; a name an admin has set since stays
    if (stateName && stateName.ar === DEMO_STATE.ar && stateName.en === DEMO_STATE.en) await trx.deleteFrom('settings').where('key', '=', 'state_name').execute();
    await recordAudit(trx, { actorId, action: 'demo.remove', subjectType: 'workspace', before: { ...counts, emails: ids.emails }, after: null });
    // evidence stored in the database goes with the transaction; on disk, once it has committed
    await removeFromDatabase(trx, files);
    return { counts, files };
  });
  for (const f of files) discardOnDisk(dataDir, 'evidence', f);
  return counts;
}
