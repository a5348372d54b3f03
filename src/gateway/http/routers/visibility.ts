import { Router } from 'express';
import { visibilityQuerySchema, type VisibilityReport } from '../../../shared/schemas/daemon.js';
import { explainVisibility, type RuntimeConfig, type ServerState } from '../../calls/index.js';
import { zodDetails } from '../../config/index.js';
import { GatewayError } from '../../errors.js';

/**
 * `GET /visibility?dir=<abs>&dir=<abs>…[&servers=<id|namespace>,…]`: for each downstream server,
 * why its tools are or are not listed from those folders (calls/visibility.ts).
 * @throws GatewayError `validation_failed` (400) naming `dir` (missing, not absolute), `servers`
 *   (a server that does not exist) or an unknown query field
 */
export function visibilityRouter(config: () => RuntimeConfig, states: () => ServerState[]): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const parsed = visibilityQuerySchema.safeParse({ ...req.query });
    if (!parsed.success) {
      const details = zodDetails(parsed.error);
      throw new GatewayError('validation_failed', `invalid query: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, { details });
    }
    const query = parsed.data;
    const report: VisibilityReport = explainVisibility(config(), { dirs: query.dir, servers: query.servers }, states());
    res.json(report);
  });
  return router;
}
