/**
 * The gateway daemon: no `vscode`, no DOM. `startGateway` is the composition root; everything
 * else is reached through the REST API and the MCP endpoint it serves.
 */
export { startGateway, type GatewayOptions, type RunningGateway } from './gateway.js';
export { VERSION } from './version.js';
// The data dir, the lock and locate-or-start are src/shared/node's (the CLI and the extension use them from there).
export { DEFAULT_PORT } from './runtime/index.js';
// What the stdio bridge shares with the MCP front: the workspace header, the message check, the body limit and the error codes.
export {
  CLIENT_PID_HEADER,
  JsonRpcCode,
  MODEL_HEADER,
  WORKSPACE_HEADER,
  checkClientMessage,
  modelFromHeader,
  jsonRpcErrorBody,
  MAX_MCP_BODY_BYTES,
  payloadTooLargeBody,
  requestIdOf,
  type JsonRpcId,
} from './mcp/index.js';
