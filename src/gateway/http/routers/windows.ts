import { Router } from 'express';
import { windowRegistrationSchema, type WindowInfo, type WindowLease } from '../../../shared/schemas/daemon.js';
import { parseBody } from '../../config/index.js';
import type { WindowRegistry } from '../../windows/index.js';
import { takesNoBody } from '../no-body.js';

/**
 * The editor windows attached to the daemon (leases: windows/registry.ts):
 * `POST /` registers (201 `{window_id, lease_sec, expires_at}`), `PUT /{id}/lease` renews (200, same
 * shape), `DELETE /{id}` leaves (204), `GET /` lists the live ones.
 * @throws GatewayError `validation_failed` (400) naming the field; `not_found` (404) on renewing a
 *   window the daemon does not know (it restarted, or the lease ran out): register again
 */
export function windowsRouter(windows: WindowRegistry): Router {
  const router = Router();
  router.get('/', (_req, res) => void res.json(windows.list() satisfies WindowInfo[]));
  router.post('/', (req, res) => void res.status(201).json(windows.register(parseBody(windowRegistrationSchema, req.body)) satisfies WindowLease));
  router.put('/:id/lease', takesNoBody, (req, res) => void res.json(windows.renew(req.params.id!) satisfies WindowLease));
  router.delete('/:id', takesNoBody, (req, res) => {
    windows.unregister(req.params.id!);
    res.status(204).end();
  });
  return router;
}
