import fs from 'node:fs';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { sql, SqliteDialect } from 'kysely';
import { toFts5Match, type ParsedQuery } from '../../text/index.ts';
import { ChangeCounter } from '../changes.ts';
import { CompiledReads } from '../compiled-reads.ts';

const registerReads = new CompiledReads();
import { sqliteBackup } from './sqlite-backup.ts';
import { sqliteBulkLoad } from './sqlite-bulk.ts';
import { WalCheckpoints } from './sqlite-checkpoint.ts';
import { ReadWriteSqliteDialect } from './sqlite-driver.ts';
import { FtsWorkers, hitListSql, runHitList } from './sqlite-fts.ts';
import { withStatementCache } from './sqlite-statements.ts';
import type { EngineDialect, RegisterChange, SearchDialect } from './types.ts';

/** FTS5 MATCH text: all clauses ANDed (toFts5Match), or ORed for candidate gathering. */
function fts5Match(pq: ParsedQuery, mode: 'all' | 'any'): string {
  if (mode === 'all' || pq.clauses.length <= 1) return toFts5Match(pq);
  const parts = pq.clauses.map((c) => toFts5Match({ clauses: [c] })).filter((m) => m !== '""');
  return parts.length ? parts.map((p) => `(${p})`).join(' OR ') : '""';
}

/** Full-text search on FTS5; hit lists run in the worker threads when there are any (sqlite-fts.ts). */
function sqliteSearch(database: Database.Database, workers: FtsWorkers | null): SearchDialect {
  return {
    rawSql(pq) {
      const match = toFts5Match(pq);
      return {
        hitList: [{ sql: hitListSql(true, false), parameters: [match] }],
        rankedPage: {
          sql: `select rowid, -rank as score from recommendation_fts where recommendation_fts match ? and rank match 'bm25(1.0, 0.2)' order by rank limit 25`,
          parameters: [match],
        },
      };
    },
    async documentCounts(db, stems) {
      if (stems.length === 0) return new Map();
      const { rows } = await sql<{ term: string; doc: number }>`select term, doc from recommendation_fts_vocab
        where col = 'terms' and term in (${sql.join(stems)})`.execute(db);
      return new Map(rows.map((r) => [r.term, Number(r.doc)]));
    },
    async contentVersion(db) {
      // FTS5's shadow table: record 1 holds the row count and token totals (bm25's statistics), record 10 the index's
      // structure (its segments and a write counter), rewritten by every transaction that changes the index
      const { rows } = await sql<{ v: string | null }>`select group_concat(hex(block), '/') as v
        from (select block from recommendation_fts_data where id in (1, 10) order by id)`.execute(db);
      return rows[0]?.v ?? '';
    },
    async optimize(db) {
      await sql`insert into recommendation_fts(recommendation_fts) values ('optimize')`.execute(db);
      await sql`analyze`.execute(db);
    },
    async hitList(db, pq, ranked, mode = 'all') {
      const match = fts5Match(pq, mode);
      if (workers?.usable) {
        const { rows } = await sql<{ m: number | null }>`select max(search_rowid) as m from recommendation_search`.execute(db);
        try {
          return await workers.hitList(match, ranked, Number(rows[0]?.m ?? 0));
        } catch (err) {
          if (workers.usable) throw err; // the query failed, not the worker
          process.emitWarning(`Full-text workers stopped; searching in the main thread: ${(err as Error).message}`);
        }
      }
      return runHitList(database, match, ranked);
    },
  };
}

export function sqliteDialect(file: string): EngineDialect {
  const inMemory = file === ':memory:';
  if (!inMemory) fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new Database(file); // the writer (and, in memory, the only connection)
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  // a file's writer waits for another process's write lock on a timer, never inside SQLite's busy handler, which would
  // hold the event loop (sqlite-driver.ts); in memory there is no other process
  database.pragma(inMemory ? 'busy_timeout = 5000' : 'busy_timeout = 0');
  database.pragma('synchronous = NORMAL');
  // 32 MB of page cache (the default is 2 MB): an import into a populated register otherwise spills its pages to the WAL again and again
  database.pragma('cache_size = -32768');
  // reads outside transactions go to a read-only connection, so a long write holds up no one's reads (sqlite-driver.ts)
  const reader = inMemory ? null : new Database(file, { readonly: true });
  reader?.pragma('busy_timeout = 5000');
  reader?.pragma('cache_size = -32768');
  // reads through a memory map instead of a read() call per page: a large export or index build reads most of the file
  // (measured on 250,000 recommendations: the system time of reading them by id fell from 0.6 s to nothing)
  reader?.pragma('mmap_size = 2147483648');
  const changes = new ChangeCounter();
  // the WAL copied back into the file by a worker thread, not at the writer's commits on the server's thread
  // (sqlite-checkpoint.ts); a connection opened in a worker thread (an import's) holds no one up: SQLite's own
  const checkpoints = inMemory || !isMainThread ? null : new WalCheckpoints(file, database);
  const dataVersion = database.prepare('pragma data_version').pluck();
  const workers = inMemory ? null : new FtsWorkers(file);
  const settle = () => {
    changes.settle();
    checkpoints?.committed();
  };
  const readWrite = reader ? new ReadWriteSqliteDialect({ reader: withStatementCache(reader), writer: withStatementCache(database), settle }) : null;
  return {
    engine: 'sqlite',
    target: { engine: 'sqlite', file },
    kysely: readWrite ?? new SqliteDialect({ database: withStatementCache(database) }),
    ...(readWrite ? { holdWriter: <T>(fn: () => Promise<T>) => readWrite.holdWriter(fn) } : {}),
    description: `SQLite ${inMemory ? '(in memory)' : path.basename(file)}`,
    search: sqliteSearch(reader ?? database, workers),
    async heavyRead(db, query) {
      const compiled = query.compile();
      if (workers?.usable) {
        try {
          return (await workers.rows(compiled.sql, compiled.parameters)) as never[];
        } catch (err) {
          if (workers.usable) throw err; // the query failed, not the worker
          process.emitWarning(`Full-text workers stopped; reading in the main thread: ${(err as Error).message}`);
        }
      }
      return (await db.executeQuery(compiled)).rows as never[];
    },
    changes,
    bulkLoad: sqliteBulkLoad(database, (tables) => changes.wrote(tables)),
    // the online backup reads through the read-only connection (in memory: the only one)
    backup: sqliteBackup(() => reader ?? database, inMemory ? null : file),
    async close() {
      await workers?.close();
      await checkpoints?.close();
    },
    async registerChanges(db, since, limit, recs = limit) {
      if (since === null) {
        const { rows } = await sql<{ m: number | null }>`select max(seq) as m from register_changes`.execute(db);
        return { next: Number(rows[0]?.m ?? 0), rows: [] };
      }
      // more than `limit` rows, or rows naming more than `recs` recommendations: told without reading them, and the
      // log's end given (after an import of 20,000 records through the API into 250,000, reading 50,001 of its 120,000
      // rows to learn that took 140 ms of the server's thread; and a rebuild, starting at the 10,001st, was followed by
      // another, and another)
      // (the recommendations counted only when the rows are not too many already)
      const [end] = await registerReads.run(db, 'register-changes-end', [since, limit, recs], ([s, l, r]) => sql<{ past: number | null; last: number | null; named: number | null }>`select past, last,
        case when past is null then (select count(distinct recommendation_id) from (select recommendation_id from register_changes where seq > ${s} order by seq limit ${l})) > ${r} end as named
        from (select (select seq from register_changes where seq > ${s} order by seq limit 1 offset ${l}) as past, (select max(seq) from register_changes) as last)`);
      const last = end?.last === null || end?.last === undefined ? since : Number(end.last);
      if ((end?.past !== null && end?.past !== undefined) || end?.named) return { next: Math.max(last, since), rows: [], more: true };
      // up to the end just read (at most `limit` rows: one written since is read next time); compiled once: read after
      // every write, it costs more to build than to run
      const rows = await registerReads.run(db, 'register-changes', [since, last, limit + 1], ([s, e, l]) => sql<RegisterChange>`select seq, null as tx, recommendation_id, cluster_id, scope from register_changes where seq > ${s} and seq <= ${e} order by seq limit ${l}`);
      return { next: Math.max(last, since), rows };
    },
    // on the writer, whose own commits do not change it, read directly: no wait behind a running transaction (prepared
    // once: read by every list request, `pragma()` prepared it again each time, 10-40 µs)
    async externalChanges() {
      return Number(dataVersion.get());
    },
  };
}
