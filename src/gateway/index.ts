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
// What the stdio bridge shares with the MCP front: the workspace header, the message check and the error codes.
export { JsonRpcCode, WORKSPACE_HEADER, checkClientMessage, jsonRpcErrorBody, requestIdOf, type JsonRpcId } from './mcp/index.js';
