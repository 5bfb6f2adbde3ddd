/**
 * The import worker's side (see commit-worker.ts): for each job it is sent, opens its own connection to the database
 * (a PostgreSQL pool of two), runs the job, posts progress and the outcome (or the coded failure), and closes the
 * connection before it answers, so that the database is left as any other finished writer leaves it.
 */
import { parentPort } from 'node:worker_threads';
import { createDb } from '../db/create-db.ts';
import { runImportJob, toFailure, type FromCommitWorker, type PreviewRecord, type ToCommitWorker } from './commit-worker.ts';

const port = parentPort!;
const post = (m: FromCommitWorker) => port.postMessage(m);

async function run(m: ToCommitWorker): Promise<FromCommitWorker> {
  const database = createDb(m.target, { poolMax: 2 });
  const preview: PreviewRecord[] = [];
  try {
    const outcome = await runImportJob(database.db, m.bulk ? database.dialect.bulkLoad : undefined, m.job, {
      preview,
      onBytes: (read) => post({ type: 'bytes', read }),
      onReport: (report) => post({ type: 'report', report }),
      onProgress: (processed) => post({ type: 'progress', processed }),
    });
    return { type: 'done', outcome, preview };
  } catch (err) {
    return { type: 'failed', failure: toFailure(err), preview };
  } finally {
    await database.destroy().catch(() => undefined);
  }
}

// one job at a time: the pool (commit-worker.ts) sends the next only after this one's last message
port.on('message', (m: ToCommitWorker) => {
  void run(m).then(post);
});
