import type { OAuthProvider } from '../../shared/schemas/index.js';
import { findScope, requireOAuthScope, type OAuthContext } from './context.js';
import { reason } from './discover.js';

/**
 * `POST …/oauth/revoke`: revokes the refresh and access tokens at the provider (RFC 7009, form
 * POST to its `revocation_url`, the client authenticated as for token requests) when it has one,
 * and forgets them in any case; a provider failure is logged, not thrown.
 * @throws GatewayError `not_found` (scope), `validation_failed` (not oauth2)
 */
export async function revokeScope(ctx: OAuthContext, scopeRef: string): Promise<void> {
  const scope = findScope(ctx.store.state.auth_scopes, scopeRef);
  requireOAuthScope(scope);
  const record = ctx.tokens.read(scope.id);
  const provider = ctx.store.state.oauth_providers.find((p) => p.id === scope.oauth_provider_id);
  if (record && provider?.revocation_url) {
    const revocations: Array<[string, string]> = [
      ...(record.refresh_token ? ([[record.refresh_token, 'refresh_token']] as Array<[string, string]>) : []),
      [record.access_token, 'access_token'],
    ];
    for (const [token, hint] of revocations) {
      try {
        await revokeAt(provider, ctx.providers.clientSecret(provider), token, hint);
      } catch (error) {
        ctx.logger.warn('OAuth token revocation at the provider failed; the gateway forgets the token anyway', {
          auth_scope: scope.name,
          provider: provider.name,
          reason: reason(error),
        });
      }
    }
  }
  await ctx.tokens.clear(scope.id);
  ctx.tokenChanged(scope.id, 'revoked');
}

async function revokeAt(provider: OAuthProvider, secret: string | undefined, token: string, hint: string): Promise<void> {
  const body = new URLSearchParams({ token, token_type_hint: hint });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (secret) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(provider.client_id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  else body.set('client_id', provider.client_id);
  const res = await fetch(provider.revocation_url!, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  await res.body?.cancel();
  // RFC 7009 §2.2: 200 whether or not the token was valid; anything else is the provider's failure.
  if (!res.ok) throw new Error(`the revocation endpoint answered ${res.status}`);
}
