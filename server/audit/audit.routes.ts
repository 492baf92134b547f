import { Router } from 'express';
import { requirePermission } from '../access/index.js';
import { AUDIT_ACTIONS } from './audit.service.js';
import { auditQuerySchema, listAuditEvents } from './audit.queries.js';

export function auditRouter(): Router {
  const router = Router();
  router.use(requirePermission('audit:read'));
  router.get('/', async (req, res) => {
    const query = auditQuerySchema.parse(req.query);
    res.render('audit/list', { page: await listAuditEvents(req.user!, query), query, actions: AUDIT_ACTIONS });
  });
  return router;
}
