export { recordAudit, listAudit, searchAudit, type AuditEntry, type AuditSearch } from './audit.service.ts';
export { auditRoutes } from './audit.routes.ts';
export { auditEntrySchema, auditPageSchema } from './audit.schema.ts';
