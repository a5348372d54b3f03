import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { GatewayError, payloadTooLarge, type GatewayErrorCode } from '../errors.js';

/**
 * Every JSON-RPC error code MCPlexer emits, by name, each with one meaning. The standard ones are
 * the SDK's `ProtocolErrorCode` (JSON-RPC 2.0 §5.1); MCPlexer's own sit in the range JSON-RPC
 * leaves to the implementation (-32000 to -32099), clear of the codes the SDK and the MCP spec use
 * there (-32002 resource not found, -32020 to -32022 and -32042 of the 2026-07-28 revision).
 * Nothing outside this file writes a code as a number (a unit test greps `src` for them); docs/mcp.md
 * documents each one.
 */
export const JsonRpcCode = {
  /** The body is not JSON. */
  ParseError: ProtocolErrorCode.ParseError,
  /** Not a valid JSON-RPC request (the message names the field), or a request MCP does not allow here. */
  InvalidRequest: ProtocolErrorCode.InvalidRequest,
  /** No such method (the message names it). */
  MethodNotFound: ProtocolErrorCode.MethodNotFound,
  /** The method's params are wrong (the message names the field), or they name a tool, prompt or resource that does not exist. */
  InvalidParams: ProtocolErrorCode.InvalidParams,
  /** A fault in the gateway itself. */
  InternalError: ProtocolErrorCode.InternalError,
  /**
   * A 2025-era request the HTTP transport cannot place: no session id (start one with
   * `initialize`). The SDK's transport uses the same code for its own transport-level refusals
   * (`Accept` without both media types, an unsupported `MCP-Protocol-Version` header).
   */
  TransportRefused: -32000,
  /** A downstream server did not answer within its timeout (the original MCPlexer's and the v1 SDK's code for a timeout). */
  Timeout: -32001,
  /** Refused by access control: a route rule, the default policy, an approval not given, the token. */
  AccessRefused: -32003,
  /** A downstream server failed: it exited, could not start, answered with garbage, or is disabled. */
  DownstreamFailed: -32004,
  /**
   * The session id names no session of this token (ended, expired, or the gateway restarted):
   * start a new one. Sent with HTTP 404, which is what clients act on.
   */
  SessionNotFound: -32005,
  /** The gateway holds as many sessions as `max_sessions` allows. */
  CapacityExceeded: -32006,
  /** The gateway is draining (`POST /api/v1/drain`): it opens no new session and stops once its calls end; connect again later. */
  Draining: -32008,
  /** The stdio bridge (`mcplexer connect`) lost the gateway while the request was in flight. */
  GatewayUnreachable: -32007,
  /** The request was cancelled (the client cancelled it or went away); the LSP's RequestCancelled. */
  Cancelled: -32800,
} as const;

export type JsonRpcCodeName = keyof typeof JsonRpcCode;

/**
 * The one table from error code to JSON-RPC error code. The original used -32002 for downstream
 * failures, but MCP 2025-11-25 retired -32002 ("resource not found") and the SDK rewrites it to
 * -32602, which would tell clients their params were wrong; so downstream failures use -32004.
 */
const JSON_RPC: Record<GatewayErrorCode, number> = {
  denied: JsonRpcCode.AccessRefused,
  no_route: JsonRpcCode.AccessRefused,
  approval_denied: JsonRpcCode.AccessRefused,
  approval_timeout: JsonRpcCode.AccessRefused,
  justification_required: JsonRpcCode.AccessRefused,
  forbidden: JsonRpcCode.AccessRefused,
  unauthorized: JsonRpcCode.AccessRefused,
  downstream_error: JsonRpcCode.DownstreamFailed,
  downstream_unavailable: JsonRpcCode.DownstreamFailed,
  server_disabled: JsonRpcCode.DownstreamFailed,
  bad_gateway: JsonRpcCode.DownstreamFailed,
  timeout: JsonRpcCode.Timeout,
  invalid_params: JsonRpcCode.InvalidParams,
  unknown_tool: JsonRpcCode.InvalidParams,
  validation_failed: JsonRpcCode.InvalidParams,
  not_found: JsonRpcCode.InvalidParams,
  unprocessable: JsonRpcCode.InvalidParams,
  bad_request: JsonRpcCode.InvalidRequest,
  payload_too_large: JsonRpcCode.InvalidRequest,
  headers_too_large: JsonRpcCode.InvalidRequest,
  request_timeout: JsonRpcCode.InvalidRequest,
  method_not_allowed: JsonRpcCode.InvalidRequest,
  unsupported_media_type: JsonRpcCode.InvalidRequest,
  parse_error: JsonRpcCode.ParseError,
  session_required: JsonRpcCode.TransportRefused,
  session_not_found: JsonRpcCode.SessionNotFound,
  capacity_exceeded: JsonRpcCode.CapacityExceeded,
  draining: JsonRpcCode.Draining,
  conflict: JsonRpcCode.InternalError,
  not_implemented: JsonRpcCode.MethodNotFound,
  cancelled: JsonRpcCode.Cancelled,
  internal: JsonRpcCode.InternalError,
};

/** The JSON-RPC code of a GatewayError code. */
export function jsonRpcCodeOf(code: GatewayErrorCode): number {
  return JSON_RPC[code] ?? JsonRpcCode.InternalError;
}

/** Maps anything thrown in a handler to what the client receives. Downstream protocol errors keep their code. */
export function toProtocolError(error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error;
  // A downstream's own JSON-RPC error keeps its code; the message names the server.
  if (error instanceof GatewayError && error.cause instanceof ProtocolError) return new ProtocolError(error.cause.code, error.message, error.cause.data);
  if (error instanceof GatewayError) return new ProtocolError(jsonRpcCodeOf(error.code), error.message, { code: error.code });
  return new ProtocolError(JsonRpcCode.InternalError, 'internal error in the gateway');
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
      code: jsonRpcCodeOf(error.code),
      message: error.message,
      data: error.details.length > 0 ? { code: error.code, details: error.details } : { code: error.code },
    },
  };
}

/** The error response for a message over `limit` bytes: the words of every /mcp path (and of `mcplexer connect`, which refuses such a line itself). */
export function payloadTooLargeBody(limit: number, id: JsonRpcId = null) {
  return jsonRpcErrorBody(payloadTooLarge(limit), id);
}

/**
 * The error a client answered a relayed server→client request with, as a `ProtocolError` that
 * keeps the client's code, message and data, so the downstream sees what the client said (an
 * unusable answer counts as an internal error).
 */
export function clientAnswerError(error: unknown): ProtocolError {
  const { code, message, data } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown; data?: unknown };
  return new ProtocolError(
    Number.isSafeInteger(code) ? (code as number) : JsonRpcCode.InternalError,
    typeof message === 'string' ? message : 'the client answered with an error',
    data,
  );
}
