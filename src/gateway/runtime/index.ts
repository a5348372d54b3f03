/**
 * runtime: the daemon's helpers around the composition root — the private data dir and its
 * token, `gateway.lock` and the launch record, the port choice, the YAML config watch, and the
 * wiring that keeps the pool and the MCP sessions in step with config and downstream events, the
 * event stream's sources, the idle exit and the drain.
 * Design notes: README.md.
 */
export { defaultDataDir, ensureDataDir, loadOrCreateToken } from './data-dir.js';
export { readLaunchRecord, writeLaunchRecord, type LaunchRecord } from '../../shared/node/index.js';
export { DEFAULT_PORT, listenOn } from './listen.js';
export {
  acquireLock,
  healthAnswers,
  isAlive,
  lockPath,
  readLock,
  releaseLock,
  silentHolderError,
  STARTING_GRACE_MS,
  updateLock,
  type GatewayLock,
} from './lock.js';
export { wireMcpEvents } from './mcp-wiring.js';
export { tightenDataDir } from './permissions.js';
export { watchYamlConfig, type YamlWatch } from './yaml-watch.js';
export { wireDaemonEvents } from './daemon-events.js';
export { createDrain, type DrainDependencies } from './drain.js';
export { watchIdle, type IdleSources } from './idle-exit.js';
export { extraTokensFromEnv, listFromEnv } from './env-list.js';
export { bridgeCommand, installTarget } from './bridge.js';
