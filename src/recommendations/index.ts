export { recommendationsRoutes } from './recommendations.routes.ts';
export { searchRecommendations, selectRecommendationIds, selectAndNarrow, getRecommendation, updateRecommendation, applyStatusChange } from './recommendations.service.ts';
export { curationRoutes } from './curation.routes.ts';
export { FACETS, listFiltersSchema, type ListFilters } from './recommendations.schema.ts';
export { registerIndex } from './register-index.ts';
