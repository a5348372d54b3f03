import { BUILTIN_SERVER_ID, type DownstreamServer } from '../config/index.js';

/**
 * A window's tool set as server ids: each reference is a server's id, else its namespace (the
 * `X-MCPlexer-Servers` header and `GET /visibility?servers=` take either). References that name no
 * server are returned in `unknown`, for the caller to refuse (naming its header or field) or drop.
 * The built-in server (by id or its `mcpx` namespace) is accepted and left out of `ids`: its tools
 * are listed whatever the set, and the extension names it first in the sets it sends.
 */
export function resolveServerRefs(refs: readonly string[], servers: readonly DownstreamServer[]): { ids: Set<string>; unknown: string[] } {
  const ids = new Set<string>();
  const unknown: string[] = [];
  for (const ref of refs) {
    const server = servers.find((s) => s.id === ref) ?? servers.find((s) => s.namespace === ref);
    if (!server) unknown.push(ref);
    else if (server.id !== BUILTIN_SERVER_ID) ids.add(server.id);
  }
  return { ids, unknown };
}

/** `"gh" (namespace github), …`: the servers a refusal lists as the accepted values (at most 10). */
export function knownServers(servers: readonly DownstreamServer[]): string {
  const listed = servers.filter((s) => s.id !== BUILTIN_SERVER_ID);
  const shown = listed.slice(0, 10).map((s) => `"${s.id}" (namespace ${s.namespace})`);
  return shown.join(', ') + (listed.length > 10 ? `, and ${listed.length - 10} more (GET /api/v1/downstreams)` : '') || 'none configured';
}
