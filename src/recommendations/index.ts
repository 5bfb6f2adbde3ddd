export { recommendationsRoutes } from './recommendations.routes.ts';
export { searchRecommendations, getRecommendation, updateRecommendation } from './recommendations.service.ts';
