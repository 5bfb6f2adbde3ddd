// Entry of the parse worker (parse-worker.ts, parse-worker-job.ts): worker threads do not inherit tsx's loader, so register it here.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker-job.ts');
