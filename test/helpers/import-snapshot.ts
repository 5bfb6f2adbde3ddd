/**
 * What an import stored, keyed by external id (ids and timestamps are the run's own), for comparing two databases
 * filled from the same file by different paths (the bulk path of a first import and the row path).
 */
import type { TestDatabase } from './engines.ts';

/** Every column an import writes, one row per recommendation, ordered by external id. */
export async function storedRecommendations(t: TestDatabase): Promise<unknown[]> {
  return t.db
    .selectFrom('recommendations as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .select([
      'r.external_id', 'd.symbol', 'r.paragraph', 'r.external_source', 'r.original_lang', 'r.text_ar', 'r.text_en', 'r.text_fr', 'r.kind', 'r.position',
      'r.position_source', 'r.recommending_states', 'r.status', 'r.priority', 'r.is_public', 'r.follow_up', 'r.due_date', 'r.notes', 'r.cluster_id', 'r.version',
    ])
    .orderBy('r.external_id')
    .execute();
}

/** "external id|term kind|term code" of every term link, sorted. */
export async function storedLinks(t: TestDatabase): Promise<string[]> {
  const rows = await t.db
    .selectFrom('recommendation_terms as rt')
    .innerJoin('recommendations as r', 'r.id', 'rt.recommendation_id')
    .innerJoin('terms as te', 'te.id', 'rt.term_id')
    .select(['r.external_id', 'te.kind', 'te.code'])
    .execute();
  return rows.map((r) => `${r.external_id}|${r.kind}|${r.code}`).sort();
}

/** "external id|terms|words" of every search-index row, sorted. */
export async function storedIndexRows(t: TestDatabase): Promise<string[]> {
  const rows = await t.db
    .selectFrom('recommendation_search as s')
    .innerJoin('recommendations as r', 'r.id', 's.recommendation_id')
    .select(['r.external_id', 's.terms', 's.words'])
    .execute();
  return rows.map((r) => `${r.external_id}|${r.terms}|${r.words}`).sort();
}
