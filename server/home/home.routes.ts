// The signed-in home page. Each role's work queues arrive here as their modules land.
import { Router } from 'express';

export function homeRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.render('home/index');
  });
  return router;
}
