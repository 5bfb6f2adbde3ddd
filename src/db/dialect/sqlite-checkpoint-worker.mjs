// The WAL's checkpoints of a SQLite database, off the server's thread (see sqlite-checkpoint.ts): a read-write
// connection of this thread's own runs a passive checkpoint (it waits for no one, and copies what no reader still needs)
// each time it is asked. Plain JavaScript, started without the TypeScript loader (sqlite-hits.mjs says why).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file, { fileMustExist: true });
parentPort.on('message', () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, ...result });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
