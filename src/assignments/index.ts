export { assignmentsRoutes } from './assignments.routes.ts';
export { assign, listAssignments, getAssignment, findAssignment, removeAssignment, workspace, todayUtc, addDays, answeredSql } from './assignments.service.ts';
export { assignmentSchema, assignmentListSchema } from './assignments.schema.ts';
