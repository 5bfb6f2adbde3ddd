import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { authorize, isCurator, type Actor } from '../auth/permissions.ts';
import type { DB, Obligation, ObligationStatus, Report, ReportSection, ReportStatus, ReportStructure } from '../db/schema.ts';
import { createNotifications } from '../notifications/index.ts';
import { badRequest, conflict, isUniqueViolation, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { compileSections, coveredRecommendations, obligationTreaty, suggestArticles, type CompiledSection, type Layout } from './compile.ts';
import { findObligation, setObligationStatus } from './obligations.service.ts';
import type { ArticlesInput, CreateReportInput, EditSectionInput, PatchReportInput } from './reports.schema.ts';
import { templateOf } from './templates.ts';
import { countWords, WORD_LIMITS, type LimitKind } from './word-count.ts';

type Q = Kysely<DB> | Transaction<DB>;

const EDITABLE: ReportStatus[] = ['draft', 'in_review'];
const OBLIGATION_STATUS: Record<ReportStatus, ObligationStatus> = { draft: 'drafting', in_review: 'in_review', approved: 'approved', submitted: 'submitted' };

const staleReport = (currentVersion?: number) =>
  conflict('version_conflict', 'Someone else changed this report meanwhile. Reload it and try again.', currentVersion === undefined ? undefined : { currentVersion });
const staleSection = (currentVersion?: number) =>
  conflict('version_conflict', 'Someone else changed this section meanwhile. Reload it and try again.', currentVersion === undefined ? undefined : { currentVersion });

/** Writers of a report: the secretariat (admin, coordinator) and the obligation's owner. */
export const canWriteReport = (actor: Actor, obligation: Pick<Obligation, 'owner_id'>) => isCurator(actor) || (obligation.owner_id !== null && obligation.owner_id === actor.id);

/**
 * Drafts are the state's internal work: a viewer (civil society, NHRI, UN partners…) reads a report once it has been
 * submitted; staff (secretariat, focal points, contributors) read drafts too. A draft is "not found" to a viewer.
 */
export const canReadReport = (actor: Actor, report: Pick<Report, 'status'>) => actor.role !== 'viewer' || report.status === 'submitted';

export async function assertCanReadReport(db: Q, id: string, actor: Actor): Promise<void> {
  const report = await findReport(db, id);
  if (!canReadReport(actor, report)) throw notFound('Report');
}

export async function findReport(db: Q, id: string): Promise<Report> {
  const row = await db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Report');
  return row;
}

async function findSection(db: Q, reportId: string, sectionId: string): Promise<ReportSection> {
  const row = await db.selectFrom('report_sections').selectAll().where('id', '=', sectionId).where('report_id', '=', reportId).executeTakeFirst();
  if (!row) throw notFound('Section');
  return row;
}

function assertEditable(report: Report) {
  if (!EDITABLE.includes(report.status)) {
    throw conflict('report_locked', `A report that is ${report.status.replace('_', ' ')} can no longer be edited.`, { status: report.status });
  }
}

/** Bumps the report's version and updated_at (any change to it or its sections). */
async function touchReport(trx: Transaction<DB>, report: Report) {
  await trx.updateTable('reports').set({ updated_at: nowIso(), version: report.version + 1 }).where('id', '=', report.id).execute();
}

async function writeHistory(trx: Transaction<DB>, s: { id: string; version: number; text_ar: string; text_en: string }, reason: 'compile' | 'edit' | 'accept', actorId: string) {
  await trx
    .insertInto('report_section_history')
    .values({ id: newId(), section_id: s.id, version: s.version, text_ar: s.text_ar, text_en: s.text_en, reason, changed_by: actorId, changed_at: nowIso() })
    .execute();
}

function presentSection(s: ReportSection) {
  const { recommendation_ids, ...rest } = s;
  return {
    ...rest,
    recommendationIds: JSON.parse(recommendation_ids) as string[],
    source_changed: s.source_changed === 1,
    edited: { ar: s.text_ar !== s.compiled_ar, en: s.text_en !== s.compiled_en },
    words: { ar: countWords(s.text_ar), en: countWords(s.text_en) },
  };
}

export async function getReport(db: Q, id: string) {
  const report = await findReport(db, id);
  const obligation = await db
    .selectFrom('obligations as o')
    .innerJoin('bodies as b', 'b.id', 'o.body_id')
    .select(['o.id', 'o.type', 'o.due_date', 'o.status', 'o.owner_id', 'o.title_ar', 'o.title_en', 'b.code as body_code', 'b.name_ar as body_name_ar', 'b.name_en as body_name_en'])
    .where('o.id', '=', report.obligation_id)
    .executeTakeFirstOrThrow();
  const [sections, comments] = await Promise.all([
    db.selectFrom('report_sections').selectAll().where('report_id', '=', id).orderBy('sort').execute(),
    db
      .selectFrom('report_comments as c')
      .leftJoin('users as u', 'u.id', 'c.author_id')
      .select(['c.id', 'c.section_id', 'c.author_id', 'u.name as author_name', 'c.body', 'c.resolved_by', 'c.resolved_at', 'c.created_at'])
      .where('c.report_id', '=', id)
      .orderBy('c.created_at')
      .execute(),
  ]);
  const presented = sections.map(presentSection);
  const articles = await articlesOf(db, report);
  const limit = report.limit_kind ? (WORD_LIMITS[report.limit_kind as LimitKind] ?? null) : null;
  const total = { ar: presented.reduce((n, s) => n + s.words.ar, 0), en: presented.reduce((n, s) => n + s.words.en, 0) };
  return {
    ...report,
    obligation,
    sections: presented,
    comments,
    words: { ...total, limit, over: { ar: limit !== null && total.ar > limit, en: limit !== null && total.en > limit }, excludes: ['footnotes', 'annexes'] },
    openComments: comments.filter((c) => !c.resolved_at).length,
    changedSections: presented.filter((s) => s.source_changed).length,
    articles,
  };
}

export async function listReports(db: Kysely<DB>, query: { obligation?: string; status?: ReportStatus }, actor?: Actor) {
  let q = db
    .selectFrom('reports as r')
    .innerJoin('obligations as o', 'o.id', 'r.obligation_id')
    .innerJoin('bodies as b', 'b.id', 'o.body_id')
    .select(['r.id', 'r.type', 'r.obligation_id', 'r.title_ar', 'r.title_en', 'r.status', 'r.limit_kind', 'r.symbol', 'r.submitted_on', 'r.compiled_at', 'r.updated_at', 'r.version', 'o.due_date', 'b.code as body_code']);
  if (query.obligation) q = q.where('r.obligation_id', '=', query.obligation);
  if (query.status) q = q.where('r.status', '=', query.status);
  if (actor && actor.role === 'viewer') q = q.where('r.status', '=', 'submitted');
  const rows = await q.orderBy('o.due_date').orderBy('r.id').execute();
  return { items: rows.map((r) => ({ ...r, wordLimit: r.limit_kind ? (WORD_LIMITS[r.limit_kind as LimitKind] ?? null) : null })) };
}

async function insertSections(trx: Transaction<DB>, reportId: string, compiled: CompiledSection[], actorId: string) {
  const now = nowIso();
  for (const c of compiled) {
    const row = {
      id: newId(),
      report_id: reportId,
      key: c.key,
      sort: c.sort,
      heading_ar: c.heading_ar,
      heading_en: c.heading_en,
      text_ar: c.text_ar,
      text_en: c.text_en,
      compiled_ar: c.text_ar,
      compiled_en: c.text_en,
      pending_ar: null,
      pending_en: null,
      source_hash: c.sourceHash,
      source_changed: 0,
      recommendation_ids: JSON.stringify(c.recommendationIds),
      updated_by: actorId,
      updated_at: now,
      version: 1,
    };
    await trx.insertInto('report_sections').values(row).execute();
    await writeHistory(trx, row, 'compile', actorId);
  }
}

/** Creates the draft answering an obligation: sections from its type's template, compiled at once. */
export async function createReport(db: Kysely<DB>, input: CreateReportInput, actor: Actor) {
  const id = await createReportTx(db, input, actor).catch((err: unknown) => {
    // two people starting the same report at once: the second gets the same answer as if it came later
    if (isUniqueViolation(err)) throw conflict('report_exists', 'This obligation already has a report draft.');
    throw err;
  });
  return getReport(db, id);
}

function createReportTx(db: Kysely<DB>, input: CreateReportInput, actor: Actor): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const obligation = await findObligation(trx, input.obligationId);
    authorize(canWriteReport(actor, obligation));
    const template = templateOf(obligation.type);
    if (!template) throw badRequest('no_template', `There is no report template for obligations of type "${obligation.type}" yet.`, { type: obligation.type });
    if (input.limitKind && !template.allowedLimits.includes(input.limitKind as LimitKind)) {
      throw badRequest('invalid_limit', `The word limit "${input.limitKind}" does not apply to a report of type "${obligation.type}".`, { field: 'limitKind' });
    }
    const existing = await trx.selectFrom('reports').select('id').where('obligation_id', '=', obligation.id).executeTakeFirst();
    if (existing) throw conflict('report_exists', 'This obligation already has a report draft.', { reportId: existing.id });
    let structure: ReportStructure | null = template.structures?.[0] ?? null;
    if (input.structure) {
      if (!template.structures?.includes(input.structure)) {
        throw badRequest('invalid_structure', `A report of type "${obligation.type}" cannot be laid out ${input.structure.replace('_', ' ')}.`, { field: 'structure' });
      }
      structure = input.structure;
    }
    const layout: Layout = { structure };
    if (structure === 'by_article') {
      layout.treaty = await obligationTreaty(trx, obligation);
      layout.articles = await suggestArticles(trx, obligation, layout.treaty);
    }
    const compiled = await compileSections(trx, obligation, layout);
    const now = nowIso();
    const report: Report = {
      id: newId(),
      obligation_id: obligation.id,
      type: obligation.type,
      limit_kind: input.limitKind === undefined ? template.defaultLimit : input.limitKind,
      title_ar: input.title_ar ?? obligation.title_ar,
      title_en: input.title_en ?? obligation.title_en,
      status: 'draft',
      structure,
      symbol: null,
      submitted_on: null,
      compiled_at: now,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await trx.insertInto('reports').values(report).execute();
    // the articles the recommendations' own texts cite, as suggestions the editor confirms or changes
    for (const [recommendationId, article] of layout.articles ?? []) {
      await trx.insertInto('report_articles').values({ report_id: report.id, recommendation_id: recommendationId, article, suggested: 1, assigned_by: null, assigned_at: now }).execute();
    }
    await insertSections(trx, report.id, compiled, actor.id);
    await setObligationStatus(trx, obligation.id, 'drafting', actor.id);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'report.create',
      subjectType: 'report',
      subjectId: report.id,
      after: { ...report, sections: compiled.length, ...(layout.articles ? { suggestedArticles: layout.articles.size } : {}) },
    });
    return report.id;
  });
}

export async function patchReport(db: Kysely<DB>, id: string, input: PatchReportInput, actor: Actor) {
  await db.transaction().execute(async (trx) => {
    const report = await findReport(trx, id);
    const obligation = await findObligation(trx, report.obligation_id);
    authorize(canWriteReport(actor, obligation));
    assertEditable(report);
    if (report.version !== input.version) throw staleReport(report.version);
    const set: Partial<Report> = {};
    if (input.limitKind !== undefined) {
      if (input.limitKind && !templateOf(report.type)?.allowedLimits.includes(input.limitKind as LimitKind)) {
        throw badRequest('invalid_limit', `The word limit "${input.limitKind}" does not apply to a report of type "${report.type}".`, { field: 'limitKind' });
      }
      set.limit_kind = input.limitKind;
    }
    if (input.title_ar !== undefined) set.title_ar = input.title_ar;
    if (input.title_en !== undefined) set.title_en = input.title_en;
    const res = await trx.updateTable('reports').set({ ...set, updated_at: nowIso(), version: report.version + 1 }).where('id', '=', id).where('version', '=', report.version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw staleReport();
    const before: Record<string, unknown> = {};
    for (const k of Object.keys(set) as (keyof Report)[]) before[k] = report[k];
    await recordAudit(trx, { actorId: actor.id, action: 'report.edit', subjectType: 'report', subjectId: id, before, after: set });
  });
  return getReport(db, id);
}

/**
 * Compiles again from the approved updates now in the register. A section nobody edited (in a language)
 * takes the new text; an edited one keeps its text and gets the new compiled text as a pending proposal.
 * Every section whose sources changed (an approved update added or changed, a recommendation added or
 * removed) is marked `source_changed` until the editor takes the change in or leaves it. New template
 * sections are added; a section that no longer has a place is removed unless someone edited it.
 */
export async function recompileReport(db: Kysely<DB>, id: string, actor: Actor) {
  const summary = await db.transaction().execute(async (trx) => {
    const report = await findReport(trx, id);
    const obligation = await findObligation(trx, report.obligation_id);
    authorize(canWriteReport(actor, obligation));
    assertEditable(report);
    return recompileTx(trx, report, obligation, actor.id);
  });
  return { ...(await getReport(db, id)), compile: summary };
}

/** How the report is laid out now: its structure and, by article, the treaty and the recommendations' articles. */
async function layoutOf(db: Q, report: Report, obligation: Obligation): Promise<Layout> {
  if (report.structure !== 'by_article') return { structure: report.structure };
  const rows = await db.selectFrom('report_articles').select(['recommendation_id', 'article']).where('report_id', '=', report.id).execute();
  return { structure: 'by_article', treaty: await obligationTreaty(db, obligation), articles: new Map(rows.map((r) => [r.recommendation_id, r.article])) };
}

async function recompileTx(trx: Transaction<DB>, report: Report, obligation: Obligation, actorId: string) {
  const id = report.id;
  const compiled = await compileSections(trx, obligation, await layoutOf(trx, report, obligation));
  const existing = await trx.selectFrom('report_sections').selectAll().where('report_id', '=', id).execute();
  const byKey = new Map(existing.map((s) => [s.key, s]));
  const now = nowIso();
  const out = { added: 0, updated: 0, changed: 0, pending: 0, removed: 0, kept: 0 };
  for (const c of compiled) {
    const s = byKey.get(c.key);
    byKey.delete(c.key);
    if (!s) {
      await insertSections(trx, id, [c], actorId);
      out.added += 1;
      continue;
    }
    const changed = s.source_hash !== c.sourceHash;
    const editedAr = s.text_ar !== s.compiled_ar;
    const editedEn = s.text_en !== s.compiled_en;
    const set: Partial<ReportSection> = {
      sort: c.sort,
      heading_ar: c.heading_ar,
      heading_en: c.heading_en,
      compiled_ar: c.text_ar,
      compiled_en: c.text_en,
      source_hash: c.sourceHash,
      recommendation_ids: JSON.stringify(c.recommendationIds),
    };
    if (!editedAr) set.text_ar = c.text_ar;
    else if (c.text_ar !== s.compiled_ar) set.pending_ar = c.text_ar;
    if (!editedEn) set.text_en = c.text_en;
    else if (c.text_en !== s.compiled_en) set.pending_en = c.text_en;
    if (changed) set.source_changed = 1;
    const textChanged = (set.text_ar !== undefined && set.text_ar !== s.text_ar) || (set.text_en !== undefined && set.text_en !== s.text_en);
    const anything = changed || textChanged || s.sort !== c.sort || s.heading_ar !== c.heading_ar || s.heading_en !== c.heading_en || set.pending_ar !== undefined || set.pending_en !== undefined;
    if (!anything) continue;
    const version = s.version + 1;
    await trx.updateTable('report_sections').set({ ...set, version, updated_at: now }).where('id', '=', s.id).execute();
    if (textChanged) {
      await writeHistory(trx, { id: s.id, version, text_ar: set.text_ar ?? s.text_ar, text_en: set.text_en ?? s.text_en }, 'compile', actorId);
      out.updated += 1;
    }
    if (changed) out.changed += 1;
    if (set.pending_ar !== undefined || set.pending_en !== undefined) out.pending += 1;
  }
  for (const s of byKey.values()) {
    if (s.text_ar !== s.compiled_ar || s.text_en !== s.compiled_en) {
      // edited by someone: kept, flagged, with an empty proposal (its sources are gone)
      await trx
        .updateTable('report_sections')
        .set({ source_changed: 1, pending_ar: '', pending_en: '', compiled_ar: '', compiled_en: '', recommendation_ids: '[]', version: s.version + 1, updated_at: now })
        .where('id', '=', s.id)
        .execute();
      out.kept += 1;
    } else {
      await trx.deleteFrom('report_sections').where('id', '=', s.id).execute();
      out.removed += 1;
    }
  }
  await trx.updateTable('reports').set({ compiled_at: now, updated_at: now, version: report.version + 1 }).where('id', '=', id).execute();
  await recordAudit(trx, { actorId, action: 'report.compile', subjectType: 'report', subjectId: id, after: out });
  return out;
}

/**
 * Assigns recommendations the report covers to articles of its treaty (or takes an assignment back), then compiles
 * the report again in the same transaction: the article sections take what they now cover (an edited section keeps
 * its text and gets the new one as a proposal, as after any change of its sources). Only for a report laid out by
 * article; a stale report version gets 409 version_conflict.
 */
export async function assignArticles(db: Kysely<DB>, reportId: string, input: ArticlesInput, actor: Actor) {
  const summary = await db.transaction().execute(async (trx) => {
    const report = await findReport(trx, reportId);
    const obligation = await findObligation(trx, report.obligation_id);
    authorize(canWriteReport(actor, obligation));
    assertEditable(report);
    if (report.structure !== 'by_article') throw conflict('not_by_article', 'This report is laid out by paragraph, not by article.');
    if (report.version !== input.version) throw staleReport(report.version);
    const treaty = await obligationTreaty(trx, obligation);
    const numbers = new Set(treaty.articles.map((a) => a.number));
    const covered = new Set((await coveredRecommendations(trx, obligation, 'all')).map((r) => r.id));
    const seen = new Set<string>();
    for (const a of input.assignments) {
      if (a.article !== null && !numbers.has(a.article)) {
        throw badRequest('unknown_article', `The ${treaty.code} has no article ${a.article} among its substantive articles.`, { article: a.article, treaty: treaty.code });
      }
      if (!covered.has(a.recommendationId)) throw badRequest('not_covered', 'This report does not cover that recommendation.', { recommendationId: a.recommendationId });
      if (seen.has(a.recommendationId)) throw badRequest('duplicate_recommendation', 'A recommendation is listed twice.', { recommendationId: a.recommendationId });
      seen.add(a.recommendationId);
    }
    const before = await trx
      .selectFrom('report_articles')
      .select(['recommendation_id', 'article'])
      .where('report_id', '=', reportId)
      .where('recommendation_id', 'in', [...seen])
      .execute();
    const was = new Map(before.map((b) => [b.recommendation_id, b.article]));
    const now = nowIso();
    const changes: { recommendationId: string; from: string | null; to: string | null }[] = [];
    for (const a of input.assignments) {
      const from = was.get(a.recommendationId) ?? null;
      await trx.deleteFrom('report_articles').where('report_id', '=', reportId).where('recommendation_id', '=', a.recommendationId).execute();
      if (a.article !== null) {
        await trx
          .insertInto('report_articles')
          .values({ report_id: reportId, recommendation_id: a.recommendationId, article: a.article, suggested: 0, assigned_by: actor.id, assigned_at: now })
          .execute();
      }
      if (from !== a.article) changes.push({ recommendationId: a.recommendationId, from, to: a.article });
    }
    await recordAudit(trx, { actorId: actor.id, action: 'report.articles', subjectType: 'report', subjectId: reportId, after: { treaty: treaty.code, changes } });
    return recompileTx(trx, report, obligation, actor.id);
  });
  return { ...(await getReport(db, reportId)), compile: summary };
}

/** A report laid out by article: the treaty's articles and, for each covered recommendation, its article. */
async function articlesOf(db: Q, report: Report) {
  if (report.structure !== 'by_article') return null;
  const obligation = await findObligation(db, report.obligation_id);
  const treaty = await obligationTreaty(db, obligation);
  const [recs, links] = await Promise.all([
    coveredRecommendations(db, obligation, 'all'),
    db.selectFrom('report_articles').select(['recommendation_id', 'article', 'suggested']).where('report_id', '=', report.id).execute(),
  ]);
  const linkOf = new Map(links.map((l) => [l.recommendation_id, l]));
  return {
    treaty: { code: treaty.code, name_ar: treaty.name_ar, name_en: treaty.name_en },
    list: treaty.articles,
    recommendations: recs.map((r) => ({
      id: r.id,
      symbol: r.symbol,
      paragraph: r.paragraph,
      text_ar: r.text_ar,
      text_en: r.text_en,
      article: linkOf.get(r.id)?.article ?? null,
      suggested: linkOf.get(r.id)?.suggested === 1,
    })),
  };
}

/** A person's edit of a section, in either language; a stale version gets 409 version_conflict. */
export async function editSection(db: Kysely<DB>, reportId: string, sectionId: string, input: EditSectionInput, actor: Actor) {
  await db.transaction().execute(async (trx) => {
    const report = await findReport(trx, reportId);
    const obligation = await findObligation(trx, report.obligation_id);
    authorize(canWriteReport(actor, obligation));
    assertEditable(report);
    const s = await findSection(trx, reportId, sectionId);
    if (s.version !== input.version) throw staleSection(s.version);
    if (input.text_ar === undefined && input.text_en === undefined) throw badRequest('nothing_to_change', 'Send text_ar or text_en.');
    const next = { text_ar: input.text_ar ?? s.text_ar, text_en: input.text_en ?? s.text_en };
    const version = s.version + 1;
    const res = await trx
      .updateTable('report_sections')
      .set({ ...next, version, updated_by: actor.id, updated_at: nowIso() })
      .where('id', '=', s.id)
      .where('version', '=', s.version)
      .executeTakeFirst();
    // saved by someone else between our read and our write (PostgreSQL): their version, so that the editor can reload
    if (Number(res.numUpdatedRows) !== 1) throw staleSection((await findSection(trx, reportId, sectionId)).version);
    await writeHistory(trx, { id: s.id, version, ...next }, 'edit', actor.id);
    await touchReport(trx, report);
    const before: Record<string, string> = {};
    const after: Record<string, string> = {};
    for (const l of ['ar', 'en'] as const) {
      const v = input[`text_${l}`];
      if (v !== undefined && v !== s[`text_${l}`]) {
        before[`text_${l}`] = s[`text_${l}`];
        after[`text_${l}`] = v;
      }
    }
    await recordAudit(trx, { actorId: actor.id, action: 'report.section.edit', subjectType: 'report', subjectId: reportId, before: { section: s.key, ...before }, after: { section: s.key, version, ...after } });
  });
  return getSection(db, reportId, sectionId);
}

export async function getSection(db: Q, reportId: string, sectionId: string) {
  return presentSection(await findSection(db, reportId, sectionId));
}

/** Takes in the newly compiled text (accept) or leaves it (dismiss) after the sources changed. */
export async function resolveSourceChange(db: Kysely<DB>, reportId: string, sectionId: string, action: 'accept' | 'dismiss', input: { version: number; lang: 'ar' | 'en' | 'both' }, actor: Actor) {
  await db.transaction().execute(async (trx) => {
    const report = await findReport(trx, reportId);
    const obligation = await findObligation(trx, report.obligation_id);
    authorize(canWriteReport(actor, obligation));
    assertEditable(report);
    const s = await findSection(trx, reportId, sectionId);
    if (s.version !== input.version) throw staleSection(s.version);
    if (s.source_changed !== 1 && s.pending_ar === null && s.pending_en === null) throw conflict('no_source_change', 'The sources of this section have not changed since it was last compiled.');
    const langs = input.lang === 'both' ? (['ar', 'en'] as const) : ([input.lang] as const);
    const set: Partial<ReportSection> = {};
    for (const l of langs) {
      if (action === 'accept') set[`text_${l}`] = s[`compiled_${l}`];
      set[`pending_${l}`] = null;
    }
    const pendingLeft = langs.length === 1 && (input.lang === 'ar' ? s.pending_en !== null : s.pending_ar !== null);
    set.source_changed = pendingLeft ? 1 : 0;
    const version = s.version + 1;
    await trx.updateTable('report_sections').set({ ...set, version, updated_by: actor.id, updated_at: nowIso() }).where('id', '=', s.id).execute();
    if (action === 'accept') await writeHistory(trx, { id: s.id, version, text_ar: set.text_ar ?? s.text_ar, text_en: set.text_en ?? s.text_en }, 'accept', actor.id);
    await touchReport(trx, report);
    await recordAudit(trx, { actorId: actor.id, action: `report.section.${action}`, subjectType: 'report', subjectId: reportId, after: { section: s.key, lang: input.lang, version } });
  });
  return getSection(db, reportId, sectionId);
}

export async function sectionHistory(db: Kysely<DB>, reportId: string, sectionId: string) {
  await findSection(db, reportId, sectionId);
  const items = await db
    .selectFrom('report_section_history as h')
    .leftJoin('users as u', 'u.id', 'h.changed_by')
    .select(['h.id', 'h.version', 'h.text_ar', 'h.text_en', 'h.reason', 'h.changed_by', 'u.name as changed_by_name', 'h.changed_at'])
    .where('h.section_id', '=', sectionId)
    .orderBy('h.version', 'desc')
    .orderBy('h.changed_at', 'desc')
    .execute();
  return { items: items.map((h) => ({ ...h, words: { ar: countWords(h.text_ar), en: countWords(h.text_en) } })) };
}

/* ---------------- review ---------------- */

/** A coordinator comments on a section while the report is drafted or in review. */
export async function addComment(db: Kysely<DB>, reportId: string, input: { sectionId: string; body: string }, actor: Actor) {
  authorize(isCurator(actor));
  const id = newId();
  await db.transaction().execute(async (trx) => {
    const report = await findReport(trx, reportId);
    assertEditable(report);
    const s = await findSection(trx, reportId, input.sectionId);
    await trx.insertInto('report_comments').values({ id, report_id: reportId, section_id: s.id, author_id: actor.id, body: input.body, resolved_by: null, resolved_at: null, created_at: nowIso() }).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'report.comment', subjectType: 'report', subjectId: reportId, after: { comment: id, section: s.key, body: input.body } });
    const obligation = await findObligation(trx, report.obligation_id);
    if (obligation.owner_id && obligation.owner_id !== actor.id) {
      await createNotifications(trx, [
        { user_id: obligation.owner_id, kind: 'report.comment', title_ar: 'ملاحظة جديدة على مسودة تقرير', title_en: 'A new comment on a report draft', body_ar: input.body, body_en: input.body, link: `/reports/${reportId}` },
      ]);
    }
  });
  return (await getReport(db, reportId)).comments.find((c) => c.id === id)!;
}

/** The writer (or a coordinator) resolves a comment. */
export async function resolveComment(db: Kysely<DB>, reportId: string, commentId: string, actor: Actor) {
  await db.transaction().execute(async (trx) => {
    const report = await findReport(trx, reportId);
    const obligation = await findObligation(trx, report.obligation_id);
    authorize(canWriteReport(actor, obligation));
    assertEditable(report);
    const c = await trx.selectFrom('report_comments').selectAll().where('id', '=', commentId).where('report_id', '=', reportId).executeTakeFirst();
    if (!c) throw notFound('Comment');
    if (c.resolved_at) throw conflict('comment_resolved', 'This comment is already resolved.');
    await trx.updateTable('report_comments').set({ resolved_by: actor.id, resolved_at: nowIso() }).where('id', '=', commentId).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'report.comment.resolve', subjectType: 'report', subjectId: reportId, after: { comment: commentId } });
  });
  return (await getReport(db, reportId)).comments.find((c) => c.id === commentId)!;
}

const TRANSITIONS = {
  review: { from: ['draft'], to: 'in_review' },
  return: { from: ['in_review'], to: 'draft' },
  approve: { from: ['in_review'], to: 'approved' },
  submit: { from: ['approved'], to: 'submitted' },
} as const satisfies Record<string, { from: ReportStatus[]; to: ReportStatus }>;
export type ReportTransition = keyof typeof TRANSITIONS;

/**
 * The report's workflow: draft → in review (writer) → approved (coordinator; every comment resolved) or back
 * to draft → submitted (coordinator, with the submission date and the UN symbol), then locked. The obligation's
 * status follows.
 */
export async function transitionReport(
  db: Kysely<DB>,
  id: string,
  action: ReportTransition,
  input: { version?: number; symbol?: string; submittedOn?: string; comment?: string },
  actor: Actor,
) {
  await db.transaction().execute(async (trx) => {
    const report = await findReport(trx, id);
    const obligation = await findObligation(trx, report.obligation_id);
    authorize(action === 'review' ? canWriteReport(actor, obligation) : isCurator(actor));
    const rule = TRANSITIONS[action];
    if (!(rule.from as readonly ReportStatus[]).includes(report.status)) {
      throw conflict('invalid_report_transition', `A report that is ${report.status.replace('_', ' ')} cannot go through "${action}".`, { action, status: report.status });
    }
    if (input.version !== undefined && input.version !== report.version) throw staleReport(report.version);
    const patch: Partial<Report> = { status: rule.to };
    if (action === 'approve') {
      const open = await trx.selectFrom('report_comments').select('id').where('report_id', '=', id).where('resolved_at', 'is', null).execute();
      if (open.length) throw conflict('open_comments', `${open.length} review comment(s) are not resolved yet.`, { open: open.length });
    }
    if (action === 'submit') {
      if (!input.symbol) throw badRequest('symbol_required', 'Give the UN symbol of the submitted report.', { field: 'symbol' });
      if (!input.submittedOn) throw badRequest('submitted_on_required', 'Give the date the report was submitted.', { field: 'submittedOn' });
      patch.symbol = input.symbol;
      patch.submitted_on = input.submittedOn;
    }
    const res = await trx
      .updateTable('reports')
      .set({ ...patch, updated_at: nowIso(), version: report.version + 1 })
      .where('id', '=', id)
      .where('version', '=', report.version)
      .where('status', '=', report.status)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw staleReport();
    await setObligationStatus(trx, obligation.id, OBLIGATION_STATUS[rule.to], actor.id);
    await recordAudit(trx, {
      actorId: actor.id,
      action: `report.${action}`,
      subjectType: 'report',
      subjectId: id,
      before: { status: report.status, version: report.version },
      after: { ...patch, version: report.version + 1, ...(input.comment ? { comment: input.comment } : {}) },
    });
    if (action === 'review') {
      const coordinators = await trx.selectFrom('users').select('id').where('role', '=', 'coordinator').where('disabled_at', 'is', null).execute();
      await createNotifications(
        trx,
        coordinators
          .filter((c) => c.id !== actor.id)
          .map((c) => ({ user_id: c.id, kind: 'report.review', title_ar: 'مسودة تقرير بانتظار المراجعة', title_en: 'A report draft is waiting for review', body_ar: null, body_en: null, link: `/reports/${id}` })),
      );
    }
  });
  return getReport(db, id);
}
