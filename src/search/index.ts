export { searchRoutes } from './search.routes.ts';
export { indexRecommendations, removeFromIndex, indexMissing, reindexAll, searchableText } from './search.index.ts';
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
