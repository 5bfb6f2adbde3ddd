/**
 * "Similar recommendations": candidates from the full-text index (any of the recommendation's
 * most distinctive content terms, ranked by the engine), re-ranked in JS by TF-IDF cosine in the
 * best shared language (see similarity.ts), with document frequencies taken over the candidate
 * pool. Works across mechanisms, cycles and languages (bilingual texts bridge Arabic and English).
 */
import { sql, type Kysely } from 'kysely';
import type { SearchDialect } from '../db/dialect/types.ts';
import type { DB } from '../db/schema.ts';
import { notFound } from '../server/errors.ts';
import { MAX_CLAUSES, type QueryClause } from '../text/index.ts';
import { documentFrequencies, SIM_LANGS, similarity, termCounts, unitVectors } from './similarity.ts';

const CANDIDATES = 200;

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
  return db
    .selectFrom('recommendations as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .innerJoin('bodies as b', 'b.id', 'd.body_id')
    .innerJoin('mechanisms as m', 'm.id', 'b.mechanism_id')
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
  // Query terms: the longest distinct stems of every language held (length is a cheap proxy
  // for distinctiveness; the engine's ranking and the re-ranking do the rest).
  const terms = new Set<string>();
  for (const lang of SIM_LANGS) for (const t of counts[lang]?.keys() ?? []) terms.add(t);
  const chosen = [...terms].sort((a, b) => b.length - a.length || a.localeCompare(b)).slice(0, MAX_CLAUSES);
  if (chosen.length === 0) return { items: [] };
  const clauses: QueryClause[] = chosen.map((term) => ({ kind: 'term', term }));
  const hits = search.hits({ clauses }, 'any');
  const candidates = await db
    .selectFrom(hits.as('h'))
    .select(['h.recommendation_id'])
    .where('h.recommendation_id', '<>', id)
    .orderBy(sql`h.score`, 'desc')
    .orderBy('h.recommendation_id')
    .limit(CANDIDATES)
    .execute();
  if (candidates.length === 0) return { items: [] };
  const rows = await details(db, candidates.map((c) => c.recommendation_id));
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
