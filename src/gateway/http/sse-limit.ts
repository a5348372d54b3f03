import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { GatewayError } from '../errors.js';

/**
 * Whether a request opens a long-lived event stream: `GET /mcp` (a session's server-to-client
 * stream) and the REST streams `GET /api/v1/events` and `GET /api/v1/<section>/stream`. A POST's
 * event-stream answer ends with its call and is bounded by the sessions, so it is not counted.
 */
export function isSseSubscription(req: Pick<IncomingMessage, 'method'> & { path: string }): boolean {
  if (req.method !== 'GET') return false;
  const path = req.path.length > 1 && req.path.endsWith('/') ? req.path.slice(0, -1) : req.path;
  return path === '/mcp' || path === '/api/v1/events' || (path.startsWith('/api/v1/') && path.endsWith('/stream'));
}

/**
 * The cap on concurrent SSE subscribers (setting `max_sse_streams`, read per request so a change
 * applies at once). Each open stream holds a socket, a subscription and a ping timer; past the cap
 * a new one is refused before it opens, and the streams already open are untouched. A stream is
 * counted from its request until its response closes (the client leaves, or the gateway drops a
 * reader that does not read).
 * @throws GatewayError `capacity_exceeded` (503; on /mcp the JSON-RPC error CapacityExceeded) naming the limit
 *   and the setting
 */
export function sseStreamLimit(limit: () => number): RequestHandler {
  let open = 0;
  return (req, res, next) => {
    if (!isSseSubscription(req)) return next();
    const max = limit();
    if (open >= max) {
      return next(
        new GatewayError(
          'capacity_exceeded',
          `too many event streams: ${open} are open, the limit set by the max_sse_streams setting (${max}). ` +
            'Close streams that are no longer read, or raise max_sse_streams (PUT /api/v1/settings).',
          { details: [{ path: 'max_sse_streams', message: `at most ${max} concurrent event streams` }] },
        ),
      );
    }
    open += 1;
    res.once('close', () => (open -= 1));
    next();
  };
}
