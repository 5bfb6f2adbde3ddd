/** The postings worker's side (see chunkBytes, postgres-bulk.ts): a chunk's index rows in, their COPYs' bytes out. */
import { parentPort } from 'node:worker_threads';
import { chunkCopies, type ChunkRows } from './postgres-postings-copy.ts';

/** One chunk (its rows' ids follow its first one's in order). */
export type PostingsJob = ChunkRows;

/** `rows`: the index rows' text COPY; `postings`: their postings' binary COPY */
export type PostingsAnswer = { rows: Uint8Array; postings: Uint8Array } | { error: string };

// one job at a time: the pool (postgres-bulk.ts) sends the next only after this one's answer
if (parentPort) {
  const port = parentPort;
  port.on('message', (job: PostingsJob) => {
    try {
      const { rows, postings } = chunkCopies(job);
      // the bytes move to the import's thread without a copy (neither is from Node's shared buffer pool)
      port.postMessage({ rows, postings } satisfies PostingsAnswer, [rows.buffer as ArrayBuffer, postings.buffer as ArrayBuffer]);
    } catch (e) {
      port.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies PostingsAnswer);
    }
  });
}
