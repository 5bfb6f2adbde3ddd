/**
 * `npm run bench -- relevance [--expand on|off] [--engine sqlite|postgres]`: search quality on a judged query set
 * (test/relevance/kuwait-queries.json: 64 Arabic and English queries judged by reading Kuwait's 168 UPR Info rows,
 * which are in English only). Imports those rows into a fresh database, runs every query through the register's own
 * search (relevance order) and prints nDCG@10 and recall@50 as JSON, overall and per language. `--expand off` turns
 * the glossary's query expansion off (the search as it was before the glossary).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDb } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { importRecords, parseFile } from '../src/imports/index.ts';
import { searchRecommendations } from '../src/recommendations/index.ts';
import { ndcgAt, recallAt } from './relevance-metrics.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { expand: { type: 'string', default: 'on' }, engine: { type: 'string', default: 'sqlite' } } });
const shared = process.env.RASD_SHARED_DATA ?? path.resolve(here, '..', '..', 'shared', 'data');
const csv = path.join(shared, 'upr-info', 'upr-info-sessions-1-20.csv');
if (!fs.existsSync(csv)) {
  console.error(`relevance: the shared data is missing (${csv})`);
  process.exit(1);
}
interface Judged {
  id: string;
  lang: 'ar' | 'en';
  q: string;
  relevant: string[];
}
const set = JSON.parse(fs.readFileSync(path.join(here, '..', 'test', 'relevance', 'kuwait-queries.json'), 'utf8')) as { queries: Judged[] };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rasd-relevance-'));
const target =
  values.engine === 'postgres'
    ? { engine: 'postgres' as const, url: process.env.DATABASE_URL ?? '' }
    : { engine: 'sqlite' as const, file: path.join(tmp, 'relevance.db') };
if (target.engine === 'postgres' && !target.url) {
  console.error('relevance: --engine postgres needs DATABASE_URL (an empty database)');
  process.exit(2);
}
const database = createDb(target as never);
try {
  const { db, dialect } = database;
  await migrateToLatest(db, dialect.engine);
  const parsed = await parseFile('upr-info-csv', csv, { worker: false });
  async function* kuwait() {
    for await (const r of parsed) if (r.document.country === 'Kuwait') yield r;
  }
  await importRecords(db, kuwait(), { source: 'bench' });
  const recs = await db.selectFrom('recommendations').select(['id', 'text_en']).execute();
  const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
  const per: { id: string; lang: string; q: string; ndcg10: number; recall50: number; relevant: number; found50: number }[] = [];
  for (const j of set.queries) {
    const relevant = new Set(recs.filter((r) => j.relevant.some((p) => norm(r.text_en).startsWith(p))).map((r) => r.id));
    if (relevant.size < j.relevant.length) throw new Error(`${j.id}: a judged text is not in the register`);
    const query = { q: j.q, page: 1, pageSize: 50, order: 'desc' as const, sort: 'relevance' as const, ...(values.expand === 'off' ? { expand: '0' as const } : {}) };
    const res = await searchRecommendations(db, dialect, query as never);
    const ranked = res.items.map((i: { id: string }) => i.id);
    per.push({ id: j.id, lang: j.lang, q: j.q, ndcg10: ndcgAt(ranked, relevant, 10), recall50: recallAt(ranked, relevant, 50), relevant: relevant.size, found50: ranked.filter((x: string) => relevant.has(x)).length });
  }
  const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)) * 1000) / 1000;
  const summary = (lang?: string) => {
    const xs = per.filter((p) => !lang || p.lang === lang);
    return { queries: xs.length, ndcg10: mean(xs.map((p) => p.ndcg10)), recall50: mean(xs.map((p) => p.recall50)) };
  };
  console.log(
    JSON.stringify(
      {
        bench: 'relevance',
        engine: dialect.engine,
        expand: values.expand !== 'off',
        corpus: `${recs.length} Kuwait rows of the UPR Info export (English only)`,
        all: summary(),
        en: summary('en'),
        ar: summary('ar'),
        perQuery: per.map((p) => ({ ...p, ndcg10: Math.round(p.ndcg10 * 1000) / 1000, recall50: Math.round(p.recall50 * 1000) / 1000 })),
      },
      null,
      1,
    ),
  );
} finally {
  await database.destroy();
  fs.rmSync(tmp, { recursive: true, force: true });
}
