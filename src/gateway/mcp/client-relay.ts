/**
 * The one client-side relay of both `/mcp` paths: how a downstream's progress, notifications and
 * server→client requests reach the client whose request caused them. One adapter builds the call's
 * hooks (the client's own progress token put back, log messages below the session's
 * `logging/setLevel` left out, the session as the call's owner with its declared capabilities)
 * over a small sink: the SDK path's sink is `ctx.mcpReq`, the lean path's writes SSE
 * (`sse-call-stream.ts`). The pool gives the downstream a progress token of its own; the client's
 * never reaches a shared server.
 */
import { MAX_TIMER_MS, type ClientHooks } from '../calls/index.js';
import { GatewayError } from '../errors.js';
import { passesLogLevel } from './log-level.js';
import type { McpSession } from './session.js';
import type { RelayMessage as Message } from './types.js';

/** Where relayed messages go: both related to the client's request (on Streamable HTTP, its stream). */
export interface RelaySink {
  /** Sends a notification; never throws (a client that went away is not an error: the call's answer says what happened). */
  notify(notification: Message): void;
  /**
   * Sends a request and resolves to the client's answer; rejects with the client's JSON-RPC error
   * (code kept), or when `signal` aborts (the only limit: no timer of the sink's own).
   */
  request(request: Message, signal: AbortSignal): Promise<Record<string, unknown>>;
}

/** A call's hooks, and `end()`, which the caller calls once the call has settled. */
export type RelayHooks = ClientHooks & {
  /**
   * Withdraws what the call still asks of the client (an elicitation, a sampling request): the
   * client is sent `notifications/cancelled` for each (MCP 2025-11-25 Basic › Cancellation), so a
   * form the call no longer waits for closes. A trial: a call that timed out left the client's
   * elicitation form open, unanswerable. Call before the call's answer goes out.
   */
  end(): void;
};

/** The hooks of one client request (`meta` is its `params._meta`), relaying through `sink`. */
export function clientRelay(sink: RelaySink, session: McpSession, meta: Record<string, unknown> | undefined, signal: AbortSignal): RelayHooks {
  const progressToken = meta?.progressToken as string | number | undefined;
  // Made with the call's first request to the client: most calls make none, and a controller per call costs.
  let ended: AbortController | undefined;
  const hooks: RelayHooks = {
    // Set by the call pipeline from the server's call_timeout_sec (it owns this object for the call).
    timeoutMs: 0,
    signal,
    owner: session.id,
    clientCapabilities: session.clientKey,
    onProgress: progressToken === undefined ? undefined : (p) => sink.notify({ method: 'notifications/progress', params: { ...p, progressToken } }),
    onNotification: (n) => {
      if (passesLogLevel(n, session.logLevel)) sink.notify(n);
    },
    // Only method and params go on the wire; the downstream's abort, the client's own cancellation
    // of its call and the end of the call each cancel the relayed request.
    onServerRequest: (request) => {
      ended ??= new AbortController();
      const withdrawn = [request.signal ?? signal, signal, ended.signal];
      const waitMs = hooks.clientWaitMs; // set by the pipeline with timeoutMs, read when the server asks
      if (waitMs === undefined) return sink.request({ method: request.method, params: request.params }, AbortSignal.any(withdrawn));
      const late = AbortSignal.timeout(waitMs);
      return sink.request({ method: request.method, params: request.params }, AbortSignal.any([...withdrawn, late])).catch((error: unknown) => {
        if (!late.aborted) throw error;
        // What the server that asked is told: it may word its own result from it.
        throw new GatewayError('timeout', `the client did not answer ${request.method} within ${waitMs / 1000} s (setting approval_timeout_sec)`);
      });
    },
    end: () => ended?.abort('the call it belonged to has ended'),
  };
  return hooks;
}

/** The part of the SDK's handler context the relay needs. */
export type HandlerContext = {
  mcpReq: {
    signal: AbortSignal;
    notify(n: Message): Promise<void>;
    send(r: Message, options?: { signal?: AbortSignal; timeout?: number }): Promise<unknown>;
  };
};

/** The SDK path: the relay's sink is the handler context, so messages are related to the client's request. */
export function clientHooks(ctx: HandlerContext, meta: Record<string, unknown> | undefined, session: McpSession): RelayHooks {
  const sink: RelaySink = {
    notify: (n) => void ctx.mcpReq.notify(n).catch(() => undefined),
    // The SDK's own default (60 s) would cut a person short: the signal is the limit (RelaySink).
    request: (r, signal) => ctx.mcpReq.send(r, { signal, timeout: MAX_TIMER_MS }) as Promise<Record<string, unknown>>,
  };
  return clientRelay(sink, session, meta, ctx.mcpReq.signal);
}
