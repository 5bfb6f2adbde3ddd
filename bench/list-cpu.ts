/**
 * In-process CPU time of the list with a text query and two facets (issue 15), over an existing database:
 * `searchRecommendationsJson` for 20 one-word queries (the first round searches, later rounds reuse the hits kept
 * per register version), then one query repeated. Prints a JSON line per round (wall and CPU ms per request, the
 * CPU from process.cpuUsage: all threads, the full-text workers included), which a loaded machine inflates less than
 * throughput. Run two codes side by side over the same database to compare them.
 *
 *   npm run bench -- list-cpu --db sqlite:/path/to.db [--rounds 3] [--repeat 300] [--profile out.cpuprofile]
 *
 * `--profile` writes a CPU profile of the repeated query (node:inspector).
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { parseDatabaseUrl } from '../src/config/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { listQuerySchema } from '../src/recommendations/recommendations.schema.ts';
import { searchRecommendationsJson } from '../src/recommendations/recommendations.service.ts';
import { registerIndex } from '../src/recommendations/register-index.ts';

const { values: args } = parseArgs({
  options: { db: { type: 'string' }, rounds: { type: 'string', default: '3' }, repeat: { type: 'string', default: '300' }, profile: { type: 'string' } },
});
if (!args.db) throw new Error('--db is required');
const database = createDb(parseDatabaseUrl(args.db));
const { db, dialect } = database;
const WORDS = ['torture', 'women', 'children', 'migrant', 'disabilities', 'judiciary', 'trafficking', 'death', 'education', 'violence', 'institution', 'legislation', 'moratorium', 'independence', 'resources', 'civil', 'domestic', 'inclusive', 'optional', 'principles'];
const t0 = performance.now();
await registerIndex(db, dialect).current();
process.stderr.write(`register built in ${Math.round(performance.now() - t0)} ms\n`);
const q = (w: string) => listQuerySchema.parse({ q: w, mechanism: 'TB', year: '2012,2013,2014,2015' });
const round2 = (x: number) => Math.round(x * 100) / 100;

async function run(label: string, words: string[]) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const w of words) {
    const c = process.cpuUsage();
    const t = performance.now();
    await searchRecommendationsJson(db, dialect, q(w));
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const mean = (xs: number[]) => round2(xs.reduce((a, b) => a + b, 0) / xs.length);
  const median = (xs: number[]) => round2([...xs].sort((a, b) => a - b)[xs.length >> 1]!);
  console.log(JSON.stringify({ label, requests: words.length, wallMean: mean(wall), wallMedian: median(wall), cpuMean: mean(cpu), cpuMedian: median(cpu), loadavg: fs.readFileSync('/proc/loadavg', 'utf8').trim() }));
}

for (let r = 0; r < Number(args.rounds); r++) await run(r === 0 ? 'one-word queries, searched' : `one-word queries, kept hits (round ${r + 1})`, WORDS);
const session = new Session();
if (args.profile) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
await run('the same query repeated', Array.from({ length: Number(args.repeat) }, () => 'torture'));
if (args.profile) {
  const { profile } = await session.post('Profiler.stop');
  fs.writeFileSync(args.profile, JSON.stringify(profile));
}
await database.destroy();
