import { Router } from 'express';
import type { DrainResponse } from '../../../shared/schemas/daemon.js';
import { takesNoBody } from '../no-body.js';

/**
 * `POST /drain` (202 `{draining: true, in_flight}`): the daemon refuses new MCP sessions from now
 * on (503, code `draining`), lets the calls in flight finish, then stops and releases its lock.
 * A second drain answers the same without starting anything again.
 */
export function drainRouter(drain: () => DrainResponse): Router {
  const router = Router();
  router.post('/', takesNoBody, (_req, res) => void res.status(202).json(drain()));
  return router;
}
