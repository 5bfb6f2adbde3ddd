import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { authorize, canManageAssignments, canReadWorkspaceOf, isCurator, type Actor } from '../auth/permissions.ts';
import type { Assignment, DB } from '../db/schema.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { yielder } from '../shared/yielder.ts';
import type { AssignInput, ListAssignmentsQuery } from './assignments.schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

export const todayUtc = (now = new Date()): string => now.toISOString().slice(0, 10);
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * An assignment is "answered" once an update to it has been approved since its current due date was set
 * (assignments.due_set_at). Due = unanswered with a due date; overdue = due date before today.
 */
export const answeredSql = sql<SqlBool>`exists (select 1 from progress_updates pu where pu.assignment_id = a.id and pu.status = 'approved' and pu.reviewed_at >= a.due_set_at)`;

function baseList(db: Q) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('entities as e', 'e.id', 'a.entity_id')
    .leftJoin('recommendations as r', 'r.id', 'a.recommendation_id')
    .leftJoin('documents as d', 'd.id', 'r.document_id');
}

function selectList(q: ReturnType<typeof baseList>) {
  return q.select([
    'a.id',
    'a.recommendation_id',
    'a.cluster_id',
    'a.entity_id',
    'a.role',
    'a.due_date',
    'a.due_set_at',
    'a.created_at',
    'a.updated_at',
    'e.code as entity_code',
    'e.name_ar as entity_name_ar',
    'e.name_en as entity_name_en',
    'r.paragraph',
    'r.text_ar',
    'r.text_en',
    'r.status as recommendation_status',
    'd.symbol as document_symbol',
    sql<number>`case when ${answeredSql} then 1 else 0 end`.as('answered'),
  ]);
}

type ListRow = Awaited<ReturnType<ReturnType<typeof selectList>['execute']>>[number];
function present(row: ListRow, today: string) {
  const answered = Number(row.answered) === 1;
  return { ...row, answered, overdue: !answered && row.due_date !== null && row.due_date < today };
}

export async function listAssignments(db: Kysely<DB>, query: Partial<ListAssignmentsQuery> & { page: number; pageSize: number }, today = todayUtc()) {
  let q = baseList(db);
  if (query.entity) q = q.where('a.entity_id', '=', query.entity);
  if (query.recommendation) q = q.where('a.recommendation_id', '=', query.recommendation);
  if (query.cluster) q = q.where('a.cluster_id', '=', query.cluster);
  if (query.due) q = q.where('a.due_date', '<=', query.due).where((eb) => eb.not(answeredSql));
  if (query.overdue === true) q = q.where('a.due_date', '<', today).where((eb) => eb.not(answeredSql));
  if (query.overdue === false) q = q.where((eb) => eb.or([eb('a.due_date', 'is', null), eb('a.due_date', '>=', today), answeredSql]));
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await selectList(q)
    .orderBy(sql`case when a.due_date is null then 1 else 0 end`)
    .orderBy('a.due_date')
    .orderBy('a.id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { items: rows.map((r) => present(r, today)), total, page: query.page, pageSize: query.pageSize };
}

export async function getAssignment(db: Q, id: string, today = todayUtc()) {
  const row = await selectList(baseList(db)).where('a.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Assignment');
  return present(row, today);
}

export async function findAssignment(db: Q, id: string): Promise<Assignment> {
  const row = await db.selectFrom('assignments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Assignment');
  return row;
}

/**
 * Assigns recommendations (one or many: bulk from a list selection) or a cluster to an entity.
 * Re-assigning the same target to the same entity updates its role and due date (a new due date
 * starts a new reporting period). All or nothing.
 */
export async function assign(db: Kysely<DB>, input: AssignInput, actor: Actor) {
  authorize(canManageAssignments(actor));
  return db.transaction().execute(async (trx) => {
    const entity = await trx.selectFrom('entities').select(['id', 'archived_at']).where('id', '=', input.entityId).executeTakeFirst();
    if (!entity || entity.archived_at) throw badRequest('unknown_entity', `No active entity "${input.entityId}".`, { field: 'entityId' });
    const targets: { recommendation_id: string | null; cluster_id: string | null }[] = [];
    if (input.recommendationIds) {
      const ids = [...new Set(input.recommendationIds)];
      const found = new Set(
        (await trx.selectFrom('recommendations').select('id').where('id', 'in', ids).execute()).map((r) => r.id),
      );
      const missing = ids.filter((i) => !found.has(i));
      if (missing.length) throw badRequest('unknown_recommendation', `${missing.length} recommendation(s) not found.`, { missing });
      for (const i of ids) targets.push({ recommendation_id: i, cluster_id: null });
    } else {
      const clusterId = input.clusterId!;
      const member = await trx.selectFrom('recommendations').select('id').where('cluster_id', '=', clusterId).executeTakeFirst();
      if (!member) throw badRequest('unknown_cluster', `No cluster "${clusterId}" with recommendations.`, { field: 'clusterId' });
      targets.push({ recommendation_id: null, cluster_id: clusterId });
    }
    const now = nowIso();
    const dueDate = input.dueDate ?? null;
    let created = 0;
    let updated = 0;
    const ids: string[] = [];
    // thousands of statements: SQLite runs each on the server's thread, so other requests are let in between them
    const pause = yielder(25);
    for (const t of targets) {
      await pause();
      let existing = trx.selectFrom('assignments').selectAll().where('entity_id', '=', input.entityId);
      existing = t.recommendation_id
        ? existing.where('recommendation_id', '=', t.recommendation_id)
        : existing.where('cluster_id', '=', t.cluster_id!);
      const prior = await existing.executeTakeFirst();
      if (!prior) {
        const row: Assignment = {
          id: newId(),
          ...t,
          entity_id: input.entityId,
          role: input.role,
          due_date: dueDate,
          due_set_at: now,
          created_by: actor.id,
          created_at: now,
          updated_at: now,
        };
        await trx.insertInto('assignments').values(row).execute();
        await recordAudit(trx, { actorId: actor.id, action: 'assignment.create', subjectType: 'assignment', subjectId: row.id, after: row });
        created += 1;
        ids.push(row.id);
        continue;
      }
      ids.push(prior.id);
      if (prior.role === input.role && prior.due_date === dueDate) continue;
      const patch = {
        role: input.role,
        due_date: dueDate,
        due_set_at: prior.due_date === dueDate ? prior.due_set_at : now,
        updated_at: now,
      };
      await trx.updateTable('assignments').set(patch).where('id', '=', prior.id).execute();
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'assignment.update',
        subjectType: 'assignment',
        subjectId: prior.id,
        before: { role: prior.role, due_date: prior.due_date },
        after: { role: patch.role, due_date: patch.due_date },
      });
      updated += 1;
    }
    return { created, updated, ids };
  });
}

/** Removes an assignment that has no progress updates (reported work is never deleted with it). */
export async function removeAssignment(db: Kysely<DB>, id: string, actor: Actor) {
  authorize(canManageAssignments(actor));
  await db.transaction().execute(async (trx) => {
    const prior = await findAssignment(trx, id);
    const updates = await trx
      .selectFrom('progress_updates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('assignment_id', '=', id)
      .executeTakeFirstOrThrow();
    if (Number(updates.n) > 0) {
      throw conflict('assignment_has_updates', 'This assignment has progress updates; it cannot be removed.', { updates: Number(updates.n) });
    }
    await trx.deleteFrom('reminder_log').where('assignment_id', '=', id).execute();
    await trx.deleteFrom('assignments').where('id', '=', id).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'assignment.delete', subjectType: 'assignment', subjectId: id, before: prior });
  });
}

/** "What is mine, what is due": an entity's assignments, due soon, overdue, and drafts waiting to be submitted. */
export async function workspace(db: Kysely<DB>, actor: Actor, opts: { entity?: string; reminderDays: number; today?: string }) {
  const today = opts.today ?? todayUtc();
  const entityId = opts.entity ?? actor.entity_id;
  if (!entityId) {
    if (!isCurator(actor)) throw badRequest('entity_required', 'Choose an entity (?entity=ID).');
    return { entity: null, assignments: [], dueSoon: [], overdue: [], drafts: [], awaitingReview: await awaitingReview(db, null) };
  }
  authorize(canReadWorkspaceOf(actor, entityId));
  const entity = await db.selectFrom('entities').select(['id', 'code', 'name_ar', 'name_en']).where('id', '=', entityId).executeTakeFirst();
  if (!entity) throw notFound('Entity');
  const all = await listAssignments(db, { entity: entityId, page: 1, pageSize: 500 }, today);
  const soon = addDays(today, opts.reminderDays);
  const open = all.items.filter((a) => !a.answered && a.due_date !== null);
  // Drafts and returned updates are the entity's own work in progress: only its members and curators see them.
  const seesWork = isCurator(actor) || actor.entity_id === entityId;
  return {
    entity,
    assignments: all.items,
    dueSoon: open.filter((a) => a.due_date! >= today && a.due_date! <= soon),
    overdue: open.filter((a) => a.due_date! < today),
    drafts: seesWork
      ? await db
          .selectFrom('progress_updates as u')
          .leftJoin('plan_actions as pa', 'pa.id', 'u.action_id')
          .select(['u.id', 'u.assignment_id', 'u.action_id', 'pa.code as action_code', 'pa.title_ar as action_title_ar', 'pa.title_en as action_title_en', 'u.status', 'u.period_start', 'u.period_end', 'u.proposed_status', 'u.proposed_action_status', 'u.review_comment', 'u.version', 'u.updated_at'])
          .where('u.entity_id', '=', entityId)
          .where('u.status', 'in', ['draft', 'returned'])
          .orderBy('u.updated_at', 'desc')
          .execute()
      : [],
    awaitingReview: seesWork ? await awaitingReview(db, entityId) : [],
  };
}

async function awaitingReview(db: Kysely<DB>, entityId: string | null) {
  let q = db
    .selectFrom('progress_updates as u')
    .innerJoin('entities as e', 'e.id', 'u.entity_id')
    .leftJoin('plan_actions as pa', 'pa.id', 'u.action_id')
    .select([
      'u.id',
      'u.assignment_id',
      'u.action_id',
      'pa.plan_id as action_plan_id',
      'pa.code as action_code',
      'pa.title_ar as action_title_ar',
      'pa.title_en as action_title_en',
      'u.entity_id',
      'e.name_ar as entity_name_ar',
      'e.name_en as entity_name_en',
      'u.submitted_at',
      'u.proposed_status',
      'u.proposed_action_status',
      'u.version',
    ])
    .where('u.status', '=', 'submitted');
  if (entityId) q = q.where('u.entity_id', '=', entityId);
  return q.orderBy('u.submitted_at').limit(500).execute();
}
