export { recordAudit, listAudit, type AuditEntry } from './audit.service.ts';
