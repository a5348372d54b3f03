/**
 * The gateway daemon: no `vscode`, no DOM. `startGateway` is the composition root; everything
 * else is reached through the REST API and the MCP endpoint it serves.
 */
export { startGateway, VERSION, type GatewayOptions, type RunningGateway } from './gateway.js';
export {
  defaultDataDir,
  DEFAULT_PORT,
  readLaunchRecord,
  readLock,
  lockPath,
  isAlive,
  healthAnswers,
  type LaunchRecord,
  type GatewayLock,
} from './runtime/index.js';
