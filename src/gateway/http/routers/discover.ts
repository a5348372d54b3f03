import { Router } from 'express';
import type { DiscoveryService } from '../../calls/index.js';

/** POST /downstreams/{id}/discover: starts the server, lists everything, stores it, answers the server. */
export function discoverRouter(discovery: DiscoveryService): Router {
  const router = Router();
  router.post('/:id/discover', async (req, res) => void res.json(await discovery.discover(req.params.id!)));
  return router;
}
