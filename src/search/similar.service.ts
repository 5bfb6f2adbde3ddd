/**
 * "Similar recommendations": candidates from the full-text index (any of the recommendation's
 * rarest content terms, ranked by the engine), re-ranked in JS by TF-IDF cosine in the
 * best shared language (see similarity.ts), with document frequencies taken over the candidate
 * pool. Works across mechanisms, cycles and languages (bilingual texts bridge Arabic and English).
 */
import type { Kysely } from 'kysely';
import type { SearchDialect } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import { notFound } from '../shared/errors.ts';
import type { QueryClause } from '../text/index.ts';
import { documentFrequencies, SIM_LANGS, similarity, termCounts, unitVectors } from './similarity.ts';
import { recommendationsWithSource } from '../db/recommendation-source.ts';

const CANDIDATES = 200;
/**
 * The candidate query: at most this many words, holding at most ROW_BUDGET index rows together (counted up to
 * DF_CAP each), so that its cost stays bounded in a large register.
 */
const QUERY_TERMS = 16;
const ROW_BUDGET = 20_000;
const DF_CAP = 20_000;

export interface SimilarItem {
  id: string;
  score: number;
  paragraph: string | null;
  text_ar: string | null;
  text_en: string | null;
  text_fr: string | null;
  status: string;
  cluster_id: string | null;
  document_symbol: string;
  upr_cycle: number | null;
  body_code: string;
  mechanism_code: string;
}

function details(db: Kysely<DB>, ids: string[]) {
  return recommendationsWithSource(db)
    .select([
      'r.id',
      'r.paragraph',
      'r.text_ar',
      'r.text_en',
      'r.text_fr',
      'r.status',
      'r.cluster_id',
      'd.symbol as document_symbol',
      'd.upr_cycle',
      'b.code as body_code',
      'm.code as mechanism_code',
    ])
    .where('r.id', 'in', ids)
    .execute();
}

export async function similarRecommendations(
  db: Kysely<DB>,
  search: SearchDialect,
  id: string,
  opts: { limit?: number; minScore?: number } = {},
): Promise<{ items: SimilarItem[] }> {
  const limit = opts.limit ?? 10;
  const minScore = opts.minScore ?? 0.1;
  const [source] = await details(db, [id]);
  if (!source) throw notFound('Recommendation');
  const counts = termCounts(source);
  // Query: the recommendation's rarest words in the index that some other recommendation also holds (the more
  // often a word repeats in the text, the earlier among equals); the engine's ranking and the re-ranking do the rest.
  const tf = new Map<string, number>();
  for (const lang of SIM_LANGS) for (const [t, c] of counts[lang] ?? []) tf.set(t, (tf.get(t) ?? 0) + c);
  const held = await search.documentCounts(db, [...tf.keys()], DF_CAP);
  const rarest = [...held]
    .filter(([, n]) => n > 1)
    .sort(([a, x], [b, y]) => x - y || tf.get(b)! - tf.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  // The engine ranks every row holding any of them: their row counts together stay within a budget.
  const chosen: string[] = [];
  let budget = ROW_BUDGET;
  for (const [t, n] of rarest) {
    if (chosen.length === QUERY_TERMS || (chosen.length > 0 && n > budget)) break;
    chosen.push(t);
    budget -= n;
  }
  if (chosen.length === 0) return { items: [] };
  const clauses: QueryClause[] = chosen.map((term) => ({ kind: 'term', term }));
  // The best-ranked rows holding any of them (ties by row id), as recommendations other than this one.
  const hits = await search.hitList(db, { clauses }, true, 'any');
  const order = [...hits.rowids.keys()].sort((a, b) => hits.scores![b]! - hits.scores![a]! || hits.rowids[a]! - hits.rowids[b]!);
  const rowids = order.slice(0, CANDIDATES + 1).map((k) => hits.rowids[k]!);
  const found = rowids.length
    ? await db.selectFrom('recommendation_search').select(['search_rowid', 'recommendation_id']).where('search_rowid', 'in', rowids).execute()
    : [];
  const idOf = new Map(found.map((r) => [Number(r.search_rowid), r.recommendation_id]));
  const candidates = rowids
    .map((r) => idOf.get(r))
    .filter((c): c is string => c !== undefined && c !== id)
    .slice(0, CANDIDATES);
  if (candidates.length === 0) return { items: [] };
  const rows = await details(db, candidates);
  const pool = rows.map((r) => ({ row: r, counts: termCounts(r) }));
  const df = documentFrequencies([counts, ...pool.map((p) => p.counts)]);
  const n = pool.length + 1;
  const sv = unitVectors(counts, df, n);
  const scored = pool
    .map((p) => ({ ...p.row, score: Math.round(similarity(sv, unitVectors(p.counts, df, n)) * 1000) / 1000 }))
    .filter((r) => r.score >= minScore)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  return { items: scored.slice(0, limit) };
}
