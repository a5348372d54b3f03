import { Router } from 'express';
import type { DiscoverResult, DownstreamHealth } from '../../../shared/api.js';
import type { RestartResponse } from '../../../shared/schemas/daemon.js';
import type { DiscoveryService } from '../../calls/index.js';
import { takesNoBody } from '../no-body.js';

/**
 * Operations on one downstream server beyond CRUD: POST /{id}/discover (start it, list
 * everything, store it, answer the server), GET /{id}/health (its state and last error) and
 * POST /{id}/restart (202: its instances are stopped, its start errors forgotten; the next call
 * or list starts it again).
 * The path's `{id}` is an id, name or namespace.
 * @throws GatewayError `not_found` (404: no such server), `conflict` (409: an ambiguous name;
 *   discover: names that would clash unprefixed), `server_disabled` (discover), `bad_gateway`
 *   (502: discovery failed, with the server's reason)
 */
export function downstreamOpsRouter(
  discovery: DiscoveryService,
  healthOf: (ref: string) => DownstreamHealth,
  /** The server id a path names (its id, name or namespace); throws `not_found`. */
  idOf: (ref: string) => string = (ref) => ref,
  /** Stops every instance of the server (by id) and forgets its failures. */
  restart: (serverId: string) => Promise<void> = async () => undefined,
): Router {
  const router = Router();
  router.post('/:id/discover', takesNoBody, async (req, res) => void res.json((await discovery.discover(idOf(req.params.id!))) satisfies DiscoverResult));
  router.get('/:id/health', (req, res) => void res.json(healthOf(req.params.id!) satisfies DownstreamHealth));
  router.post('/:id/restart', takesNoBody, async (req, res) => {
    const serverId = idOf(req.params.id!);
    await restart(serverId);
    res.status(202).json({ status: 'restarting', server_id: serverId } satisfies RestartResponse);
  });
  return router;
}
