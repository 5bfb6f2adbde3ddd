import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { ClusterStatus, DB, User } from '../db/schema.ts';
import type { EngineDialect } from '../db/dialect/types.ts';
import type { ProgressFn } from '../jobs/index.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { newId, nowIso } from '../shared/ids.ts';
import { yielder } from '../shared/yielder.ts';
import { suggestClusters, type ClusterInput } from './cluster-algorithm.ts';
import { clusterMembers, findCluster, listClusterRows, statusBreakdown, suggestionScope } from './clusters.repository.ts';
import type { ListClustersQuery, MergeInput, RenameInput, SplitInput, SuggestInput } from './clusters.schema.ts';

const staleCluster = (currentVersion: number) =>
  conflict('version_conflict', 'Someone else changed this cluster meanwhile. Reload it and try again.', { currentVersion });

/** A readable title from a member's text: without the leading paragraph number, cut at a word. */
export function titleFrom(text: string | null | undefined, max = 120): string | null {
  if (!text) return null;
  const t = text.replace(/^\s*[\d٠-٩.,)(\-–]+\s*/u, '').replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t || null;
  const cut = t.slice(0, max);
  const at = cut.lastIndexOf(' ');
  return `${(at > max / 2 ? cut.slice(0, at) : cut).replace(/[\s,;:،؛]+$/u, '')}…`;
}

export async function listClusters(db: Kysely<DB>, query: ListClustersQuery) {
  const { rows, total } = await listClusterRows(db, query);
  const breakdown = await statusBreakdown(db, rows.map((r) => r.id));
  return {
    items: rows.map((r) => ({ ...r, member_count: Number(r.member_count), statuses: breakdown.get(r.id) ?? {} })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function getCluster(db: Kysely<DB>, id: string) {
  const cluster = await findCluster(db, id);
  if (!cluster) throw notFound('Cluster');
  const members = await clusterMembers(db, id);
  const statuses: Record<string, number> = {};
  for (const m of members) statuses[m.status] = (statuses[m.status] ?? 0) + 1;
  return {
    ...cluster,
    member_count: members.length,
    statuses,
    members: members.map((m) => ({ ...m, recommending_states: JSON.parse(m.recommending_states) as string[] })),
  };
}

async function lockCluster(trx: Transaction<DB>, id: string, version?: number) {
  const c = await findCluster(trx, id);
  if (!c) throw notFound('Cluster');
  if (version !== undefined && c.version !== version) throw staleCluster(c.version);
  return c;
}

async function bump(trx: Transaction<DB>, id: string, version: number, set: { title_ar?: string | null; title_en?: string | null; status?: ClusterStatus } = {}) {
  const res = await trx
    .updateTable('clusters')
    .set({ ...set, updated_at: nowIso(), version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw staleCluster(version + 1);
  return version + 1;
}

export async function acceptCluster(db: Kysely<DB>, id: string, version: number | undefined, actor: User) {
  return db.transaction().execute(async (trx) => {
    const c = await lockCluster(trx, id, version);
    if (c.status === 'accepted') return { id, version: c.version, status: c.status };
    const v = await bump(trx, id, c.version, { status: 'accepted' });
    await recordAudit(trx, { actorId: actor.id, action: 'cluster.accept', subjectType: 'cluster', subjectId: id, before: { status: c.status }, after: { status: 'accepted' } });
    return { id, version: v, status: 'accepted' as const };
  });
}

export async function renameCluster(db: Kysely<DB>, id: string, input: RenameInput, actor: User) {
  return db.transaction().execute(async (trx) => {
    const c = await lockCluster(trx, id, input.version);
    const set: { title_ar?: string | null; title_en?: string | null } = {};
    if (input.title_ar !== undefined) set.title_ar = input.title_ar;
    if (input.title_en !== undefined) set.title_en = input.title_en;
    const v = await bump(trx, id, c.version, set);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'cluster.rename',
      subjectType: 'cluster',
      subjectId: id,
      before: { title_ar: c.title_ar, title_en: c.title_en },
      after: set,
    });
    return { id, version: v, title_ar: set.title_ar ?? c.title_ar, title_en: set.title_en ?? c.title_en };
  });
}

/** Merges clusters into the first accepted one (else the first given); the result is accepted. */
export async function mergeClusters(db: Kysely<DB>, input: MergeInput, actor: User) {
  const ids = [...new Set(input.ids)];
  if (ids.length < 2) throw badRequest('merge_needs_two', 'Give at least two different clusters to merge.');
  return db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('clusters').selectAll().where('id', 'in', ids).execute();
    if (found.length !== ids.length) throw notFound('Cluster');
    const ordered = ids.map((id) => found.find((c) => c.id === id)!);
    const target = ordered.find((c) => c.status === 'accepted') ?? ordered[0]!;
    const others = ordered.filter((c) => c.id !== target.id).map((c) => c.id);
    const moved = await trx.updateTable('recommendations').set({ cluster_id: target.id }).where('cluster_id', 'in', others).executeTakeFirst();
    await trx.deleteFrom('clusters').where('id', 'in', others).execute();
    const set: { title_ar?: string | null; title_en?: string | null; status: ClusterStatus } = { status: 'accepted' };
    if (input.title_ar !== undefined) set.title_ar = input.title_ar;
    if (input.title_en !== undefined) set.title_en = input.title_en;
    const v = await bump(trx, target.id, target.version, set);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'cluster.merge',
      subjectType: 'cluster',
      subjectId: target.id,
      before: { clusters: ordered.map((c) => ({ id: c.id, title_en: c.title_en, title_ar: c.title_ar, status: c.status })) },
      after: { id: target.id, merged: others, moved: Number(moved.numUpdatedRows), ...set },
    });
    return { id: target.id, version: v, merged: others, moved: Number(moved.numUpdatedRows) };
  });
}

/** Moves some members out into a new cluster with the same status. */
export async function splitCluster(db: Kysely<DB>, id: string, input: SplitInput, actor: User) {
  const recIds = [...new Set(input.recommendationIds)];
  return db.transaction().execute(async (trx) => {
    const c = await lockCluster(trx, id, input.version);
    const members = await trx.selectFrom('recommendations').select(['id', 'text_ar', 'text_en', 'text_fr']).where('cluster_id', '=', id).execute();
    const memberIds = new Set(members.map((m) => m.id));
    const strangers = recIds.filter((r) => !memberIds.has(r));
    if (strangers.length) throw badRequest('not_a_member', 'Some recommendations are not members of this cluster.', { recommendationIds: strangers });
    if (recIds.length >= members.length) throw badRequest('split_all', 'Leave at least one member in the cluster (to dissolve it, delete the cluster).');
    const first = members.find((m) => m.id === recIds[0])!;
    const now = nowIso();
    const newCluster = {
      id: newId(),
      title_ar: input.title_ar ?? titleFrom(first.text_ar),
      title_en: input.title_en ?? titleFrom(first.text_en ?? first.text_fr),
      status: c.status,
      job_id: null,
      similarity_pct: null,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('clusters').values(newCluster).execute();
    await trx.updateTable('recommendations').set({ cluster_id: newCluster.id }).where('id', 'in', recIds).execute();
    const v = await bump(trx, id, c.version);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'cluster.split',
      subjectType: 'cluster',
      subjectId: id,
      before: { members: members.length },
      after: { newClusterId: newCluster.id, moved: recIds },
    });
    return { id, version: v, newCluster: { ...newCluster, version: 1, member_count: recIds.length } };
  });
}

export async function removeMember(db: Kysely<DB>, id: string, recommendationId: string, actor: User) {
  return db.transaction().execute(async (trx) => {
    const c = await lockCluster(trx, id);
    const res = await trx.updateTable('recommendations').set({ cluster_id: null }).where('id', '=', recommendationId).where('cluster_id', '=', id).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw notFound('Cluster member');
    const left = await trx.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).where('cluster_id', '=', id).executeTakeFirstOrThrow();
    const dissolved = Number(left.n) === 0;
    if (dissolved) await trx.deleteFrom('clusters').where('id', '=', id).execute();
    else await bump(trx, id, c.version);
    await recordAudit(trx, { actorId: actor.id, action: 'cluster.remove_member', subjectType: 'cluster', subjectId: id, before: { recommendationId }, after: { dissolved } });
    return { id, dissolved, members: Number(left.n) };
  });
}

/** Dissolves a cluster (e.g. a rejected suggestion): its members become unclustered. */
export async function deleteCluster(db: Kysely<DB>, id: string, actor: User) {
  await db.transaction().execute(async (trx) => {
    const c = await lockCluster(trx, id);
    const res = await trx.updateTable('recommendations').set({ cluster_id: null }).where('cluster_id', '=', id).executeTakeFirst();
    await trx.deleteFrom('clusters').where('id', '=', id).execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'cluster.delete',
      subjectType: 'cluster',
      subjectId: id,
      before: { title_ar: c.title_ar, title_en: c.title_en, status: c.status, members: Number(res.numUpdatedRows) },
    });
  });
}

export interface SuggestResult {
  scope: number;
  considered: number;
  clusters: number;
  clustered: number;
  replacedSuggestions: number;
  seconds: number;
}

/**
 * One suggestion run (the body of a background job): recommendations in scope that are not in an
 * accepted cluster are clustered afresh; the previous suggestions in scope are replaced; accepted
 * clusters are never touched. Cluster membership is not a curation of the recommendation itself:
 * recommendation versions are not bumped (the audit log records the run).
 */
export async function runSuggestion(
  db: Kysely<DB>,
  input: SuggestInput,
  ctx: { jobId: string | null; actorId: string | null; progress?: ProgressFn; dialect?: EngineDialect },
): Promise<SuggestResult> {
  const started = Date.now();
  await ctx.progress?.('loading', 0, 0);
  const scope = await suggestionScope(db, input.country, ctx.dialect);
  const docs: ClusterInput[] = scope.filter((r) => r.cluster_status !== 'accepted');
  const suggestions = await suggestClusters(docs, {
    ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
    onProgress: (done, total) => ctx.progress?.('comparing', done, total),
  });
  await ctx.progress?.('saving', 0, suggestions.length);
  const byId = new Map(docs.map((d) => [d.id, d]));
  const oldSuggested = [...new Set(scope.filter((r) => r.cluster_status === 'suggested').map((r) => r.cluster_id!))];
  let clustered = 0;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < oldSuggested.length; i += 500) {
      const chunk = oldSuggested.slice(i, i + 500);
      const still = (await trx.selectFrom('clusters').select('id').where('id', 'in', chunk).where('status', '=', 'suggested').execute()).map((c) => c.id);
      if (still.length === 0) continue;
      await trx.updateTable('recommendations').set({ cluster_id: null }).where('cluster_id', 'in', still).execute();
      await trx.deleteFrom('clusters').where('id', 'in', still).execute();
    }
    const now = nowIso();
    // (a statement or two per cluster, on the server's thread on SQLite: other requests let in every 25 ms)
    const pause = yielder(25);
    for (const s of suggestions) {
      await pause();
      const medoid = byId.get(s.medoid)!;
      const members = s.members.map((m) => byId.get(m)!);
      const withAr = medoid.text_ar ? medoid : members.find((m) => m.text_ar);
      const withEn = medoid.text_en || medoid.text_fr ? medoid : members.find((m) => m.text_en || m.text_fr);
      const id = newId();
      await trx
        .insertInto('clusters')
        .values({
          id,
          title_ar: titleFrom(withAr?.text_ar),
          title_en: titleFrom(withEn?.text_en ?? withEn?.text_fr),
          status: 'suggested',
          job_id: ctx.jobId,
          similarity_pct: Math.round(s.score * 100),
          created_by: ctx.actorId,
          created_at: now,
          updated_at: now,
        })
        .execute();
      // (`coalesce`, not `cluster_id is null`: SQLite's planner took the cluster index for that test, which every
      // unclustered recommendation matches, and scanned them all for each cluster: 55 ms a cluster at 250,000)
      const res = await trx
        .updateTable('recommendations')
        .set({ cluster_id: id })
        .where('id', 'in', s.members)
        .where((eb) => eb.fn.coalesce('cluster_id', sql.lit('')), '=', '')
        .executeTakeFirst();
      clustered += Number(res.numUpdatedRows);
    }
    await recordAudit(trx, {
      actorId: ctx.actorId,
      action: 'cluster.suggest',
      subjectType: 'cluster_run',
      subjectId: ctx.jobId,
      after: { country: input.country ?? null, scope: scope.length, considered: docs.length, clusters: suggestions.length, clustered, replaced: oldSuggested.length },
    });
  });
  await ctx.progress?.('saving', suggestions.length, suggestions.length);
  return {
    scope: scope.length,
    considered: docs.length,
    clusters: suggestions.length,
    clustered,
    replacedSuggestions: oldSuggested.length,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}
