import type { ApiErrorBody, ErrorDetail } from './api.js';

/**
 * A refusal or failure of a REST call. `status` is the HTTP status (0: the gateway did not answer
 * at all: `code` is then `unreachable`); `code` is the gateway's error code (`validation_failed`,
 * `not_found`, `conflict`, …; `http_<status>` when the answer carried none); `details` name each
 * field at fault (`{path, message}`); `body` is the error answer as sent.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly details: ErrorDetail[];

  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | undefined,
    message: string,
    code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code ?? body?.error?.code ?? `http_${status}`;
    this.details = body?.error?.details ?? [];
  }
}

/** An answer of the gateway, whatever its status; `body` is the parsed JSON, or the text when it is not JSON. */
export interface RawResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** The error body of an answer, when it has the gateway's error shape. */
export function errorBodyOf(body: unknown): ApiErrorBody | undefined {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null | undefined)?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string') return undefined;
  const details = (error as { details?: unknown }).details;
  return { error: { code: error.code, message: error.message, details: Array.isArray(details) ? (details as ErrorDetail[]) : [] } };
}
