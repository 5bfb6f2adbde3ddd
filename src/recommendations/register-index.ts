/**
 * Loads the register into memory (register-snapshot.ts) and keeps it current without stalling readers.
 *
 * Freshness: triggers write every changed recommendation to a change log (migration 020). When this
 * process has written (EngineDialect.changes) or another one has (EngineDialect.externalChanges), the
 * next reader reads the log since the snapshot's position and patches only the recommendations named
 * there (a few milliseconds). A large change (more than 5% of the register, a bulk import, a document or
 * term code edit) rebuilds instead, in slices that let other requests run, while the previous snapshot
 * keeps answering everyone except the user who wrote (RegisterIndex.noteWrite): their next list waits for
 * the new snapshot, so that they see their own write.
 */
import type { Kysely } from 'kysely';
import type { HitList } from '../db/dialect/hit-list.ts';
import type { EngineDialect, RegisterChange } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import { MULTI_FACETS, RegisterSnapshot, yielder, type Labelled, type RecRow, type Yielder } from './register-snapshot.ts';
import { recommendationsWithSource } from '../db/recommendation-source.ts';

export { topK, RegisterSnapshot, type Candidates, type FacetCount, type PreparedCandidates, type SortKey } from './register-snapshot.ts';

const WATCHED = ['recommendations', 'recommendation_terms', 'recommendation_search', 'terms', 'documents', 'bodies', 'mechanisms', 'assignments', 'clusters', 'entities'];
/** term kind → multi-valued facet (MULTI_FACETS position) */
const TERM_FACET: Record<string, number> = { theme: 0, affected_person: 1, sdg_goal: 2, sdg_target: 2 };
const CHUNK = 2000;
/** changed recommendations beyond which a rebuild is cheaper than patching (share of the register) */
const REBUILD_SHARE = 0.05;
/** the change log is trimmed to its last KEEP_CHANGES rows every PRUNE_EVERY refreshes that read any */
const KEEP_CHANGES = 100_000;
const PRUNE_EVERY = 1000;

/** The register rows of these recommendations (by id), or of the next `CHUNK` after `after` in id order. */
async function readRows(db: Kysely<DB>, which: { ids: string[] } | { after: string | null }): Promise<RecRow[]> {
  let q = recommendationsWithSource(db)
    .leftJoin('recommendation_search as s', 's.recommendation_id', 'r.id')
    .leftJoin('clusters as c', 'c.id', 'r.cluster_id')
    .select(['r.id', 'r.position', 'r.kind', 'r.status', 'r.cluster_id', 'r.updated_at', 'r.paragraph', 'r.is_public', 'm.code as mechanism', 'b.code as body'])
    .select(['d.symbol', 'd.upr_cycle', 'd.date', 's.search_rowid', 'c.title_ar', 'c.title_en']);
  if ('ids' in which) {
    if (which.ids.length === 0) return [];
    q = q.where('r.id', 'in', which.ids);
  } else {
    if (which.after !== null) q = q.where('r.id', '>', which.after);
    q = q.orderBy('r.id').limit(CHUNK);
  }
  const recs = await q.execute();
  if (recs.length === 0) return [];
  const ids = recs.map((r) => r.id);
  const clusterIds = [...new Set(recs.map((r) => r.cluster_id).filter((c): c is string => !!c))];
  const [links, assignments] = await Promise.all([
    db
      .selectFrom('recommendation_terms as rt')
      .innerJoin('terms as t', 't.id', 'rt.term_id')
      .select(['rt.recommendation_id', 't.kind', 't.code', 't.label_ar', 't.label_en'])
      .where('rt.recommendation_id', 'in', ids)
      .execute(),
    db
      .selectFrom('assignments as a')
      .leftJoin('entities as e', 'e.id', 'a.entity_id')
      .select(['a.recommendation_id', 'a.cluster_id', 'a.entity_id', 'e.name_ar', 'e.name_en'])
      .where((eb) => (clusterIds.length ? eb.or([eb('a.recommendation_id', 'in', ids), eb('a.cluster_id', 'in', clusterIds)]) : eb('a.recommendation_id', 'in', ids)))
      .execute(),
  ]);
  const rows = new Map<string, RecRow>();
  const seen = new Map<string, Set<string>[]>();
  const add = (recId: string, facet: number, v: Labelled) => {
    const row = rows.get(recId);
    if (!row) return;
    const s = seen.get(recId)![facet]!;
    if (s.has(v.value)) return;
    s.add(v.value);
    row.multi[facet]!.push(v);
  };
  for (const r of recs) {
    const year = r.date ? r.date.slice(0, 4) : null;
    rows.set(r.id, {
      id: r.id,
      rowid: r.search_rowid === null || r.search_rowid === undefined ? null : Number(r.search_rowid),
      single: [
        r.mechanism,
        r.body,
        r.symbol,
        r.upr_cycle === null ? null : String(r.upr_cycle),
        r.position || null,
        r.kind || null,
        r.status || null,
        year,
        r.cluster_id ? { value: r.cluster_id, ar: r.title_ar ?? null, en: r.title_en ?? null } : null,
      ],
      multi: MULTI_FACETS.map(() => []),
      sort: [r.date || null, r.paragraph || null, r.updated_at || null, r.status || null],
      published: Number(r.is_public) === 1,
    });
    seen.set(r.id, MULTI_FACETS.map(() => new Set()));
  }
  for (const l of links) {
    const facet = TERM_FACET[l.kind];
    if (facet !== undefined) add(l.recommendation_id, facet, { value: l.code, ar: l.label_ar, en: l.label_en });
  }
  const byCluster = new Map<string, Labelled[]>();
  const entity = MULTI_FACETS.indexOf('entity');
  for (const a of assignments) {
    const v = { value: a.entity_id, ar: a.name_ar ?? null, en: a.name_en ?? null };
    if (a.recommendation_id) add(a.recommendation_id, entity, v);
    if (a.cluster_id) byCluster.set(a.cluster_id, [...(byCluster.get(a.cluster_id) ?? []), v]);
  }
  for (const r of recs) if (r.cluster_id) for (const v of byCluster.get(r.cluster_id) ?? []) add(r.id, entity, v);
  return [...rows.values()];
}

/** Reads the whole register into a new snapshot, in slices of `CHUNK` recommendations. */
export async function buildSnapshot(db: Kysely<DB>, pause: Yielder = yielder()): Promise<RegisterSnapshot> {
  const [documents, clusters, entities, terms] = await Promise.all([
    db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('clusters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('entities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('terms').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const t = Number(terms.n);
  const snapshot = new RegisterSnapshot({ document: Number(documents.n), cluster: Number(clusters.n), entity: Number(entities.n), theme: t, affected: t, sdg: t });
  for (let after: string | null = null; ; ) {
    const rows = await readRows(db, { after });
    snapshot.apply(rows.map((row) => ({ id: row.id, row })));
    await pause();
    if (rows.length < CHUNK) break;
    after = rows.at(-1)!.id;
  }
  await snapshot.finish(pause);
  return snapshot;
}

/** The current snapshot of one database, patched from the change log, rebuilt off the request path when that is cheaper. */
export class RegisterIndex {
  private snapshot: RegisterSnapshot | null = null;
  /** change log position the snapshot is current to */
  private position = 0;
  /** this process's write counters and the external-change number when the log was last read */
  private stamp: string | null = null;
  private first: Promise<void> | null = null;
  private building: Promise<void> | null = null;
  private needsBuild = false;
  /** refreshes run one at a time, in order */
  private queue: Promise<void> = Promise.resolve();
  private pending: Promise<void> | null = null;
  private tick = 0;
  private refreshes = 0;
  /** change rows applied that the next read returns again (PostgreSQL: seq → tx) */
  private readonly seen = new Map<number, number>();
  /** writes noted before this tick are in the snapshot */
  private covered = 0;
  /** user → tick of their last write */
  private readonly writers = new Map<string, number>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: EngineDialect,
  ) {}

  /** A user's write has committed: their next list sees it (even if that waits for a rebuild). */
  noteWrite(userId: string): void {
    this.writers.set(userId, ++this.tick);
  }

  private async stampNow(): Promise<string> {
    return `${this.dialect.changes.stamp(WATCHED)}/${await this.dialect.externalChanges(this.db)}`;
  }

  /** The snapshot to answer from; `userId`: the reader, who sees their own writes. */
  async current(userId?: string): Promise<RegisterSnapshot> {
    if (!this.snapshot) {
      this.first ??= this.rebuild().finally(() => (this.first = null));
      await this.first;
    }
    if ((await this.stampNow()) !== this.stamp || this.needsBuild) await this.refresh();
    // the writer waits for a snapshot that holds their write (a rebuild, if one is under way); no one else does
    const mark = userId ? (this.writers.get(userId) ?? 0) : 0;
    for (let round = 0; mark > this.covered && round < 3; round++) {
      if (this.building) await this.building;
      await this.refresh();
    }
    return this.snapshot!;
  }

  /**
   * Waits until the snapshot holds every write committed so far (a rebuild under way included): for work
   * outside a user's request (command line, jobs, tests) that reads the list right after writing.
   */
  async settled(): Promise<RegisterSnapshot> {
    const mark = ++this.tick;
    await this.current();
    for (let round = 0; mark > this.covered && round < 3; round++) {
      if (this.building) await this.building;
      await this.refresh();
    }
    return this.snapshot!;
  }

  /** Reads the change log and applies it (queued: one at a time; callers arriving meanwhile share the next). */
  private refresh(): Promise<void> {
    if (!this.pending) {
      const run = this.queue.then(() => {
        this.pending = null;
        return this.readChanges();
      });
      this.pending = run;
      this.queue = run.catch(() => undefined);
    }
    return this.pending;
  }

  private async readChanges(): Promise<void> {
    const started = ++this.tick;
    const stamp = await this.stampNow();
    if (this.building) return; // the new snapshot reads the log from where its build started
    const snapshot = this.snapshot!;
    const limit = Math.max(1000, Math.ceil(snapshot.size * REBUILD_SHARE));
    const read = await this.dialect.registerChanges(this.db, this.position, limit * 4);
    const { next } = read;
    const rows = read.rows.filter((r) => r.tx === null || !this.seen.has(r.seq));
    const plan = this.needsBuild || read.rows.length > limit * 4 ? null : this.changed(snapshot, rows);
    if (!plan || plan.recs.size > limit) {
      this.startBuild();
      this.stamp = stamp;
      return;
    }
    if (plan.labels) await this.relabel(snapshot);
    const ids = [...plan.recs];
    for (let k = 0; k < ids.length; k += 500) {
      const chunk = ids.slice(k, k + 500);
      const found = new Map((await readRows(this.db, { ids: chunk })).map((r) => [r.id, r]));
      snapshot.apply(chunk.map((id) => ({ id, row: found.get(id) ?? null })));
    }
    this.position = next;
    this.stamp = stamp;
    this.covered = started;
    // PostgreSQL reads rows again while an older transaction runs (anywhere on the server): apply them once
    for (const r of rows) if (r.tx !== null) this.seen.set(r.seq, r.tx);
    for (const [seq, tx] of this.seen) if (tx < next) this.seen.delete(seq);
    if (rows.length && ++this.refreshes % PRUNE_EVERY === 0) await this.prune(KEEP_CHANGES);
  }

  /**
   * Deletes the change log but for its last `keep` rows, with a 'full' row in the same transaction: an
   * instance that had not read the deleted rows yet (and this one) rebuilds instead of missing them.
   */
  async prune(keep: number): Promise<number> {
    const { hi, lo } = await this.db
      .selectFrom('register_changes')
      .select((eb) => [eb.fn.max('seq').as('hi'), eb.fn.min('seq').as('lo')])
      .executeTakeFirstOrThrow();
    if (hi === null || lo === null || Number(hi) - Number(lo) < keep) return 0;
    return this.db.transaction().execute(async (trx) => {
      const res = await trx.deleteFrom('register_changes').where('seq', '<=', Number(hi) - keep).executeTakeFirst();
      await trx.insertInto('register_changes').values({ recommendation_id: null, cluster_id: null, scope: 'full' }).execute();
      return Number(res.numDeletedRows);
    });
  }

  /** The recommendations a list of changes names (a cluster's: those in it now), or null for a rebuild. */
  private changed(snapshot: RegisterSnapshot, rows: RegisterChange[]): { recs: Set<string>; labels: boolean } | null {
    const recs = new Set<string>();
    let labels = false;
    const clusters = new Set<string>();
    for (const r of rows) {
      if (r.scope === 'full') return null;
      if (r.scope === 'labels') labels = true;
      if (r.recommendation_id) recs.add(r.recommendation_id);
      if (r.cluster_id) clusters.add(r.cluster_id);
    }
    for (const c of clusters) for (const i of snapshot.inCluster(c)) recs.add(snapshot.ids[i]!);
    return { recs, labels };
  }

  /** A cluster or entity was renamed or removed: their labels again. */
  private async relabel(snapshot: RegisterSnapshot): Promise<void> {
    const [clusters, entities] = await Promise.all([
      this.db.selectFrom('clusters').select(['id', 'title_ar', 'title_en']).execute(),
      this.db.selectFrom('entities').select(['id', 'name_ar', 'name_en']).execute(),
    ]);
    for (const c of clusters) snapshot.relabel('cluster', c.id, c.title_ar, c.title_en);
    for (const e of entities) snapshot.relabel('entity', e.id, e.name_ar, e.name_en);
  }

  /** A new snapshot in slices while the current one keeps answering; swapped in between two refreshes. */
  private startBuild(): void {
    this.needsBuild = false;
    if (this.snapshot) this.snapshot.superseded = true;
    if (this.building) return;
    this.building = this.rebuild()
      .catch((err: unknown) => {
        this.needsBuild = true;
        process.emitWarning(`Register rebuild failed; the next list retries: ${(err as Error).message}`);
      })
      .finally(() => (this.building = null));
  }

  private async rebuild(): Promise<void> {
    const started = ++this.tick;
    // the log's position, and (PostgreSQL) the rows already committed past it: the build reads after them, so it
    // holds them, and they are not applied again (a 'full' one would start another build, again and again while
    // an old transaction anywhere on the server holds the position back)
    const start = await this.dialect.registerChanges(this.db, this.snapshot ? this.position : null, COVERED_BY_BUILD);
    const snapshot = await buildSnapshot(this.db);
    if (!patchWarmed && snapshot.size > 0) {
      // once per process, before the first reader is answered: one recommendation read again and patched in
      // (unchanged), so that the first edit's patch does not also compile its queries and code paths
      patchWarmed = true;
      const id = snapshot.ids[0]!;
      const [row] = await readRows(this.db, { ids: [id] });
      if (row) snapshot.apply([{ id, row }]);
    }
    const swap = this.queue.then(() => {
      this.snapshot = snapshot;
      this.position = start.next;
      this.seen.clear();
      for (const r of start.rows) if (r.tx !== null && r.tx >= start.next) this.seen.set(r.seq, r.tx);
      this.covered = started;
      this.stamp = null; // read the log from the build's start on the next call
    });
    this.queue = swap.catch(() => undefined);
    await swap;
  }
}

let patchWarmed = false;
/** change rows a build notes as held at most (past them, rows committed before it are applied again after it) */
const COVERED_BY_BUILD = 10_000;
const indexes = new WeakMap<EngineDialect, RegisterIndex>();
/** The index of the database behind this dialect (one per database handle). */
export function registerIndex(db: Kysely<DB>, dialect: EngineDialect): RegisterIndex {
  let index = indexes.get(dialect);
  if (!index) indexes.set(dialect, (index = new RegisterIndex(db, dialect)));
  return index;
}

/** Full-text hits (row ids) as recommendation numbers of a snapshot, with their scores; unknown row ids are dropped. */
export function hitsOf(hits: HitList, rowidToRec: Int32Array): { recs: Int32Array; scores: Float64Array | null } {
  const recs = new Int32Array(hits.rowids.length);
  const scores = hits.scores ? new Float64Array(hits.rowids.length) : null;
  let n = 0;
  for (let k = 0; k < hits.rowids.length; k++) {
    const rowid = hits.rowids[k]!;
    const rec = rowid < rowidToRec.length ? rowidToRec[rowid]! : -1;
    if (rec < 0) continue;
    if (scores) scores[n] = hits.scores![k]!;
    recs[n++] = rec;
  }
  return { recs: recs.subarray(0, n), scores: scores ? scores.subarray(0, n) : null };
}

/**
 * Several searches' hits (the glossary's alternatives of one query) as recommendation numbers of a snapshot,
 * each once with its best score, in the order first found; unknown row ids are dropped. One pass over the
 * lists with a dense array per recommendation instead of a map per row id.
 */
export function hitsOfLists(lists: readonly HitList[], rowidToRec: Int32Array, n: number): { recs: Int32Array; scores: Float64Array | null } {
  if (lists.length === 1) return hitsOf(lists[0]!, rowidToRec);
  const ranked = lists.length > 0 && lists.every((l) => l.scores !== null);
  const size = lists.reduce((a, l) => a + l.rowids.length, 0);
  const at = new Int32Array(n).fill(-1);
  const recs = new Int32Array(size);
  const scores = ranked ? new Float64Array(size) : null;
  let m = 0;
  for (const l of lists) {
    for (let k = 0; k < l.rowids.length; k++) {
      const rowid = l.rowids[k]!;
      const rec = rowid < rowidToRec.length ? rowidToRec[rowid]! : -1;
      if (rec < 0 || rec >= n) continue;
      const j = at[rec]!;
      if (j < 0) {
        at[rec] = m;
        recs[m] = rec;
        if (scores) scores[m] = l.scores![k]!;
        m++;
      } else if (scores && l.scores![k]! > scores[j]!) scores[j] = l.scores![k]!;
    }
  }
  return { recs: recs.subarray(0, m), scores: scores ? scores.subarray(0, m) : null };
}
