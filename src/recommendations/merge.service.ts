/**
 * One record per recommendation. The same recommendation often arrives from two sources (a Working Group report's
 * text and UPR Info's export; a UHRI export and an OHCHR thematic list): these are found as candidate pairs (same
 * state under review, same cycle or document, same kind, near-identical text, a recommending state in common) at
 * import time and afterwards, and a coordinator merges a pair or keeps it apart.
 *
 * A merge keeps the survivor and removes the other record, after moving its local work onto the survivor: status
 * (when the survivor's is still the initial one), priority, due date, notes, cluster, themes and other terms,
 * status history, assignments (with their progress updates) and action-plan links. The removed record's external
 * id becomes an alias of the survivor (recommendation_aliases) holding the fields its source last imported, so that
 * re-importing that source finds the one record, and finds nothing changed when the source has not changed.
 * Everything needed to undo it is kept on the merge (recommendation_merges.moved); an unmerge restores both.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { workersCanRead } from '../db/create-db.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { AssignmentsTable, DB, RecommendationsTable, ReportArticlesTable } from '../db/schema.ts';
import { indexRecommendations } from '../search/index.ts';
import { AppError, badRequest, conflict, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { bestMatches, duplicatePairs, type Candidate, type CandidatePair } from './duplicate-matching.ts';
import { duplicatesFromWorker } from './duplicates-workers.ts';

export { bestMatches, comparable, duplicatePairs, sameState, SIMILARITY_THRESHOLD, textSimilarity, textTokens, type Candidate, type CandidatePair } from './duplicate-matching.ts';

type Rec = Selectable<RecommendationsTable>;

// ---------------------------------------------------------------------------------------------
// Candidate pairs (the matching itself: duplicate-matching.ts)

async function loadCandidates(db: Kysely<DB> | Transaction<DB>, where?: { ids?: string[]; countries?: string[]; documents?: string[] }): Promise<Candidate[]> {
  let q = db
    .selectFrom('recommendations as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    // the one text compared (the English, else the French, else the Arabic), not all three: a register held in two
    // languages reads half the text
    .select((eb) => ['r.id', 'r.document_id', 'd.country', 'd.upr_cycle', 'r.kind', 'r.paragraph', 'r.recommending_states', eb.fn.coalesce('r.text_en', 'r.text_fr', 'r.text_ar').as('text')]);
  if (where?.ids) q = q.where('r.id', 'in', where.ids);
  if (where?.documents) q = q.where('r.document_id', 'in', where.documents);
  if (where?.countries) q = q.where((eb) => eb.fn('lower', ['d.country']), 'in', where.countries.map((c) => c.toLowerCase()));
  return (await q.execute()).map((r) => ({
    id: r.id,
    document_id: r.document_id,
    country: r.country,
    upr_cycle: r.upr_cycle,
    kind: r.kind,
    paragraph: r.paragraph,
    states: JSON.parse(r.recommending_states || '[]') as string[],
    text: r.text ?? '',
  }));
}

async function keptApart(db: Kysely<DB> | Transaction<DB>): Promise<Set<string>> {
  return new Set((await db.selectFrom('recommendation_pair_decisions').select(['a_id', 'b_id']).execute()).map((d) => `${d.a_id}|${d.b_id}`));
}

/**
 * For the records an import adds (`newIds`, inside its transaction): the existing record each one matches, if any
 * (aId: the existing record, bId: the new one), in the order of `newIds`.
 *
 * One state under review at a time: only records of the same state are comparable (`comparable`), so the existing
 * records of each state are read (through their documents' index, in id order: the order in which the first of
 * equally similar records wins), matched and let go before the next state's. Reading every state's records at once
 * held all their texts and word sets together: about 300 MB in the import's worker for 20,000 records of 17 states
 * into 250,000.
 */
export async function matchesForNew(trx: Transaction<DB>, newIds: string[]): Promise<CandidatePair[]> {
  if (newIds.length === 0) return [];
  const news: Candidate[] = [];
  for (let i = 0; i < newIds.length; i += 500) news.push(...(await loadCandidates(trx, { ids: newIds.slice(i, i + 500) })));
  const byState = new Map<string, Candidate[]>();
  for (const n of news) {
    if (!n.country) continue;
    const key = n.country.toLowerCase();
    const list = byState.get(key);
    if (list) list.push(n);
    else byState.set(key, [n]);
  }
  if (byState.size === 0) return [];
  const isNew = new Set(newIds);
  const apart = await keptApart(trx);
  const pairs: CandidatePair[] = [];
  for (const [state, ofState] of byState) {
    const documents = (await trx.selectFrom('documents').select('id').where((eb) => eb.fn('lower', ['country']), '=', state).execute()).map((d) => d.id);
    const olds: Candidate[] = [];
    for (let i = 0; i < documents.length; i += 500) olds.push(...(await loadCandidates(trx, { documents: documents.slice(i, i + 500) })).filter((o) => !isNew.has(o.id)));
    // one order on both engines, whatever the batches and the plans: by id (code units, not a collation)
    olds.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    pairs.push(...(await bestMatches(ofState, olds, apart)));
  }
  const position = new Map(newIds.map((id, i) => [id, i]));
  return pairs.sort((a, b) => position.get(a.bId)! - position.get(b.bId)!);
}

export interface PairSide {
  id: string;
  externalId: string;
  paragraph: string | null;
  symbol: string;
  country: string | null;
  text: string | null;
  textLang: 'en' | 'ar' | 'fr' | null;
  recommendingStates: string[];
  status: string;
  version: number;
}

async function sides(db: Kysely<DB> | Transaction<DB>, ids: string[]): Promise<Map<string, PairSide>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('recommendations as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .select(['r.id', 'r.external_id', 'r.paragraph', 'd.symbol', 'd.country', 'r.text_en', 'r.text_ar', 'r.text_fr', 'r.recommending_states', 'r.status', 'r.version'])
    .where('r.id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        externalId: r.external_id,
        paragraph: r.paragraph,
        symbol: r.symbol,
        country: r.country,
        text: r.text_en ?? r.text_ar ?? r.text_fr,
        textLang: r.text_en ? 'en' : r.text_ar ? 'ar' : r.text_fr ? 'fr' : null,
        recommendingStates: JSON.parse(r.recommending_states || '[]') as string[],
        status: r.status,
        version: r.version,
      },
    ]),
  );
}

export interface DuplicatesOptions {
  country?: string;
  limit: number;
}
export type DuplicateCandidates = { total: number; items: { similarity: number; a: PairSide; b: PairSide }[] };

/** From this many recommendations in the register, the duplicates page is worked out in a worker thread (duplicates-workers.ts). */
export const DUPLICATES_WORKERS_FROM = 20_000;

/** Candidate pairs in the register (one per record of the later-created side), for the coordinator to decide. */
export async function listDuplicateCandidates(
  db: Kysely<DB>,
  dialect: EngineDialect,
  opts: DuplicatesOptions,
  { workersFrom = DUPLICATES_WORKERS_FROM } = {},
): Promise<DuplicateCandidates> {
  if (workersCanRead(dialect.target)) {
    const { n } = await db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    if (Number(n) >= workersFrom) return duplicatesFromWorker({ target: dialect.target, opts });
  }
  return duplicateCandidates(db, opts);
}

/** The candidate pairs, worked out on this thread's connection (the server's, or the duplicates worker's). */
export async function duplicateCandidates(db: Kysely<DB>, opts: DuplicatesOptions): Promise<DuplicateCandidates> {
  const all = await loadCandidates(db, opts.country ? { countries: [opts.country] } : undefined);
  // each pair once: a record is matched against the records of its document and of the documents before it
  const pairs = await duplicatePairs(all, await keptApart(db));
  pairs.sort((a, b) => b.similarity - a.similarity);
  const page = pairs.slice(0, opts.limit);
  const s = await sides(db, [...new Set(page.flatMap((p) => [p.aId, p.bId]))]);
  return { total: pairs.length, items: page.map((p) => ({ similarity: p.similarity, a: s.get(p.aId)!, b: s.get(p.bId)! })) };
}

export async function keepApart(db: Kysely<DB>, aId: string, bId: string, actorId: string) {
  const [x, y] = aId < bId ? [aId, bId] : [bId, aId];
  if (x === y) throw badRequest('merge_same_record', 'A recommendation cannot be merged with itself.');
  await db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('recommendations').select('id').where('id', 'in', [x, y]).execute();
    if (found.length !== 2) throw notFound('Recommendation');
    await trx
      .insertInto('recommendation_pair_decisions')
      .values({ a_id: x, b_id: y, decision: 'apart', decided_by: actorId, decided_at: nowIso() })
      .onConflict((oc) => oc.columns(['a_id', 'b_id']).doNothing())
      .execute();
    await recordAudit(trx, { actorId, action: 'recommendation.keep_apart', subjectType: 'recommendation', subjectId: x, after: { other: y } });
  });
}

// ---------------------------------------------------------------------------------------------
// Merge and unmerge

/** The imported fields of a record, as an alias keeps them (re-imports of its source compare against these). */
export const IMPORTED_FIELDS = ['document_id', 'paragraph', 'kind', 'position', 'position_source', 'recommending_states', 'original_lang', 'text_ar', 'text_en', 'text_fr'] as const;
export type ImportedFields = Partial<Record<(typeof IMPORTED_FIELDS)[number], string | null>>;

export function importedFieldsOf(r: Partial<Rec>): ImportedFields {
  const out: ImportedFields = {};
  for (const k of IMPORTED_FIELDS) out[k] = (r[k] as string | null | undefined) ?? null;
  return out;
}

/** Local fields filled on the survivor from the merged record when the survivor has none. */
const LOCAL_FILLED = ['priority', 'due_date', 'notes', 'cluster_id'] as const;
const INITIAL_STATUS = new Set(['not_started', 'no_action']);

interface Moved {
  /** the merged record's row as it was */
  merged: Rec;
  /** the survivor's local fields before the merge, and what the merge set them to */
  survivorBefore: Record<string, unknown>;
  survivorSet: Record<string, unknown>;
  /** the merged record's terms, and those the merge added to the survivor */
  mergedTerms: string[];
  termsAdded: string[];
  statusHistoryMoved: string[];
  assignmentsMoved: string[];
  /** assignments of the merged record for an entity the survivor already had: removed, their updates moved */
  assignmentsRemoved: Selectable<AssignmentsTable>[];
  updatesMoved: { id: string; from: string }[];
  planLinksMoved: string[];
  planLinksRemoved: string[];
  /** aliases the merged record had (from earlier merges), now pointing at the survivor */
  aliasesMoved: string[];
  /** compiled report sections that covered the merged record, as they were and as the merge left them */
  reportSections?: SectionRepoint[];
  /** treaty-article assignments of the merged record: moved onto the survivor, or removed where the survivor had its own */
  reportArticlesMoved?: string[];
  reportArticlesRemoved?: Selectable<ReportArticlesTable>[];
}

/**
 * A compiled report section re-pointed by a merge. Its `recommendation_ids` name the survivor instead of the merged
 * record, unless another section of the same report already covers the survivor: then the merged record is only
 * taken out, so that no report covers the one recommendation twice. A paragraph section of the merged record
 * (`para:<id>`) takes the survivor's key when it takes the survivor. A section left covering nothing is flagged
 * (`source_changed`), as a recompile leaves a section whose sources are gone.
 */
interface SectionRepoint {
  id: string;
  before: { key: string; recommendation_ids: string; source_changed: number };
  after: { key: string; recommendation_ids: string; source_changed: number };
}

/** The ids a section covers once `from` is merged into `to`: `to` in `from`'s place, never twice. */
function repointIds(ids: string[], from: string, to: string): string[] {
  const out: string[] = [];
  for (const id of ids) {
    const next = id === from ? to : id;
    if (!out.includes(next)) out.push(next);
  }
  return out;
}

async function repointReports(trx: Transaction<DB>, mergedId: string, survivorId: string, moved: Moved, now: string) {
  moved.reportSections = [];
  // the JSON text names the id in quotes: a cheap filter, checked exactly after parsing
  const sections = await trx
    .selectFrom('report_sections')
    .select(['id', 'report_id', 'key', 'recommendation_ids', 'source_changed', 'version'])
    .where('recommendation_ids', 'like', `%"${mergedId}"%`)
    .execute();
  for (const s of sections) {
    const ids = JSON.parse(s.recommendation_ids) as string[];
    if (!ids.includes(mergedId)) continue;
    const others = await trx.selectFrom('report_sections').select('recommendation_ids').where('report_id', '=', s.report_id).where('id', '<>', s.id).execute();
    const coveredElsewhere = others.some((o) => (JSON.parse(o.recommendation_ids) as string[]).includes(survivorId));
    const next = coveredElsewhere ? ids.filter((id) => id !== mergedId) : repointIds(ids, mergedId, survivorId);
    const after = { key: s.key, recommendation_ids: JSON.stringify(next), source_changed: next.length === 0 ? 1 : s.source_changed };
    if (s.key === `para:${mergedId}` && next.includes(survivorId)) {
      const taken = await trx.selectFrom('report_sections').select('id').where('report_id', '=', s.report_id).where('key', '=', `para:${survivorId}`).executeTakeFirst();
      if (!taken) after.key = `para:${survivorId}`;
    }
    await trx
      .updateTable('report_sections')
      .set({ ...after, version: s.version + 1, updated_at: now })
      .where('id', '=', s.id)
      .execute();
    moved.reportSections.push({ id: s.id, before: { key: s.key, recommendation_ids: s.recommendation_ids, source_changed: s.source_changed }, after });
  }

  moved.reportArticlesMoved = [];
  moved.reportArticlesRemoved = [];
  const survivorReports = new Set((await trx.selectFrom('report_articles').select('report_id').where('recommendation_id', '=', survivorId).execute()).map((r) => r.report_id));
  for (const a of await trx.selectFrom('report_articles').selectAll().where('recommendation_id', '=', mergedId).execute()) {
    if (survivorReports.has(a.report_id)) moved.reportArticlesRemoved.push(a);
    else moved.reportArticlesMoved.push(a.report_id);
  }
  if (moved.reportArticlesMoved.length) {
    await trx.updateTable('report_articles').set({ recommendation_id: survivorId }).where('recommendation_id', '=', mergedId).where('report_id', 'in', moved.reportArticlesMoved).execute();
  }
  // the removed ones go with the merged record's row (on delete cascade); the unmerge puts them back
}

/** Undoes repointReports: each section goes back where the merge left it unchanged since; a changed one gets the merged record back. */
async function restoreReports(trx: Transaction<DB>, mergedId: string, survivorId: string, moved: Moved, now: string) {
  for (const r of moved.reportSections ?? []) {
    const s = await trx.selectFrom('report_sections').select(['id', 'report_id', 'key', 'recommendation_ids', 'source_changed', 'version']).where('id', '=', r.id).executeTakeFirst();
    if (!s) continue; // removed since (a recompile): nothing to restore
    const set: { key?: string; recommendation_ids?: string; source_changed?: number } = {};
    if (s.recommendation_ids === r.after.recommendation_ids) set.recommendation_ids = r.before.recommendation_ids;
    else {
      // recompiled or edited since: the merged record is named again wherever the survivor now stands for it
      const ids = JSON.parse(s.recommendation_ids) as string[];
      const before = JSON.parse(r.before.recommendation_ids) as string[];
      if (!ids.includes(mergedId) && before.includes(mergedId)) {
        set.recommendation_ids = JSON.stringify(before.includes(survivorId) || !ids.includes(survivorId) ? [...ids, mergedId] : ids.map((id) => (id === survivorId ? mergedId : id)));
      }
    }
    if (s.key === r.after.key && r.after.key !== r.before.key) {
      const taken = await trx.selectFrom('report_sections').select('id').where('report_id', '=', s.report_id).where('key', '=', r.before.key).executeTakeFirst();
      if (!taken) set.key = r.before.key;
    }
    if (s.source_changed === r.after.source_changed && r.after.source_changed !== r.before.source_changed) set.source_changed = r.before.source_changed;
    if (Object.keys(set).length) await trx.updateTable('report_sections').set({ ...set, version: s.version + 1, updated_at: now }).where('id', '=', s.id).execute();
  }
  if (moved.reportArticlesMoved?.length) {
    await trx.updateTable('report_articles').set({ recommendation_id: mergedId }).where('recommendation_id', '=', survivorId).where('report_id', 'in', moved.reportArticlesMoved).execute();
  }
  for (const a of moved.reportArticlesRemoved ?? []) {
    await trx.insertInto('report_articles').values(a).onConflict((oc) => oc.columns(['report_id', 'recommendation_id']).doNothing()).execute();
  }
}

async function countryOf(trx: Transaction<DB>, documentId: string): Promise<string | null> {
  return (await trx.selectFrom('documents').select('country').where('id', '=', documentId).executeTakeFirst())?.country ?? null;
}

export async function mergeRecommendations(
  db: Kysely<DB>,
  input: { survivorId: string; survivorVersion: number; mergedId: string; mergedVersion: number },
  actorId: string,
) {
  if (input.survivorId === input.mergedId) throw badRequest('merge_same_record', 'A recommendation cannot be merged with itself.');
  const result = await db.transaction().execute(async (trx) => {
    const survivor = await trx.selectFrom('recommendations').selectAll().where('id', '=', input.survivorId).executeTakeFirst();
    const merged = await trx.selectFrom('recommendations').selectAll().where('id', '=', input.mergedId).executeTakeFirst();
    if (!survivor || !merged) throw notFound('Recommendation');
    for (const [rec, version] of [
      [survivor, input.survivorVersion],
      [merged, input.mergedVersion],
    ] as const) {
      if (rec.version !== version) throw conflict('version_conflict', 'Someone else changed one of these recommendations meanwhile. Reload and try again.', { id: rec.id, currentVersion: rec.version });
    }
    const [ca, cb] = [await countryOf(trx, survivor.document_id), await countryOf(trx, merged.document_id)];
    if ((ca ?? '').toLowerCase() !== (cb ?? '').toLowerCase()) {
      throw new AppError(422, 'merge_different_states', `These recommendations were made to two different states (${ca ?? '—'} and ${cb ?? '—'}): they are not the same recommendation.`);
    }
    const now = nowIso();
    const mergeId = newId();
    const moved: Moved = {
      merged,
      survivorBefore: {},
      survivorSet: {},
      mergedTerms: [],
      termsAdded: [],
      statusHistoryMoved: [],
      assignmentsMoved: [],
      assignmentsRemoved: [],
      updatesMoved: [],
      planLinksMoved: [],
      planLinksRemoved: [],
      aliasesMoved: [],
    };
    // local fields: the survivor keeps its own; the merged record's fill what the survivor lacks
    if (INITIAL_STATUS.has(survivor.status) && !INITIAL_STATUS.has(merged.status)) moved.survivorSet.status = merged.status;
    for (const k of LOCAL_FILLED) if (survivor[k] === null && merged[k] !== null) moved.survivorSet[k] = merged[k];
    if (survivor.is_public === 0 && merged.is_public === 1) moved.survivorSet.is_public = 1;
    if (survivor.follow_up === 0 && merged.follow_up === 1) moved.survivorSet.follow_up = 1;
    for (const k of Object.keys(moved.survivorSet)) moved.survivorBefore[k] = survivor[k as keyof Rec];

    const survivorTerms = new Set((await trx.selectFrom('recommendation_terms').select('term_id').where('recommendation_id', '=', survivor.id).execute()).map((t) => t.term_id));
    moved.mergedTerms = (await trx.selectFrom('recommendation_terms').select('term_id').where('recommendation_id', '=', merged.id).execute()).map((t) => t.term_id);
    moved.termsAdded = moved.mergedTerms.filter((t) => !survivorTerms.has(t));
    if (moved.termsAdded.length) await trx.insertInto('recommendation_terms').values(moved.termsAdded.map((term_id) => ({ recommendation_id: survivor.id, term_id }))).execute();

    moved.statusHistoryMoved = (await trx.selectFrom('status_history').select('id').where('recommendation_id', '=', merged.id).execute()).map((r) => r.id);
    if (moved.statusHistoryMoved.length) await trx.updateTable('status_history').set({ recommendation_id: survivor.id }).where('recommendation_id', '=', merged.id).execute();

    const survivorAssignments = new Map((await trx.selectFrom('assignments').select(['id', 'entity_id']).where('recommendation_id', '=', survivor.id).execute()).map((a) => [a.entity_id, a.id]));
    for (const a of await trx.selectFrom('assignments').selectAll().where('recommendation_id', '=', merged.id).execute()) {
      const target = survivorAssignments.get(a.entity_id);
      if (!target) {
        await trx.updateTable('assignments').set({ recommendation_id: survivor.id }).where('id', '=', a.id).execute();
        moved.assignmentsMoved.push(a.id);
        continue;
      }
      // the survivor already has this entity's assignment: the updates go to it, the merged one's assignment goes
      for (const u of await trx.selectFrom('progress_updates').select('id').where('assignment_id', '=', a.id).execute()) moved.updatesMoved.push({ id: u.id, from: a.id });
      await trx.updateTable('progress_updates').set({ assignment_id: target }).where('assignment_id', '=', a.id).execute();
      moved.assignmentsRemoved.push(a);
      await trx.deleteFrom('assignments').where('id', '=', a.id).execute();
    }

    const survivorPlan = new Set((await trx.selectFrom('plan_action_recommendations').select('action_id').where('recommendation_id', '=', survivor.id).execute()).map((p) => p.action_id));
    for (const p of await trx.selectFrom('plan_action_recommendations').select('action_id').where('recommendation_id', '=', merged.id).execute()) {
      if (survivorPlan.has(p.action_id)) moved.planLinksRemoved.push(p.action_id);
      else moved.planLinksMoved.push(p.action_id);
    }
    if (moved.planLinksMoved.length) {
      await trx.updateTable('plan_action_recommendations').set({ recommendation_id: survivor.id }).where('recommendation_id', '=', merged.id).where('action_id', 'in', moved.planLinksMoved).execute();
    }

    await repointReports(trx, merged.id, survivor.id, moved, now);

    moved.aliasesMoved = (await trx.selectFrom('recommendation_aliases').select('external_id').where('recommendation_id', '=', merged.id).execute()).map((a) => a.external_id);
    if (moved.aliasesMoved.length) await trx.updateTable('recommendation_aliases').set({ recommendation_id: survivor.id }).where('recommendation_id', '=', merged.id).execute();

    await trx
      .insertInto('recommendation_merges')
      .values({ id: mergeId, survivor_id: survivor.id, merged_id: merged.id, moved: JSON.stringify(moved), created_by: actorId, created_at: now, undone_at: null, undone_by: null })
      .execute();
    await trx.deleteFrom('recommendations').where('id', '=', merged.id).execute();
    await trx
      .insertInto('recommendation_aliases')
      .values({ external_id: merged.external_id, recommendation_id: survivor.id, merge_id: mergeId, fields: JSON.stringify(importedFieldsOf(merged)), created_at: now })
      .execute();
    await trx
      .updateTable('recommendations')
      .set({ ...moved.survivorSet, version: survivor.version + 1, updated_at: now })
      .where('id', '=', survivor.id)
      .execute();
    await indexRecommendations(trx, [survivor.id]);
    await recordAudit(trx, {
      actorId,
      action: 'recommendation.merge',
      subjectType: 'recommendation',
      subjectId: survivor.id,
      before: { merged: { id: merged.id, externalId: merged.external_id, status: merged.status }, survivor: moved.survivorBefore },
      after: {
        mergeId,
        survivor: moved.survivorSet,
        termsAdded: moved.termsAdded.length,
        assignmentsMoved: moved.assignmentsMoved.length + moved.assignmentsRemoved.length,
        planLinksMoved: moved.planLinksMoved.length + moved.planLinksRemoved.length,
        reportSections: moved.reportSections!.map((r) => r.id),
        reportArticlesMoved: moved.reportArticlesMoved!.length + moved.reportArticlesRemoved!.length,
      },
    });
    return { mergeId, survivorId: survivor.id, survivorVersion: survivor.version + 1 };
  });
  return result;
}

export async function listMerges(db: Kysely<DB>, survivorId: string) {
  const rows = await db.selectFrom('recommendation_merges').selectAll().where('survivor_id', '=', survivorId).where('undone_at', 'is', null).orderBy('created_at', 'desc').execute();
  return rows.map((m) => {
    const moved = JSON.parse(m.moved) as Moved;
    return {
      id: m.id,
      createdAt: m.created_at,
      merged: {
        id: moved.merged.id,
        externalId: moved.merged.external_id,
        paragraph: moved.merged.paragraph,
        text: moved.merged.text_en ?? moved.merged.text_ar ?? moved.merged.text_fr,
        recommendingStates: JSON.parse(moved.merged.recommending_states || '[]') as string[],
      },
    };
  });
}

export async function unmergeRecommendations(db: Kysely<DB>, mergeId: string, actorId: string) {
  return db.transaction().execute(async (trx) => {
    const m = await trx.selectFrom('recommendation_merges').selectAll().where('id', '=', mergeId).executeTakeFirst();
    if (!m) throw notFound('Merge');
    if (m.undone_at) throw conflict('already_unmerged', 'This merge was already undone.');
    // merges made onto the survivor later, that took this merge's aliases along, must be undone first
    const later = await trx.selectFrom('recommendation_merges').select('id').where('merged_id', '=', m.survivor_id).where('undone_at', 'is', null).executeTakeFirst();
    if (later) throw conflict('merged_since', 'The recommendation this one was merged into has itself been merged since: undo that merge first.');
    const moved = JSON.parse(m.moved) as Moved;
    const b = moved.merged;
    const now = nowIso();
    const survivor = await trx.selectFrom('recommendations').selectAll().where('id', '=', m.survivor_id).executeTakeFirstOrThrow();

    await trx.insertInto('recommendations').values({ ...b, version: b.version + 1, updated_at: now }).execute();
    if (moved.mergedTerms.length) {
      await trx.insertInto('recommendation_terms').values(moved.mergedTerms.map((term_id) => ({ recommendation_id: b.id, term_id }))).onConflict((oc) => oc.columns(['recommendation_id', 'term_id']).doNothing()).execute();
    }
    if (moved.termsAdded.length) await trx.deleteFrom('recommendation_terms').where('recommendation_id', '=', survivor.id).where('term_id', 'in', moved.termsAdded).execute();
    if (moved.statusHistoryMoved.length) await trx.updateTable('status_history').set({ recommendation_id: b.id }).where('id', 'in', moved.statusHistoryMoved).execute();
    if (moved.assignmentsMoved.length) await trx.updateTable('assignments').set({ recommendation_id: b.id }).where('id', 'in', moved.assignmentsMoved).execute();
    for (const a of moved.assignmentsRemoved) await trx.insertInto('assignments').values(a).execute();
    for (const u of moved.updatesMoved) await trx.updateTable('progress_updates').set({ assignment_id: u.from }).where('id', '=', u.id).execute();
    if (moved.planLinksMoved.length) {
      await trx.updateTable('plan_action_recommendations').set({ recommendation_id: b.id }).where('recommendation_id', '=', survivor.id).where('action_id', 'in', moved.planLinksMoved).execute();
    }
    for (const action_id of moved.planLinksRemoved) await trx.insertInto('plan_action_recommendations').values({ action_id, recommendation_id: b.id }).execute();
    if (moved.aliasesMoved.length) await trx.updateTable('recommendation_aliases').set({ recommendation_id: b.id }).where('external_id', 'in', moved.aliasesMoved).execute();
    await restoreReports(trx, b.id, survivor.id, moved, now);
    await trx.deleteFrom('recommendation_aliases').where('merge_id', '=', m.id).execute();

    // the survivor's local fields go back where the merge set them and nobody changed them since
    const restore: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(moved.survivorSet)) if (survivor[k as keyof Rec] === v) restore[k] = moved.survivorBefore[k];
    await trx
      .updateTable('recommendations')
      .set({ ...restore, version: survivor.version + 1, updated_at: now })
      .where('id', '=', survivor.id)
      .execute();
    await trx.updateTable('recommendation_merges').set({ undone_at: now, undone_by: actorId }).where('id', '=', m.id).execute();
    await indexRecommendations(trx, [survivor.id, b.id]);
    await recordAudit(trx, {
      actorId,
      action: 'recommendation.unmerge',
      subjectType: 'recommendation',
      subjectId: survivor.id,
      before: { mergeId: m.id },
      after: { restored: b.id, survivor: restore, reportSections: (moved.reportSections ?? []).map((r) => r.id), reportArticles: (moved.reportArticlesMoved?.length ?? 0) + (moved.reportArticlesRemoved?.length ?? 0) },
    });
    return { survivorId: survivor.id, restoredId: b.id };
  });
}
