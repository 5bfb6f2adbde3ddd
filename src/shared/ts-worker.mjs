// Entry of every worker thread: workers do not inherit tsx's loader, so register it here, then load the
// TypeScript module named by `workerData.entry` (a file URL).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
