import { isDeepStrictEqual } from 'node:util';
import type { ConfigKind } from '../../shared/schemas/daemon.js';
import type { DiscoveryService, RuntimeConfig, RuntimeConfigHolder } from '../calls/index.js';
import type { DownstreamPool } from '../downstream/index.js';
import type { EventHub } from '../events/index.js';
import type { WindowRegistry } from '../windows/index.js';

const KINDS: ReadonlyArray<[ConfigKind, (config: RuntimeConfig) => unknown]> = [
  ['workspaces', (c) => c.state.workspaces],
  ['downstreams', (c) => c.state.downstreams],
  ['routes', (c) => c.state.routes],
  ['auth_scopes', (c) => c.state.auth_scopes],
  ['settings', (c) => c.settings],
];

/**
 * Feeds the event stream of `GET /api/v1/events`: a downstream instance's state changes
 * (`downstream.state`), the config kinds a change touched (`config.changed`), a server whose
 * discovered tools changed (`tools.changed`), and windows registering, leaving or expiring
 * (`windows.changed`). Returns a function that unhooks it all.
 */
export function wireDaemonEvents(deps: {
  hub: EventHub;
  pool: DownstreamPool;
  discovery: DiscoveryService;
  runtime: RuntimeConfigHolder;
  windows: WindowRegistry;
}): () => void {
  const { hub, pool, discovery, runtime, windows } = deps;
  const onState = ({ server_id, scope_id, state, error }: { server_id: string; scope_id: string | null; state: string; error?: string }) =>
    void hub.publish('downstream.state', { server_id, scope_id, state, ...(error === undefined ? {} : { error }) });
  const onConfig = (next: RuntimeConfig, previous: RuntimeConfig) => {
    const kinds = KINDS.filter(([, of]) => !isDeepStrictEqual(of(next), of(previous))).map(([kind]) => kind);
    if (kinds.length > 0) hub.publish('config.changed', { kinds });
  };
  const onDiscovered = (serverId: string, lists: string[]) => {
    if (lists.includes('tools')) hub.publish('tools.changed', { server_id: serverId });
  };
  const onWindows = () => void hub.publish('windows.changed', {});
  pool.on('state', onState);
  runtime.on('change', onConfig);
  discovery.on('changed', onDiscovered);
  windows.on('changed', onWindows);
  return () => {
    pool.off('state', onState);
    runtime.off('change', onConfig);
    discovery.off('changed', onDiscovered);
    windows.off('changed', onWindows);
  };
}
