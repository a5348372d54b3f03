/**
 * The gateway's one error type. A `GatewayError` carries a string `code`; the wire form is
 * decided in exactly two places: `http/error-map.ts` (status + JSON body) and
 * `mcp/error-map.ts` (JSON-RPC error or tool result).
 */
export type GatewayErrorCode =
  | 'validation_failed'
  | 'bad_request'
  // the MCP front's transport: a body that is not JSON, a 2025-era request without or with an unknown session
  | 'parse_error'
  | 'session_required'
  | 'session_not_found'
  | 'payload_too_large'
  // the request line and headers over Node's limit (answered from the socket: `http/client-error.ts`)
  | 'headers_too_large'
  // the request line and headers did not arrive within the server's headersTimeout (a slow or stalled client)
  | 'request_timeout'
  | 'unsupported_media_type'
  | 'capacity_exceeded'
  // the daemon is draining (POST /api/v1/drain): no new MCP session
  | 'draining'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  // an API path that answers other methods (405 with Allow)
  | 'method_not_allowed'
  | 'conflict'
  | 'unprocessable'
  | 'not_implemented'
  | 'internal'
  | 'bad_gateway'
  // call pipeline
  | 'denied'
  | 'no_route'
  | 'unknown_tool'
  | 'invalid_params'
  | 'server_disabled'
  // approvals: refusals of a call that needed approval (a tools/call answers them as a tool result with isError)
  | 'approval_denied'
  | 'approval_timeout'
  | 'justification_required'
  | 'downstream_error'
  | 'downstream_unavailable'
  | 'timeout'
  | 'cancelled';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly details: ErrorDetail[];

  constructor(code: GatewayErrorCode, message: string, options: { details?: ErrorDetail[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.details = options.details ?? [];
  }
}

export function notFound(kind: string, id: string): GatewayError {
  return new GatewayError('not_found', `${kind} "${id}" not found`);
}

/** A request body over `limit` bytes: the same message on every path that reads one. */
export function payloadTooLarge(limit: number): GatewayError {
  return new GatewayError('payload_too_large', `request body is larger than the ${limit}-byte limit`, { details: [{ path: '', message: 'body too large' }] });
}

export function conflict(message: string, details: ErrorDetail[] = []): GatewayError {
  return new GatewayError('conflict', message, { details });
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}
