import type { ToolCallCache } from '../cache/index.js';
import type { DownstreamServer } from '../config/index.js';
import { GatewayError } from '../errors.js';
import type { RuntimeConfig } from './runtime-config.js';

type ToolResult = Record<string, unknown>;

export const FLUSH_CACHE_TOOL = 'mcpx__flush_cache';

export const FLUSH_CACHE_DESCRIPTION =
  "Flush MCPlexer's tool-call result cache, for one downstream server (server_id: its id, name or namespace) or for all of them. The next calls of cached read tools go to the servers again.";

export const FLUSH_CACHE_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: { server_id: { type: 'string', description: "a downstream server's id, name or namespace; leave it out for every server" } },
};

/**
 * `mcpx__flush_cache {server_id?}` (ORIGINAL.md "Built-in mcpx tools"): the tool-call cache of one
 * server, or of every server; the route cache is left alone (`POST /cache/flush` flushes it).
 *
 * @throws GatewayError `invalid_params` when `server_id` is not a string or names no downstream server
 */
export function flushCacheTool(args: Record<string, unknown> | undefined, config: RuntimeConfig, cache: ToolCallCache | undefined): ToolResult {
  const ref = args?.server_id;
  if (ref !== undefined && (typeof ref !== 'string' || !ref.trim()))
    throw new GatewayError('invalid_params', `${FLUSH_CACHE_TOOL}: "server_id" must be a server's id, name or namespace; leave it out to flush every server`);
  if (ref === undefined) {
    cache?.flush();
    return text('Flushed the tool-call cache of every downstream server.');
  }
  const server = findServer(config.catalog.servers, ref);
  if (!server)
    throw new GatewayError(
      'invalid_params',
      `${FLUSH_CACHE_TOOL}: no downstream server "${ref}" (give a server's id, name or namespace, or leave server_id out for all)`,
    );
  cache?.flush(server.id);
  return text(`Flushed the tool-call cache of "${server.name}" (${server.id}).`);
}

function findServer(servers: readonly DownstreamServer[], ref: string): DownstreamServer | undefined {
  const candidates = servers.filter((s) => s.transport !== 'internal');
  return candidates.find((s) => s.id === ref) ?? candidates.find((s) => s.name === ref) ?? candidates.find((s) => s.namespace === ref);
}

const text = (value: string): ToolResult => ({ content: [{ type: 'text', text: value }] });
