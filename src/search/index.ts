export { searchRoutes } from './search.routes.ts';
export { indexRecommendations, indexSources, analyseSource, removeFromIndex, indexMissing, reindexAll, reindexIfStale, notePipelineOfEmptyIndex, SEARCH_PIPELINE_VERSION, searchableText, type SearchColumns, type SearchSource } from './search.index.ts';
export { textSearch, highlightsFor, unionHitLists, type TextSearch, type Highlights } from './search.query.ts';
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
