import { ApiError } from '../../rest-client.js';
import type { WireError } from '../protocol.js';

/** A local error with a code the view understands (`gateway_unavailable`, `unexpected_answer`). */
export class ViewError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ViewError';
  }
}

/**
 * Any error a handler threw, as the view receives it: a gateway `ApiError` keeps its status, code
 * and field details (the form maps them to fields); a refused connection says the gateway is not
 * answering; anything else keeps its message under `internal`.
 */
export function toWireError(error: unknown): WireError {
  if (error instanceof ApiError) {
    return { code: error.code ?? `http_${error.status}`, message: error.message, status: error.status, details: error.details ?? [] };
  }
  if (error instanceof ViewError) return { code: error.code, message: error.message, details: [] };
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      code: 'gateway_unreachable',
      message: `The gateway did not answer (${cause ?? error.message}). Restart it (in VS Code: “MCPlexer: Restart Gateway”).`,
      details: [],
    };
  }
  if (error instanceof Error) return { code: 'internal', message: error.message, details: [] };
  return { code: 'internal', message: String(error), details: [] };
}
