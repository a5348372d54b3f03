import type { DownstreamServer } from '../config/index.js';
import type { Discovered } from '../downstream/index.js';

/** What a call hands the downstream side so that progress, notifications and requests find their way back. */
export interface RelayHooks {
  signal?: AbortSignal;
  timeoutMs: number;
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
}
