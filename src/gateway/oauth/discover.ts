import {
  discoverAuthorizationServerMetadata,
  discoverOAuthServerInfo,
  extractWWWAuthenticateParams,
  type AuthorizationServerMetadata,
  type OAuthServerInfo,
  checkResourceAllowed,
  resourceUrlFromServerUrl,
} from '@modelcontextprotocol/client';
import { GatewayError } from '../errors.js';
import type { OAuthDiscoverResult } from '../../shared/schemas/index.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * An issuer or server URL the gateway may fetch metadata from: https, or http on a loopback host
 * (a provider running on this machine); anything else sends tokens in clear over a network.
 * @throws GatewayError `validation_failed` naming `field`
 */
export function requireSecureUrl(value: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GatewayError('validation_failed', `${field} is not a URL`, { details: [{ path: field, message: 'not a URL' }] });
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return url;
  throw new GatewayError('validation_failed', `${field} must be an https:// URL (http:// only on localhost or 127.0.0.1): ${value}`, {
    details: [{ path: field, message: 'https required' }],
  });
}

/**
 * A fetch that keeps the raw JSON of metadata documents: the SDK's schemas drop fields they do not
 * model (OIDC discovery's `revocation_endpoint`), which revocation needs.
 */
function keepingRaw(): { fetchFn: typeof fetch; raw: Map<string, Record<string, unknown>> } {
  const raw = new Map<string, Record<string, unknown>>();
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    const res = await fetch(url, init);
    if (res.ok && String(url).includes('/.well-known/'))
      await res
        .clone()
        .json()
        .then((json: Record<string, unknown>) => void raw.set(String(url), json))
        .catch(() => undefined); // not JSON: the SDK reports it from its own copy
    return res;
  }) as typeof fetch;
  return { fetchFn, raw };
}

/** Adds `revocation_endpoint` (RFC 7009 / RFC 8414) back from the raw document with this issuer. */
function withRevocation(metadata: AuthorizationServerMetadata, raw: Map<string, Record<string, unknown>>): AuthorizationServerMetadata {
  for (const doc of raw.values()) {
    if (doc.issuer === metadata.issuer && typeof doc.revocation_endpoint === 'string')
      return { ...metadata, revocation_endpoint: doc.revocation_endpoint } as AuthorizationServerMetadata;
  }
  return metadata;
}

/** The metadata's endpoints the gateway sends a browser or credentials to. */
const ENDPOINTS = ['authorization_endpoint', 'token_endpoint', 'registration_endpoint', 'revocation_endpoint', 'userinfo_endpoint'] as const;

/**
 * Refuses discovered metadata whose endpoints are not https:// (http:// only on loopback), as the
 * MCP authorization spec requires of authorization server endpoints: a `file:`, `vscode:` or
 * `command:` authorization endpoint would be opened by the editor, and a plain-http token endpoint
 * on another host would be sent the code, the PKCE verifier and the client secret in clear (a
 * security trial: all were stored as given).
 * @throws GatewayError `bad_gateway` naming the field and its URL
 */
export function checkMetadataEndpoints(metadata: AuthorizationServerMetadata, where: string): void {
  for (const field of ENDPOINTS) {
    const value = (metadata as Record<string, unknown>)[field];
    if (value === undefined) continue;
    let secure = false;
    try {
      secure = typeof value === 'string' && requireSecureUrl(value, field) !== undefined;
    } catch {
      secure = false;
    }
    if (!secure) {
      throw new GatewayError(
        'bad_gateway',
        `the OAuth metadata of ${where} gives ${field} ${JSON.stringify(value)}, which is not an https:// URL (http:// only on localhost or 127.0.0.1): MCPlexer sends no browser and no credentials there`,
      );
    }
  }
}

/** The authorization server's metadata as `POST /oauth-providers/discover` answers it. */
export function describeMetadata(metadata: AuthorizationServerMetadata): OAuthDiscoverResult {
  const extra = metadata as AuthorizationServerMetadata & { userinfo_endpoint?: string; revocation_endpoint?: string };
  const methods = metadata.code_challenge_methods_supported;
  return {
    authorize_url: metadata.authorization_endpoint,
    token_url: metadata.token_endpoint,
    scopes: metadata.scopes_supported ?? [],
    use_pkce: methods?.includes('S256') ?? false,
    issuer: metadata.issuer,
    ...(extra.userinfo_endpoint ? { userinfo_url: extra.userinfo_endpoint } : {}),
    ...(metadata.registration_endpoint ? { registration_url: metadata.registration_endpoint } : {}),
    ...(extra.revocation_endpoint ? { revocation_url: extra.revocation_endpoint } : {}),
  };
}

/**
 * OIDC discovery / RFC 8414 for `POST /oauth-providers/discover` (the SDK's
 * `discoverAuthorizationServerMetadata`: `oauth-authorization-server`, then
 * `openid-configuration`, the `issuer` checked against the URL given).
 * @throws GatewayError `validation_failed` (not https, not loopback http), `bad_gateway` (unreachable, nothing published, invalid or mismatched metadata)
 */
export async function discoverIssuer(issuerUrl: string): Promise<OAuthDiscoverResult> {
  requireSecureUrl(issuerUrl, 'issuer_url');
  let metadata: AuthorizationServerMetadata | undefined;
  const { fetchFn, raw } = keepingRaw();
  try {
    metadata = await discoverAuthorizationServerMetadata(issuerUrl, { fetchFn });
  } catch (cause) {
    throw new GatewayError('bad_gateway', `OAuth discovery at ${issuerUrl} failed: ${reason(cause)}`, { cause });
  }
  if (!metadata) {
    throw new GatewayError(
      'bad_gateway',
      `${issuerUrl} publishes no OpenID or OAuth metadata (.well-known/openid-configuration, .well-known/oauth-authorization-server); enter the endpoints by hand`,
    );
  }
  const described = withRevocation(metadata, raw);
  checkMetadataEndpoints(described, issuerUrl);
  return describeMetadata(described);
}

/** What an MCP server says about its authorization (MCP authorization spec, RFC 9728 + RFC 8414). */
export interface McpAuthInfo extends OAuthServerInfo {
  /** The RFC 8707 resource indicator for this server. */
  resource: string;
}

/**
 * Probes an MCP server: an unauthenticated `initialize` POST, whose 401 may name the
 * `resource_metadata` URL in `WWW-Authenticate`; then the SDK's `discoverOAuthServerInfo`
 * (that URL, else `<origin>/.well-known/oauth-protected-resource`; then the first
 * authorization server's metadata). Network errors are the caller's to describe.
 * @throws GatewayError `validation_failed` (URL not https/loopback), `bad_gateway` (unreachable, invalid metadata)
 */
export async function probeMcpServer(serverUrl: string, headers: Record<string, string> = {}): Promise<McpAuthInfo> {
  requireSecureUrl(serverUrl, 'url');
  let resourceMetadataUrl: URL | undefined;
  try {
    const res = await fetch(serverUrl, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcplexer', version: '0' } },
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status === 401) resourceMetadataUrl = extractWWWAuthenticateParams(res).resourceMetadataUrl;
    await res.body?.cancel();
    const { fetchFn, raw } = keepingRaw();
    const info = await discoverOAuthServerInfo(serverUrl, { fetchFn, ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}) });
    const metadata = info.authorizationServerMetadata && withRevocation(info.authorizationServerMetadata, raw);
    if (metadata) checkMetadataEndpoints(metadata, `the authorization server of ${serverUrl}`);
    // RFC 9728 §3.3: the resource its metadata names must be this server, or a token for another resource would be sent to it.
    const declared = info.resourceMetadata?.resource;
    if (declared !== undefined && !checkResourceAllowed({ requestedResource: resourceUrlFromServerUrl(serverUrl), configuredResource: declared })) {
      throw new GatewayError(
        'bad_gateway',
        `the MCP server at ${serverUrl} names ${JSON.stringify(declared)} as its resource (RFC 9728 protected resource metadata), which is not this server: MCPlexer asks no token for another resource on its behalf`,
      );
    }
    return { ...info, ...(metadata ? { authorizationServerMetadata: metadata } : {}), resource: declared ?? new URL(serverUrl).href };
  } catch (cause) {
    if (cause instanceof GatewayError) throw cause;
    throw new GatewayError('bad_gateway', `OAuth discovery of the MCP server at ${serverUrl} failed: ${reason(cause)}`, { cause });
  }
}

/** One line for a failed outbound OAuth request (fetch's `cause` names refused connections). */
export function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return `${error.message} (connection refused: is the provider running?)`;
  return cause?.message && cause.message !== error.message ? `${error.message} (${cause.message})` : error.message;
}
