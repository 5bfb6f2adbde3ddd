export { recommendationsRoutes } from './recommendations.routes.ts';
export { searchRecommendations, selectRecommendationIds, selectAndNarrow, queryPublished, getRecommendation, updateRecommendation, applyStatusChange, textHits } from './recommendations.service.ts';
export { curationRoutes } from './curation.routes.ts';
export { mergeRoutes } from './merge.routes.ts';
export { FACETS, facetValueSchema, listFiltersSchema, listQuerySchema, type ListFilters, type ListQuery } from './recommendations.schema.ts';
export { patchLimit, registerIndex, type FacetCount } from './register-index.ts';
export { matchesForNew, importedFieldsOf, type ImportedFields, type CandidatePair } from './merge.service.ts';
