/**
 * The gateway daemon: no `vscode`, no DOM. `startGateway` is the composition root; everything
 * else is reached through the REST API and the MCP endpoint it serves.
 */
export { startGateway, VERSION, type GatewayOptions, type RunningGateway } from './gateway.js';
export { defaultDataDir } from './runtime/data-dir.js';
export { DEFAULT_PORT } from './runtime/listen.js';
export { readLaunchRecord, type LaunchRecord } from './runtime/launch-record.js';
export { readLock, lockPath, isAlive, healthAnswers, type GatewayLock } from './runtime/lock.js';
// What the stdio bridge shares with the MCP front: the workspace header, the message check and the error codes.
export { JsonRpcCode, WORKSPACE_HEADER, checkClientMessage, jsonRpcErrorBody, requestIdOf, type JsonRpcId } from './mcp/index.js';
