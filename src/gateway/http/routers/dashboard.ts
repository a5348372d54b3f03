import { Router } from 'express';
import type { DashboardSnapshotAnswer } from '../../../shared/schemas/dashboard.js';
import type { DashboardSnapshot } from '../../metrics/index.js';

/** The wire type the answer must fit (recent entries are the audit vocabulary's fields, typed loosely here). */
type Answer = Omit<DashboardSnapshotAnswer, 'recent_calls' | 'recent_errors'> & Pick<DashboardSnapshot, 'recent_calls' | 'recent_errors'>;

/**
 * GET /dashboard?range=1h|6h|24h|7d: the snapshot (metrics/ assembles it from kept figures and
 * live providers). Any other `range` (absent, unknown, repeated) means `1h`, as in the original;
 * never an error. Reading it changes nothing.
 */
export function dashboardRouter(snapshot: (range: unknown) => Promise<DashboardSnapshot>): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const body: Answer = await snapshot(req.query.range);
    res.json(body);
  });
  return router;
}
