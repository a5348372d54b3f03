import { clientUri, type RuntimeConfig } from '../calls/index.js';

type Item = Record<string, unknown>;

const visibleServers = (config: RuntimeConfig) => config.catalog.servers.filter((s) => s.enabled && s.transport !== 'internal');

export function listResources(config: RuntimeConfig): Item[] {
  return visibleServers(config).flatMap((server) => server.resources.map((r) => ({ ...r, uri: clientUri(server, String(r.uri)) })));
}

export function listResourceTemplates(config: RuntimeConfig): Item[] {
  return visibleServers(config).flatMap((server) => server.resource_templates.map((t) => ({ ...t, uriTemplate: clientUri(server, String(t.uriTemplate)) })));
}
