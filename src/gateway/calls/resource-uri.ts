import type { DownstreamServer } from '../config/index.js';

/**
 * Resource URIs of namespaced servers are made unique and reversible as
 * `mcplexer://<namespace>/<the downstream's own URI, verbatim>`. Verbatim (not percent-encoded)
 * keeps URI templates working: `{id}` placeholders survive, the client expands them, and the
 * gateway strips the prefix again. Servers with `expose_unprefixed` keep their URIs as they are.
 */
export const URI_PREFIX = 'mcplexer://';

export function toGatewayUri(namespace: string, uri: string): string {
  return `${URI_PREFIX}${namespace}/${uri}`;
}

/** Splits a gateway URI into the namespace and the downstream URI, or undefined if not ours. */
export function fromGatewayUri(uri: string): { namespace: string; uri: string } | undefined {
  // The scheme in any case (RFC 3986 §3.1: schemes are case-insensitive); the namespace as it is.
  if (uri.slice(0, URI_PREFIX.length).toLowerCase() !== URI_PREFIX) return undefined;
  const rest = uri.slice(URI_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  return { namespace: rest.slice(0, slash), uri: rest.slice(slash + 1) };
}

/** The static part of a URI template before its first placeholder, for matching concrete URIs. */
export function templatePrefix(template: string): string {
  const brace = template.indexOf('{');
  return brace < 0 ? template : template.slice(0, brace);
}

/** A downstream URI as the client sees it. */
export function clientUri(server: DownstreamServer, uri: string): string {
  return server.expose_unprefixed ? uri : toGatewayUri(server.namespace, uri);
}

type Item = Record<string, unknown>;

/**
 * A `resources/read` result with the `uri` of each content item rewritten to the client's form.
 *
 * @param result the downstream's result (not modified; returned as it is for an unprefixed server)
 */
export function mapReadResult(server: DownstreamServer, result: Item): Item {
  if (server.expose_unprefixed || !Array.isArray(result.contents)) return result;
  return { ...result, contents: (result.contents as Item[]).map((c) => (typeof c.uri === 'string' ? { ...c, uri: clientUri(server, c.uri) } : c)) };
}
