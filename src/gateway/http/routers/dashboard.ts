import { Router } from 'express';
import type { DashboardSnapshot } from '../../metrics/index.js';

/**
 * GET /dashboard?range=1h|6h|24h|7d: the snapshot (metrics/ assembles it from kept figures and
 * live providers). Any other `range` (absent, unknown, repeated) means `1h`, as in the original;
 * never an error. Reading it changes nothing.
 */
export function dashboardRouter(snapshot: (range: unknown) => Promise<DashboardSnapshot>): Router {
  const router = Router();
  router.get('/', async (req, res) => void res.json(await snapshot(req.query.range)));
  return router;
}
