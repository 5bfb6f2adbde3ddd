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
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { HitList } from '../db/dialect/hit-list.ts';
import { REGISTER_READ_IDS, type EngineDialect, type RegisterChange } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import { MULTI_FACETS, RegisterSnapshot, type Labelled, type RecRow } from './register-snapshot.ts';
import { yielder, type Yielder } from '../shared/yielder.ts';
import { recommendationsWithSource } from '../db/recommendation-source.ts';
import { CompiledReads, type CompilableRead } from '../db/compiled-reads.ts';

export { topK, RegisterSnapshot, type Candidates, type FacetCount, type PreparedCandidates, type SortKey } from './register-snapshot.ts';

const WATCHED = ['recommendations', 'recommendation_terms', 'recommendation_search', 'terms', 'documents', 'bodies', 'mechanisms', 'assignments', 'clusters', 'entities'];
/** term kind → multi-valued facet (MULTI_FACETS position) */
const TERM_FACET: Record<string, number> = { theme: 0, affected_person: 1, sdg_goal: 2, sdg_target: 2 };
/**
 * A rebuild's slice (recommendations read and applied at a time): sized so that its work on the server's thread stays
 * about SLICE_MS (a list request arriving meanwhile waits for at most one slice), between SLICE_MIN and SLICE_MAX.
 */
const SLICE_MS = 8;
const SLICE_MIN = 250;
const SLICE_MAX = 4000;
/** changed recommendations beyond which a rebuild is cheaper than patching (share of the register) */
const REBUILD_SHARE = 0.05;
/** The most recommendations a patch of a register of `size` takes in (more: a rebuild). */
export const patchLimit = (size: number): number => Math.max(1000, Math.ceil(size * REBUILD_SHARE));
/** the change log is trimmed to its last KEEP_CHANGES rows every PRUNE_EVERY refreshes that read any */
const KEEP_CHANGES = 100_000;
const PRUNE_EVERY = 1000;

/** Recommendations by id: a list, or a subquery (`REGISTER_READ_IDS`). */
type Ids = readonly string[] | RawBuilder<string>;

/** The reads of the register's rows: recommendations, their term links, their assignments (and their clusters'). */
function rowQueries(db: Kysely<DB>) {
  return {
    recs: () =>
      recommendationsWithSource(db)
        .leftJoin('recommendation_search as s', 's.recommendation_id', 'r.id')
        .leftJoin('clusters as c', 'c.id', 'r.cluster_id')
        .select(['r.id', 'r.position', 'r.kind', 'r.status', 'r.cluster_id', 'r.updated_at', 'r.paragraph', 'r.is_public', 'm.code as mechanism', 'b.code as body'])
        .select(['d.symbol', 'd.upr_cycle', 'd.date', 's.search_rowid', 'c.title_ar', 'c.title_en']),
    links: (ids: Ids) =>
      db
        .selectFrom('recommendation_terms as rt')
        .innerJoin('terms as t', 't.id', 'rt.term_id')
        .select(['rt.recommendation_id', 't.kind', 't.code', 't.label_ar', 't.label_en'])
        .where('rt.recommendation_id', 'in', ids),
    /** the assignments of these recommendations, and of their clusters (`clusters`, or else those of these recommendations now) */
    assignments: (ids: Ids, clusters?: string[]) =>
      db
        .selectFrom('assignments as a')
        .leftJoin('entities as e', 'e.id', 'a.entity_id')
        .select(['a.recommendation_id', 'a.cluster_id', 'a.entity_id', 'e.name_ar', 'e.name_en'])
        .where((eb) =>
          clusters?.length === 0
            ? eb('a.recommendation_id', 'in', ids)
            : eb.or([
                eb('a.recommendation_id', 'in', ids),
                eb('a.cluster_id', 'in', clusters ?? eb.selectFrom('recommendations').select('cluster_id').where('id', 'in', ids).where('cluster_id', 'is not', null)),
              ]),
        ),
  };
}

const reads = new CompiledReads();
/** ids up to which a read by ids is compiled once per number of ids (and read with the change log, PostgreSQL) */
const COMPILED_MAX = 32;

/**
 * PostgreSQL (`EngineDialect.registerChangesAndReads`): the reads of a patch made in the change log's own statement,
 * as SQL: the register's rows (recommendations, term links, assignments), then the companions' that have such a read
 * (`companion`: their place in `companions`, in the order of their reads after the first three).
 */
function readsWithLog(db: Kysely<DB>): { sql: string[]; companion: number[] } | null {
  let found = withLog.get(db);
  if (found?.companions !== companions.length) {
    const ids = sql.raw<string>(REGISTER_READ_IDS);
    const q = rowQueries(db);
    const built: CompilableRead<unknown>[] = [q.recs().where('r.id', 'in', ids), q.links(ids), q.assignments(ids)];
    const companion: number[] = [];
    for (const [c, comp] of companions.entries()) {
      const read = comp.readWithLog?.(db, ids);
      if (read) {
        built.push(read);
        companion.push(c);
      }
    }
    const compiled = built.map((b) => b.compile(db));
    // given as text alone: a read taking parameters cannot be put in that statement (then the rows are read apart)
    const usable = compiled.every((c) => c.parameters.length === 0);
    withLog.set(db, (found = { companions: companions.length, reads: usable ? { sql: compiled.map((c) => c.sql), companion } : null }));
  }
  return found.reads;
}
const withLog = new WeakMap<Kysely<DB>, { companions: number; reads: { sql: string[]; companion: number[] } | null }>();

/** The register rows of these recommendations (by id), or of the next `limit` after `after` in id order. */
async function readRows(db: Kysely<DB>, which: { ids: string[] } | { after: string | null; limit: number }, prepared?: EngineDialect['prepared']): Promise<RecRow[]> {
  const q = rowQueries(db);
  if ('ids' in which) {
    // named: the three reads at once (one round trip on PostgreSQL)
    const ids = which.ids;
    if (ids.length === 0) return [];
    if (ids.length <= COMPILED_MAX) {
      // a few (an edit): compiled once per number of ids
      const [recs, links, assignments] = await Promise.all([
        reads.run(db, 'register-recs', ids, (marks) => q.recs().where('r.id', 'in', marks), prepared),
        reads.run(db, 'register-links', ids, (marks) => q.links(marks), prepared),
        reads.run(db, 'register-assignments', ids, (marks) => q.assignments(marks), prepared),
      ]);
      return assemble(recs, links, assignments);
    }
    const [recs, links, assignments] = await Promise.all([q.recs().where('r.id', 'in', ids).execute(), q.links(ids).execute(), q.assignments(ids).execute()]);
    return assemble(recs, links, assignments);
  }
  let recsQuery = q.recs();
  if (which.after !== null) recsQuery = recsQuery.where('r.id', '>', which.after);
  const recs = await recsQuery.orderBy('r.id').limit(which.limit).execute();
  if (recs.length === 0) return [];
  const ids = recs.map((r) => r.id);
  const clusterIds = [...new Set(recs.map((r) => r.cluster_id).filter((c): c is string => !!c))];
  const [links, assignments] = await Promise.all([q.links(ids).execute(), q.assignments(ids, clusterIds).execute()]);
  return assemble(recs, links, assignments);
}

interface RecRaw {
  id: string;
  position: string | null;
  kind: string | null;
  status: string;
  cluster_id: string | null;
  updated_at: string;
  paragraph: string | null;
  is_public: number | string;
  mechanism: string;
  body: string;
  symbol: string;
  upr_cycle: number | null;
  date: string | null;
  search_rowid: number | string | bigint | null;
  title_ar: string | null;
  title_en: string | null;
}
interface LinkRaw {
  recommendation_id: string;
  kind: string;
  code: string;
  label_ar: string | null;
  label_en: string | null;
}
interface AssignmentRaw {
  recommendation_id: string | null;
  cluster_id: string | null;
  entity_id: string;
  name_ar: string | null;
  name_en: string | null;
}

/** Register rows from the recommendations read, their term links and their (and their clusters') assignments. */
function assemble(recs: RecRaw[], links: LinkRaw[], assignments: AssignmentRaw[]): RecRow[] {
  const rows = new Map<string, RecRow>();
  const add = (recId: string, facet: number, v: Labelled) => {
    const row = rows.get(recId);
    if (!row) return;
    // a recommendation holds a few values per facet: searched in its list (a set per facet and recommendation was
    // most of what a rebuild's slice allocated beside its rows)
    const list = row.multi[facet]!;
    for (const x of list) if (x.value === v.value) return;
    list.push(v);
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

/**
 * Reads the whole register into a new snapshot, in slices. A slice's size follows the time its last one kept the
 * server's thread busy (event-loop time, not time waiting for the database): right after a large import's commit,
 * SQLite's reads of 2,000 recommendations at a time took 0.2-1.1 s on the thread, and a list request waited for them.
 * `sized`: the room to start with (a rebuild: the previous snapshot's, `RegisterSnapshot.sizes`), else counted in the
 * database.
 */
export async function buildSnapshot(
  db: Kysely<DB>,
  pause: Yielder = yielder(),
  slices = { first: SLICE_MIN, min: SLICE_MIN, max: SLICE_MAX },
  sized?: ReturnType<RegisterSnapshot['sizes']>,
): Promise<RegisterSnapshot> {
  const snapshot = sized ? new RegisterSnapshot(sized.expected, sized.recommendations) : await counted(db);
  // its arrays made (10-20 ms at 250,000) apart from the first slice, which is small: right after a large commit its
  // reads are the slowest (1,000 recommendations took 90-170 ms there, the following slices of that size 10-20 ms)
  await pause();
  let limit = slices.first;
  for (let after: string | null = null; ; ) {
    const before = performance.eventLoopUtilization();
    const rows = await readRows(db, { after, limit });
    snapshot.apply(rows.map((row) => ({ id: row.id, row })));
    const busy = performance.eventLoopUtilization(before).active;
    await pause();
    if (rows.length < limit) break;
    after = rows.at(-1)!.id;
    limit = Math.round(Math.min(slices.max, Math.max(slices.min, limit * Math.min(2, Math.max(0.25, SLICE_MS / Math.max(busy, 0.1))))));
  }
  await snapshot.finish(pause);
  return snapshot;
}

/** An empty snapshot with room for the database's facet values and recommendations, as counted there. */
async function counted(db: Kysely<DB>): Promise<RegisterSnapshot> {
  const [documents, clusters, entities, terms, recommendations] = await Promise.all([
    db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('clusters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('entities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('terms').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('recommendations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const t = Number(terms.n);
  const expected = { document: Number(documents.n), cluster: Number(clusters.n), entity: Number(entities.n), theme: t, affected: t, sdg: t };
  return new RegisterSnapshot(expected, Number(recommendations.n));
}

/** The current snapshot of one database, patched from the change log, rebuilt off the request path when that is cheaper. */
export class RegisterIndex {
  private snapshot: RegisterSnapshot | null = null;
  /** change log position the snapshot is current to */
  private position = 0;
  /** this process's write counters and the external-change number when the log was last read */
  private stamp: string | null = null;
  /** the external-change number in `stamp`, and (PostgreSQL) the snapshot the log was read with then */
  private external = 0;
  private readAt: string | null = null;
  private first: Promise<void> | null = null;
  private building: Promise<void> | null = null;
  private needsBuild = false;
  /** refreshes run one at a time, in order */
  private queue: Promise<void> = Promise.resolve();
  private pending: Promise<void> | null = null;
  /** the refresh under way (started: it took its stamp already) */
  private running: Promise<void> | null = null;
  private tick = 0;
  private refreshes = 0;
  /** PostgreSQL: a snapshot whose committed change rows this register holds (left out of the next read of the log) */
  private held: string | null = null;
  /** writes noted before this tick are in the snapshot */
  private covered = 0;
  /** user → tick of their last write */
  private readonly writers = new Map<string, number>();
  /** times the change log was read for a patch (tests and benchmarks) */
  logReads = 0;
  /** times the rows of a patch were read apart from the log, after it (tests: PostgreSQL reads them with it) */
  rowReads = 0;
  /** times the whole register was read (tests and benchmarks) */
  builds = 0;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: EngineDialect,
  ) {}

  /**
   * A user's write has committed: their next list sees it (even if that waits for a rebuild). The register is
   * brought up to date right away: the promise settles (never rejects) once the log has been read and the write
   * patched in (or a rebuild started, which is not waited for), so that a write's reply can be sent after its own
   * patch and the next list (the writer's, anyone's) finds the register current and its first page made ahead.
   */
  noteWrite(userId: string): Promise<void> {
    this.writers.set(userId, ++this.tick);
    return this.refreshNow();
  }

  /**
   * After this process's write: reads the log and patches, only when a table the register reads was written (and the
   * register is loaded); writes arriving meanwhile share the next read of the log (`refresh` is one at a time).
   */
  private refreshNow(): Promise<void> {
    if (!this.snapshot || this.stamp === null) return Promise.resolve();
    if (this.stamp.startsWith(`${this.dialect.changes.stamp(WATCHED)}/`)) return Promise.resolve(); // nothing the register reads
    return this.current().then(
      () => undefined,
      () => undefined, // the next reader tries again
    );
  }

  /** Whether the register holds every write this user made through this process (a rebuild under way: not yet). */
  holdsWritesOf(userId: string): boolean {
    return (this.writers.get(userId) ?? 0) <= this.covered;
  }

  private async stampNow(): Promise<{ text: string; external: number }> {
    let external = await this.dialect.externalChanges(this.db);
    // PostgreSQL: changes by transactions that had committed when the log was last read are in the register already
    // (this process's own writes come back as notifications, most of them after its own patch read the log)
    if (external !== this.external && this.readAt !== null && this.dialect.externalChangesSeen?.(this.external, external, this.readAt)) {
      external = this.external;
    }
    return { text: `${this.dialect.changes.stamp(WATCHED)}/${external}`, external };
  }

  /** The snapshot to answer from; `userId`: the reader, who sees their own writes. */
  async current(userId?: string): Promise<RegisterSnapshot> {
    if (!this.snapshot) {
      this.first ??= this.rebuild().finally(() => (this.first = null));
      await this.first;
    }
    let now = await this.stampNow();
    if (now.text !== this.stamp && this.running) {
      // a read of the log under way (the one a write starts, say) may hold all this reader saw: wait for it, look again
      await this.running.catch(() => undefined);
      now = await this.stampNow();
    }
    if (now.text !== this.stamp || this.needsBuild) await this.refresh();
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
    // until the log is read past the mark and no rebuild is under way (one a refresh of ours started included)
    for (let round = 0; (mark > this.covered || this.building) && round < 6; round++) {
      if (this.building) await this.building;
      await this.refresh();
    }
    return this.snapshot!;
  }

  /** Reads the change log and applies it (queued: one at a time; callers arriving meanwhile share the next). */
  private refresh(): Promise<void> {
    if (!this.pending) {
      const run: Promise<void> = this.queue.then(async () => {
        this.pending = null;
        this.running = run;
        try {
          await this.readChanges();
        } finally {
          this.running = null;
        }
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
    const limit = patchLimit(snapshot.size);
    this.logReads++;
    // PostgreSQL: the rows of the recommendations the log names are read in its own statement (one round trip)
    const combined = this.dialect.registerChangesAndReads ? readsWithLog(this.db) : null;
    // (at most 4 rows a recommendation to patch, as one write may log several; past that, or naming more than `limit`
    // recommendations, a rebuild: neither engine reads such rows)
    const both = combined ? await this.dialect.registerChangesAndReads!(this.db, this.position, limit * 4, combined.sql, COMPILED_MAX, this.held, limit) : null;
    const read = both ?? (await this.dialect.registerChanges(this.db, this.position, limit * 4, limit));
    const { next, rows } = read;
    const plan = this.needsBuild || read.more || rows.length > limit * 4 ? null : this.changed(snapshot, rows);
    if (!plan || plan.recs.size > limit) {
      this.startBuild();
      this.noteRead(stamp, null);
      return;
    }
    if (plan.labels) await this.relabel(snapshot);
    const ids = [...plan.recs];
    // read with the log (PostgreSQL): used when they hold every recommendation to patch (a cluster's members, which the
    // log does not name, are read apart)
    const given = both?.ids ? new Set(both.ids) : null;
    const readWithLog =
      both && combined && given && ids.every((id) => given.has(id))
        ? {
            rows: new Map(assemble(both.results[0] as RecRaw[], both.results[1] as LinkRaw[], both.results[2] as AssignmentRaw[]).map((r) => [r.id, r])),
            companions: new Map(combined.companion.map((c, k) => [c, both.results[3 + k]!])),
          }
        : null;
    // read 500 at a time, letting other requests in between reads (SQLite reads on this thread), then applied at once:
    // each sort order a change moves in is made again once, not once per 500 (a bulk edit of 5,000 at 250,000: ten
    // passes over every order, about 0.3 s held)
    const changes: { id: string; row: RecRow | null }[] = [];
    const keeps: { chunk: string[]; then: (unknown[] | null)[] }[] = [];
    const pause = yielder(25);
    for (let k = 0; k < ids.length; k += 500) {
      if (k > 0) await pause();
      const chunk = ids.slice(k, k + 500);
      // the values kept beside the snapshot for these (the list's page rows) read at the same time
      const also = Promise.all(
        companions.map((c, at) => {
          const wanted = c.wanted(snapshot, chunk);
          if (!wanted.length) return null;
          return readWithLog?.companions.get(at) ?? c.read(this.db, wanted, this.dialect).catch(() => null);
        }),
      );
      if (!readWithLog) this.rowReads++;
      const found = readWithLog?.rows ?? new Map((await readRows(this.db, { ids: chunk }, this.dialect.prepared?.bind(this.dialect))).map((r) => [r.id, r]));
      const then = await also;
      for (const id of chunk) changes.push({ id, row: found.get(id) ?? null });
      keeps.push({ chunk, then });
    }
    snapshot.apply(changes);
    for (const { chunk, then } of keeps) for (const [c, companion] of companions.entries()) if (then[c]) companion.keep(snapshot, chunk, then[c]);
    this.position = next;
    // read whole (not past the limit) and applied: every row its snapshot saw is held now
    this.held = read.snapshot ?? null;
    this.noteRead(stamp, read.snapshot ?? null);
    this.covered = started;
    if (ids.length || plan.labels) {
      for (const c of companions) {
        try {
          c.patched?.(snapshot);
        } catch (err) {
          process.emitWarning(`After a register patch: ${(err as Error).message}`);
        }
      }
    }
    // the sort orders' moves the patch left for later (RegisterSnapshot.settleOrders), once the event loop has taken
    // what came in meanwhile (the next list, answered first when it is in an order the edit did not move)
    if (ids.length) setImmediate(() => snapshot.settleOrders());
    // not awaited: a write's reply waits for its patch (noteWrite), not for this transaction (on SQLite, behind an
    // import holding the writer)
    if (rows.length && ++this.refreshes % PRUNE_EVERY === 0) this.prune(KEEP_CHANGES).catch((err: unknown) => process.emitWarning(`Trimming the register's change log: ${(err as Error).message}`));
  }

  /** The log was read (at `snapshot`, PostgreSQL) with `stamp` taken just before: the register holds what it names. */
  private noteRead(stamp: { text: string; external: number }, snapshot: string | null): void {
    this.stamp = stamp.text;
    this.external = stamp.external;
    this.readAt = snapshot;
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
    this.builds++;
    // the log's position (SQLite: its end), and (PostgreSQL) the snapshot whose committed rows the build holds, since
    // it reads after it: they are left out of the next reads (a 'full' one read again would start another build, again
    // and again while an old transaction anywhere on the server holds the position back). None of its rows is needed.
    const start = await this.dialect.registerChanges(this.db, this.snapshot ? this.position : null, 0);
    // a rebuild sized from the snapshot it replaces (no counts in the database right after a large commit)
    const snapshot = await buildSnapshot(this.db, undefined, undefined, this.snapshot?.sizes());
    if (!patchWarmed && snapshot.size > 0) {
      // once per process, before the first reader is answered: recommendations read again and patched in (and
      // back), so that the first edit's patch does not also compile its queries and code paths
      patchWarmed = true;
      const ids = [snapshot.ids[0]!, snapshot.ids[Math.floor(snapshot.n / 2)]!];
      // the reads of an edit of one recommendation (compiled per number of ids), the companions' too
      const prepared = this.dialect.prepared?.bind(this.dialect);
      const [a] = await readRows(this.db, { ids: [ids[0]!] }, prepared);
      const [b] = await readRows(this.db, { ids: [ids[1]!] }, prepared);
      for (const c of companions) await c.read(this.db, [ids[0]!], this.dialect).catch(() => null);
      // PostgreSQL: the log's statement with the reads of what it names (prepared on a connection of the pool)
      const combined = this.dialect.registerChangesAndReads ? readsWithLog(this.db) : null;
      if (combined) await this.dialect.registerChangesAndReads!(this.db, start.next, 1, combined.sql, COMPILED_MAX, null, 1).catch(() => null);
      if (a && b) {
        // one recommendation given another's values, then its own again: the counts, posting lists and orders move
        // there and back as in a real edit
        snapshot.apply([{ id: a.id, row: { ...a, single: b.single, sort: b.sort } }]);
        snapshot.apply([{ id: a.id, row: a }]);
      } else if (a) snapshot.apply([{ id: a.id, row: a }]);
    }
    const swap = this.queue.then(() => {
      this.snapshot = snapshot;
      this.position = start.next;
      this.held = start.snapshot ?? null; // the build read after it: it holds every row that snapshot saw
      this.covered = started;
      this.stamp = null; // read the log from the build's start on the next call
      this.readAt = null;
    });
    this.queue = swap.catch(() => undefined);
    await swap;
  }
}

/**
 * Values kept beside a snapshot that patching it makes stale (the list's page rows, recommendations.service.ts). A
 * companion reads the new values of the recommendations about to be patched at the same time as the register reads
 * their rows (on PostgreSQL, on another connection of the pool: no round trip more), and keeps them once
 * the patch is applied (`keep`, at the snapshot's new version; `ids`: every recommendation patched, `rows` those of
 * them the query found). Read after the change log, they are at least as new as the patch.
 */
export interface PatchCompanion {
  /** its read of these recommendations' values */
  read(db: Kysely<DB>, ids: string[], dialect: EngineDialect): Promise<unknown[]>;
  /**
   * PostgreSQL: the same read of the recommendations `ids` names (a subquery), with no parameters, made in the change
   * log's own statement (EngineDialect.registerChangesAndReads): its rows come as JSON gives them, which must be as
   * `read` gives them (text and numbers); `keep` is given the rows of every recommendation the log names.
   */
  readWithLog?(db: Kysely<DB>, ids: RawBuilder<string>): CompilableRead<unknown>;
  keep(snapshot: RegisterSnapshot, ids: string[], rows: unknown[]): void;
  /** after a patch has been applied (and every companion's `keep`), before the next reader is answered */
  patched?(snapshot: RegisterSnapshot): void;
  /** those of these recommendations whose values it keeps (read apart from the log: only those) */
  wanted(snapshot: RegisterSnapshot, ids: string[]): string[];
}
const companions: PatchCompanion[] = [];
export function onPatch(companion: PatchCompanion): void {
  companions.push(companion);
}
let patchWarmed = false;
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
