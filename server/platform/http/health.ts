// Probes for load balancers and orchestrators: /healthz says the process is up, /readyz that it can
// reach its database (and so can serve requests).
import { Router } from 'express';
import mongoose, { type Connection } from 'mongoose';

export function healthRouter(connection: Connection): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      if (connection.readyState !== mongoose.ConnectionStates.connected || !connection.db) throw new Error('not connected');
      await connection.db.admin().ping();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  return router;
}
