/**
 * In-process CPU time of the list with a text query and two facets (issue 15), over an existing database:
 * `searchRecommendationsJson` for 20 one-word queries (the first round searches, later rounds reuse the hits kept
 * per register version), then one query repeated, then each of the 20 searched right after a note was edited (what the
 * 50-user mix does: the register's version moves, the full-text index does not). Prints a JSON line per round (wall and CPU ms per request, the
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
import type { User } from '../src/db/schema.ts';
import { searchRecommendationsJson, updateRecommendation } from '../src/recommendations/recommendations.service.ts';
import { createUser } from '../src/users/index.ts';
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

/** Times each word's search (after `before`, untimed). */
async function run(label: string, words: string[], before?: () => Promise<void>) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const w of words) {
    await before?.();
    const c = process.cpuUsage();
    const t = performance.now();
    await searchRecommendationsJson(db, dialect, q(w));
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  report(label, wall, cpu);
}
function report(label: string, wall: number[], cpu: number[]) {
  const mean = (xs: number[]) => round2(xs.reduce((a, b) => a + b, 0) / xs.length);
  const median = (xs: number[]) => round2([...xs].sort((a, b) => a - b)[xs.length >> 1]!);
  console.log(JSON.stringify({ label, requests: wall.length, wallMean: mean(wall), wallMedian: median(wall), cpuMean: mean(cpu), cpuMedian: median(cpu), loadavg: fs.readFileSync('/proc/loadavg', 'utf8').trim() }));
}

for (let r = 0; r < Number(args.rounds); r++) await run(r === 0 ? 'one-word queries, searched' : `one-word queries, kept hits (round ${r + 1})`, WORDS);
// what the 50-user mix does between its searches: a curator edits a note, which moves the register's version (and so
// drops what is kept per version) but not the full-text index's content; the register's patch is done before timing
const coordinator = await db.selectFrom('users').select('id').where('role', '=', 'coordinator').limit(1).executeTakeFirst();
const actorId = coordinator?.id ?? (await createUser(db, { email: `list-cpu.${Date.now()}@bench.example`, password: 'Bench-Password-12345', role: 'coordinator', entityId: null })).id;
// the service reads only the actor's id (for the audit log)
const actor = { id: actorId } as User;
const edited = (await db.selectFrom('recommendations').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id;
async function editNote() {
  const { version } = await db.selectFrom('recommendations').select('version').where('id', '=', edited).executeTakeFirstOrThrow();
  await updateRecommendation(db, edited, { version, notes: `list-cpu ${performance.now()}` }, actor);
  await registerIndex(db, dialect).current();
}
await run('one-word queries, each after a note edited (register version moved, index unchanged)', WORDS, editNote);
await run('the same, again', WORDS, editNote);
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
