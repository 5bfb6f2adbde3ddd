import {
  CompiledQuery,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDatabase,
  type SqliteStatement,
} from 'kysely';
import { AppError } from '../../shared/errors.ts';

/**
 * SQLite for Kysely with two connections to the database file. Reads outside a transaction run on a reader
 * connection; transactions and writes run on the writer, one at a time, the others waiting their turn without
 * blocking the event loop. In WAL mode the reader sees every committed write and is never held up by the
 * writer, so a long transaction (an import of a large file) no longer stalls every other request: they read
 * the data as committed before it, and their writes follow it.
 *
 * `settle` is called whenever written data has been committed (ChangeCounter.settle): a value built in the
 * meantime from the reader holds the data as before the commit and must be built again.
 *
 * Another process may hold the database's write lock for a long time (a `rasd import` from the command line writes a
 * whole file in one transaction). SQLite's own busy handler would then wait for it inside the call, on the event
 * loop, freezing every request for up to `busy_timeout`. So the writer has no busy timeout (sqlite.ts): a write that
 * finds the lock taken (SQLITE_BUSY) is tried again after a timer, leaving the event loop free, until
 * `BUSY_WAIT_MS`, then refused with a coded 503 (`database_busy`). Transactions begin IMMEDIATE, so that the lock is
 * taken (and waited for this way) at their start rather than at their first write, where a deferred transaction
 * whose snapshot is older than the other process's commit could not proceed at all.
 */
export class ReadWriteSqliteDialect extends SqliteDialect {
  /** the writer's turn, shared by every driver of this dialect and by `holdWriter` */
  private readonly writerLock = new Lock();

  constructor(private readonly connections: { reader: SqliteDatabase; writer: SqliteDatabase; settle: () => void }) {
    super({ database: connections.writer });
  }

  override createDriver(): Driver {
    return new ReadWriteDriver(this.connections.reader, this.connections.writer, this.connections.settle, this.writerLock);
  }

  /**
   * Runs `fn` in the writer's turn: this process's own writes and transactions wait for it as they wait for one
   * another (never failing with `database_busy` after BUSY_WAIT_MS), while reads go on. For a write made by another
   * connection of this process that holds the database's write lock meanwhile (an import's worker thread).
   */
  async holdWriter<T>(fn: () => Promise<T>): Promise<T> {
    await this.writerLock.lock();
    try {
      return await fn();
    } finally {
      this.writerLock.unlock();
      this.connections.settle();
    }
  }
}

class Lock {
  private held: Promise<void> | null = null;
  private free: (() => void) | null = null;
  async lock(): Promise<void> {
    while (this.held) await this.held;
    this.held = new Promise((resolve) => (this.free = resolve));
  }
  unlock(): void {
    const free = this.free;
    this.held = null;
    this.free = null;
    free?.();
  }
}

function execute(statement: SqliteStatement, parameters: readonly unknown[]): QueryResult<unknown> {
  if (statement.reader) return { rows: statement.all(parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

const READ = /^\s*(?:select|with)\b/i;

/** How long a write waits for another process's write lock before `database_busy`. */
export const BUSY_WAIT_MS = 30_000;
const isBusy = (err: unknown) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SQLITE_BUSY';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` (a statement on the writer), again after a timer while another process holds the write lock. */
async function whenUnlocked<T>(fn: () => T, busyWaitMs: number): Promise<T> {
  const deadline = Date.now() + busyWaitMs;
  for (let pause = 2; ; pause = Math.min(pause * 2, 100)) {
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err)) throw err;
      if (Date.now() >= deadline) {
        throw new AppError(503, 'database_busy', 'The database is busy with a long write of another process (for example an import from the command line). Try again in a moment.');
      }
      await sleep(pause);
    }
  }
}

class ReadWriteDriver implements Driver {
  constructor(
    private readonly reader: SqliteDatabase,
    private readonly writer: SqliteDatabase,
    private readonly settle: () => void,
    private readonly writerLock: Lock,
    private readonly busyWaitMs = BUSY_WAIT_MS,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Handle(this);
  }

  /** The query on the reader, if it is a plain read: a SELECT (or WITH … SELECT) that SQLite says writes nothing. */
  private onReader(sql: string): SqliteStatement | null {
    if (!READ.test(sql)) return null;
    const statement = this.reader.prepare(sql) as SqliteStatement & { readonly?: boolean };
    return statement.readonly === true ? statement : null;
  }

  /** Outside a transaction: a read on the reader; anything else on the writer in its turn. */
  async run(handle: Handle, query: CompiledQuery): Promise<QueryResult<unknown>> {
    if (handle.ownsWriter) return whenUnlocked(() => execute(this.writer.prepare(query.sql), query.parameters), this.busyWaitMs);
    const read = this.onReader(query.sql);
    if (read) return execute(read, query.parameters);
    await this.writerLock.lock();
    try {
      return await whenUnlocked(() => execute(this.writer.prepare(query.sql), query.parameters), this.busyWaitMs);
    } finally {
      this.writerLock.unlock();
      this.settle();
    }
  }

  async *stream(handle: Handle, query: CompiledQuery): AsyncIterableIterator<QueryResult<unknown>> {
    const statement = handle.ownsWriter ? this.writer.prepare(query.sql) : this.onReader(query.sql);
    if (!statement) throw new Error('Only reads can be streamed outside a transaction');
    for (const row of statement.iterate(query.parameters)) yield { rows: [row] };
  }

  async beginTransaction(handle: Handle): Promise<void> {
    await this.writerLock.lock();
    handle.ownsWriter = true;
    try {
      await this.run(handle, CompiledQuery.raw('begin immediate'));
    } catch (err) {
      this.release(handle);
      throw err;
    }
  }

  async commitTransaction(handle: Handle): Promise<void> {
    await this.run(handle, CompiledQuery.raw('commit')); // if it fails, Kysely rolls back, which releases the writer
    this.release(handle);
    this.settle();
  }

  async rollbackTransaction(handle: Handle): Promise<void> {
    try {
      await this.run(handle, CompiledQuery.raw('rollback'));
    } finally {
      this.release(handle);
    }
  }

  async releaseConnection(handle: Handle): Promise<void> {
    this.release(handle);
  }

  private release(handle: Handle): void {
    if (!handle.ownsWriter) return;
    handle.ownsWriter = false;
    this.writerLock.unlock();
  }

  async destroy(): Promise<void> {
    this.reader.close();
    this.writer.close();
  }
}

/** What Kysely holds as "a connection": the writer while it runs a transaction, otherwise nothing of its own. */
class Handle implements DatabaseConnection {
  ownsWriter = false;
  constructor(private readonly driver: ReadWriteDriver) {}
  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.run(this, query) as Promise<QueryResult<R>>;
  }
  streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.driver.stream(this, query) as AsyncIterableIterator<QueryResult<R>>;
  }
}
