export { recommendationsRoutes } from './recommendations.routes.ts';
export { searchRecommendations, selectRecommendationIds, getRecommendation, updateRecommendation, applyStatusChange } from './recommendations.service.ts';
export { curationRoutes } from './curation.routes.ts';
export { listFiltersSchema, type ListFilters } from './recommendations.schema.ts';
