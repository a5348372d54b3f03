/**
 * mcp: the MCP front at `/mcp` — both protocol eras, sessions bound to their token, the
 * aggregated tools/resources/prompts a session sees (namespacing, slim schemas, description
 * overrides), passthrough of resources, prompts and completion, and list_changed notifications.
 */
export { createMcpFront, type McpFront } from './endpoint.js';
export type { FrontDependencies } from './types.js';
export { McpSession, SessionRegistry } from './session.js';
export type { SessionListEntry } from './session-list.js';
export { JsonRpcCode, jsonRpcErrorBody, payloadTooLargeBody, requestIdOf, toProtocolError, type JsonRpcId } from './error-map.js';
export { MAX_MCP_BODY_BYTES } from './endpoint.js';
export { checkClientMessage, MAX_MESSAGE_DEPTH, type MessageProblem } from './check-message.js';
export { WORKSPACE_HEADER } from './client-dir.js';
export { CLIENT_PID_HEADER, MODEL_HEADER, modelFromHeader } from './client-identity.js';
/** Resource URIs in the client's form (owned by calls/, which routes them; re-exported for the event wiring). */
export { clientUri } from '../calls/index.js';
