/**
 * SQLite full-text hit lists, in parallel: the FTS5 query is split by row id range across worker threads,
 * each with its own read-only connection to the database file (WAL: readers see every committed write),
 * and each parsing its part (hit-list.ts) before handing back the typed arrays (transferred, not copied).
 * bm25's statistics are table-wide, so the scores equal those of one query over the whole table.
 * An in-memory database, a one-core machine or a failed worker fall back to one query in this thread.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { concatHitLists, parseHitList, type HitList } from './hit-list.ts';

const LIST = (ranked: boolean) =>
  ranked
    ? `select group_concat(rowid || ' ' || cast(round(-rank * 1000000) as integer), ' ') as list
         from recommendation_fts where recommendation_fts match ? and rank match 'bm25(1.0, 0.2)'`
    : `select group_concat(rowid, ' ') as list from recommendation_fts where recommendation_fts match ?`;

/** The hit-list statement (group_concat runs in the engine: one string instead of one JS row per hit). */
export function hitListSql(ranked: boolean, ranged: boolean): string {
  return ranged ? `${LIST(ranked)} and rowid >= ? and rowid < ?` : LIST(ranked);
}

/** Runs one part on a connection (the worker's, or the main one). */
export function runHitList(db: Database.Database, match: string, ranked: boolean, range?: [number, number]): HitList {
  const row = db.prepare(hitListSql(ranked, Boolean(range))).get(match, ...(range ?? [])) as { list: string | null } | undefined;
  return parseHitList(row?.list ?? '', ranked);
}

export interface HitRequest {
  id: number;
  match: string;
  ranked: boolean;
  range: [number, number];
}
export type HitReply = { id: number; hits: HitList } | { id: number; error: string };

export class FtsWorkers {
  private workers: Worker[] | null = null;
  private broken = false;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (h: HitList) => void; reject: (e: Error) => void }>();

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
    const entry = new URL('./sqlite-fts-worker.ts', import.meta.url).href;
    this.workers = Array.from({ length: this.size }, () => {
      const w = new Worker(new URL('../../shared/ts-worker.mjs', import.meta.url), { workerData: { entry, file: this.file } });
      w.unref(); // kept alive only while it owes an answer (see hitList)
      w.on('message', (m: HitReply) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (this.pending.size === 0) for (const x of this.workers ?? []) x.unref();
        if ('error' in m) p?.reject(new Error(m.error));
        else p?.resolve(m.hits);
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
      const id = ++this.seq;
      const range: [number, number] = [k * step, k === workers.length - 1 ? Number.MAX_SAFE_INTEGER : (k + 1) * step];
      return new Promise<HitList>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        w.ref();
        w.postMessage({ id, match, ranked, range } satisfies HitRequest);
      });
    });
    return concatHitLists(await Promise.all(parts));
  }

  async close(): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = null;
    this.broken = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
