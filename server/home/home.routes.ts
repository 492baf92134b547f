// The signed-in home page: the user's own work queues with their counts, each a link to the queue
// (an officer's cases and drafts and deadlines, a leader's approvals, a delegate's followed matters;
// nothing case-related for an administrator).
import { Router } from 'express';
import type { AppDeps } from '../platform/deps.js';
import { countQueues, homeQueuesFor, queueMoment } from '../queues/index.js';

export function homeRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const ids = req.user ? homeQueuesFor(req.user) : [];
    const counts = ids.length ? await countQueues(req.user!, ids, {}, await queueMoment(deps.clock.now())) : [];
    res.render('home/index', { queues: counts.map((c) => ({ ...c, href: `/queues?queue=${c.id}` })) });
  });
  return router;
}
