import { createServer, type Server } from 'node:http';
import path from 'node:path';
import {
  AuthScopeService,
  CONFIG_FILE,
  DownstreamService,
  effectiveSettings,
  openConfigStore,
  RouteService,
  SettingsService,
  WorkspaceService,
  type ConfigStore,
} from './config/index.js';
import { BUILTIN_TOOL_DEFAULTS, CallPipeline, DiscoveryService, RuntimeConfigHolder, type DownstreamPort } from './calls/index.js';
import { DataDirGroupRegistry, DownstreamPool, killAllGroupsSync } from './downstream/index.js';
import { createHttpApp, type HealthReport } from './http/index.js';
import { downstreamOpsRouter } from './http/routers/downstream-ops.js';
import { dryRunRouter } from './http/routers/dry-run.js';
import { createMcpFront } from './mcp/index.js';
import { wireMcpEvents } from './runtime/mcp-wiring.js';
import { createLogger, type Logger, type LogLevel } from './log.js';
import { shutdownRouter } from './http/routers/shutdown.js';
import { ensureDataDir, loadOrCreateToken } from './runtime/data-dir.js';
import { writeLaunchRecord } from './runtime/launch-record.js';
import { DEFAULT_PORT, listenOn } from './runtime/listen.js';
import { tightenDataDir } from './runtime/permissions.js';
import { watchYamlConfig, type YamlWatch } from './runtime/yaml-watch.js';
import { acquireLock, releaseLock, updateLock, type GatewayLock } from './runtime/lock.js';
import { openSecretBox } from './secrets/index.js';

declare const __MCPLEXER_VERSION__: string;
export const VERSION: string = typeof __MCPLEXER_VERSION__ === 'string' ? __MCPLEXER_VERSION__ : '0.0.0-dev';

export interface GatewayOptions {
  dataDir: string;
  host?: string;
  port?: number;
  logger?: Logger;
  logLevel?: LogLevel;
  env?: NodeJS.ProcessEnv;
  mode?: string;
  /** YAML file seeding servers, workspaces and routes (items marked `source: yaml`). */
  configFile?: string;
  /** Take `gateway.lock` (the daemon does; embedded test gateways may not need to). */
  lock?: boolean;
  /**
   * When `port` is taken, try the next ones. Default: only when `port` is not given (another
   * program on the default 8080 is normal); a port the user chose that is taken is an error.
   */
  portFallback?: boolean;
  /** What `POST /api/v1/shutdown` does (the daemon stops and exits); default: `stop()`. */
  onStopRequest?: () => void;
}

export interface RunningGateway {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  store: ConfigStore;
  stop(): Promise<void>;
}

function listFromEnv(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * Starts the gateway: config store, services, HTTP API and MCP front on loopback. The data dir is
 * made private first (see runtime/permissions.ts); a start that fails after taking the lock
 * releases it.
 *
 * @throws GatewayError `forbidden` (data dir not private and cannot be made so), `conflict` (the
 *   port was given and is taken), or the config's load errors; `EGATEWAYRUNNING` when another
 *   gateway holds the lock.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const dataDir = path.resolve(options.dataDir);
  ensureDataDir(dataDir);
  const logger = options.logger ?? createLogger(options.logLevel ?? 'info');
  tightenDataDir(dataDir, logger);
  const env = options.env ?? process.env;
  const configFile = options.configFile ?? (env.MCPLEXER_CONFIG?.trim() || undefined);
  const startedAt = Date.now();
  const lockInfo: GatewayLock = {
    pid: process.pid,
    port: options.port ?? DEFAULT_PORT,
    version: VERSION,
    startedAt: new Date(startedAt).toISOString(),
    ...(configFile ? { configFile: path.resolve(configFile) } : {}),
  };
  if (options.lock !== false) await acquireLock(dataDir, lockInfo);
  try {
    return await assemble(options, { dataDir, logger, env, configFile, startedAt, lockInfo });
  } catch (error) {
    if (options.lock !== false) releaseLock(dataDir);
    throw error;
  }
}

async function assemble(
  options: GatewayOptions,
  {
    dataDir,
    logger,
    env,
    configFile,
    startedAt,
    lockInfo,
  }: { dataDir: string; logger: Logger; env: NodeJS.ProcessEnv; configFile?: string; startedAt: number; lockInfo: GatewayLock },
): Promise<RunningGateway> {
  const store = await openConfigStore(dataDir, logger);
  if (!options.logger && !options.logLevel) logger.setLevel(effectiveSettings(store.state.settings, env).settings.log_level);
  const token = loadOrCreateToken(dataDir);
  const box = openSecretBox(dataDir);
  const host = options.host ?? '127.0.0.1';
  let port = lockInfo.port;
  // Before any child starts: the process groups a gateway killed with SIGKILL left behind.
  const groups = new DataDirGroupRegistry(dataDir, logger);
  await groups.reapOrphans(3_000);

  let yaml: YamlWatch | undefined;
  try {
    yaml = configFile ? await watchYamlConfig(store, path.resolve(configFile), logger) : undefined;
  } catch (error) {
    store.close();
    throw error;
  }

  const settings = new SettingsService(store, env);
  // Items the YAML file manages answer REST edits with a 409 naming the file.
  const managed = { yamlFile: configFile ? path.resolve(configFile) : undefined };
  const services = {
    workspaces: new WorkspaceService(store, env, managed),
    downstreams: new DownstreamService(store, managed),
    routes: new RouteService(store, managed),
    authScopes: new AuthScopeService(store, box, managed),
    settings,
  };

  const runtime = new RuntimeConfigHolder(store, env);
  const pool = new DownstreamPool({
    logger,
    env,
    clientInfo: { name: 'mcplexer', version: VERSION },
    groups,
    startTimeoutMs: () => runtime.current.settings.start_timeout_sec * 1000,
    maxMessageBytes: () => runtime.current.settings.max_message_bytes,
    resolveScope: (scopeId) => {
      const values = services.authScopes.secretValues(scopeId);
      return { env: values, headers: values };
    },
  });
  const exitHook = () => killAllGroupsSync();
  process.on('exit', exitHook);
  const downstream: DownstreamPort = {
    callTool: (server, scopeId, params, hooks) => pool.callTool(server, scopeId ?? null, params, hooks),
    request: (server, scopeId, method, params, hooks) => pool.request(server, scopeId ?? null, method, params, hooks),
    discover: (server, scopeId) => pool.discover(server, scopeId ?? null),
    subscribe: (server, scopeId, uri, hooks) => pool.subscribe(server, scopeId ?? null, uri, hooks),
    unsubscribe: (server, scopeId, uri, hooks) => pool.unsubscribe(server, scopeId ?? null, uri, hooks),
    releaseOwner: (owner) => pool.releaseOwner(owner),
  };
  const config = () => runtime.current;
  const discovery = new DiscoveryService({ config, downstream, servers: services.downstreams, logger });
  const pipeline = new CallPipeline({ config, downstream });
  const front = createMcpFront({ version: VERSION, config, pipeline, discovery, downstream, logger });
  const onConfigChange = wireMcpEvents({ pool, front, discovery, current: () => store.state, logger });
  runtime.on('change', (next, previous) => onConfigChange(next.state, previous.state));

  const downstreamHealth = () =>
    pool.health(store.state.downstreams.filter((s) => s.transport !== 'internal')).map((h) => {
      const server = store.state.downstreams.find((s) => s.id === h.server_id)!;
      const discoveryError = discovery.lastFailure(h.server_id);
      const dropped = discovery.droppedItems(h.server_id);
      const warnings = runtime.current.catalog.warningsFor(h.server_id);
      return {
        ...h,
        name: server.name,
        namespace: server.namespace,
        state: server.enabled ? h.state : 'disabled',
        ...(discoveryError && !h.last_error ? { last_error: discoveryError } : {}),
        // Items discovery left out (beyond the stored-value bounds), each with its list, name and reason.
        ...(dropped.length > 0 ? { discovery_dropped: dropped } : {}),
        ...(warnings.length > 0 ? { warnings } : {}),
      };
    });

  // config.json's and the YAML file's: either keeps the last good config and degrades health.
  const configError = () => [store.lastReloadError, yaml?.error()].filter(Boolean).join('; ') || undefined;
  const health = (): HealthReport => ({
    status: configError() ? 'degraded' : 'ok',
    version: VERSION,
    uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
    mode: options.mode ?? 'daemon',
    data_dir: dataDir,
    http_addr: `${host}:${port}`,
    config_file: path.join(dataDir, CONFIG_FILE),
    ...(configError() ? { config_error: configError() } : {}),
    downstreams: downstreamHealth(),
  });

  const { listener } = createHttpApp({
    logger,
    security: {
      port: () => port,
      token,
      extraTokens: listFromEnv(env.MCPLEXER_EXTRA_TOKENS),
      trustedHosts: listFromEnv(env.MCPLEXER_TRUSTED_HOSTS),
      trustedOrigins: listFromEnv(env.MCPLEXER_TRUSTED_ORIGINS),
    },
    ...services,
    health,
    builtinToolDefaults: () => BUILTIN_TOOL_DEFAULTS,
    onSettingsChange: () => logger.setLevel(settings.current().settings.log_level),
    extendApi: (api) => {
      api.use(
        '/shutdown',
        shutdownRouter(() => (options.onStopRequest ?? (() => void stop()))()),
      );
      api.use('/dry-run', dryRunRouter(config));
      api.use(
        '/downstreams',
        downstreamOpsRouter(
          discovery,
          (id) => {
            const server = services.downstreams.get(id);
            return (
              downstreamHealth().find((h) => h.server_id === server.id) ?? {
                server_id: server.id,
                name: server.name,
                namespace: server.namespace,
                state: 'ready',
                instances: [],
              }
            );
          },
          (ref) => services.downstreams.get(ref).id,
        ),
      );
    },
    mcpHandler: front.handler,
    mcpSessionPath: front.sessionPath,
  });

  const server: Server = createServer(listener);
  try {
    port = await listenOn(server, host, port, options.portFallback ?? options.port === undefined, logger);
  } catch (error) {
    yaml?.close();
    store.close();
    throw error;
  }
  if (options.lock !== false) {
    updateLock(dataDir, { ...lockInfo, port });
    writeLaunchRecord(dataDir, { config_file: lockInfo.configFile ?? null, port: options.portFallback || !options.port ? null : options.port });
  }
  const url = `http://${host}:${port}`;
  logger.info('MCPlexer gateway listening', { url, data_dir: dataDir, version: VERSION });

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      yaml?.close();
      store.close();
      await front.close().catch(() => undefined);
      await pool.stopAll();
      process.off('exit', exitHook);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (options.lock !== false) releaseLock(dataDir);
    })();
    return stopping;
  }
  return { url, port, token, dataDir, store, stop };
}
