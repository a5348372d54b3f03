import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { ApprovalService, MemoryApprovalStore } from './approvals/index.js';
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
import { Caches } from './cache/index.js';
import { configNames, openAuditInBackground, scopeRedaction, secretTextMasker, serverSecretValues, type OpeningAuditTrail } from './audit/index.js';
import {
  BUILTIN_TOOL_DEFAULTS,
  CallPipeline,
  callRecordFields,
  cancelOrphanedApprovals,
  dashboardRecordFields,
  DiscoveryService,
  fanOutRecords,
  RuntimeConfigHolder,
  type CallRecord,
  type CallRecordSink,
} from './calls/index.js';
import { DataDirGroupRegistry, DownstreamPool, killAllGroupsSync } from './downstream/index.js';
import { answerClientErrors, createHealthReporter, createHttpApp } from './http/index.js';
import { createMcpFront } from './mcp/index.js';
import { EventHub } from './events/index.js';
import { WindowRegistry } from './windows/index.js';
import { createDashboard, openMetrics } from './metrics/index.js';
import type { GatewayOptions, RunningGateway } from './gateway-options.js';
import { createLogger, type Logger } from './log.js';
import { ClientInstaller } from './clients/index.js';
import {
  acquireLock,
  listFromEnv,
  extraTokensFromEnv,
  createDrain,
  DEFAULT_PORT,
  ensureDataDir,
  installTarget,
  listenOn,
  loadOrCreateToken,
  releaseLock,
  silentHolderError,
  tightenDataDir,
  updateLock,
  watchIdle,
  watchYamlConfig,
  wireDaemonEvents,
  wireMcpEvents,
  writeLaunchRecord,
  type GatewayLock,
  type YamlWatch,
} from './runtime/index.js';
import { openSecretBox } from './secrets/index.js';
import { OAuthService } from './oauth/index.js';
import { VERSION } from './version.js';

export type { GatewayOptions, RunningGateway } from './gateway-options.js';

/**
 * Starts the gateway: config store, services, HTTP API and MCP front on loopback. The data dir is
 * made private first (see runtime/permissions.ts); a start that fails after taking the lock
 * releases it (or gives it back to the silent holder it took it from). This is the composition
 * root: it only wires module faces together (the pool is the pipeline's downstream port as it is;
 * health and the router table live in `http/`; the event wiring in `runtime/`).
 * @throws GatewayError `forbidden` (data dir not private and cannot be made so), `conflict` (the
 *   port was given and is taken; a silent holder still runs), or the config's load errors;
 *   `EGATEWAYRUNNING` when another gateway holds the lock.
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
  const displaced = options.lock !== false ? await acquireLock(dataDir, lockInfo, options.lockGraceMs) : undefined;
  try {
    return await assemble(options, { dataDir, logger, env, configFile, startedAt, lockInfo });
  } catch (error) {
    if (options.lock !== false) releaseLock(dataDir, displaced);
    throw silentHolderError(displaced, error);
  }
}

/** What the start has settled before the gateway is assembled. */
type StartContext = { dataDir: string; logger: Logger; env: NodeJS.ProcessEnv; configFile?: string; startedAt: number; lockInfo: GatewayLock };

async function assemble(options: GatewayOptions, start: StartContext): Promise<RunningGateway> {
  const { dataDir, logger, env, configFile, startedAt, lockInfo } = start;
  const box = openSecretBox(dataDir);
  const store = await openConfigStore(dataDir, logger, { box });
  if (!options.logger && !options.logLevel) logger.setLevel(effectiveSettings(store.state.settings, env).settings.log_level);
  const token = loadOrCreateToken(dataDir);
  const extraTokens = extraTokensFromEnv(env, logger);
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
  const managed = { yamlFile: configFile ? path.resolve(configFile) : undefined }; // its items answer REST edits with a 409 naming it
  const services = {
    workspaces: new WorkspaceService(store, env, managed),
    downstreams: new DownstreamService(store, managed),
    routes: new RouteService(store, managed),
    authScopes: new AuthScopeService(store, box, managed),
    settings,
  };

  const oauth = new OAuthService({ store, box, logger, env, port: () => port });
  const runtime = new RuntimeConfigHolder(store, env);
  const pool = new DownstreamPool({
    logger,
    env,
    clientInfo: { name: 'mcplexer', version: VERSION },
    groups,
    startTimeoutMs: () => runtime.current.settings.start_timeout_sec * 1000,
    maxMessageBytes: () => runtime.current.settings.max_message_bytes,
    resolveScope: (scopeId) => oauth.credentials(scopeId, services.authScopes.secretValues(scopeId)),
  });
  const exitHook = () => killAllGroupsSync();
  process.on('exit', exitHook);
  const config = () => runtime.current;
  const discovery = new DiscoveryService({ config, downstream: pool, servers: services.downstreams, logger }); // the pool is its downstream port as it is
  // One notion of a secret for the audit trail, the approval queue and the dashboard (audit/config-lookups.ts).
  const redactionFor = scopeRedaction(
    () => store.state.auth_scopes,
    (id) => ({ ...services.authScopes.secretValues(id), ...oauth.tokenSecrets(id) }),
    () => runtime.current.settings.redaction_words,
    () => [token, ...extraTokens, ...serverSecretValues(store.state.downstreams)],
  );
  // audit.db opens behind the listener, nothing lost (audit/opening.ts); MCPLEXER_AUDIT=off: none (bench, diagnostics).
  const audit: OpeningAuditTrail<CallRecord> | undefined =
    env.MCPLEXER_AUDIT === 'off'
      ? undefined
      : openAuditInBackground<CallRecord>({
          dataDir,
          logger,
          describe: callRecordFields,
          redactionFor,
          names: configNames(() => store.state),
          settings: () => runtime.current.settings,
        });
  const maskText = secretTextMasker(redactionFor); // the dashboard's texts (tool names, client names, messages) and metrics.json
  const metrics = openMetrics<CallRecord>({ dataDir, logger, describe: (record) => dashboardRecordFields(record, maskText), maskText });
  const records = fanOutRecords([audit?.sink, metrics, options.callRecords], logger);
  const caches = new Caches(runtime);
  // Approvals are kept in audit.db (a restart cancels what was pending); in memory when the audit trail is off.
  const approvals = new ApprovalService(options.approvalStore ?? audit?.approvals ?? new MemoryApprovalStore(), logger, redactionFor);
  // Settles once audit.db is open and the last run's pending approvals are cancelled (awaited after listening).
  const opened = Promise.all([audit?.opened, approvals.start()]);
  opened.catch(() => undefined); // handled below; not an unhandled rejection before that
  cancelOrphanedApprovals(runtime, approvals, logger);
  const pipeline = new CallPipeline({ config, downstream: pool, records, approvals, logger, cache: caches.toolCalls });
  const front = createMcpFront({ version: VERSION, config, pipeline, discovery, downstream: pool, logger });
  const onConfigChange = wireMcpEvents({ pool, front, discovery, current: () => store.state, logger, oauth });
  runtime.on('change', (next, previous) => onConfigChange(next.state, previous.state));
  const windows = new WindowRegistry({ leaseSec: options.windowLeaseSec ?? (Number(env.MCPLEXER_WINDOW_LEASE_SEC) || undefined) });
  const events = new EventHub();
  const unwireEvents = wireDaemonEvents({ hub: events, pool, discovery, runtime, windows });
  const requestStop = () => (options.onStopRequest ?? (() => void stop()))();
  const drain = createDrain({
    refuseSessions: () => front.drain(),
    inFlight: () => pipeline.inFlight,
    whenIdle: () => pipeline.whenIdle(),
    maxWaitMs: () => runtime.current.settings.call_timeout_sec * 1000,
    stop: requestStop,
    logger,
  });

  const health = createHealthReporter({
    version: VERSION,
    mode: options.mode ?? 'daemon',
    dataDir,
    configFile: path.join(dataDir, CONFIG_FILE),
    httpAddr: () => `${host}:${port}`,
    startedAt,
    configError: () => [store.lastReloadError, yaml?.error()].filter(Boolean).join('; ') || undefined, // config.json's, YAML's: last good kept, health degraded
    servers: () => store.state.downstreams,
    poolHealth: (servers) => pool.health(servers),
    discovery,
    warningsFor: (serverId) => runtime.current.catalog.warningsFor(serverId),
    draining: drain.draining,
  });

  const { listener } = createHttpApp({
    logger,
    security: {
      port: () => port,
      token,
      extraTokens,
      trustedHosts: listFromEnv(env.MCPLEXER_TRUSTED_HOSTS),
      trustedOrigins: listFromEnv(env.MCPLEXER_TRUSTED_ORIGINS),
    },
    ...services,
    config,
    discovery,
    audit,
    health,
    caches,
    oauth,
    builtinToolDefaults: () => BUILTIN_TOOL_DEFAULTS,
    onSettingsChange: () => logger.setLevel(settings.current().settings.log_level),
    requestStop,
    approvals,
    windows,
    events,
    eventsOptions: { pingMs: options.eventPingMs },
    drain: drain.drain,
    restartDownstream: async (serverId) => {
      discovery.forget(serverId);
      await pool.stopServer(serverId);
    },
    dashboard: createDashboard({
      figures: metrics.figures,
      approvalMetrics: () => approvals.metrics(),
      cacheStats: () => caches.cacheStats(),
      sessions: front.sessionList,
      config: () => store.state,
      poolHealth: (servers) => pool.health(servers),
      maskText,
    }),
    clients: new ClientInstaller({ env, ...installTarget(dataDir, host, () => port, token), warn: (message, fields) => logger.warn(message, fields) }),
    mcpHandler: front.handler,
    mcpSessionPath: front.sessionPath,
    ui: options.ui,
  });
  const server: Server = createServer(listener);
  answerClientErrors(server);
  try {
    port = await listenOn(server, host, port, options.portFallback ?? options.port === undefined, logger);
  } catch (error) {
    yaml?.close();
    store.close();
    await audit?.close();
    throw error;
  }
  if (options.lock !== false) {
    updateLock(dataDir, { ...lockInfo, port });
    writeLaunchRecord(dataDir, { config_file: lockInfo.configFile ?? null, port: options.portFallback || !options.port ? null : options.port });
  }
  const url = `http://${host}:${port}`;
  logger.info('MCPlexer gateway listening', { url, data_dir: dataDir, version: VERSION });
  options.onListening?.(url);
  const idleSources = { windows: () => windows.live, sessions: () => front.sessions.size, calls: () => pipeline.inFlight };
  const idle = options.exitWhenIdleMinutes === undefined ? undefined : watchIdle(options.exitWhenIdleMinutes * 60_000, idleSources, requestStop, logger);

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      idle?.stop();
      oauth.close();
      unwireEvents();
      windows.close();
      yaml?.close();
      store.close();
      // Calls still waiting for approval are answered ("server shutdown") before their sessions close.
      await approvals.shutdown();
      await front.close().catch(() => undefined);
      await pool.stopAll();
      await metrics.stop();
      await audit?.close(); // after the calls the stop cancelled are recorded
      process.off('exit', exitHook);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (options.lock !== false) releaseLock(dataDir);
    })();
    return stopping;
  }
  // A gateway whose audit trail cannot open does not run (as when it opened before listening).
  await opened.catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, port, token, dataDir, store, stop };
}
