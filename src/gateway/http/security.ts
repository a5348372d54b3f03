import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { healthProofMessage } from '../../shared/api.js';
import { GatewayError } from '../errors.js';

/** Where the token is; kept to the characters an RFC 6750 `error_description` may hold (no `"` or `\\`). */
const TOKEN_HINT =
  'send the header Authorization: Bearer <token>, with the token from ~/.mcplexer/api-token (or api-token in the MCPLEXER_HOME directory when that is set)';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface SecurityOptions {
  /** The port the gateway listens on; the only browser origin allowed is the gateway's own. */
  port: () => number;
  token: string;
  /** Further accepted tokens (`MCPLEXER_EXTRA_TOKENS`), e.g. one per client; MCP sessions stay bound to the token that opened them. */
  extraTokens?: readonly string[];
  /** Extra Host names accepted (MCPLEXER_TRUSTED_HOSTS), e.g. behind a reverse proxy. */
  trustedHosts: readonly string[];
  /** Extra browser origins accepted (MCPLEXER_TRUSTED_ORIGINS). */
  trustedOrigins: readonly string[];
  /**
   * The browser dashboard's session check (http/ui: its X-MCPlexer-Session header, from the gateway's own page);
   * `checkApiAuth` accepts it in place of the token. Default: no sessions.
   */
  session?: (req: IncomingMessage) => boolean;
}

/** One request's checks, as plain functions: the Express middleware and the raw /mcp path share them. */
export interface RequestGuard {
  /**
   * Host, then Origin: the refusal, or undefined when the request may go on. `crossSiteNavigation`
   * lets an Origin-less cross-site GET through (the OAuth callback: the provider's redirect is one).
   */
  checkOrigin(req: IncomingMessage, crossSiteNavigation?: boolean): GatewayError | undefined;
  /** The bearer token: the refusal, or undefined when it is one of the accepted tokens. */
  checkToken(req: IncomingMessage): GatewayError | undefined;
  /**
   * /api/v1's check: with an `Authorization` header, the token decides; without one, the
   * dashboard's session may stand in; else the token's refusal.
   */
  checkApiAuth(req: IncomingMessage): GatewayError | undefined;
  /** The proof of holding the API token for a health challenge (`healthProofMessage`): base64url HMAC-SHA256 keyed with the token. */
  healthProof(challenge: string): string;
}

/**
 * The name of a `Host` header (RFC 9110 §7.2: `uri-host [ ":" port ]`), lower-cased, or `''` when
 * the header is not of that form: `localhost:8080@evil.com` and `[::1]evil.com` named a loopback
 * host only by their first characters (a security trial).
 */
function hostnameOf(hostHeader: string): string {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^\s:@/\\[\]?#]+)(?::\d{1,5})?$/.exec(hostHeader);
  return match ? match[1]!.toLowerCase() : '';
}

/** Whether `origin` is the gateway's own: `http:` on a loopback name and the gateway's port. */
export function isOwnOrigin(origin: string, port: number): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && Number(url.port || 80) === port;
}

/**
 * The gateway's request checks. Host must be a loopback name or trusted (the guard against DNS
 * rebinding). A browser Origin must be the gateway's own (a web page must never create a
 * downstream server: that is code execution); requests without Origin (CLI, editors) pass unless
 * the browser marks them cross-site. The token must be one of the accepted ones.
 * The checks return (never throw) the refusal: `checkOrigin` a GatewayError `forbidden` (HTTP 403)
 * naming the Host or Origin and the env var that allows it, `checkToken` one `unauthorized` (401)
 * saying where the token is.
 */
export function createRequestGuard(options: SecurityOptions): RequestGuard {
  const trustedHosts = new Set(options.trustedHosts.map((h) => h.toLowerCase()));
  const trustedOrigins = new Set(options.trustedOrigins.map((o) => o.toLowerCase()));
  const accepted = [options.token, ...(options.extraTokens ?? [])].filter((t) => t.length >= 16).map((t) => Buffer.from(t));
  return {
    checkOrigin(req, crossSiteNavigation = false) {
      const host = req.headers.host;
      const name = host ? hostnameOf(host) : '';
      if (!LOOPBACK_HOSTS.has(name) && !trustedHosts.has(name)) {
        return new GatewayError(
          'forbidden',
          `Host "${host ?? ''}" is not allowed: MCPlexer answers only on loopback names. To reach it under another name, add that name to MCPLEXER_TRUSTED_HOSTS.`,
        );
      }
      const origin = req.headers.origin;
      if (origin === undefined) {
        return req.headers['sec-fetch-site'] === 'cross-site' && !crossSiteNavigation
          ? new GatewayError('forbidden', 'cross-site browser request denied')
          : undefined;
      }
      const lower = origin.toLowerCase();
      if (trustedOrigins.has(lower) || isOwnOrigin(lower, options.port())) return undefined;
      return new GatewayError(
        'forbidden',
        `Origin "${origin}" is not allowed: only the gateway's own dashboard may call it from a browser. To allow another origin, add it to MCPLEXER_TRUSTED_ORIGINS.`,
      );
    },
    checkToken(req) {
      const header = req.headers.authorization ?? '';
      const match = /^Bearer\s+(.+)$/i.exec(header);
      const given = Buffer.from(match?.[1]?.trim() ?? '');
      if (accepted.some((expected) => given.length === expected.length && timingSafeEqual(given, expected))) return undefined;
      if (!header) return new GatewayError('unauthorized', `the API token is missing: ${TOKEN_HINT}`);
      // A token sent bare or under another scheme is a different mistake from a wrong token: say which.
      if (!match)
        return new GatewayError('unauthorized', `the Authorization header is not of the form "Bearer <token>" (it has no Bearer scheme): ${TOKEN_HINT}`);
      return new GatewayError('unauthorized', `the API token is wrong: ${TOKEN_HINT}`);
    },
    healthProof(challenge) {
      return createHmac('sha256', options.token).update(healthProofMessage(challenge, options.port())).digest('base64url');
    },
    checkApiAuth(req) {
      if (req.headers.authorization === undefined && options.session?.(req)) return undefined;
      return this.checkToken(req);
    },
  };
}

/** Host and Origin checks as Express middleware: passes `forbidden` (403) to `next` on a refusal. */
export function originGuard(
  guard: RequestGuard,
  crossSiteNavigation: (req: IncomingMessage & { path: string; method: string }) => boolean = () => false,
): RequestHandler {
  return (req, _res, next) => next(guard.checkOrigin(req, crossSiteNavigation(req)));
}

/**
 * The token check as Express middleware: passes `unauthorized` (401) to `next`; `isPublic` exempts
 * health, the OAuth callback and the dashboard's page; on `sessionPaths` (/api/v1) the dashboard's
 * session may stand in for the token (`checkApiAuth`), never elsewhere (not on /mcp).
 */
export function tokenGuard(guard: RequestGuard, isPublic: (path: string) => boolean, sessionPaths: (path: string) => boolean = () => false): RequestHandler {
  return (req, _res, next) => next(isPublic(req.path) ? undefined : sessionPaths(req.path) ? guard.checkApiAuth(req) : guard.checkToken(req));
}

/**
 * The `WWW-Authenticate` value of a 401 (RFC 6750 §3): `Bearer realm="mcplexer",
 * error="invalid_token", error_description="…"`. A missing token gets `invalid_token` too, which
 * RFC 6750 §3.1 discourages ("SHOULD NOT") but allows: the gateway's token is not obtained through
 * OAuth, so there is no authorization server to point at, and MCP clients that see a bare
 * challenge start OAuth discovery; the error code and description are what clients show to the
 * user. Characters an `error_description` may not hold are replaced by spaces.
 */
export function bearerChallenge(description: string): string {
  const safe = description.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, ' ');
  return `Bearer realm="mcplexer", error="invalid_token", error_description="${safe}"`;
}

/**
 * OAuth discovery and registration endpoints (RFC 8414, RFC 9728, OpenID Connect Discovery,
 * RFC 7591, and the MCP SDK's fallback `/authorize` and `/token`): until the gateway offers OAuth
 * to its clients these answer 404 without a token, so a client learns there is no OAuth instead
 * of being told to authenticate for the discovery document itself.
 */
export function isOAuthDiscoveryPath(path: string): boolean {
  return OAUTH_PATHS.test(path);
}
const OAUTH_PATHS = /^\/(?:\.well-known\/(?:oauth-authorization-server|oauth-protected-resource|openid-configuration)(?:\/.*)?|register|authorize|token)\/?$/;

/** Whether a request carries a body (RFC 9112 §6.3: a Transfer-Encoding, or a non-zero Content-Length). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Request bodies under /api/v1 must be `application/json` (parameters such as charset allowed).
 * Browsers send text/plain, form and multipart bodies cross-site without a preflight, so this is
 * the second layer behind the Origin check against a web page creating a downstream server.
 * @throws GatewayError `unsupported_media_type` (415) naming the header and the type it got.
 */
export function requireJsonBody(): RequestHandler {
  return (req, _res, next) => {
    if (!hasBody(req)) return next();
    const type = req.headers['content-type'];
    if (type !== undefined && /^application\/json\s*(?:;|$)/i.test(type)) return next();
    const got = type === undefined ? 'no Content-Type header' : `Content-Type "${type}"`;
    next(
      new GatewayError('unsupported_media_type', `request bodies must be JSON, sent with "Content-Type: application/json"; this request has ${got}`, {
        details: [{ path: 'Content-Type', message: 'must be application/json' }],
      }),
    );
  };
}
