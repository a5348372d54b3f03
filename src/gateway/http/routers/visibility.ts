import { Router } from 'express';
import { visibilityQuerySchema, type VisibilityReport } from '../../../shared/schemas/daemon.js';
import { explainVisibility, type RuntimeConfig, type ServerState } from '../../calls/index.js';
import { customParam, parseQuery } from '../../config/index.js';

/** `GET /visibility`' parameters: the shared schema's fields, read the one way every query is. */
export const VISIBILITY_PARAMS = {
  dir: customParam(visibilityQuerySchema.shape.dir, {
    openapi: { type: 'array', items: { type: 'string' } },
    many: true,
    required: true,
    description: 'an absolute folder; repeat for a multi-root window',
  }),
  servers: customParam(visibilityQuerySchema.shape.servers, {
    openapi: { type: 'string' },
    description: "the window's tool set: server ids or namespaces, comma-separated",
  }),
};

/**
 * `GET /visibility?dir=<abs>&dir=<abs>…[&servers=<id|namespace>,…]`: for each downstream server,
 * why its tools are or are not listed from those folders (calls/visibility.ts).
 * @throws GatewayError `validation_failed` (400) naming `dir` (missing, not absolute), `servers`
 *   (a server that does not exist) or an unknown query field
 */
export function visibilityRouter(config: () => RuntimeConfig, states: () => ServerState[]): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const query = parseQuery(VISIBILITY_PARAMS, req.query);
    const report: VisibilityReport = explainVisibility(config(), { dirs: query.dir, servers: query.servers }, states());
    res.json(report);
  });
  return router;
}
