export { dashboardRoutes } from './dashboard.routes.ts';
export { homeSummary } from './dashboard.service.ts';
