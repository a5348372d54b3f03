import { Router } from 'express';
import type { ShutdownResult } from '../../../shared/api.js';
import { takesNoBody } from '../no-body.js';

/**
 * POST /shutdown (token required, as every route but health): answers 202 `{status: "stopping",
 * pid}` and then asks the gateway to stop; it releases `gateway.lock` once stopped, which is what
 * `mcplexer stop` waits for.
 */
export function shutdownRouter(requestStop: () => void): Router {
  const router = Router();
  router.post('/', takesNoBody, (_req, res) => {
    res.on('finish', () => setImmediate(requestStop));
    res.status(202).json({ status: 'stopping', pid: process.pid } satisfies ShutdownResult);
  });
  return router;
}
