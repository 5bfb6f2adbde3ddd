export { recommendationsRoutes } from './recommendations.routes.ts';
export { searchRecommendations, selectRecommendationIds, selectAndNarrow, getRecommendation, updateRecommendation, applyStatusChange } from './recommendations.service.ts';
export { curationRoutes } from './curation.routes.ts';
export { mergeRoutes } from './merge.routes.ts';
export { FACETS, listFiltersSchema, type ListFilters } from './recommendations.schema.ts';
export { matchesForNew, importedFieldsOf, type ImportedFields, type CandidatePair } from './merge.service.ts';
