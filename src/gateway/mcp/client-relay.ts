/**
 * The one client-side relay of both `/mcp` paths: how a downstream's progress, notifications and
 * server→client requests reach the client whose request caused them. One adapter builds the call's
 * hooks (the client's own progress token put back, log messages below the session's
 * `logging/setLevel` left out, the session as the call's owner with its declared capabilities)
 * over a small sink: the SDK path's sink is `ctx.mcpReq`, the lean path's writes SSE
 * (`sse-call-stream.ts`). The pool gives the downstream a progress token of its own; the client's
 * never reaches a shared server.
 */
import type { ClientHooks } from '../calls/index.js';
import { passesLogLevel } from './log-level.js';
import type { McpSession } from './session.js';
import type { RelayMessage as Message } from './types.js';

/** Where relayed messages go: both related to the client's request (on Streamable HTTP, its stream). */
export interface RelaySink {
  /** Sends a notification; never throws (a client that went away is not an error: the call's answer says what happened). */
  notify(notification: Message): void;
  /** Sends a request and resolves to the client's answer; rejects with the client's JSON-RPC error (code kept). */
  request(request: Message, signal: AbortSignal): Promise<Record<string, unknown>>;
}

/** The hooks of one client request (`meta` is its `params._meta`), relaying through `sink`. */
export function clientRelay(sink: RelaySink, session: McpSession, meta: Record<string, unknown> | undefined, signal: AbortSignal): ClientHooks {
  const progressToken = meta?.progressToken as string | number | undefined;
  return {
    // Set by the call pipeline from the server's call_timeout_sec (it owns this object for the call).
    timeoutMs: 0,
    signal,
    owner: session.id,
    clientCapabilities: session.clientKey,
    onProgress: progressToken === undefined ? undefined : (p) => sink.notify({ method: 'notifications/progress', params: { ...p, progressToken } }),
    onNotification: (n) => {
      if (passesLogLevel(n, session.logLevel)) sink.notify(n);
    },
    // Only method and params go on the wire; the downstream's abort signal cancels the relay.
    onServerRequest: (request) => sink.request({ method: request.method, params: request.params }, request.signal ?? signal),
  };
}

/** The part of the SDK's handler context the relay needs. */
export type HandlerContext = {
  mcpReq: {
    signal: AbortSignal;
    notify(n: Message): Promise<void>;
    send(r: Message, options?: { signal?: AbortSignal }): Promise<unknown>;
  };
};

/** The SDK path: the relay's sink is the handler context, so messages are related to the client's request. */
export function clientHooks(ctx: HandlerContext, meta: Record<string, unknown> | undefined, session: McpSession): ClientHooks {
  const sink: RelaySink = {
    notify: (n) => void ctx.mcpReq.notify(n).catch(() => undefined),
    request: (r, signal) => ctx.mcpReq.send(r, { signal }) as Promise<Record<string, unknown>>,
  };
  return clientRelay(sink, session, meta, ctx.mcpReq.signal);
}
