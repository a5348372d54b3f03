import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { ApiErrorBody } from '../../shared/api.js';
import { GatewayError, payloadTooLarge, type GatewayErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import { bearerChallenge } from './security.js';
import { badPathEncoding } from './path-params.js';

/** The one table from error code to HTTP status. */
const STATUS: Record<GatewayErrorCode, number> = {
  validation_failed: 400,
  bad_request: 400,
  parse_error: 400,
  session_required: 400,
  // A 2025-era client that gets 404 on a session id starts a new session (MCP Streamable HTTP).
  session_not_found: 404,
  invalid_params: 400,
  payload_too_large: 413,
  headers_too_large: 431,
  request_timeout: 408,
  unsupported_media_type: 415,
  capacity_exceeded: 503,
  draining: 503,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  unknown_tool: 404,
  conflict: 409,
  unprocessable: 422,
  internal: 500,
  not_implemented: 501,
  bad_gateway: 502,
  downstream_error: 502,
  downstream_unavailable: 502,
  server_disabled: 409,
  denied: 403,
  no_route: 403,
  approval_denied: 403,
  approval_timeout: 403,
  justification_required: 403,
  timeout: 504,
  cancelled: 499,
};

/** The HTTP status of an error code (the table above); 500 for a code the table lacks. */
export function httpStatusOf(code: GatewayErrorCode): number {
  return STATUS[code] ?? 500;
}

/** The REST error body: `{"error": {"code", "message", "details": [{"path", "message"}]}}`. */
export function errorBody(error: GatewayError): ApiErrorBody {
  return { error: { code: error.code, message: error.message, details: error.details } };
}

/** Body-parser failures arrive as plain errors with a `type`; map them to our codes. */
function fromParserError(error: { type?: string; message?: string; limit?: number; charset?: string; encoding?: string }): GatewayError | undefined {
  if (error.type === 'entity.too.large') {
    return payloadTooLarge(error.limit ?? 1048576);
  }
  if (error.type === 'entity.parse.failed') {
    return new GatewayError('validation_failed', `malformed JSON in request body: ${error.message}`, { details: [{ path: '', message: 'malformed JSON' }] });
  }
  // 415, as body-parser itself says (RFC 9110 §15.5.16), naming the header and what to send.
  if (error.type === 'charset.unsupported') {
    return new GatewayError('unsupported_media_type', `Unsupported Media Type: ${error.message ?? 'unsupported charset'}; send the JSON as UTF-8`, {
      details: [{ path: 'Content-Type', message: `charset "${error.charset ?? '?'}" is not supported: send charset=utf-8, or none` }],
    });
  }
  if (error.type === 'encoding.unsupported') {
    return new GatewayError('unsupported_media_type', `Unsupported Media Type: ${error.message ?? 'unsupported content encoding'}`, {
      details: [
        { path: 'Content-Encoding', message: `"${error.encoding ?? '?'}" is not supported: send the body as it is (identity), or gzip, deflate or br` },
      ],
    });
  }
  return undefined;
}

/**
 * The MCP front's error body for a refusal on `/mcp` (a JSON-RPC error response); `request` is
 * the parsed body when there is one, so the response can carry the request's id.
 */
export type McpErrorBody = (error: GatewayError, request: unknown) => unknown;

/**
 * Writes a refusal: the status from the table, `WWW-Authenticate` on a 401 (RFC 6750 §3), and
 * the given JSON body (the REST error body, or the MCP front's JSON-RPC error on `/mcp`).
 */
export function sendError(res: ServerResponse, error: GatewayError, body: unknown): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) };
  if (error.code === 'unauthorized') headers['www-authenticate'] = bearerChallenge(error.message);
  res.writeHead(httpStatusOf(error.code), headers).end(text);
}

/** Maps anything thrown to a GatewayError: ours as is, body-parser failures to their codes, the rest as internal. */
export function toGatewayError(raw: unknown): GatewayError {
  if (raw instanceof GatewayError) return raw;
  return fromParserError((raw ?? {}) as { type?: string }) ?? new GatewayError('internal', 'internal error', { cause: raw });
}

/**
 * Express's last error handler; on `/mcp` the body is the MCP front's JSON-RPC error. A URIError is
 * the router failing to decode a path parameter (a 400 naming it).
 */
export function errorHandler(logger: Logger, mcpErrorBody?: McpErrorBody): ErrorRequestHandler {
  return (raw, req, res, _next) => {
    const error = raw instanceof URIError ? badPathEncoding(req.originalUrl) : toGatewayError(raw);
    if (error.code === 'internal') logger.error('request failed', { method: req.method, path: req.path, error: String(raw?.stack ?? raw) });
    if (res.headersSent) return void res.end();
    sendError(res, error, mcpErrorBody && req.path === '/mcp' ? mcpErrorBody(error, req.body) : errorBody(error));
  };
}
