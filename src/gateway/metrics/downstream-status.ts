import type { DownstreamServer } from '../config/index.js';

/** One configured downstream server (`active_downstreams`, the original's fields). */
export interface DownstreamEntry {
  server_id: string;
  server_name: string;
  /** Instances running now (any scope, any client capability set). */
  instance_count: number;
  /** `ready|busy|idle|starting|stopping|stopped|disabled|external|failed`. */
  state: string;
  disabled: boolean;
}

/** What the pool's health says of one server (the pool's `ServerHealth` fits). */
export interface PoolHealthEntry {
  server_id: string;
  state: string;
  instances: ReadonlyArray<{ state: string }>;
}

/** Instance states that mean a process (or connection) is there. */
const RUNNING = new Set(['ready', 'busy', 'idle', 'starting', 'stopping']);

/**
 * `active_downstreams`: every configured server (the built-in `mcpx` left out) with the pool's
 * state. As in the original, a disabled server is `disabled` and a remote (HTTP) server the pool
 * holds no connection to (`stopped`) is `external`; otherwise the pool's state (`stopped` before its first call).
 * @param health the pool's health of `servers`, one entry each, in order
 */
export function downstreamEntries(servers: readonly DownstreamServer[], health: readonly PoolHealthEntry[]): DownstreamEntry[] {
  return servers.map((server, i) => {
    const entry = health[i];
    const instanceCount = entry?.instances.filter((instance) => RUNNING.has(instance.state)).length ?? 0;
    const poolState = entry?.state ?? 'stopped';
    const state = !server.enabled ? 'disabled' : poolState === 'stopped' && server.transport === 'http' ? 'external' : poolState;
    return { server_id: server.id, server_name: server.name, instance_count: instanceCount, state, disabled: !server.enabled };
  });
}
