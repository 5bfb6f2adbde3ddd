import { createHash } from 'node:crypto';
import pg from 'pg';
import { CompiledQuery, PostgresDialect, sql, type Kysely } from 'kysely';
import { toTokenClauses } from '../../text/index.ts';
import { ChangeCounter, tablesWrittenBy } from '../changes.ts';
import { CompiledReads } from '../compiled-reads.ts';
import { postgresBackup } from './postgres-backup.ts';
import { postingsHitList, postingsSql, STATS_SQL, type IndexStats, type PostingsRow } from './postgres-postings.ts';
import { postgresBulkLoad } from './postgres-bulk.ts';
import type { EngineDialect, RawStatement, RegisterChange, SearchDialect } from './types.ts';

// Keep bigint counts as numbers (they are always small here).
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/**
 * Full-text search on PostgreSQL: hit lists from the postings (postgres-postings.ts), ranked as FTS5 ranks.
 * `stats` gives the index's row count and token total (kept per content version of the postings).
 */
export function postgresSearch(stats: (db: Kysely<any>) => Promise<IndexStats>): SearchDialect {
  return {
    async hitList(db, pq, ranked, mode = 'all') {
      const clauses = toTokenClauses(pq);
      if (clauses.length === 0) return { rowids: new Int32Array(0), scores: ranked ? new Float64Array(0) : null };
      const q = postingsSql(clauses, mode);
      const run = async (s: RawStatement | null) =>
        s ? (await db.executeQuery<PostingsRow>(CompiledQuery.raw(s.sql, s.parameters))).rows[0]! : {};
      const [hits, counts, s] = await Promise.all([run(q.hits), run(ranked ? q.counts : null), stats(db)]);
      return postingsHitList({ ...hits, ...counts }, clauses, s, ranked, mode);
    },
    rawSql(pq) {
      const clauses = toTokenClauses(pq);
      const q = clauses.length ? postingsSql(clauses) : null;
      return {
        hitList: q ? [q.hits, ...(q.counts ? [q.counts] : [])] : [],
        // PostgreSQL holds no full-text index of its own here (the postings are the index): the plain
        // engine query is the postings' hit list itself.
        rankedPage: q?.hits ?? { sql: 'select 1 where false', parameters: [] },
      };
    },
    async documentCounts(db, stems, cap) {
      if (stems.length === 0) return new Map();
      // Each count stops at `cap`: enough to tell rare words from common ones, without scanning the common.
      const { rows } = await sql<{ lexeme: string; n: number }>`select t as lexeme,
          (select count(*) from (select 1 from recommendation_fts_postings where lexeme = t and fa > 0 limit ${cap}) x)::integer as n
        from unnest(${[...stems]}::text[]) as t`.execute(db);
      return new Map(rows.filter((r) => r.n > 0).map((r) => [r.lexeme, r.n]));
    },
    async optimize(db) {
      // VACUUM marks the postings' pages all-visible, so that scans of them stay index-only.
      await sql`vacuum (analyze) recommendation_fts_postings`.execute(db);
      await sql`analyze recommendation_search`.execute(db);
    },
    async contentVersion(db) {
      const { version, rows } = await readVersion(db);
      // housekeeping: a failed fold leaves the rows (and the version) as they are
      if (rows > FOLD_ABOVE) await db.executeQuery(CompiledQuery.raw(FOLD_SQL)).catch((err: Error) => process.emitWarning(`Folding the postings' versions failed: ${err.message}`));
      return version;
    },
  };
}

/**
 * The postings' content version (migration 042): the sum of the weights this statement's snapshot sees, which moves
 * in the very transaction that changes the postings. Inside a transaction that has written, its own uncommitted rows
 * count too: its id is added, so that its value is never taken for a committed state's.
 */
const VERSION_SQL = `select coalesce(sum(n), 0)::text || '/' || coalesce(pg_current_xact_id_if_assigned()::text, '') as version,
  count(*)::integer as rows from recommendation_fts_versions`;
/** Folds the weights into one row of the same total (the version does not move); see migration 042. */
const FOLD_SQL = `with d as (delete from recommendation_fts_versions returning n)
  insert into recommendation_fts_versions(n) select sum(n) from d having count(*) > 0`;
/** Rows of weight the version's read lets pile up before it folds them. */
const FOLD_ABOVE = 64;

async function readVersion(db: Kysely<any>): Promise<{ version: string; rows: number }> {
  return (await db.executeQuery<{ version: string; rows: number }>(CompiledQuery.raw(VERSION_SQL))).rows[0]!;
}

/**
 * bm25's statistics per content version of the postings (the last few versions seen): the version is read first, and
 * on a miss the statistics and their version are read in one statement, so that they are never kept under a version
 * whose postings they were not counted from.
 */
function statsByVersion(): (db: Kysely<any>) => Promise<IndexStats> {
  const kept = new Map<string, IndexStats>();
  return async (db) => {
    const { version } = await readVersion(db);
    const found = kept.get(version);
    if (found) return found;
    const { rows } = await db.executeQuery<IndexStats & { version: string }>(
      CompiledQuery.raw(`select s.*, v.version from (${STATS_SQL}) s, (${VERSION_SQL}) v`),
    );
    const { version: at, ...stats } = rows[0]!;
    if (kept.size >= 4) kept.delete(kept.keys().next().value!);
    kept.set(at, stats);
    return stats;
  };
}

const registerReads = new CompiledReads();
/** a statement that may write (a read starts with `select`): its text is looked at for the tables it writes */
const WRITE_START = /^\s*(?:insert|update|delete|with)\b/i;

/** `poolMax`: connections at most (10; an import's worker thread needs 2). */
export function postgresDialect(url: string, poolMax = 10): EngineDialect {
  const pool = new pg.Pool({ connectionString: url, max: poolMax });
  const changes = new ChangeCounter();
  // An idle pooled connection can be closed by the server (restart, failover, admin termination). pg then
  // emits 'error' on the pool and, unhandled, that would crash the process. The pool already discards the
  // broken client and the next query opens a new one, so there is nothing more to do than not crash.
  pool.on('error', (err) => process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`));
  // the pool's connections by server process id: the bulk import's COPY runs on its transaction's own connection
  const clients = new Map<number, pg.PoolClient>();
  pool.on('connect', (client) => {
    const pid = (client as pg.PoolClient & { processID?: number }).processID;
    if (pid !== undefined) clients.set(pid, client);
  });
  pool.on('remove', (client) => {
    for (const [pid, c] of clients) if (c === client) clients.delete(pid);
  });
  // the tables each pooled connection has written, counted again when it is released (its statement or transaction
  // done): the write counters move when a write is built, before it commits, and a read of the register's change log in
  // between would otherwise leave it to the change notification, which may come after the writer's next read
  const writing = new WeakMap<pg.PoolClient, Set<string>>();
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      const text = typeof first === 'string' ? first : typeof first === 'object' && first !== null ? (first as { text?: unknown }).text : undefined;
      if (typeof text === 'string' && WRITE_START.test(text)) {
        const tables = tablesWrittenBy(text);
        if (tables.length) {
          let set = writing.get(client);
          if (!set) writing.set(client, (set = new Set()));
          for (const t of tables) set.add(t);
        }
      }
      return query(...args);
    };
  });
  pool.on('release', (_err: Error | undefined, client: pg.PoolClient) => {
    const tables = writing.get(client);
    if (!tables?.size) return;
    changes.committed(tables);
    tables.clear();
  });
  const u = new URL(url);
  /** EngineDialect.prepared: a read as a named prepared statement of the pool, planned once per connection */
  async function prepared<R>(text: string, parameters: readonly unknown[]): Promise<R[]> {
    return (await pool.query({ name: statementName(text), text, values: [...parameters] })).rows as R[];
  }
  const listener = changeListener(url);
  const registerReader = registerLogConnection(url);
  return {
    engine: 'postgres',
    target: { engine: 'postgres', url },
    kysely: new PostgresDialect({ pool }),
    description: `PostgreSQL ${u.hostname || 'socket'}/${u.pathname.slice(1)}`,
    search: postgresSearch(statsByVersion()),
    async heavyRead(db, query) {
      return (await db.executeQuery(query.compile())).rows as never[];
    },
    changes,
    externalChanges: (_db, tables) => listener.generation(tables),
    externalChangesSeen: (since, upTo, snapshot) => listener.committedBefore(since, upTo, snapshot),
    bulkLoad: postgresBulkLoad((pid) => clients.get(pid), (tables) => changes.wrote(tables)),
    prepared,
    backup: postgresBackup(url),
    async registerChanges(db, since, limit, recs = limit) {
      // one statement, one snapshot: every transaction older than its xmin has committed or rolled back.
      // `order by tx limit` keeps to the index on tx even before the table's statistics know a bulk load's rows.
      // Too many rows, or rows naming too many recommendations: told without them (after an import of 20,000 records
      // into 250,000, its 50,001 rows came as JSON to learn that, while a list request waited).
      // read after every write: compiled once, planned once per connection (planning it cost more than running it)
      const rows = await registerReads.run(
        db,
        `register-changes/${since === null}`,
        since === null ? [] : [since, limit + 1, recs],
        ([from, most, named]) =>
          from === undefined
            ? sql<{ snapshot: string; rows: RegisterChange[] | null; more: boolean | null }>`select pg_current_snapshot()::text as snapshot, null::json as rows, null::boolean as more`
            : sql<{ snapshot: string; rows: RegisterChange[] | null; more: boolean | null }>`with c as materialized (select * from register_changes where tx >= ${from} order by tx limit ${most}),
              n as materialized (select count(*) as rows from c),
              t as materialized (select (select rows from n) >= ${most} or (select count(*) from (select distinct recommendation_id from c where recommendation_id is not null and (select rows from n) < ${most}) d) > ${named} as more)
            select pg_current_snapshot()::text as snapshot, (select more from t) as more,
              (select json_agg(json_build_object('seq', seq, 'tx', tx, 'recommendation_id', recommendation_id, 'cluster_id', cluster_id, 'scope', scope)) from c where not (select more from t)) as rows`,
        prepared,
      );
      const { snapshot, more } = rows[0]!;
      return { next: Number(snapshot.slice(0, snapshot.indexOf(':'))), rows: rows[0]!.rows ?? [], snapshot, ...(more ? { more } : {}) };
    },
    async registerChangesAndReads(_db, since, limit, reads, most, held, recs) {
      // the same read of the log, and the reads of the recommendations it names in the same statement: the first list
      // after an edit waited for two round trips (the log, then the rows it names)
      const text = changesAndReadsSql(reads);
      // on a connection of its own, with its generic plan (see registerLogConnection): it never waits for a pooled connection
      const query = { name: statementName(text), text, values: [since, limit + 1, most, held, recs] };
      const [row] = (await registerReader.query<{ snapshot: string; rows: RegisterChange[] | null; more: boolean | null; ids: string[] | null } & Record<string, unknown[]>>(query, () => pool.query(query))).rows;
      const { snapshot, rows, more, ids } = row!;
      return { next: Number(snapshot.slice(0, snapshot.indexOf(':'))), rows: rows ?? [], snapshot, ...(more ? { more } : {}), ids, results: reads.map((_, k) => row![`r${k}`]!) };
    },
    async close() {
      await Promise.all([listener.close(), registerReader.close()]);
    },
  };
}

/** A named prepared statement's name: the hash of its text (kept per text, hashed once). */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `rasd_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    if (statementNames.size >= 1024) statementNames.delete(statementNames.keys().next().value!);
    statementNames.set(text, name);
  }
  return name;
}
const statementNames = new Map<string, string>();
/** The `application_name` of the register's own connection (`registerLogConnection`), as `pg_stat_activity` shows it. */
export const REGISTER_LOG_CONNECTION = 'rasd register log';
/** ms after a failure to open the register's own connection before it is tried again */
const RETRY_OWN_AFTER = 10_000;

/**
 * One connection of its own for the register's reads of its change log (`registerChangesAndReads`), outside the pool,
 * with `plan_cache_mode = force_generic_plan`: the read that the first list after an edit waits for never queues behind
 * other requests for one of the pool's connections, and its statement is planned once, at the register's warm-up (its
 * values are subqueries, `changesAndReadsSql`, so the generic plan is the custom one). Opened on first use; a broken
 * connection is opened again on the next call; while it cannot be opened, the read goes through the pool (`fallback`),
 * for 10 s before it is tried again. The register's reads of the log run one at a time: one connection is enough.
 */
export function registerLogConnection(url: string) {
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client | null> | null = null;
  let closed = false;
  /** when opening it last failed: the pool reads the log for the next RETRY_OWN_AFTER ms */
  let failedAt = Number.NEGATIVE_INFINITY;
  const open = (): Promise<pg.Client | null> => {
    const c = new pg.Client({ connectionString: url, application_name: REGISTER_LOG_CONNECTION });
    const drop = () => {
      if (client === c) client = null;
      c.end().catch(() => undefined);
    };
    c.on('error', drop);
    c.on('end', drop);
    return c
      .connect()
      .then(() => c.query('set plan_cache_mode = force_generic_plan'))
      .then(() => (closed ? (drop(), null) : (client = c)))
      .catch((err: Error) => {
        process.emitWarning(`The register's own PostgreSQL connection could not be opened (the pool reads its log meanwhile): ${err.message}`);
        failedAt = performance.now();
        drop();
        return null;
      })
      .finally(() => (connecting = null));
  };
  return {
    async query<R extends pg.QueryResultRow>(query: pg.QueryConfig, fallback: () => Promise<pg.QueryResult<R>>): Promise<pg.QueryResult<R>> {
      const c = client ?? (closed || performance.now() - failedAt < RETRY_OWN_AFTER ? null : await (connecting ??= open()));
      return c ? c.query<R>(query) : fallback();
    },
    async close(): Promise<void> {
      closed = true;
      if (connecting) await connecting;
      const c = client;
      client = null;
      await endOwn(c);
    },
  };
}

/**
 * The statement of `registerChangesAndReads`: the log as `registerChanges` reads it ($1 the position, $2 the rows at
 * most, $5 the recommendations they may name; past either, `more` and no rows), the recommendations its rows name as
 * `register_read` when they are at most $3 (none otherwise), and each read of them as a JSON array. `register_read` is
 * materialised (its few rows known before the reads are planned): each read then looks its recommendations up by key,
 * in the plan prepared once per connection (by node-postgres: 0.3-0.5 ms a run, against about 0.2 ms for the log
 * alone, before the rows' own round trip).
 */
function changesAndReadsSql(reads: readonly string[]): string {
  let text = combinedTexts.get(reads);
  if (text === undefined) {
    // how many rows, then (below the most) the recommendations they name, each counted once (hashed: a sort of 54,000
    // ids in the database's collation took 87 ms); past either bound nothing else is made (a json_agg of the rows
    // under a `case` that drops it was still built: 152 ms after an import of 20,000 records into 250,000)
    // the values as subqueries: planned apart from them, so that after its first five runs on a connection the plan
    // prepared once is kept (with the values themselves, a plan made for them looked cheaper every time, and planning
    // it again took 1.5-2 ms of each run)
    text = `with c as materialized (select seq, tx, recommendation_id, cluster_id, scope from register_changes where tx >= (select $1::bigint)
        and ((select $4::text) is null or not pg_visible_in_snapshot(tx::text::xid8, (select $4::text)::pg_snapshot)) order by tx limit (select $2::bigint)),
      n as materialized (select count(*) as rows from c),
      named as materialized (select distinct recommendation_id as id from c where recommendation_id is not null and (select rows from n) < (select $2::bigint)),
      t as materialized (select (select rows from n) >= (select $2::bigint) or count(*) > (select $5::bigint) as more, count(*) as recs from named),
      register_read as materialized (select id from named where not (select more from t) and (select recs from t) <= (select $3::bigint))
      select pg_current_snapshot()::text as snapshot, (select more from t) as more,
        (select json_agg(json_build_object('seq', seq, 'tx', tx, 'recommendation_id', recommendation_id, 'cluster_id', cluster_id, 'scope', scope)) from c where not (select more from t)) as rows,
        (select case when not (select more from t) and (select recs from t) <= (select $3::bigint) then coalesce(json_agg(id), '[]'::json) end from register_read) as ids
        ${reads.map((read, k) => `, (select coalesce(json_agg(x), '[]'::json) from (${read}) x) as r${k}`).join('\n        ')}`;
    combinedTexts.set(reads, text);
  }
  return text;
}
const combinedTexts = new WeakMap<readonly string[], string>();

/** Whether transaction `tx` had completed in a snapshot given as text (`xmin:xmax:xip,…`, pg_current_snapshot()). */
export function completedIn(tx: number, snapshot: string): boolean {
  const [xmin, xmax, xip] = snapshot.split(':');
  if (tx < Number(xmin)) return true;
  if (tx >= Number(xmax)) return false;
  return !xip || !xip.split(',').some((x) => Number(x) === tx);
}

/** Closes a connection of its own (the listener's, the register's) for good: its 'end' no longer counts as a break. */
async function endOwn(c: pg.Client | null): Promise<void> {
  if (!c) return;
  c.removeAllListeners('end');
  await c.end().catch(() => undefined);
}

/** generations whose writing transaction the listener remembers (EngineDialect.externalChangesSeen) */
const RECENT = 256;

/**
 * A notification's payload (migration 043): the table written and the writing transaction, `<table> <transaction>`;
 * the bulk import names no table; an empty payload (an older server) names neither.
 */
export function notificationOf(payload: string | undefined): { table: string | null; tx: number | null } {
  const space = payload ? payload.lastIndexOf(' ') : -1;
  if (!payload || space < 0) return { table: null, tx: null };
  const tx = Number(payload.slice(space + 1));
  return { table: payload.slice(0, space) || null, tx: Number.isSafeInteger(tx) ? tx : null };
}

/**
 * One dedicated connection that LISTENs on `rasd_changes` (statement triggers, migration 005): the
 * generation goes up on every notification, and on every (re)connection, since changes may have been
 * missed while no one was listening. Opened on first use; a broken connection is reopened on the next call.
 * A notification names the table written and the writing transaction (migration 043):
 * - with `tables`, the generation counts only those tables' notifications, those naming no table (the bulk import's,
 *   an older server's) and the (re)connections;
 * - the last `RECENT` generations' writing transactions are kept (null for a (re)connection or a payload without
 *   one): `committedBefore`.
 */
function changeListener(url: string) {
  let generation = 0;
  /** notifications per table named, and those naming none plus the (re)connections */
  const byTable = new Map<string, number>();
  let unnamed = 0;
  /** the writing transaction of generations generation - recent.length + 1 … generation (null: unknown) */
  const recent: (number | null)[] = [];
  const bump = (table: string | null, tx: number | null) => {
    generation++;
    if (table) byTable.set(table, (byTable.get(table) ?? 0) + 1);
    else unnamed++;
    recent.push(tx);
    if (recent.length > RECENT) recent.shift();
  };
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  /** closed with its database: not opened again (a late call reads the last generation) */
  let closed = false;
  const drop = (c: pg.Client) => {
    if (client === c) client = null;
    bump(null, null);
    c.end().catch(() => undefined);
  };
  return {
    /**
     * Whether every change numbered `since` + 1 … `upTo` came from a transaction that had committed in `snapshot` (a
     * notification is only delivered once its transaction committed, so "completed" is "committed"). False if any is
     * unknown or no longer remembered.
     */
    committedBefore(since: number, upTo: number, snapshot: string): boolean {
      const first = generation - recent.length + 1;
      if (since + 1 < first || upTo > generation) return false;
      for (let g = since + 1; g <= upTo; g++) {
        const tx = recent[g - first]!;
        if (tx === null || !completedIn(tx, snapshot)) return false;
      }
      return true;
    },
    async generation(tables?: readonly string[]): Promise<number> {
      if (!client && !connecting && !closed) {
        const c = new pg.Client({ connectionString: url });
        c.on('notification', (msg) => {
          const { table, tx } = notificationOf(msg.payload);
          bump(table, tx);
        });
        c.on('error', () => drop(c));
        c.on('end', () => drop(c));
        connecting = c
          .connect()
          .then(() => c.query('listen rasd_changes'))
          .then(() => {
            client = c;
            bump(null, null);
          })
          .catch(() => drop(c))
          .finally(() => (connecting = null));
      }
      if (connecting) await connecting;
      if (!tables) return generation;
      let n = unnamed;
      for (const t of tables) n += byTable.get(t) ?? 0;
      return n;
    },
    async close(): Promise<void> {
      closed = true;
      if (connecting) await connecting;
      const c = client;
      client = null;
      await endOwn(c);
    },
  };
}
