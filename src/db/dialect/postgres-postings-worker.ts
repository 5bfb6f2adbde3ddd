/** The postings worker's side (see chunkBytes, postgres-bulk.ts): a chunk's index rows in, their COPYs' bytes out. */
import { parentPort } from 'node:worker_threads';
import { PostingsCopy, searchRowsCopy } from './postgres-postings-copy.ts';

/** One chunk: its first index row's id (the others follow in order), each row's recommendation, `terms`, `words` and time. */
export interface PostingsJob {
  firstId: number;
  ids: string[];
  terms: string[];
  words: string[];
  indexedAt: string[];
}

/** `rows`: the index rows' text COPY; `postings`: their postings' binary COPY */
export type PostingsAnswer = { rows: Uint8Array; postings: Uint8Array } | { error: string };

// one job at a time: the pool (postgres-bulk.ts) sends the next only after this one's answer
if (parentPort) {
  const port = parentPort;
  port.on('message', (job: PostingsJob) => {
    try {
      const copy = new PostingsCopy(job.terms.length * 2048);
      for (let i = 0; i < job.terms.length; i++) copy.add(job.firstId + i, job.terms[i]!, job.words[i]!);
      const postings = copy.end();
      const rows = searchRowsCopy(job.firstId, job.ids, job.terms, job.words, job.indexedAt);
      // the bytes move to the import's thread without a copy (neither is from Node's shared buffer pool)
      port.postMessage({ rows, postings } satisfies PostingsAnswer, [rows.buffer as ArrayBuffer, postings.buffer as ArrayBuffer]);
    } catch (e) {
      port.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies PostingsAnswer);
    }
  });
}
