import type { AuthorizationServerMetadata, FetchLike, OAuthClientInformationMixed } from '@modelcontextprotocol/client';
import type { OAuthProvider } from '../../shared/schemas/index.js';

/**
 * A stored provider as the SDK's auth functions take it: authorization-server metadata (its
 * endpoints; `issuer` only when discovery gave one, so the RFC 9207 `iss` check runs only
 * against a known issuer) and the client's credentials. With a secret, the SDK authenticates the
 * token requests with it (client_secret_basic); without, as a public client.
 */
export function serverMetadata(provider: OAuthProvider): AuthorizationServerMetadata {
  const metadata = {
    authorization_endpoint: provider.auth_url,
    token_endpoint: provider.token_url,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    ...(provider.revocation_url ? { revocation_endpoint: provider.revocation_url } : {}),
    ...(provider.registration_url ? { registration_endpoint: provider.registration_url } : {}),
    ...(provider.issuer ? { issuer: provider.issuer } : {}),
  };
  return metadata as AuthorizationServerMetadata;
}

export function clientInformation(provider: OAuthProvider, secret: string | undefined): OAuthClientInformationMixed {
  return { client_id: provider.client_id, ...(secret ? { client_secret: secret } : {}) };
}

/**
 * The SDK always uses PKCE; a provider with `use_pkce: false` (ClickUp, Slack) gets no
 * `code_verifier` in its token request, since a server that saw no challenge may reject one
 * (OAuth 2.1 §4.1.3).
 */
export function withoutCodeVerifier(fetchFn: FetchLike = fetch): FetchLike {
  return (url, init) => {
    if (init?.body instanceof URLSearchParams) {
      const body = new URLSearchParams(init.body);
      body.delete('code_verifier');
      return fetchFn(url, { ...init, body });
    }
    return fetchFn(url, init);
  };
}

/** The authorize URL as the provider needs it: PKCE parameters only when it uses PKCE, its extra parameters added. */
export function finishAuthorizeUrl(url: URL, provider: OAuthProvider): string {
  if (!provider.use_pkce) {
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
  }
  for (const [key, value] of Object.entries(provider.extra_params)) if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  return url.toString();
}
