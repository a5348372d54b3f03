/**
 * `@modelcontextprotocol/node`, loaded by the first MCP request that needs it rather than when the
 * gateway starts. It bundles Hono's Node adapter, whose module reads `global.Request` as it loads,
 * and that getter loads Node's fetch implementation (undici): ~40 ms on a slow 2-core machine, a
 * tenth of the daemon's start to healthy. Health, the REST API and the dashboard need none of it;
 * the lean paths of an established session do not either.
 */
export type NodeSdk = typeof import('@modelcontextprotocol/node');

let loading: Promise<NodeSdk> | undefined;

/** The module, loaded once. */
export function nodeSdk(): Promise<NodeSdk> {
  return (loading ??= import('@modelcontextprotocol/node'));
}
