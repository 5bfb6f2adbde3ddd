export { dashboardRoutes } from './dashboard.routes.ts';
export { homeSummary } from './dashboard.service.ts';
export { statusBy, overdueDashboard, trend, STATUS_DIMENSIONS, type StatusDimension } from './followup.service.ts';
