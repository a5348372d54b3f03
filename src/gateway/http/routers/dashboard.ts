import { Router } from 'express';
import type { DashboardSnapshotAnswer } from '../../../shared/schemas/dashboard.js';
import type { DashboardSnapshot } from '../../metrics/index.js';
import { parseQuery, textParam } from '../../config/index.js';

/** The wire type the answer must fit (recent entries are the audit vocabulary's fields, typed loosely here). */
type Answer = Omit<DashboardSnapshotAnswer, 'recent_calls' | 'recent_errors'> & Pick<DashboardSnapshot, 'recent_calls' | 'recent_errors'>;

/**
 * GET /dashboard?range=1h|6h|24h|7d: the snapshot (metrics/ assembles it from kept figures and
 * live providers). Any other `range` value (absent, unknown) means `1h`, as in the original.
 * Reading it changes nothing.
 * @throws GatewayError `validation_failed` (400) for an unknown query parameter or a repeated `range`
 */
export const DASHBOARD_PARAMS = { range: textParam('1h (60 s × 60), 6h (5 min × 72), 24h (15 min × 96) or 7d (1 h × 168); any other value means 1h') };

export function dashboardRouter(snapshot: (range: unknown) => Promise<DashboardSnapshot>): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { range } = parseQuery(DASHBOARD_PARAMS, req.query);
    const body: Answer = await snapshot(range);
    res.json(body);
  });
  return router;
}
