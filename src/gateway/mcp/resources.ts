import type { DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import type { RuntimeConfig } from '../calls/index.js';
import { fromGatewayUri, templatePrefix, toGatewayUri } from './uri-mapping.js';

type Item = Record<string, unknown>;

const visibleServers = (config: RuntimeConfig) => config.catalog.servers.filter((s) => s.enabled && s.transport !== 'internal');

/** A downstream URI as the client sees it. */
export function clientUri(server: DownstreamServer, uri: string): string {
  return server.expose_unprefixed ? uri : toGatewayUri(server.namespace, uri);
}

export function listResources(config: RuntimeConfig): Item[] {
  return visibleServers(config).flatMap((server) => server.resources.map((r) => ({ ...r, uri: clientUri(server, String(r.uri)) })));
}

export function listResourceTemplates(config: RuntimeConfig): Item[] {
  return visibleServers(config).flatMap((server) => server.resource_templates.map((t) => ({ ...t, uriTemplate: clientUri(server, String(t.uriTemplate)) })));
}

/** Which server a client's resource URI belongs to, and the URI the server knows it by. */
export function resolveResourceUri(config: RuntimeConfig, uri: string): { server: DownstreamServer; uri: string } {
  const mapped = fromGatewayUri(uri);
  if (mapped) {
    const server = config.catalog.serverByNamespace(mapped.namespace);
    if (server && !server.expose_unprefixed) return { server: enabled(server), uri: mapped.uri };
  }
  const unprefixed = visibleServers(config).filter((s) => s.expose_unprefixed);
  const exact = unprefixed.find((s) => s.resources.some((r) => r.uri === uri));
  if (exact) return { server: exact, uri };
  const byTemplate = unprefixed.find((s) =>
    s.resource_templates.some((t) => {
      const prefix = templatePrefix(String(t.uriTemplate));
      return prefix.length > 0 && uri.startsWith(prefix);
    }),
  );
  if (byTemplate) return { server: byTemplate, uri };
  if (unprefixed.length === 1) return { server: unprefixed[0]!, uri };
  throw new GatewayError('not_found', `resource "${uri}" not found: gateway URIs look like mcplexer://<namespace>/<uri> (see resources/list)`);
}

function enabled(server: DownstreamServer): DownstreamServer {
  if (!server.enabled) throw new GatewayError('server_disabled', `downstream server "${server.name}" is disabled`);
  return server;
}

/** Rewrites the `uri` of each returned content item back to the client's form. */
export function mapReadResult(server: DownstreamServer, result: Item): Item {
  if (server.expose_unprefixed || !Array.isArray(result.contents)) return result;
  return { ...result, contents: (result.contents as Item[]).map((c) => (typeof c.uri === 'string' ? { ...c, uri: clientUri(server, c.uri) } : c)) };
}
