import type { DownstreamHealth, Health } from '../../shared/api.js';
import type { DiscoveryService, ServerState } from '../calls/index.js';
import type { DownstreamServer } from '../config/index.js';

/** The pool's health of one server: the shared `DownstreamHealth` without what the report adds (the pool's `ServerHealth` fits). */
export type PoolServerHealth = Omit<DownstreamHealth, 'name' | 'namespace' | 'discovery_dropped' | 'warnings'>;

/**
 * What the health report is assembled from; the composition root hands these in (http does not
 * import the pool: its `health()` comes in as a function).
 */
export interface HealthSources<H extends PoolServerHealth> {
  version: string;
  mode: string;
  dataDir: string;
  /** config.json's path. */
  configFile: string;
  /** `host:port` the gateway listens on (read at each report: the port is known only after listening). */
  httpAddr: () => string;
  /** When the gateway started, ms since the epoch. */
  startedAt: number;
  /** Why the last config reload (config.json or the YAML file) failed, if it did: health is then `degraded`. */
  configError: () => string | undefined;
  /** Every configured server (the internal built-in one is left out here). */
  servers: () => readonly DownstreamServer[];
  /** The pool's health of these servers, one entry each, in order. */
  poolHealth: (servers: DownstreamServer[]) => H[];
  discovery: Pick<DiscoveryService, 'lastFailure' | 'droppedItems'>;
  /** The catalog's reasons for items of a server it could not list. */
  warningsFor: (serverId: string) => readonly string[];
  /** Whether the daemon drains (`POST /drain`): it refuses new MCP sessions and stops once its calls end. */
  draining?: () => boolean;
}

export interface HealthReporter {
  /** GET /health with the token: the whole report. */
  report(): Health;
  /** GET /downstreams/{id}/health: one server's (a server the pool never saw is `ready` with no instances). */
  server(server: DownstreamServer): DownstreamHealth;
  /** Every server's state, last error (discovery's included) and stderr tail, redacted as the report is (for visibility). */
  serverStates(): ServerState[];
}

/**
 * Assembles the health report: the gateway's own facts, then per server the pool's state with its
 * name and namespace, `disabled` for a disabled server, discovery's last failure when the pool has
 * no error of its own, the items discovery left out (`discovery_dropped`) and the catalog's
 * `warnings`. Computed per request, never cached.
 */
export function createHealthReporter<H extends PoolServerHealth>(sources: HealthSources<H>): HealthReporter {
  const describe = (h: H, server: DownstreamServer): DownstreamHealth => {
    const discoveryError = sources.discovery.lastFailure(h.server_id);
    const dropped = sources.discovery.droppedItems(h.server_id);
    const warnings = sources.warningsFor(h.server_id);
    return {
      ...h,
      name: server.name,
      namespace: server.namespace,
      state: server.enabled ? h.state : 'disabled',
      ...(discoveryError && !h.last_error ? { last_error: discoveryError } : {}),
      // Items discovery left out (beyond the stored-value bounds), each with its list, name and reason.
      ...(dropped.length > 0 ? { discovery_dropped: dropped } : {}),
      ...(warnings.length > 0 ? { warnings: [...warnings] } : {}),
    };
  };
  const downstreams = () => {
    const servers = sources.servers().filter((s) => s.transport !== 'internal');
    return sources.poolHealth(servers).map((h, i) => describe(h, servers[i]!));
  };
  return {
    report() {
      const configError = sources.configError();
      return {
        status: configError ? 'degraded' : 'ok',
        version: sources.version,
        uptime_seconds: Math.round((Date.now() - sources.startedAt) / 1000),
        mode: sources.mode,
        data_dir: sources.dataDir,
        http_addr: sources.httpAddr(),
        config_file: sources.configFile,
        ...(configError ? { config_error: configError } : {}),
        draining: sources.draining?.() ?? false,
        pid: process.pid,
        downstreams: downstreams(),
      };
    },
    serverStates: () => downstreams(),
    server(server) {
      return (
        downstreams().find((h) => h.server_id === server.id) ??
        ({
          server_id: server.id,
          name: server.name,
          namespace: server.namespace,
          state: 'ready',
          instances: [],
        } satisfies DownstreamHealth)
      );
    },
  };
}
