/**
 * The WAL's checkpoints off the server's thread. SQLite copies the WAL back into the database file at the commit that
 * leaves it over 1,000 pages, on the committing connection: the server's writer, whose thread answers every request.
 * After a large transaction that copy held everyone: the save of a whole register's suggested clusters (250,000
 * recommendations) committed in 507 ms, 74 ms of it the commit and the rest its checkpoint of 128 MB. So the writer
 * never checkpoints; after each commit that leaves the WAL over the same size, a worker thread with a connection of its
 * own does (a passive checkpoint: it waits for no one). The WAL is cut back to that size when SQLite starts it again, so
 * its file's size tells how much was written since. If the worker cannot run, the writer checkpoints as before.
 * Connections opened in a worker thread (an import's commit worker) keep SQLite's own checkpoints: they hold no one.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** SQLite's own threshold: 1,000 pages of 4 KB */
export const WAL_CHECKPOINT_BYTES = 4 * 1024 * 1024;

type Reply = { ok: true; busy: number; log: number; checkpointed: number } | { ok: false; message: string };

export class WalCheckpoints {
  private worker: Worker | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly file: string,
    private readonly writer: Database.Database,
  ) {
    writer.pragma(`journal_size_limit = ${WAL_CHECKPOINT_BYTES}`);
    writer.pragma('wal_autocheckpoint = 0');
  }

  /** After a commit of the writer's: a checkpoint if the WAL has grown past the threshold (one at a time). */
  committed(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    let size = 0;
    try {
      size = fs.statSync(`${this.file}-wal`).size;
    } catch {
      return; // no WAL (yet)
    }
    if (size <= WAL_CHECKPOINT_BYTES) return;
    this.running = true;
    this.again = false;
    const w = this.start();
    w.ref();
    w.postMessage(null);
  }

  /** Resolves when no checkpoint is running (tests, benchmarks). */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** After the one running, if any: a command that exits leaves its WAL copied back, and its time includes the copy. */
  async close(): Promise<void> {
    await this.idle();
    this.stopped = true;
    const w = this.worker;
    this.worker = null;
    this.settled();
    await w?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./sqlite-checkpoint-worker.mjs', import.meta.url), { workerData: { file: this.file } });
    w.unref();
    w.on('message', (reply: Reply) => {
      w.unref();
      this.running = false;
      if (!reply.ok) process.emitWarning(`WAL checkpoint failed: ${reply.message}`);
      if (this.again) this.committed();
      if (!this.running) this.settled();
    });
    const fail = (err: Error) => {
      if (this.stopped) return;
      this.stopped = true;
      this.worker = null;
      process.emitWarning(`WAL checkpoints back on the server's thread: ${err.message}`);
      try {
        this.writer.pragma('wal_autocheckpoint = 1000');
      } catch {
        // the writer is closed: nothing to checkpoint for
      }
      this.settled();
    };
    w.on('error', fail);
    w.on('exit', (code) => code !== 0 && fail(new Error(`checkpoint worker stopped (exit code ${code})`)));
    this.worker = w;
    return w;
  }

  private settled(): void {
    this.running = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
