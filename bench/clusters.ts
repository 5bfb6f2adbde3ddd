/**
 * `npm run bench -- clusters --from FILE.db --sizes 20000,50000,250000` (issue 15): the cluster suggestion's algorithm
 * (`suggestClusters`, what "Suggest clusters" runs in the server's process) over the first N recommendations (by id) of
 * a SQLite database, e.g. the one the scale benchmark filled. Each size runs in a child process of its own, so that its
 * peak RSS (`process.resourceUsage().maxRSS`) is its own. Prints JSON per size: the texts' read, the algorithm's wall
 * and processor time (the pairs' search, then their ordering and the merges), peak RSS, the longest the thread was held
 * at a stretch (the event loop's longest delay), the clusters found and a digest of them (the sorted member lists), so
 * that two versions of the algorithm can be compared on the same input.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { suggestClusters } from '../src/clusters/index.ts';
import { createDb } from '../src/db/create-db.ts';

const { values: args } = parseArgs({ options: { from: { type: 'string' }, sizes: { type: 'string', default: '20000' }, size: { type: 'string' } } });
if (!args.from) throw new Error('--from FILE.db (a SQLite database holding recommendations)');

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const peakRssMb = () => round(process.resourceUsage().maxRSS / 1024);

if (args.size) {
  const n = Number(args.size);
  const database = createDb({ engine: 'sqlite', file: args.from });
  const t0 = performance.now();
  const docs = await database.db.selectFrom('recommendations').select(['id', 'text_ar', 'text_en', 'text_fr']).orderBy('id').limit(n).execute();
  await database.destroy();
  const rssBefore = peakRssMb();
  const t1 = performance.now();
  const cpu = process.cpuUsage();
  // how long the thread was held at a stretch: the run is a job in the server's process, whose other requests wait
  const held = monitorEventLoopDelay({ resolution: 10 });
  held.enable();
  let lastProgress = 0;
  let compared = 0;
  const clusters = await suggestClusters(docs, {
    onProgress: (done, total) => {
      if (done === total) compared = performance.now();
      if (performance.now() - lastProgress < 10_000) return;
      lastProgress = performance.now();
      process.stderr.write(`[clusters] ${n}: comparing ${done} of ${total}, ${round((performance.now() - t1) / 1000)} s\n`);
    },
  });
  const t2 = performance.now();
  held.disable();
  const used = process.cpuUsage(cpu);
  const lists = clusters.map((c) => [...c.members].sort().join(',')).sort();
  console.log(
    JSON.stringify({
      size: n,
      recommendations: docs.length,
      read_ms: Math.round(t1 - t0),
      peak_rss_mb_after_read: rssBefore,
      cluster_s: round((t2 - t1) / 1000, 2),
      // of which the pairs' search (the progress' last "comparing"), then their ordering and the merges
      comparing_s: round((compared - t1) / 1000, 2),
      after_comparing_s: round((t2 - compared) / 1000, 2),
      cluster_cpu_s: round((used.user + used.system) / 1e6, 2),
      peak_rss_mb: peakRssMb(),
      longest_hold_ms: round(held.max / 1e6),
      clusters: clusters.length,
      clustered: clusters.reduce((s, c) => s + c.members.length, 0),
      largest: clusters[0]?.members.length ?? 0,
      digest: createHash('sha1').update(lists.join('\n')).digest('hex').slice(0, 16),
    }),
  );
} else {
  const out = [];
  for (const size of args.sizes.split(',')) {
    process.stderr.write(`[clusters] ${size} recommendations from ${args.from}\n`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--from', args.from, '--size', size], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`size ${size}: exit ${r.status}`);
    out.push(JSON.parse(r.stdout.trim().split('\n').pop()!));
  }
  console.log(JSON.stringify({ from: args.from, load: os.loadavg().map((x) => round(x, 2)), runs: out }, null, 1));
}
