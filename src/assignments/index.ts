export { assignmentsRoutes } from './assignments.routes.ts';
export { assign, listAssignments, getAssignment, findAssignment, removeAssignment, workspace, todayUtc, addDays, answeredSql } from './assignments.service.ts';
