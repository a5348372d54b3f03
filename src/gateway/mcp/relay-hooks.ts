import type { ClientHooks } from '../calls/index.js';
import { passesLogLevel } from './log-level.js';
import type { McpSession } from './session.js';

/** The part of the SDK's handler context the relay needs. */
export type HandlerContext = {
  mcpReq: {
    signal: AbortSignal;
    notify(n: { method: string; params?: Record<string, unknown> }): Promise<void>;
    send(r: { method: string; params?: Record<string, unknown> }, options?: { signal?: AbortSignal }): Promise<unknown>;
  };
};

/**
 * How a downstream's progress, notifications and requests reach this client: related to the
 * client's own request (so on Streamable HTTP they travel on that request's stream), with the
 * client's progress token put back and log messages below the session's level left out. The pool
 * gives the downstream a progress token of its own; the client's never reaches a shared server.
 */
export function clientHooks(ctx: HandlerContext, meta: Record<string, unknown> | undefined, session: McpSession): ClientHooks {
  const progressToken = meta?.progressToken as string | number | undefined;
  // A notification to a client that has gone away is not an error: the call's own answer says what happened.
  const notify = (n: { method: string; params?: Record<string, unknown> }) => void ctx.mcpReq.notify(n).catch(() => undefined);
  return {
    signal: ctx.mcpReq.signal,
    onProgress: progressToken === undefined ? undefined : (p) => notify({ method: 'notifications/progress', params: { ...p, progressToken } }),
    onNotification: (n) => {
      if (passesLogLevel(n, session.logLevel)) notify(n);
    },
    // Only method and params go on the wire; the downstream's abort signal cancels the relay.
    onServerRequest: (request) =>
      ctx.mcpReq.send({ method: request.method, params: request.params }, { signal: request.signal }) as Promise<Record<string, unknown>>,
  };
}
