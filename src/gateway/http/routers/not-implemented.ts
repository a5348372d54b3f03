import { Router } from 'express';
import { GatewayError } from '../../errors.js';

/** Endpoints of the reference that later issues build; they answer 501, never 404 (and openapi.json says so). */
export type Method = 'get' | 'post' | 'put' | 'delete';
export const PENDING_ENDPOINTS: ReadonlyArray<[method: Method, path: string, capability: string]> = [];

/**
 * Every pending endpoint of the reference (`PENDING_ENDPOINTS`).
 * @throws GatewayError `not_implemented` (501) naming the capability and the endpoint
 */
export function notImplementedRouter(): Router {
  const router = Router();
  for (const [method, path, capability] of PENDING_ENDPOINTS) {
    router[method](path, () => {
      throw new GatewayError('not_implemented', `${capability} is not built yet in this version of MCPlexer (${method.toUpperCase()} /api/v1${path})`);
    });
  }
  return router;
}
