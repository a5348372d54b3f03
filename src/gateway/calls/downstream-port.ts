import type { DownstreamServer } from '../config/index.js';
import type { CallOptions, Discovered, DownstreamResult, ToolCallParams } from '../downstream/index.js';

/** The key of a client's declared capabilities and roots, as the pool keys instances by it (re-exported for the MCP front). */
export { capabilitiesOf, clientCapabilityKey, withRoots, type Root } from '../downstream/index.js';
/** setTimeout's longest delay (ms), for a relayed request whose only limit is its signal. */
export { MAX_TIMER_MS } from '../downstream/index.js';

/**
 * What a call hands the downstream side so that progress, notifications and requests find their
 * way back: the pool's own per-call options (one type, not a twin). The client side builds them
 * (`mcp/client-relay.ts`); the pipeline sets `timeoutMs` (ms) from the server's
 * `call_timeout_sec` or the setting.
 */
export type RelayHooks = CallOptions;

/** Everything discovery read from a server: the downstream pool's own type. */
export type DiscoveredLists = Discovered;

/** `tools/call` params as the client sent them: the pool's own type. */
export type { ToolCallParams };

/**
 * The part of the downstream pool the call pipeline and discovery use. `DownstreamPool`
 * satisfies it as it is (the composition root passes the pool); tests may pass another. A
 * `scopeId` of null means no auth scope.
 */
export interface DownstreamPort {
  /** @throws GatewayError `server_disabled`, `downstream_unavailable`, `downstream_error`, `timeout`, `cancelled` */
  callTool(server: DownstreamServer, scopeId: string | null, params: ToolCallParams, hooks: RelayHooks): Promise<DownstreamResult>;
  /** Any other request (resources/read, prompts/get, completion/complete …); throws as `callTool`. */
  request(
    server: DownstreamServer,
    scopeId: string | null,
    method: string,
    params: Record<string, unknown> | undefined,
    hooks: RelayHooks,
  ): Promise<DownstreamResult>;
  discover(server: DownstreamServer, scopeId: string | null): Promise<DiscoveredLists>;
  /** `resources/subscribe` for `hooks.owner`, counted per (instance, URI): only the first owner subscribes downstream. */
  subscribe(server: DownstreamServer, scopeId: string | null, uri: string, hooks: RelayHooks): Promise<void>;
  /** `resources/unsubscribe` for `hooks.owner`: only the last owner unsubscribes downstream. */
  unsubscribe(server: DownstreamServer, scopeId: string | null, uri: string, hooks: RelayHooks): Promise<void>;
  /** A client session ended: drops its subscriptions. */
  releaseOwner(owner: string): void;
}
