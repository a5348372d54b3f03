import { randomUUID } from 'node:crypto';
import { registerClient } from '@modelcontextprotocol/client';
import type { DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import type { OAuthProvider } from '../../shared/schemas/index.js';
import type { OAuthContext } from './context.js';
import { probeMcpServer, reason, type McpAuthInfo } from './discover.js';

/** The name of the provider auto-discovery makes for a server. */
export const autoProviderName = (server: DownstreamServer) => `${server.name} (auto)`;

/**
 * The provider of an HTTP MCP server found by auto-discovery (MCP authorization: protected
 * resource metadata, authorization server metadata) and registered dynamically (RFC 7591,
 * the SDK's `registerClient`, with the gateway's callback URL, as a public client using PKCE):
 * the existing "`<server name> (auto)`" provider when it has a client id, else a new one. The
 * caller stores it (a provider not yet in the store has no `created_at` use elsewhere).
 * @throws GatewayError `validation_failed` (not an HTTP server), `bad_gateway` (discovery failed,
 *   no registration endpoint: "configure the OAuth provider manually", registration refused)
 */
export async function autoProvider(ctx: OAuthContext, server: DownstreamServer): Promise<{ provider: OAuthProvider; created: boolean }> {
  const existing = ctx.store.state.oauth_providers.find((p) => p.name === autoProviderName(server));
  if (existing?.client_id) return { provider: existing, created: false };
  if (server.transport !== 'http' || !server.url) {
    throw new GatewayError(
      'validation_failed',
      `downstream server "${server.name}" is not an HTTP server: OAuth auto-discovery works for remote MCP servers only; use a provider template (POST /api/v1/auth-scopes/oauth-quick-setup)`,
      {
        details: [{ path: 'transport', message: 'must be http' }],
      },
    );
  }
  const info = await probeMcpServer(server.url);
  const metadata = info.authorizationServerMetadata;
  if (!metadata?.registration_endpoint) {
    throw new GatewayError(
      'bad_gateway',
      `downstream server "${server.name}" offers no dynamic client registration (${metadata ? 'its authorization server has no registration_endpoint' : 'no OAuth metadata found'}); configure the OAuth provider manually (POST /api/v1/oauth-providers) and set it on the auth scope`,
    );
  }
  const callback = ctx.callbackUrl();
  let registered;
  try {
    registered = await registerClient(info.authorizationServerUrl, {
      metadata,
      clientMetadata: {
        client_name: 'MCPlexer',
        redirect_uris: [callback],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      },
      ...(scopesOf(info).length ? { scope: scopesOf(info).join(' ') } : {}),
    });
  } catch (cause) {
    throw new GatewayError(
      'bad_gateway',
      `dynamic client registration at ${metadata.registration_endpoint} failed: ${reason(cause)}; configure the OAuth provider manually`,
      { cause },
    );
  }
  const now = new Date().toISOString();
  const methods = metadata.code_challenge_methods_supported;
  const provider: OAuthProvider = {
    id: existing?.id ?? randomUUID(),
    name: autoProviderName(server),
    auth_url: metadata.authorization_endpoint,
    token_url: metadata.token_endpoint,
    client_id: registered.client_id,
    ...(registered.client_secret ? { client_secret: ctx.box.encrypt(registered.client_secret) } : {}),
    scopes: scopesOf(info),
    // PKCE unless the server lists methods without S256 (the original's rule).
    use_pkce: !methods || methods.includes('S256'),
    extra_params: {},
    ...(revocationOf(metadata) ? { revocation_url: revocationOf(metadata) } : {}),
    registration_url: metadata.registration_endpoint,
    issuer: metadata.issuer,
    resource: info.resource,
    source: 'api',
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
  return { provider, created: true };
}

/** RFC 8414's `revocation_endpoint` (OIDC metadata has it too; the SDK's union type lists it on one side only). */
const revocationOf = (metadata: object) => (metadata as { revocation_endpoint?: string }).revocation_endpoint;

function scopesOf(info: McpAuthInfo): string[] {
  return info.resourceMetadata?.scopes_supported ?? [];
}

/** Puts `provider` into the draft's providers (replacing the one with its id). */
export function upsertProvider(providers: OAuthProvider[], provider: OAuthProvider): void {
  const index = providers.findIndex((p) => p.id === provider.id);
  if (index >= 0) providers[index] = provider;
  else providers.push(provider);
}
