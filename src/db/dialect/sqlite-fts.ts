/**
 * SQLite full-text hit lists, in parallel: the FTS5 query is split by row id range across worker threads,
 * each with its own read-only connection to the database file (WAL: readers see every committed write),
 * and each collecting its part into typed arrays (an aggregate function) that it hands back transferred, not copied.
 * bm25's statistics are table-wide, so the scores equal those of one query over the whole table.
 * An in-memory database, a one-core machine or a failed worker fall back to one query in this thread. The same workers
 * answer the server's heavy reads (EngineDialect.heavyRead).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { concatHitLists, type HitList } from './hit-list.ts';

const LIST = (ranked: boolean) =>
  ranked
    ? `select group_concat(rowid || ' ' || cast(round(-rank * 1000000) as integer), ' ') as list
         from recommendation_fts where recommendation_fts match ? and rank match 'bm25(1.0, 0.2)'`
    : `select group_concat(rowid, ' ') as list from recommendation_fts where recommendation_fts match ?`;

/** The hit-list statement in plain SQL (for benchmarks: what the engine does without the app's aggregate). */
export function hitListSql(ranked: boolean, ranged: boolean): string {
  return ranged ? `${LIST(ranked)} and rowid >= ? and rowid < ?` : LIST(ranked);
}

// the hit collector and the query, in plain JavaScript shared with the workers (sqlite-hits.mjs)
export { runHitList } from './sqlite-hits.mjs';

export interface HitRequest {
  id: number;
  match: string;
  ranked: boolean;
  range: [number, number];
}
/** A read of the server's off its thread (EngineDialect.heavyRead). */
export interface RowsRequest {
  id: number;
  sql: string;
  params: readonly unknown[];
}
export type HitReply = { id: number; hits: HitList } | { id: number; rows: unknown[] } | { id: number; error: string };

export class FtsWorkers {
  private workers: Worker[] | null = null;
  private broken = false;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (answer: never) => void; reject: (e: Error) => void }>();
  private next = 0;

  constructor(
    private readonly file: string,
    private readonly size = Math.min(2, os.availableParallelism()),
  ) {}

  /** False when queries should run in the calling thread instead. */
  get usable(): boolean {
    return !this.broken && this.size > 1;
  }

  private start(): Worker[] {
    if (this.workers) return this.workers;
    this.workers = Array.from({ length: this.size }, () => {
      // plain JavaScript, without the TypeScript loader (ts-worker.mjs): its thread cost each worker about 30 MB
      const w = new Worker(new URL('./sqlite-fts-worker.mjs', import.meta.url), { workerData: { file: this.file } });
      w.unref(); // kept alive only while it owes an answer (see hitList)
      w.on('message', (m: HitReply) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (this.pending.size === 0) for (const x of this.workers ?? []) x.unref();
        if ('error' in m) p?.reject(new Error(m.error));
        else p?.resolve(('hits' in m ? m.hits : m.rows) as never);
      });
      const fail = (err: Error) => {
        this.broken = true;
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      };
      w.on('error', fail);
      w.on('exit', (code) => code !== 0 && fail(new Error(`full-text worker stopped (exit code ${code})`)));
      return w;
    });
    return this.workers;
  }

  /** Every hit of `match`, the row id range [0, maxRowid] split evenly; the last part is open-ended. */
  async hitList(match: string, ranked: boolean, maxRowid: number): Promise<HitList> {
    const workers = this.start();
    const step = Math.ceil((maxRowid + 1) / workers.length);
    const parts = workers.map((w, k) => {
      const range: [number, number] = [k * step, k === workers.length - 1 ? Number.MAX_SAFE_INTEGER : (k + 1) * step];
      return this.ask<HitList>(w, (id) => ({ id, match, ranked, range }) satisfies HitRequest);
    });
    return concatHitLists(await Promise.all(parts));
  }

  /** The rows of one read, on the workers in turn. */
  rows(sql: string, params: readonly unknown[]): Promise<unknown[]> {
    const workers = this.start();
    return this.ask<unknown[]>(workers[this.next++ % workers.length]!, (id) => ({ id, sql, params }) satisfies RowsRequest);
  }

  /** Sends `w` a request numbered for its answer, and keeps it alive until then. */
  private ask<T>(w: Worker, request: (id: number) => HitRequest | RowsRequest): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.ref();
      w.postMessage(request(id));
    });
  }

  async close(): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = null;
    this.broken = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
