import { Router } from 'express';
import { GatewayError } from '../../errors.js';

/** Endpoints of the reference that later issues build; they answer 501, never 404 (and openapi.json says so). */
export type Method = 'get' | 'post' | 'put' | 'delete';
export const PENDING_ENDPOINTS: ReadonlyArray<[method: Method, path: string, capability: string]> = [
  ['post', '/downstreams/:id/oauth-setup', 'OAuth'],
  ['get', '/downstreams/:id/oauth-status', 'OAuth'],
  ['post', '/downstreams/:id/connect', 'OAuth'],
  ['get', '/downstreams/:id/oauth-capabilities', 'OAuth'],
  ['get', '/auth-scopes/:id/oauth/authorize', 'OAuth'],
  ['get', '/auth-scopes/:id/oauth/status', 'OAuth'],
  ['post', '/auth-scopes/:id/oauth/revoke', 'OAuth'],
  ['post', '/auth-scopes/oauth-quick-setup', 'OAuth'],
  ['get', '/oauth-providers', 'OAuth'],
  ['post', '/oauth-providers', 'OAuth'],
  ['get', '/oauth-providers/:id', 'OAuth'],
  ['put', '/oauth-providers/:id', 'OAuth'],
  ['delete', '/oauth-providers/:id', 'OAuth'],
  ['get', '/oauth-templates', 'OAuth'],
  ['post', '/oauth-providers/discover', 'OAuth'],
  ['get', '/oauth/callback', 'OAuth'],
];

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
