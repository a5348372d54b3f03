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
import { DownstreamPool, killAllGroupsSync } from './downstream/index.js';
import { createHttpApp, type HealthReport } from './http/index.js';
import { downstreamOpsRouter } from './http/routers/downstream-ops.js';
import { dryRunRouter } from './http/routers/dry-run.js';
import { createMcpFront } from './mcp/index.js';
import { wireMcpEvents } from './runtime/mcp-wiring.js';
import { createLogger, type Logger, type LogLevel } from './log.js';
import { ensureDataDir, loadOrCreateToken } from './runtime/data-dir.js';
import { listenWithFallback } from './runtime/listen.js';
import { watchYamlConfig } from './runtime/yaml-watch.js';
import { acquireLock, releaseLock, updateLock } from './runtime/lock.js';
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

/** Starts the gateway: config store, services, HTTP API and MCP front on loopback. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const dataDir = path.resolve(options.dataDir);
  ensureDataDir(dataDir);
  const logger = options.logger ?? createLogger(options.logLevel ?? 'info');
  const store = await openConfigStore(dataDir, logger);
  if (!options.logger && !options.logLevel) logger.setLevel(effectiveSettings(store.state.settings, env).settings.log_level);
  const startedAt = Date.now();
  const token = loadOrCreateToken(dataDir);
  const box = openSecretBox(dataDir);
  const host = options.host ?? '127.0.0.1';
  let port = options.port ?? 8080;
  const lockInfo = { pid: process.pid, port, version: VERSION, startedAt: new Date(startedAt).toISOString() };
  if (options.lock !== false) await acquireLock(dataDir, lockInfo);

  const configFile = options.configFile ?? (env.MCPLEXER_CONFIG?.trim() || undefined);
  const yaml = configFile ? await watchYamlConfig(store, path.resolve(configFile), logger) : undefined;

  const settings = new SettingsService(store, env);
  const services = {
    workspaces: new WorkspaceService(store, env),
    downstreams: new DownstreamService(store),
    routes: new RouteService(store),
    authScopes: new AuthScopeService(store, box),
    settings,
  };

  const runtime = new RuntimeConfigHolder(store, env);
  const pool = new DownstreamPool({
    logger,
    env,
    clientInfo: { name: 'mcplexer', version: VERSION },
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
      return {
        ...h,
        name: server.name,
        namespace: server.namespace,
        state: server.enabled ? h.state : 'disabled',
        ...(discoveryError && !h.last_error ? { last_error: discoveryError } : {}),
      };
    });

  const health = (): HealthReport => ({
    status: store.lastReloadError ? 'degraded' : 'ok',
    version: VERSION,
    uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
    mode: options.mode ?? 'daemon',
    data_dir: dataDir,
    http_addr: `${host}:${port}`,
    config_file: path.join(dataDir, CONFIG_FILE),
    ...(store.lastReloadError ? { config_error: store.lastReloadError } : {}),
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
      api.use('/dry-run', dryRunRouter(config));
      api.use(
        '/downstreams',
        downstreamOpsRouter(discovery, (id) => {
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
        }),
      );
    },
    mcpHandler: front.handler,
    mcpSessionPath: front.sessionPath,
  });

  const server: Server = createServer(listener);
  try {
    port = await listenWithFallback(server, host, port, logger);
  } catch (error) {
    if (options.lock !== false) releaseLock(dataDir);
    yaml?.close();
    store.close();
    throw error;
  }
  if (options.lock !== false) updateLock(dataDir, { ...lockInfo, port });
  const url = `http://${host}:${port}`;
  logger.info('MCPlexer gateway listening', { url, data_dir: dataDir, version: VERSION });

  let stopping: Promise<void> | undefined;
  const stop = () => {
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
  };
  return { url, port, token, dataDir, store, stop };
}
