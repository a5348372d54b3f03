import type { DiscoveryService } from '../calls/index.js';
import type { ConfigState } from '../config/index.js';
import type { DownstreamPool } from '../downstream/index.js';
import type { Logger } from '../log.js';

/** The OAuth service's `token` event as the wiring listens to it (runtime does not import oauth/). */
export interface TokenEvents {
  on(event: 'token', listener: (scopeId: string, change: 'authorized' | 'refreshed' | 'revoked') => void): unknown;
}

/**
 * What follows a change of a scope's OAuth tokens (the OAuth service's `token` event), so the
 * servers using it get the new token without a restart by hand:
 * - the pool retires the instances holding the old token once their calls finish: after a
 *   refresh the stdio ones only (an HTTP instance reads the token per request); after a new
 *   authorization or a revocation, all of them;
 * - after a new authorization, a server whose discovery failed (it could not start or list
 *   without the token) is discovered again at once, so its tools appear and the sessions get
 *   `list_changed`; otherwise tools/list would skip it until the tool cache's TTL.
 */
export function afterTokenChange(
  pool: Pick<DownstreamPool, 'retireScope'>,
  discovery: Pick<DiscoveryService, 'lastFailure' | 'forget' | 'discover'>,
  state: ConfigState,
  logger: Logger,
  scopeId: string,
  change: 'authorized' | 'refreshed' | 'revoked',
): void {
  pool.retireScope(scopeId, change === 'refreshed' ? ['stdio'] : ['stdio', 'http']);
  if (change !== 'authorized') return;
  const { routes, auth_scopes } = state;
  const serverIds = new Set(routes.filter((r) => r.auth_scope_id === scopeId && r.server_id !== undefined).map((r) => r.server_id!));
  const own = auth_scopes.find((s) => s.id === scopeId)?.server_id;
  if (own) serverIds.add(own);
  for (const serverId of serverIds) {
    if (discovery.lastFailure(serverId) === undefined) continue;
    discovery.forget(serverId);
    discovery.discover(serverId).catch((error: Error) => logger.warn('discovery after authorization failed', { server_id: serverId, reason: error.message }));
  }
}
