import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { GatewayError } from '../errors.js';

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
}

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1).toLowerCase();
  return hostHeader.split(':')[0]!.toLowerCase();
}

/** Refuses a Host that is not loopback or trusted: the guard against DNS rebinding. */
export function hostCheck(options: SecurityOptions): RequestHandler {
  const trusted = new Set(options.trustedHosts.map((h) => h.toLowerCase()));
  return (req, _res, next) => {
    const host = req.headers.host;
    const name = host ? hostnameOf(host) : '';
    if (LOOPBACK_HOSTS.has(name) || trusted.has(name)) return next();
    next(new GatewayError('forbidden', `Host "${host ?? ''}" is not allowed: MCPlexer answers only on loopback names. To reach it under another name, add that name to MCPLEXER_TRUSTED_HOSTS.`));
  };
}

/**
 * Refuses browser requests from any origin but the gateway's own (a web page must never create a
 * downstream server: that is code execution). Requests without Origin (CLI, editors) pass,
 * unless the browser marks them cross-site.
 */
export function originCheck(options: SecurityOptions): RequestHandler {
  const trusted = new Set(options.trustedOrigins.map((o) => o.toLowerCase()));
  return (req, _res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined) {
      if (req.headers['sec-fetch-site'] === 'cross-site') return next(new GatewayError('forbidden', 'cross-site browser request denied'));
      return next();
    }
    const lower = origin.toLowerCase();
    if (trusted.has(lower) || isOwnOrigin(lower, options.port())) return next();
    next(new GatewayError('forbidden', `Origin "${origin}" is not allowed: only the gateway's own dashboard may call it from a browser. To allow another origin, add it to MCPLEXER_TRUSTED_ORIGINS.`));
  };
}

function isOwnOrigin(origin: string, port: number): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && Number(url.port || 80) === port;
}

/** Requires `Authorization: Bearer <token>`; `isPublic` exempts health and the OAuth callback. */
export function bearerAuth(options: SecurityOptions, isPublic: (path: string) => boolean): RequestHandler {
  const accepted = [options.token, ...(options.extraTokens ?? [])].filter((t) => t.length >= 16).map((t) => Buffer.from(t));
  return (req, _res, next) => {
    if (isPublic(req.path)) return next();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const given = Buffer.from(match?.[1]?.trim() ?? '');
    if (accepted.some((expected) => given.length === expected.length && timingSafeEqual(given, expected))) return next();
    next(new GatewayError('unauthorized', header
      ? 'the API token is wrong: use the one in <MCPLEXER_HOME>/api-token'
      : 'missing "Authorization: Bearer <token>" header: the token is in <MCPLEXER_HOME>/api-token (default ~/.mcplexer/api-token)'));
  };
}
