/**
 * `npm run bench -- <name> [args]`: import (issue 3), search (issue 4), cluster (UPR Info clustering study),
 * export (issue 12: the XLSX matrix and CSV), report (issue 12: a report's DOCX and PDF), plan (issue 11),
 * portal (issue 16: the public portal's pages under load),
 * tagger (issue 17: tag suggestions, leave-one-list-out and time-split figures, speed),
 * scale (issue 15: list, edits and imports at 10k–250k recommendations),
 * list-cpu (issue 15: in-process CPU per request of a list with a text query and two facets),
 * dup-match (issue 15: in-process CPU of the duplicate matching of an import into a filled register, and of the duplicates page),
 * edit-path (issue 15: in one process over an existing database, the first list after an edit against a warm one),
 * relevance (issue 13: nDCG@10 and recall@50 on a judged query set),
 * import-loop (issue 14: a CLI import on SQLite beside a running server, the server's event loop and latencies),
 * faults (issue 14: kill -9 of the server during imports, bulk assignments, plan imports and report exports),
 * log-read (issue 15: the register's read of its change log after a bulk import, PostgreSQL),
 * retrain (issues 15 and 17: a retraining of the tagger in a running server over a large register),
 * backup (issues 14 and 15: an admin's backup in a running server over a large register),
 * stall (issue 15: long requests, e.g. the matrix exports, in a running server over a large register, and the wait beside them),
 * clusters (issue 15: the cluster suggestion's algorithm over the first N recommendations of a large register: time, peak RSS, a digest).
 * Each benchmark prints JSON on stdout; progress goes to stderr.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCHES: Record<string, string> = {
  import: 'import.ts',
  search: 'search.ts',
  cluster: 'cluster-upr-info.ts',
  export: 'export.ts',
  report: 'report.ts',
  plan: 'plan.ts',
  portal: 'portal.ts',
  tagger: 'tagger.ts',
  scale: 'scale.ts',
  'list-cpu': 'list-cpu.ts',
  'dup-match': 'dup-match.ts',
  'edit-path': 'edit-path.ts',
  relevance: 'relevance.ts',
  'import-loop': 'import-loop.ts',
  fuzz: 'fuzz.ts',
  load: 'load.ts',
  faults: 'faults.ts',
  'log-read': 'log-read.ts',
  retrain: 'retrain.ts',
  backup: 'backup.ts',
  stall: 'stall.ts',
  clusters: 'clusters.ts',
};
const [name, ...args] = process.argv.slice(2);
const file = name ? BENCHES[name] : undefined;
if (!file) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [args]`);
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(here, file), ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
