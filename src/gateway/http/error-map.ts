import type { ErrorRequestHandler } from 'express';
import { GatewayError, type GatewayErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import { badPathEncoding } from './path-params.js';

/** The one table from error code to HTTP status. */
const STATUS: Record<GatewayErrorCode, number> = {
  validation_failed: 400,
  bad_request: 400,
  invalid_params: 400,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
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
  approval_required: 403,
  timeout: 504,
  cancelled: 499,
};

export function httpStatusOf(code: GatewayErrorCode): number {
  return STATUS[code] ?? 500;
}

export function errorBody(error: GatewayError) {
  return { error: { code: error.code, message: error.message, details: error.details } };
}

/** Body-parser failures arrive as plain errors with a `type`; map them to our codes. */
function fromParserError(error: { type?: string; message?: string; limit?: number }): GatewayError | undefined {
  if (error.type === 'entity.too.large') {
    return new GatewayError('payload_too_large', `request body is larger than the ${error.limit ?? 1048576}-byte limit`, {
      details: [{ path: '', message: 'body too large' }],
    });
  }
  if (error.type === 'entity.parse.failed') {
    return new GatewayError('validation_failed', `malformed JSON in request body: ${error.message}`, { details: [{ path: '', message: 'malformed JSON' }] });
  }
  if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
    return new GatewayError('bad_request', error.message ?? 'unsupported body encoding');
  }
  return undefined;
}

/** Maps anything thrown while serving a request; a URIError is the router failing to decode a path parameter. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (raw, req, res, _next) => {
    const error =
      raw instanceof GatewayError
        ? raw
        : raw instanceof URIError
          ? badPathEncoding(req.originalUrl)
          : (fromParserError(raw) ?? new GatewayError('internal', 'internal error', { cause: raw }));
    if (error.code === 'internal') logger.error('request failed', { method: req.method, path: req.path, error: String(raw?.stack ?? raw) });
    if (res.headersSent) return void res.end();
    res.status(httpStatusOf(error.code)).json(errorBody(error));
  };
}
