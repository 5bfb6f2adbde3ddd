/** The postings worker's side (see postingsInWorker, postgres-bulk.ts): a chunk's index rows in, their postings' COPY bytes out. */
import { parentPort } from 'node:worker_threads';
import { PostingsCopy } from './postgres-postings-copy.ts';

/** One chunk: its first index row's id (the others follow in order) and each row's `terms` and `words`. */
export interface PostingsJob {
  firstId: number;
  terms: string[];
  words: string[];
}

export type PostingsAnswer = { bytes: Uint8Array } | { error: string };

// one job at a time: the pool (postgres-bulk.ts) sends the next only after this one's answer
if (parentPort) {
  const port = parentPort;
  port.on('message', (job: PostingsJob) => {
    try {
      const copy = new PostingsCopy(job.terms.length * 2048);
      for (let i = 0; i < job.terms.length; i++) copy.add(job.firstId + i, job.terms[i]!, job.words[i]!);
      const bytes = copy.end();
      // the bytes move to the import's thread without a copy (PostingsCopy never takes Node's shared buffer pool)
      port.postMessage({ bytes } satisfies PostingsAnswer, [bytes.buffer as ArrayBuffer]);
    } catch (e) {
      port.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies PostingsAnswer);
    }
  });
}
