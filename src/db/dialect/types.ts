import type { DatabaseTarget } from '../../config/config.ts';
import type { Compilable, Dialect, Insertable, Kysely } from 'kysely';
import type { DocumentsTable, RecommendationsTable } from '../schema.ts';
import type { ParsedQuery } from '../../text/index.ts';
import type { ChangeCounter } from '../changes.ts';
import type { HitList } from './hit-list.ts';

/** A statement as text and parameters. */
export interface RawStatement {
  sql: string;
  parameters: unknown[];
}

/**
 * The engine-specific half of full-text search. The index rows themselves
 * (`recommendation_search.terms/words`) are written by engine-neutral code (src/search); each
 * engine indexes them (SQLite: FTS5, migration 003; PostgreSQL: postings, migration 006) and answers queries here.
 */
export interface SearchDialect {
  /**
   * Every hit of a non-empty query, matching every clause (`all`, the search box) or any clause (`any`, the
   * candidates of "similar recommendations"): `search_rowid` and, with `ranked`, the relevance (higher is better), in
   * one round trip (SQLite: FTS5's bm25, collected by an aggregate function into typed arrays; PostgreSQL: the
   * postings packed as bytes, scored with the same bm25 in JS), in no particular order.
   */
  hitList(db: Kysely<any>, pq: ParsedQuery, ranked: boolean, mode?: 'all' | 'any'): Promise<HitList>;
  /**
   * For benchmarks, raw SQL and parameters: `hitList`, the statements hitList asks of the engine, as plain
   * queries in one thread (ranked), and `rankedPage`, the plain engine query for the first 25 hits by relevance.
   */
  rawSql(pq: ParsedQuery): { hitList: RawStatement[]; rankedPage: RawStatement };
  /**
   * For each stem, how many index rows hold it in `terms` (the stem a term clause matches); at most `cap` on
   * PostgreSQL, which counts its postings (exact on SQLite, from FTS5's vocabulary). Stems held nowhere are left out.
   */
  documentCounts(db: Kysely<any>, stems: readonly string[], cap: number): Promise<Map<string, number>>;
  /** Housekeeping after a bulk (re)index: FTS5 merge / ANALYZE. */
  optimize(db: Kysely<any>): Promise<void>;
  /**
   * A value that changes whenever the full-text index's content changes (any row indexed, changed or removed,
   * by any connection or process), read outside a transaction: hit lists found at one value are the hit lists of
   * every later read at the same value, so they can be kept across other writes (a note edited, a status
   * changed). SQLite: FTS5's own structure and averages records, which every transaction that changes the index
   * rewrites. PostgreSQL: the sum of the weights in `recommendation_fts_versions` (migration 042), one row written by
   * every statement that changes the postings, in its own transaction. Absent where the engine has no such value:
   * hits are then kept per register version only.
   */
  contentVersion?(db: Kysely<any>): Promise<string>;
}

/**
 * A first import into an empty register: inside the import's transaction, `begin` sets aside what is
 * faster built once at the end than row by row and returns the session: optionally its own way to write the
 * register's rows, and the step that builds again what was set aside, before the commit. A rolled-back
 * transaction (dry run, rejected file) restores everything by itself.
 * - SQLite: the secondary indexes of the tables an import fills, the full-text insert trigger and the change
 *   log's row triggers are dropped and replayed at the end; rows go in by INSERT.
 * - PostgreSQL: no index is dropped (that would lock every reader of the table out until the import commits);
 *   the row-level work of the register's tables (postings, change log, notifications) is switched off for this
 *   transaction, rows go in by COPY, and the postings are built once at the end (postgres-bulk.ts).
 * `begin` returns null when the register is no longer empty once it holds its locks (another import committed
 * first): the import then takes the row path.
 */
export interface BulkLoad {
  begin(trx: Kysely<any>): Promise<BulkSession | null>;
}

export interface BulkSession {
  /** writes the rows of a first import (absent: plain INSERTs) */
  writer?: BulkWriter;
  /** builds again what `begin` set aside; called once, last, before the commit */
  finish(): Promise<void>;
}

/**
 * The rows of a first import, chunk after chunk, in the import's transaction. A writer may return before its rows are
 * written (PostgreSQL sends them while the import prepares the next chunk); then it has `settle`, which the import
 * awaits before any statement of its own on the transaction, and before it ends (a failed write throws there).
 */
export interface BulkWriter {
  settle?(): Promise<void>;
  /**
   * a chunk's new documents, written before its recommendations and with their triggers and checks, without waiting
   * for the rows still being sent (absent: the import waits for them, then inserts the documents itself)
   */
  documents?(rows: readonly Insertable<DocumentsTable>[]): Promise<void>;
  recommendations(rows: readonly Insertable<RecommendationsTable>[]): Promise<void>;
  links(rows: readonly { recommendation_id: string; term_id: string }[]): Promise<void>;
  /** index rows (migration 003's columns), written after their recommendations */
  searchRows(rows: readonly { recommendation_id: string; terms: string; words: string; indexed_at: string }[]): Promise<void>;
}

/** One application table as a backup sees it. */
export interface TableInfo {
  name: string;
  /** stored columns in definition order (generated and engine-specific `fts` columns left out) */
  columns: string[];
  primaryKey: string[];
  /** foreign keys: this table's column → the referenced table */
  references: { column: string; table: string }[];
  /** the column whose values the engine generates (SQLite AUTOINCREMENT, PostgreSQL identity); a restore loads them as they were */
  identity: string | null;
}

/** The engine's own copy of a snapshot, written beside the portable rows. */
export interface NativeDump {
  /** file name inside the folder given to `snapshot` */
  file: string;
  /** `sqlite` (a database file) or `pg_dump-custom` (for pg_restore) */
  format: string;
}

/** What backup and restore (src/backup) need from the engine. */
export interface BackupDialect {
  /**
   * The application's tables: migration bookkeeping, the engine's search objects (names holding `fts`) and the
   * register's change log (`register_changes`, derived; the triggers write it again on restore) left out.
   */
  tables(db: Kysely<any>): Promise<TableInfo[]>;
  /**
   * Runs `read` on one consistent snapshot of the whole database while other connections keep writing, and
   * writes the engine's own copy of that same snapshot into `dir` (SQLite: the online backup API into a file,
   * which `read` then reads; PostgreSQL: a repeatable-read, read-only transaction whose exported snapshot
   * `pg_dump` also dumps, when pg_dump is installed). `note` says why there is no native copy.
   */
  snapshot<T>(db: Kysely<any>, dir: string, read: (snap: Kysely<any>) => Promise<T>): Promise<{ result: T; native: NativeDump | null; note: string | null }>;
  /** Inserts rows (values in `table.columns` order) as given, generated keys included. */
  insertRows(trx: Kysely<any>, table: TableInfo, rows: unknown[][]): Promise<void>;
  /** After a restore has loaded rows with their keys: generated keys continue after the largest loaded value. */
  afterLoad(trx: Kysely<any>, tables: TableInfo[]): Promise<void>;
}

/** One row of the register's change log: a recommendation, a cluster's recommendations, or a wider scope. */
export interface RegisterChange {
  seq: number;
  /** PostgreSQL: the writing transaction (rows may be read again while older transactions run); SQLite: null */
  tx: number | null;
  recommendation_id: string | null;
  cluster_id: string | null;
  scope: 'labels' | 'full' | null;
}

/**
 * The recommendations a read given to `EngineDialect.registerChangesAndReads` is of, as a subquery of that statement
 * (e.g. `where r.id in (select id from register_read)`).
 */
export const REGISTER_READ_IDS = '(select id from register_read)';

/** Everything that differs between SQLite and PostgreSQL lives behind this interface. */
export interface EngineDialect {
  readonly engine: 'sqlite' | 'postgres';
  /** Where the database is: a worker thread opens its own connection to the same database with it. */
  readonly target: DatabaseTarget;
  readonly kysely: Dialect;
  /** Human description for /api/health, without credentials. */
  readonly description: string;
  readonly search: SearchDialect;
  /**
   * The rows of a read that scans much of the register (the home page's counts), off the server's thread where the
   * engine answers synchronously: SQLite runs it on a full-text worker's read-only connection (committed data, as every
   * reader sees it); PostgreSQL (a round trip already), an in-memory database or a one-core machine run it as usual.
   */
  heavyRead<R>(db: Kysely<any>, query: Compilable<R>): Promise<R[]>;
  /** Counts this process's writes per table; installed as a plugin on the Kysely instance (createDb). */
  readonly changes: ChangeCounter;
  /**
   * A number that changes when another connection or process has committed a write since the last
   * call (SQLite: PRAGMA data_version; PostgreSQL: notifications on channel `rasd_changes`, sent by
   * statement triggers, migration 005). Used with `changes` to keep in-memory indexes fresh. With `tables`, it
   * need not change for writes to other tables (PostgreSQL: the notifications name their table, migration 043;
   * SQLite: any write still changes it).
   */
  externalChanges(db: Kysely<any>, tables?: readonly string[]): Promise<number>;
  /** Snapshots, table metadata and raw loading for backup, restore and export. */
  readonly backup: BackupDialect;
  /**
   * The register's change log (migration 020): the rows written since position `since`, and the position to
   * ask from next time; with `since` null, only the current position (before a full read of the register).
   * At most `limit` + 1 rows: more than `limit`, or `more`, means "too many to patch"; `next` is then the log's end
   * (with `more`, `rows` may hold none of them: neither engine reads them). Rows naming more than `recs`
   * recommendations (default `limit`) are also `more`, without them.
   * SQLite: `seq` (commit order, one writer). PostgreSQL: the oldest transaction still running when read,
   * so rows of transactions that commit later are not missed (rows may come twice: apply them idempotently).
   */
  registerChanges(db: Kysely<any>, since: number | null, limit: number, recs?: number): Promise<{ next: number; rows: RegisterChange[]; more?: boolean; snapshot?: string }>;
  /**
   * PostgreSQL: `registerChanges(db, since, limit)` and, in the same statement (one round trip, one snapshot), `reads` of
   * the recommendations its rows name, when they name at most `most` (none is read when they name more). Each read is
   * the SQL of a select with no parameters that takes its recommendations from the statement's table expression
   * `register_read(id)` (`REGISTER_READ_IDS`). `ids`: the recommendations the reads were given (null: more than `most`);
   * `results`: each read's rows, as JSON gives them (text, numbers, null). Absent on SQLite, whose reads are no round
   * trip. `held`: a snapshot (`pg_current_snapshot()` as text) whose committed rows the register already holds (its
   * last build's start, or its last complete read): those are left out, so that while an older transaction holds
   * the position back, rows read before are not counted again (a large change would start a rebuild at every read).
   * `recs`: as `registerChanges`'s (`more`: too many to patch, no rows and no reads).
   */
  registerChangesAndReads?(
    db: Kysely<any>,
    since: number,
    limit: number,
    reads: readonly string[],
    most: number,
    held: string | null,
    recs: number,
  ): Promise<{ next: number; rows: RegisterChange[]; more?: boolean; snapshot: string; ids: string[] | null; results: unknown[][] }>;
  /**
   * PostgreSQL (`registerChanges` also gives the read's `snapshot` there): whether the external changes numbered
   * `since` + 1 … `upTo` (`externalChanges` values) all come from transactions that had committed in that snapshot, so
   * that the read of the change log already held what they wrote to the register (false when it cannot tell: a
   * reconnection, a notification without its transaction). This process's own writes come back as notifications,
   * most of them after its own patch has read the log: those need no read of the log again.
   */
  externalChangesSeen?(since: number, upTo: number, snapshot: string): boolean;
  /**
   * SQLite file: runs `fn` in this process's writer's turn (its own writes wait for `fn` as for a transaction) while
   * another connection of this process writes, an import committed in a worker thread (src/imports/commit-worker.ts).
   * Absent on PostgreSQL (no database-wide write lock) and in memory (no other connection).
   */
  holdWriter?<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * PostgreSQL: runs a read as a named prepared statement, planned once per connection (src/db/compiled-reads.ts);
   * for reads by primary key whose planning costs more than their running. Absent on SQLite (its statements are
   * prepared once already).
   */
  prepared?<R>(sql: string, parameters: readonly unknown[]): Promise<R[]>;
  /** Loading into an empty register faster; absent where the engine has no such path (see BulkLoad). */
  readonly bulkLoad?: BulkLoad;
  /** Close underlying connections/handles not owned by Kysely. */
  close?(): Promise<void>;
}
