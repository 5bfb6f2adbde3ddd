// Entry of every worker thread: workers do not inherit tsx's loader, so register it here, then load the
// TypeScript module named by `workerData.entry` (a file URL).
import { writeFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// The thread named after its entry (Linux, at most 15 bytes: "parse-worker-jo", "postgres-postin"), so that per-thread
// processor time (`top -H`, bench/import-child.ts) tells the workers apart; elsewhere, or if refused, left as it is.
try {
  writeFileSync('/proc/thread-self/comm', workerData.entry.split('/').pop().replace(/\.ts$/, '').slice(0, 15));
} catch {
  // not Linux
}
register();
await import(workerData.entry);
