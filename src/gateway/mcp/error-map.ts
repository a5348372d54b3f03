import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { GatewayError, type GatewayErrorCode } from '../errors.js';

/**
 * The one table from error code to JSON-RPC error code: -32003 route refused, -32004 downstream
 * failure, -32001 timeout, -32602 invalid params. The original used -32002 for downstream
 * failures, but MCP 2025-11-25 retired -32002 ("resource not found") and the SDK rewrites it to
 * -32602, which would tell clients their params were wrong; so downstream failures use -32004.
 */
const JSON_RPC: Record<GatewayErrorCode, number> = {
  denied: -32003,
  no_route: -32003,
  approval_required: -32003,
  forbidden: -32003,
  downstream_error: -32004,
  downstream_unavailable: -32004,
  server_disabled: -32004,
  bad_gateway: -32004,
  timeout: -32001,
  invalid_params: -32602,
  unknown_tool: -32602,
  validation_failed: -32602,
  bad_request: -32600,
  payload_too_large: -32600,
  unsupported_media_type: -32600,
  capacity_exceeded: -32000,
  not_found: -32602,
  conflict: -32603,
  unprocessable: -32602,
  unauthorized: -32003,
  not_implemented: -32601,
  cancelled: -32800,
  internal: -32603,
};

/** Maps anything thrown in a handler to what the client receives. Downstream protocol errors keep their code. */
export function toProtocolError(error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error;
  // A downstream's own JSON-RPC error keeps its code; the message names the server.
  if (error instanceof GatewayError && error.cause instanceof ProtocolError) return new ProtocolError(error.cause.code, error.message, error.cause.data);
  if (error instanceof GatewayError) return new ProtocolError(JSON_RPC[error.code] ?? -32603, error.message, { code: error.code });
  return new ProtocolError(-32603, 'internal error in the gateway');
}

/** A JSON-RPC request id as the client sent it, or null when there is none (JSON-RPC 2.0 §5). */
export type JsonRpcId = string | number | null;

/** The id of a single JSON-RPC request body, or null (a batch, a notification, no body). */
export function requestIdOf(body: unknown): JsonRpcId {
  const id = (body as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/**
 * The JSON-RPC error response for a refusal at the HTTP level of `/mcp` (token, body size, media
 * type, session cap, workspace header): `{jsonrpc, id, error: {code, message, data: {code,
 * details?}}}`, the same shape on every /mcp path. The HTTP status is `http/`'s to choose.
 */
export function jsonRpcErrorBody(error: GatewayError, id: JsonRpcId = null) {
  return {
    jsonrpc: '2.0' as const,
    id,
    error: {
      code: JSON_RPC[error.code] ?? -32603,
      message: error.message,
      data: error.details.length > 0 ? { code: error.code, details: error.details } : { code: error.code },
    },
  };
}

/**
 * The error a client answered a relayed server→client request with, as a `ProtocolError` that
 * keeps the client's code, message and data, so the downstream sees what the client said (an
 * unusable answer counts as an internal error).
 */
export function clientAnswerError(error: unknown): ProtocolError {
  const { code, message, data } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown; data?: unknown };
  return new ProtocolError(
    Number.isSafeInteger(code) ? (code as number) : ProtocolErrorCode.InternalError,
    typeof message === 'string' ? message : 'the client answered with an error',
    data,
  );
}
