export { recordAudit, AUDIT_ACTIONS } from './audit.service.js';
export type { AuditAction, AuditEntry } from './audit.service.js';
export { auditRouter } from './audit.routes.js';
