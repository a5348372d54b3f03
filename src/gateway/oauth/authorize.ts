import { startAuthorization } from '@modelcontextprotocol/client';
import type { AuthScope, ConfigState, DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import type { OAuthProvider } from '../../shared/schemas/index.js';
import { clientInformation, finishAuthorizeUrl, serverMetadata } from './client-info.js';
import { findScope, requireOAuthScope, type OAuthContext } from './context.js';
import { autoProvider, upsertProvider } from './register.js';
import { newState } from './pending.js';

/** The server a scope's credentials go to: its `server_id`, else the first route that uses it. */
export function serverOfScope(state: ConfigState, scope: AuthScope): DownstreamServer | undefined {
  const id = scope.server_id ?? state.routes.find((r) => r.auth_scope_id === scope.id && r.server_id !== undefined)?.server_id;
  return state.downstreams.find((s) => s.id === id);
}

/**
 * The provider a scope authorizes with: its own, or (no provider, or one with neither client id
 * nor template) one found by auto-discovery and dynamic registration for its server, which is
 * then stored and set on the scope.
 * @throws GatewayError `validation_failed` (provider gone; a template provider without a client id:
 *   "requires client credentials"; no HTTP server to discover), and `autoProvider`'s
 */
export async function providerForScope(ctx: OAuthContext, scope: AuthScope): Promise<OAuthProvider> {
  const state = ctx.store.state;
  const own = scope.oauth_provider_id ? state.oauth_providers.find((p) => p.id === scope.oauth_provider_id) : undefined;
  if (scope.oauth_provider_id && !own) {
    throw new GatewayError(
      'validation_failed',
      `auth scope "${scope.name}" names OAuth provider "${scope.oauth_provider_id}", which does not exist; set oauth_provider_id to one of GET /api/v1/oauth-providers`,
      {
        details: [{ path: 'oauth_provider_id', message: 'unknown provider' }],
      },
    );
  }
  if (own?.client_id) return own;
  if (own?.template_id) {
    throw new GatewayError(
      'validation_failed',
      `OAuth provider "${own.name}" (template ${own.template_id}) requires client credentials: set its client_id (and client_secret) from your OAuth app (PUT /api/v1/oauth-providers/${own.id})`,
      {
        details: [{ path: 'client_id', message: 'required for a template provider' }],
      },
    );
  }
  const server = serverOfScope(state, scope);
  if (!server) {
    throw new GatewayError(
      'validation_failed',
      `auth scope "${scope.name}" has no OAuth provider and no server to discover one from; set oauth_provider_id, or server_id of a remote MCP server`,
      {
        details: [{ path: 'oauth_provider_id', message: 'required' }],
      },
    );
  }
  const { provider } = await autoProvider(ctx, server);
  await ctx.store.update((draft) => {
    upsertProvider(draft.oauth_providers, provider);
    const target = draft.auth_scopes.find((s) => s.id === scope.id);
    if (target) target.oauth_provider_id = provider.id;
  });
  return provider;
}

/**
 * Starts an authorization (RFC 6749 §4.1 with PKCE S256, RFC 7636, through the SDK's
 * `startAuthorization`): a fresh `state` bound to the scope and the PKCE verifier, the
 * provider's scopes space-joined, and the RFC 8707 `resource` for MCP servers.
 * @returns the URL to open in a browser
 * @throws GatewayError `not_found` (scope), `validation_failed` (not oauth2, provider problems), `bad_gateway` (discovery)
 */
export async function authorizeUrl(ctx: OAuthContext, scopeRef: string): Promise<string> {
  const scope = findScope(ctx.store.state.auth_scopes, scopeRef);
  requireOAuthScope(scope);
  const provider = await providerForScope(ctx, scope);
  const redirectUri = ctx.callbackUrl();
  const state = newState();
  const { authorizationUrl, codeVerifier } = await startAuthorization(provider.auth_url, {
    metadata: serverMetadata(provider),
    clientInformation: clientInformation(provider, undefined),
    redirectUrl: redirectUri,
    state,
    ...(provider.scopes.length ? { scope: provider.scopes.join(' ') } : {}),
    ...(provider.resource ? { resource: provider.resource } : {}),
  });
  ctx.pending.put(state, {
    scopeId: scope.id,
    providerId: provider.id,
    codeVerifier,
    redirectUri,
    usePkce: provider.use_pkce,
    ...(provider.resource ? { resource: provider.resource } : {}),
  });
  return finishAuthorizeUrl(authorizationUrl, provider);
}
