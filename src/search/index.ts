export { searchRoutes } from './search.routes.ts';
export { indexRecommendations, indexSources, analyseSource, removeFromIndex, indexMissing, reindexAll, searchableText, type SearchColumns, type SearchSource } from './search.index.ts';
export { textSearch, highlightsFor, type TextSearch, type Highlights } from './search.query.ts';
export { similarRecommendations, type SimilarItem } from './similar.service.ts';
export {
  termCounts,
  documentFrequencies,
  unitVectors,
  similarity,
  cosine,
  idf,
  SIM_LANGS,
  type TermCounts,
  type UnitVectors,
  type TextsByLang,
  type SimLang,
} from './similarity.ts';
