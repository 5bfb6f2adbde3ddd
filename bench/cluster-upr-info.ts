/**
 * Clusters one state's UPR Info recommendations across both cycles (default Egypt: 171 in cycle 1
 * and 321 in cycle 2 in upr-info-sessions-1-20.csv; Kuwait and Oman have only cycle 1 there), on
 * a fresh SQLite database through the import service and the suggestion job's code. Prints JSON:
 * counts, timing, size histogram, and 20 sample clusters (evenly spread over the list) with their
 * members' texts, for judging by hand.
 *
 *   npx tsx bench/cluster-upr-info.ts [--state Egypt] [--samples 20] [--threshold 0.5]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runSuggestion } from '../src/clusters/index.ts';
import { createDb } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { importRecords, parseFile, type ImportRecord } from '../src/imports/index.ts';

const { values: args } = parseArgs({
  options: { state: { type: 'string', default: 'Egypt' }, samples: { type: 'string', default: '20' }, threshold: { type: 'string' } },
});
const dataDir = process.env.RASD_SHARED_DATA ?? path.resolve(import.meta.dirname, '..', '..', 'shared', 'data');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-cluster-'));
const database = createDb({ engine: 'sqlite', file: path.join(dir, 'rasd.db') });
try {
  await migrateToLatest(database.db, 'sqlite');
  const all = await parseFile('upr-info-csv', path.join(dataDir, 'upr-info', 'upr-info-sessions-1-20.csv'));
  const state = args.state!.toLowerCase();
  async function* subset(): AsyncGenerator<ImportRecord> {
    for await (const r of all) if ((r.document.country ?? '').toLowerCase() === state) yield r;
  }
  const imported = await importRecords(database.db, subset(), { source: `cluster study ${args.state}` });
  const cycles = await database.db
    .selectFrom('recommendations as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .select(['d.upr_cycle', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('d.upr_cycle')
    .execute();
  const result = await runSuggestion(database.db, args.threshold ? { threshold: Number(args.threshold) } : {}, { jobId: null, actorId: null });
  const clusters = await database.db
    .selectFrom('clusters as c')
    .innerJoin('recommendations as r', 'r.cluster_id', 'c.id')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .select(['c.id', 'c.title_en', 'c.similarity_pct', 'r.text_en', 'r.paragraph', 'd.upr_cycle', 'r.recommending_states'])
    .orderBy('c.id')
    .execute();
  const byCluster = new Map<string, typeof clusters>();
  for (const row of clusters) byCluster.set(row.id, [...(byCluster.get(row.id) ?? []), row]);
  const list = [...byCluster.values()].sort((a, b) => b.length - a.length || a[0]!.id.localeCompare(b[0]!.id));
  const sizes: Record<string, number> = {};
  for (const c of list) sizes[String(c.length)] = (sizes[String(c.length)] ?? 0) + 1;
  const n = Math.min(Number(args.samples), list.length);
  const samples = Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]!).map((c, i) => ({
    sample: i + 1,
    size: c.length,
    similarity_pct: c[0]!.similarity_pct,
    cycles: [...new Set(c.map((m) => m.upr_cycle))].sort(),
    title: c[0]!.title_en,
    members: c.map((m) => `[c${m.upr_cycle}] ${(m.text_en ?? '').slice(0, 160)} (${(JSON.parse(m.recommending_states) as string[]).join(', ')})`),
  }));
  console.log(
    JSON.stringify(
      {
        state: args.state,
        imported: imported.new,
        byCycle: Object.fromEntries(cycles.map((c) => [String(c.upr_cycle), Number(c.n)])),
        run: result,
        clusters: list.length,
        crossCycleClusters: list.filter((c) => new Set(c.map((m) => m.upr_cycle)).size > 1).length,
        sizeHistogram: sizes,
        samples,
      },
      null,
      2,
    ),
  );
} finally {
  await database.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}
