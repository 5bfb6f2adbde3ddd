import { sql, type Kysely, type Transaction } from 'kysely';
import { answeredSql, todayUtc } from '../assignments/index.ts';
import { recordAudit } from '../audit/index.ts';
import { authorize, isCurator, type Actor } from '../auth/permissions.ts';
import type { DB, Obligation, ObligationStatus, ObligationType } from '../db/schema.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import type { CalendarQuery, CreateObligationInput, ListObligationsQuery, PatchObligationInput } from './obligations.schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

export interface ObligationSource {
  documentId: string;
  symbol: string;
  paragraphs: string[] | null;
}

/** Adds months to a YYYY-MM-DD date (the day is kept, clamped to the month's last day). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export const isOverdue = (o: { due_date: string; status: ObligationStatus }, today = todayUtc()): boolean => o.status !== 'submitted' && o.due_date < today;

async function resolveBody(db: Q, body: string | undefined): Promise<{ id: string; code: string }> {
  if (!body) throw badRequest('body_required', 'An obligation is owed to a body: send "body" (a body id or code such as "CEDAW").', { field: 'body' });
  const row = await db
    .selectFrom('bodies')
    .select(['id', 'code'])
    .where((eb) => eb.or([eb('id', '=', body), eb('code', '=', body.toUpperCase())]))
    .executeTakeFirst();
  if (!row) throw badRequest('unknown_body', `Unknown body "${body}".`, { field: 'body' });
  return row;
}

async function checkOwner(db: Q, ownerId: string | null | undefined) {
  if (!ownerId) return;
  const u = await db.selectFrom('users').select(['id', 'role']).where('id', '=', ownerId).where('disabled_at', 'is', null).executeTakeFirst();
  if (!u) throw badRequest('unknown_user', 'The owner is not an active user.', { field: 'ownerId' });
}

async function checkSources(db: Q, sources: CreateObligationInput['sources']) {
  if (!sources?.length) return;
  const ids = [...new Set(sources.map((s) => s.documentId))];
  if (ids.length !== sources.length) throw badRequest('duplicate_source', 'A document is listed twice.', { field: 'sources' });
  const found = await db.selectFrom('documents').select('id').where('id', 'in', ids).execute();
  const missing = ids.filter((i) => !found.some((f) => f.id === i));
  if (missing.length) throw badRequest('unknown_document', `Unknown document(s): ${missing.join(', ')}.`, { field: 'sources', missing });
}

async function writeSources(trx: Transaction<DB>, obligationId: string, sources: NonNullable<CreateObligationInput['sources']>) {
  await trx.deleteFrom('obligation_documents').where('obligation_id', '=', obligationId).execute();
  if (sources.length) {
    await trx
      .insertInto('obligation_documents')
      .values(sources.map((s) => ({ id: newId(), obligation_id: obligationId, document_id: s.documentId, paragraphs: s.paragraphs?.length ? JSON.stringify(s.paragraphs) : null })))
      .execute();
  }
}

export async function findObligation(db: Q, id: string): Promise<Obligation> {
  const row = await db.selectFrom('obligations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Obligation');
  return row;
}

export async function obligationSources(db: Q, obligationId: string): Promise<ObligationSource[]> {
  const rows = await db
    .selectFrom('obligation_documents as od')
    .innerJoin('documents as d', 'd.id', 'od.document_id')
    .select(['od.document_id', 'd.symbol', 'od.paragraphs'])
    .where('od.obligation_id', '=', obligationId)
    .orderBy('d.symbol')
    .execute();
  return rows.map((r) => ({ documentId: r.document_id, symbol: r.symbol, paragraphs: r.paragraphs ? (JSON.parse(r.paragraphs) as string[]) : null }));
}

function present(o: Obligation & { body_code: string; body_name_ar: string; body_name_en: string; owner_name: string | null }, today: string) {
  const overdue = isOverdue(o, today);
  return { ...o, overdue, displayStatus: overdue ? ('overdue' as const) : o.status };
}

function baseQuery(db: Q) {
  return db
    .selectFrom('obligations as o')
    .innerJoin('bodies as b', 'b.id', 'o.body_id')
    .leftJoin('users as u', 'u.id', 'o.owner_id')
    .selectAll('o')
    .select(['b.code as body_code', 'b.name_ar as body_name_ar', 'b.name_en as body_name_en', 'u.name as owner_name']);
}

/** A viewer sees only submitted reports (drafts are internal work; see reports.service canReadReport). */
const visibleReports = <R extends { status: string }>(reports: R[], actor?: Actor) => (actor?.role === 'viewer' ? reports.filter((r) => r.status === 'submitted') : reports);

export async function listObligations(db: Kysely<DB>, query: ListObligationsQuery, actor?: Actor) {
  const today = todayUtc();
  let q = baseQuery(db);
  if (query.type) q = q.where('o.type', '=', query.type);
  if (query.body) q = q.where((eb) => eb.or([eb('o.body_id', '=', query.body!), eb('b.code', '=', query.body!.toUpperCase())]));
  if (query.owner) q = q.where('o.owner_id', '=', query.owner);
  if (query.from) q = q.where('o.due_date', '>=', query.from);
  if (query.to) q = q.where('o.due_date', '<=', query.to);
  if (query.status === 'overdue') q = q.where('o.due_date', '<', today).where('o.status', '<>', 'submitted');
  else if (query.status) q = q.where('o.status', '=', query.status);
  const rows = await q.orderBy('o.due_date').orderBy('o.id').execute();
  const reports = rows.length
    ? await db.selectFrom('reports').select(['id', 'obligation_id', 'status']).where('obligation_id', 'in', rows.map((r) => r.id)).execute()
    : [];
  return {
    items: rows.map((r) => ({ ...present(r, today), reports: visibleReports(reports.filter((x) => x.obligation_id === r.id), actor).map((x) => ({ id: x.id, status: x.status })) })),
  };
}

export async function getObligation(db: Q, id: string, actor?: Actor) {
  const row = await baseQuery(db).where('o.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Obligation');
  const [sources, reports] = await Promise.all([
    obligationSources(db, id),
    db.selectFrom('reports').select(['id', 'status', 'type', 'title_ar', 'title_en', 'updated_at']).where('obligation_id', '=', id).orderBy('created_at').execute(),
  ]);
  return { ...present(row, todayUtc()), sources, reports: visibleReports(reports, actor) };
}

export async function createObligation(db: Kysely<DB>, input: CreateObligationInput, actor: Actor) {
  authorize(isCurator(actor));
  const body = await resolveBody(db, input.body);
  await checkOwner(db, input.ownerId);
  await checkSources(db, input.sources);
  const now = nowIso();
  const row: Obligation = {
    id: newId(),
    type: input.type,
    body_id: body.id,
    title_ar: input.title_ar ?? null,
    title_en: input.title_en ?? null,
    due_date: input.dueDate,
    owner_id: input.ownerId ?? null,
    status: 'planned',
    notes: input.notes ?? null,
    created_by: actor.id,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('obligations').values(row).execute();
    await writeSources(trx, row.id, input.sources ?? []);
    await recordAudit(trx, { actorId: actor.id, action: 'obligation.create', subjectType: 'obligation', subjectId: row.id, after: { ...row, sources: input.sources ?? [] } });
  });
  return getObligation(db, row.id);
}

export async function patchObligation(db: Kysely<DB>, id: string, input: PatchObligationInput, actor: Actor) {
  authorize(isCurator(actor));
  await db.transaction().execute(async (trx) => {
    const current = await findObligation(trx, id);
    if (current.version !== input.version) {
      throw conflict('version_conflict', 'Someone else changed this obligation meanwhile. Reload it and try again.', { currentVersion: current.version });
    }
    const set: Partial<Obligation> = {};
    if (input.body !== undefined) set.body_id = (await resolveBody(trx, input.body)).id;
    if (input.ownerId !== undefined) {
      await checkOwner(trx, input.ownerId);
      set.owner_id = input.ownerId;
    }
    if (input.title_ar !== undefined) set.title_ar = input.title_ar;
    if (input.title_en !== undefined) set.title_en = input.title_en;
    if (input.dueDate !== undefined) set.due_date = input.dueDate;
    if (input.notes !== undefined) set.notes = input.notes;
    if (input.status !== undefined) set.status = input.status;
    const before: Record<string, unknown> = {};
    for (const k of Object.keys(set) as (keyof Obligation)[]) before[k] = current[k];
    if (input.sources) {
      await checkSources(trx, input.sources);
      before.sources = await obligationSources(trx, id);
      await writeSources(trx, id, input.sources);
    }
    const res = await trx
      .updateTable('obligations')
      .set({ ...set, updated_at: nowIso(), version: current.version + 1 })
      .where('id', '=', id)
      .where('version', '=', current.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw conflict('version_conflict', 'Someone else changed this obligation meanwhile. Reload it and try again.');
    await recordAudit(trx, { actorId: actor.id, action: 'obligation.edit', subjectType: 'obligation', subjectId: id, before, after: { ...set, ...(input.sources ? { sources: input.sources } : {}) } });
  });
  return getObligation(db, id);
}

export async function deleteObligation(db: Kysely<DB>, id: string, version: number, actor: Actor) {
  authorize(isCurator(actor));
  await db.transaction().execute(async (trx) => {
    const current = await findObligation(trx, id);
    if (current.version !== version) throw conflict('version_conflict', 'Someone else changed this obligation meanwhile. Reload it and try again.', { currentVersion: current.version });
    const hasReport = await trx.selectFrom('reports').select('id').where('obligation_id', '=', id).executeTakeFirst();
    if (hasReport) throw conflict('obligation_has_reports', 'This obligation has a report draft; delete is not possible.');
    await trx.deleteFrom('obligations').where('id', '=', id).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'obligation.delete', subjectType: 'obligation', subjectId: id, before: current });
  });
}

/** Sets the obligation's status from its report's workflow (inside the report's transaction). */
export async function setObligationStatus(trx: Transaction<DB>, id: string, status: ObligationStatus, actorId: string) {
  const current = await findObligation(trx, id);
  if (current.status === status) return;
  await trx.updateTable('obligations').set({ status, updated_at: nowIso(), version: current.version + 1 }).where('id', '=', id).execute();
  await recordAudit(trx, { actorId, action: 'obligation.status', subjectType: 'obligation', subjectId: id, before: { status: current.status }, after: { status } });
}

/* ---------------- suggested due dates ---------------- */

export interface ObligationSuggestion {
  type: ObligationType;
  bodyId: string;
  bodyCode: string;
  documentId: string;
  symbol: string;
  /** the date the suggestion counts from (the source document's date) */
  basisDate: string;
  dueDate: string;
  paragraphs: string[] | null;
  rule: string;
  /** an obligation of this type already answers this document */
  alreadyPlanned: boolean;
}

/**
 * Due dates suggested from what the register holds (SPEC §3.6): the next UPR review about 4.5 years after the
 * last review's document (its national report is due then), the voluntary mid-term report at about 2.5 years;
 * treaty-body follow-up information 1 year after the concluding observations (2 years for CEDAW and CMW),
 * on the paragraphs flagged for follow-up.
 */
export async function suggestObligations(db: Kysely<DB>): Promise<{ items: ObligationSuggestion[] }> {
  const docs = await db
    .selectFrom('documents as d')
    .innerJoin('bodies as b', 'b.id', 'd.body_id')
    .select(['d.id', 'd.symbol', 'd.date', 'd.type', 'b.id as body_id', 'b.code as body_code', 'b.mechanism_id'])
    .where('d.date', 'is not', null)
    .where((eb) => eb.or([eb('b.code', '=', 'UPR'), eb('b.mechanism_id', '=', 'mech-tb')]))
    .orderBy('d.date', 'desc')
    .execute();
  const planned = await db.selectFrom('obligations as o').innerJoin('obligation_documents as od', 'od.obligation_id', 'o.id').select(['o.type', 'od.document_id']).execute();
  const isPlanned = (type: string, documentId: string) => planned.some((p) => p.type === type && p.document_id === documentId);
  const items: ObligationSuggestion[] = [];
  const lastUpr = docs.find((d) => d.body_code === 'UPR');
  if (lastUpr) {
    const basis = lastUpr.date!.slice(0, 10);
    const common = { bodyId: lastUpr.body_id, bodyCode: 'UPR', documentId: lastUpr.id, symbol: lastUpr.symbol, basisDate: basis, paragraphs: null };
    items.push({ ...common, type: 'upr_midterm', dueDate: addMonths(basis, 30), rule: 'upr_midterm_2_5_years', alreadyPlanned: isPlanned('upr_midterm', lastUpr.id) });
    items.push({ ...common, type: 'upr_national', dueDate: addMonths(basis, 54), rule: 'upr_next_review_4_5_years', alreadyPlanned: isPlanned('upr_national', lastUpr.id) });
  }
  const seen = new Set<string>();
  for (const d of docs) {
    if (d.mechanism_id !== 'mech-tb' || seen.has(d.body_code)) continue;
    seen.add(d.body_code);
    const basis = d.date!.slice(0, 10);
    const years = d.body_code === 'CEDAW' || d.body_code === 'CMW' ? 2 : 1;
    const flagged = await db.selectFrom('recommendations').select('paragraph').where('document_id', '=', d.id).where('follow_up', '=', 1).execute();
    const paragraphs = flagged.map((f) => f.paragraph).filter((p): p is string => !!p);
    items.push({
      type: 'treaty_followup',
      bodyId: d.body_id,
      bodyCode: d.body_code,
      documentId: d.id,
      symbol: d.symbol,
      basisDate: basis,
      dueDate: addMonths(basis, years * 12),
      paragraphs: paragraphs.length ? paragraphs : null,
      rule: years === 2 ? 'treaty_followup_2_years' : 'treaty_followup_1_year',
      alreadyPlanned: isPlanned('treaty_followup', d.id),
    });
  }
  items.sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  return { items };
}

/* ---------------- calendar ---------------- */

/** Obligations, assignment due dates and action plan end dates between two dates. */
export async function calendar(db: Kysely<DB>, query: CalendarQuery) {
  if (query.from > query.to) throw badRequest('invalid_period', 'The period ends before it starts.', { field: 'to' });
  if (Date.parse(query.to) - Date.parse(query.from) > 400 * 86_400_000) throw badRequest('period_too_long', 'Ask for at most 400 days at a time.', { field: 'to' });
  const today = todayUtc();
  let oq = baseQuery(db).where('o.due_date', '>=', query.from).where('o.due_date', '<=', query.to);
  if (query.body) oq = oq.where((eb) => eb.or([eb('o.body_id', '=', query.body!), eb('b.code', '=', query.body!.toUpperCase())]));
  const obligations = await oq.orderBy('o.due_date').execute();
  let aq = db
    .selectFrom('assignments as a')
    .innerJoin('entities as e', 'e.id', 'a.entity_id')
    .leftJoin('recommendations as r', 'r.id', 'a.recommendation_id')
    .leftJoin('documents as d', 'd.id', 'r.document_id')
    .leftJoin('clusters as c', 'c.id', 'a.cluster_id')
    .select(['a.id', 'a.due_date', 'a.entity_id', 'e.name_ar as entity_ar', 'e.name_en as entity_en', 'd.symbol', 'r.paragraph', 'c.title_ar as cluster_ar', 'c.title_en as cluster_en', 'a.recommendation_id', 'a.cluster_id'])
    .select(sql<number>`case when ${answeredSql} then 1 else 0 end`.as('answered'))
    .where('a.due_date', '>=', query.from)
    .where('a.due_date', '<=', query.to);
  if (query.entity) aq = aq.where('a.entity_id', '=', query.entity);
  if (query.body) aq = aq.innerJoin('bodies as b', 'b.id', 'd.body_id').where((eb) => eb.or([eb('b.id', '=', query.body!), eb('b.code', '=', query.body!.toUpperCase())]));
  const assignments = await aq.orderBy('a.due_date').limit(2000).execute();
  const actions = await calendarActions(db, query);
  const items = [
    ...(query.entity ? [] : obligations).map((o) => ({
      kind: 'obligation' as const,
      id: o.id,
      date: o.due_date,
      type: o.type,
      bodyCode: o.body_code,
      title_ar: o.title_ar,
      title_en: o.title_en,
      status: o.status,
      overdue: isOverdue(o, today),
    })),
    ...assignments.map((a) => ({
      kind: 'assignment' as const,
      id: a.id,
      date: a.due_date!,
      entityId: a.entity_id,
      entity_ar: a.entity_ar,
      entity_en: a.entity_en,
      label: a.cluster_id ? null : [a.symbol, a.paragraph].filter(Boolean).join(' '),
      cluster_ar: a.cluster_ar,
      cluster_en: a.cluster_en,
      recommendationId: a.recommendation_id,
      answered: Number(a.answered) === 1,
      // overdue: past due and no update approved since the due date was set (as in the workspace)
      overdue: a.due_date! < today && Number(a.answered) !== 1,
    })),
    ...actions.map((a) => ({
      kind: 'action' as const,
      id: a.id,
      date: a.end_date!,
      planId: a.plan_id,
      code: a.code,
      title_ar: a.title_ar,
      title_en: a.title_en,
      actionStatus: a.status,
      entityId: a.lead_entity_id,
      entity_ar: a.entity_ar,
      entity_en: a.entity_en,
      /** how the filtered entity takes part (lead or partner); null without an entity filter */
      entityRole: query.entity ? (a.lead_entity_id === query.entity ? ('lead' as const) : ('partner' as const)) : null,
      // as on the plan page: past its end date and neither completed nor cancelled
      overdue: a.end_date! < today && a.status !== 'completed',
    })),
  ].sort((x, y) => x.date.localeCompare(y.date) || x.kind.localeCompare(y.kind));
  return { from: query.from, to: query.to, items };
}

/**
 * Action end dates for the calendar: the actions of every ADOPTED plan version (adopting a version archives the
 * plan's earlier adopted one, so each plan shows once; drafts and plans in consultation are not yet commitments, and
 * archived versions are superseded). Cancelled actions have no deadline and are left out. Filters: an entity that
 * leads the action or is one of its partners; a body that made a recommendation the action answers (directly or
 * through a linked cluster).
 */
export async function calendarActions(db: Q, query: { from: string; to: string; entity?: string | undefined; body?: string | undefined }) {
  let q = db
    .selectFrom('plan_actions as pa')
    .innerJoin('plans as p', 'p.id', 'pa.plan_id')
    .leftJoin('entities as e', 'e.id', 'pa.lead_entity_id')
    .select(['pa.id', 'pa.plan_id', 'pa.code', 'pa.title_ar', 'pa.title_en', 'pa.status', 'pa.end_date', 'pa.lead_entity_id', 'e.name_ar as entity_ar', 'e.name_en as entity_en'])
    .where('p.status', '=', 'adopted')
    .where('pa.status', '<>', 'cancelled')
    .where('pa.end_date', 'is not', null)
    .where('pa.end_date', '>=', query.from)
    .where('pa.end_date', '<=', query.to);
  if (query.entity) {
    const entity = query.entity;
    q = q.where((eb) =>
      eb.or([
        eb('pa.lead_entity_id', '=', entity),
        eb.exists(eb.selectFrom('plan_action_partners as pp').select('pp.action_id').whereRef('pp.action_id', '=', 'pa.id').where('pp.entity_id', '=', entity)),
      ]),
    );
  }
  if (query.body) {
    const body = query.body;
    q = q.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('plan_action_recommendations as par')
            .innerJoin('recommendations as r2', 'r2.id', 'par.recommendation_id')
            .innerJoin('documents as d2', 'd2.id', 'r2.document_id')
            .innerJoin('bodies as b2', 'b2.id', 'd2.body_id')
            .select('par.action_id')
            .whereRef('par.action_id', '=', 'pa.id')
            .where((e2) => e2.or([e2('b2.id', '=', body), e2('b2.code', '=', body.toUpperCase())])),
        ),
        eb.exists(
          eb
            .selectFrom('plan_action_clusters as pac')
            .innerJoin('recommendations as r2', 'r2.cluster_id', 'pac.cluster_id')
            .innerJoin('documents as d2', 'd2.id', 'r2.document_id')
            .innerJoin('bodies as b2', 'b2.id', 'd2.body_id')
            .select('pac.action_id')
            .whereRef('pac.action_id', '=', 'pa.id')
            .where((e2) => e2.or([e2('b2.id', '=', body), e2('b2.code', '=', body.toUpperCase())])),
        ),
      ]),
    );
  }
  return q.orderBy('pa.end_date').orderBy('pa.code').limit(2000).execute();
}

/** Who may own an obligation (write its report): the secretariat and the focal points, active ones only. */
export async function obligationOwners(db: Kysely<DB>, actor: Actor) {
  authorize(isCurator(actor));
  const items = await db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'entity_id'])
    .where('disabled_at', 'is', null)
    .where('role', 'in', ['admin', 'coordinator', 'focal_point'])
    .orderBy('name')
    .execute();
  return { items };
}
