/**
 * Worker threads kept warm between jobs. Starting one (src/shared/ts-worker.mjs loading a TypeScript entry) takes
 * most of a second or more, so a worker whose job ended cleanly stays, unreferenced (it never holds the process
 * open), for `idleMs`, and the next job takes it. A worker whose job did not end cleanly is ended.
 *
 * A lease carries the current job's handlers: `onMessage` for what the worker posts, `onDeath` if the thread errs
 * or exits (out of memory, terminated) while it holds the job. Used by the import's parse workers (parse-worker.ts)
 * and commit workers (commit-worker.ts).
 */
import { Worker } from 'node:worker_threads';

/**
 * The young generation of PostgreSQL's postings worker, in MB: 32 MB semi-spaces instead of V8's 16. With 16, its
 * batches of rows outlived a scavenge and were promoted, then collected by mark-compacts; `--max-semi-space-size=32`
 * cut the client's processor time of a first import by about a tenth (docs/PERFORMANCE.md). Not the parse worker's:
 * SQLite's import shares it, and its peak RSS at 250,000 went from 381-387 to 417 MB with it (the target is 400).
 */
export const WORKER_YOUNG_MB = 96;

export interface WorkerPoolOptions {
  /** the worker's TypeScript module */
  entry: URL;
  idleMs: number;
  /** idle workers kept at most */
  maxIdle: number;
  /** workers alive at most; a further `acquire` waits for one to be released or to die */
  maxLive?: number;
  /**
   * the young generation's size at most, in MB (`resourceLimits.maxYoungGenerationSizeMb`; absent: V8's own, 16 MB
   * semi-spaces): a worker that turns a stream of rows into short-lived objects promotes fewer of them, and so
   * collects less, with more room
   */
  youngMb?: number;
  /** why a worker died, from its 'error' event (`heapMb`: the limit it was started with) */
  errorDetail(e: Error & { code?: string }, heapMb: number | undefined): string;
  /** why a worker died, from its 'exit' event */
  exitDetail(code: number): string;
}

export interface Lease<M> {
  readonly worker: Worker;
  readonly heapMb: number | undefined;
  /** the current job's handlers; undefined while idle */
  onMessage?: (m: M) => void;
  onDeath?: (detail: string) => void;
  dead: boolean;
  idleTimer?: NodeJS.Timeout;
}

export class WorkerPool<M> {
  private readonly idle: Lease<M>[] = [];
  private live = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly o: WorkerPoolOptions) {}

  private spawn(heapMb: number | undefined): Lease<M> {
    const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), {
      workerData: { entry: this.o.entry.href },
      resourceLimits: { ...(heapMb ? { maxOldGenerationSizeMb: heapMb } : {}), ...(this.o.youngMb ? { maxYoungGenerationSizeMb: this.o.youngMb } : {}) },
    });
    const lease: Lease<M> = { worker, heapMb, dead: false };
    this.live += 1;
    const die = (detail: string) => {
      if (lease.dead) return;
      lease.dead = true;
      this.live -= 1;
      clearTimeout(lease.idleTimer);
      const i = this.idle.indexOf(lease);
      if (i >= 0) this.idle.splice(i, 1);
      lease.onDeath?.(detail);
      this.waiting.shift()?.();
    };
    worker.on('message', (m: M) => lease.onMessage?.(m));
    worker.on('error', (e: Error & { code?: string }) => die(this.o.errorDetail(e, heapMb)));
    worker.on('exit', (code) => die(this.o.exitDetail(code)));
    return lease;
  }

  /** A worker started with `heapMb` (undefined: no limit of its own): an idle one, or a new one when allowed. */
  async acquire(heapMb?: number): Promise<Lease<M>> {
    for (;;) {
      const i = this.idle.findIndex((w) => w.heapMb === heapMb);
      if (i >= 0) {
        const lease = this.idle.splice(i, 1)[0]!;
        clearTimeout(lease.idleTimer);
        lease.worker.ref();
        return lease;
      }
      if (this.live < (this.o.maxLive ?? Infinity)) return this.spawn(heapMb);
      if (this.idle.length) {
        // an idle worker with another heap limit: end it to make room
        void this.idle.shift()!.worker.terminate();
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** The job is over: keep the worker for the next one if it ended cleanly and there is room, else end it. */
  release(lease: Lease<M>, clean: boolean): void {
    lease.onMessage = undefined;
    lease.onDeath = undefined;
    if (lease.dead) return;
    if (!clean || this.idle.length >= this.o.maxIdle) {
      void lease.worker.terminate();
      return;
    }
    lease.worker.unref();
    lease.idleTimer = setTimeout(() => void lease.worker.terminate(), this.o.idleMs);
    lease.idleTimer.unref();
    this.idle.push(lease);
    this.waiting.shift()?.();
  }
}
