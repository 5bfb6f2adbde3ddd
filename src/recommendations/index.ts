export { recommendationsRoutes } from './recommendations.routes.ts';
export { searchRecommendations, getRecommendation, updateRecommendation, applyStatusChange } from './recommendations.service.ts';
export { curationRoutes } from './curation.routes.ts';
