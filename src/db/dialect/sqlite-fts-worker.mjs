// A full-text worker (see sqlite-fts.ts): answers hit-list parts, and heavy reads, from its own read-only connection. Plain JavaScript,
// started without the TypeScript loader (sqlite-hits.mjs says why).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { runHitList } from './sqlite-hits.mjs';

const db = new Database(workerData.file, { readonly: true });
db.pragma('busy_timeout = 5000');
const port = parentPort;
port.on('message', (m) => {
  let reply;
  try {
    // a read of the server's (EngineDialect.heavyRead), or a part of a hit list
    reply = 'sql' in m ? { id: m.id, rows: db.prepare(m.sql).all(...m.params) } : { id: m.id, hits: runHitList(db, m.match, m.ranked, m.range) };
  } catch (err) {
    reply = { id: m.id, error: err instanceof Error ? err.message : String(err) };
  }
  const transfer = 'hits' in reply ? [reply.hits.rowids.buffer, ...(reply.hits.scores ? [reply.hits.scores.buffer] : [])] : [];
  port.postMessage(reply, transfer);
});
