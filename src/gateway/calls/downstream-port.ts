import type { DownstreamServer } from '../config/index.js';
import type { Discovered } from '../downstream/index.js';

/** The key of a client's declared capabilities, as the pool keys instances by it (re-exported for the MCP front). */
export { clientCapabilityKey } from '../downstream/index.js';

/** What a call hands the downstream side so that progress, notifications and requests find their way back. */
export interface RelayHooks {
  signal?: AbortSignal;
  timeoutMs: number;
  /** The client session the call is made for: server→client messages are attributed by it. */
  owner?: string;
  /** The capability key of what that client declared (downstream `clientCapabilityKey`); selects the instance. */
  clientCapabilities?: string;
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
  onNotification?: (notification: { method: string; params?: Record<string, unknown> }) => void;
  onServerRequest?: (request: { method: string; params?: Record<string, unknown>; signal?: AbortSignal }) => Promise<Record<string, unknown>>;
}

/** Everything discovery read from a server: the downstream pool's own type. */
export type DiscoveredLists = Discovered;

/** The part of the downstream pool the call pipeline uses (the pool implements it). */
export interface DownstreamPort {
  callTool(
    server: DownstreamServer,
    scopeId: string | undefined,
    params: { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> },
    hooks: RelayHooks,
  ): Promise<Record<string, unknown>>;
  request(
    server: DownstreamServer,
    scopeId: string | undefined,
    method: string,
    params: Record<string, unknown> | undefined,
    hooks: RelayHooks,
  ): Promise<Record<string, unknown>>;
  discover(server: DownstreamServer, scopeId: string | undefined): Promise<DiscoveredLists>;
  /** `resources/subscribe` for `hooks.owner`, counted per (instance, URI): only the first owner subscribes downstream. */
  subscribe(server: DownstreamServer, scopeId: string | undefined, uri: string, hooks: RelayHooks): Promise<void>;
  /** `resources/unsubscribe` for `hooks.owner`: only the last owner unsubscribes downstream. */
  unsubscribe(server: DownstreamServer, scopeId: string | undefined, uri: string, hooks: RelayHooks): Promise<void>;
  /** A client session ended: drops its subscriptions. */
  releaseOwner(owner: string): void;
}
