// The copy of a SQLite backup's snapshot (see sqlite-backup.ts): SQLite's online backup from a read-only connection of
// this thread's own into `target`, all pages in one step, so inside one read transaction: a consistent copy as of one
// commit that never starts again, however much the server writes meanwhile, and that never holds the server's thread.
// Plain JavaScript, started without the TypeScript loader (sqlite-hits.mjs says why).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

try {
  const source = new Database(workerData.file, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(workerData.target, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  parentPort.postMessage({ ok: true });
} catch (err) {
  parentPort.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
}
