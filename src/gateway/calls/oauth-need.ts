import type { ServerVisibility } from '../../shared/schemas/daemon.js';
import type { ConfigState, DownstreamServer } from '../config/index.js';

export type OAuthNeed = NonNullable<ServerVisibility['oauth']>;

/**
 * Whether a server waits for an OAuth account (issue 19): an `oauth2` scope on one of its routes
 * in `workspaceIds` (the window's chains; routes elsewhere do not carry calls from there) holds
 * no token (`not_connected`), or its last exchange or refresh failed (`expired`, with the reason).
 * Read from the stored scope (token envelope present, `oauth_error`), so nothing is decrypted.
 * The first such scope in route order; undefined when every one is connected.
 */
export function oauthNeed(state: ConfigState, server: DownstreamServer, workspaceIds: ReadonlySet<string>): OAuthNeed | undefined {
  for (const route of state.routes) {
    if (route.server_id !== server.id || route.auth_scope_id === undefined || !workspaceIds.has(route.workspace_id)) continue;
    const scope = state.auth_scopes.find((s) => s.id === route.auth_scope_id);
    if (scope?.type !== 'oauth2') continue;
    if (scope.oauth_token === undefined) {
      return { auth_scope_id: scope.id, auth_scope_name: scope.name, status: 'not_connected', ...(scope.oauth_error ? { error: scope.oauth_error } : {}) };
    }
    if (scope.oauth_error !== undefined) return { auth_scope_id: scope.id, auth_scope_name: scope.name, status: 'expired', error: scope.oauth_error };
  }
  return undefined;
}
