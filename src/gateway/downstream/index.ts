/**
 * @module downstream
 * The downstream pool: one MCP client per (downstream server, auth scope, client capability set), over stdio (a child
 * process tree the pool owns) or Streamable HTTP (with legacy SSE fallback). It starts instances
 * lazily, stops them when idle, restarts them with backoff after a crash, keeps each child's
 * stderr tail, relays progress, notifications and server→client requests to the call they belong
 * to (attributed by owner: README "Routing without related-request ids"), counts resource
 * subscriptions per owner, and discovers tools, resources, resource templates and prompts. Design notes: README.md.
 */
export { DownstreamPool } from './pool.js';
export { capabilitiesOf, clientCapabilityKey, withRoots, type ClientCapabilityKey, type Root } from './client-capabilities.js';
export { launchKey } from './launch-key.js';
export { MAX_TIMER_MS } from './call-clock.js';
export { killAllGroupsSync } from './process-group.js';
export { DataDirGroupRegistry, type GroupRegistry } from './group-registry.js';
export type {
  CallOptions,
  Discovered,
  DownstreamMessage,
  DownstreamRequest,
  DownstreamResult,
  InstanceHealth,
  InstanceRef,
  InstanceState,
  PoolEvents,
  PoolOptions,
  ProgressUpdate,
  ScopeResolver,
  ScopeValues,
  BearerSource,
  ServerHealth,
  ToolCallParams,
  TransportKind,
} from './types.js';
