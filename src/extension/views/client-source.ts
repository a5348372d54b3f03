import type { ClientSource } from '../../shared/webviews/host/client-source.js';
import { ViewError } from '../../shared/webviews/host/wire-error.js';
import type { GatewayConnection } from '../gateway-connection.js';

/** The views' client source in a window: the window's gateway connection and its folders. */
export function clientSource(gateway: GatewayConnection): ClientSource {
  return {
    client() {
      if (gateway.state === 'ready' && gateway.client) return gateway.client;
      const why = gateway.state === 'attaching' ? 'is still starting' : 'is not reachable';
      throw new ViewError('gateway_unavailable', `The MCPlexer gateway ${why}; the view refreshes when it is back (or run “MCPlexer: Restart Gateway”).`);
    },
    folders: () => gateway.folders,
  };
}
