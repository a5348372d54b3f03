/**
 * Requests on a stdio connection without the SDK `Client`'s per-request machinery: the hot
 * `tools/call` (and any request that asked for no progress) is written with its own id, and its
 * answer is taken off the transport by id before the SDK sees it. The SDK still owns everything
 * else on the connection: initialize, server→client requests (sampling, elicitation, roots), pings,
 * notifications, and every request with progress. What it spared per call (profile, Dec 2026):
 * the SDK's request options, timeout and abort wiring, and its zod classification of the answer,
 * ~15–20 µs of ~130 µs of gateway CPU.
 *
 * Semantics kept from the SDK's `Protocol.request` (MCP 2025-11-25, Basic › Cancellation): a
 * timeout or an abort sends `notifications/cancelled` for the request and rejects as the SDK does
 * (`SdkError` `RequestTimeout`, or the abort's reason); an error answer rejects with the SDK's
 * `ProtocolError` (code, message, data); a closed connection rejects with `SdkError`
 * `ConnectionClosed`. So `describeCallError` words each failure exactly as before.
 */
import { ProtocolError, SdkError, SdkErrorCode, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { CallClock } from './call-clock.js';
import { malformedResult } from './result-shape.js';
import type { DownstreamResult } from './types.js';

/** Lean ids start here: far above the SDK's own counter (from 0), so the two never meet. */
export const LEAN_ID_BASE = 1_000_000_000_000;

interface Pending {
  resolve: (result: DownstreamResult) => void;
  reject: (error: unknown) => void;
  clock: CallClock;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** What is wrong with a result of this method (a tools/call's shape), undefined when nothing. */
  check: ((result: unknown) => string | undefined) | undefined;
}

type Send = (message: JSONRPCMessage) => Promise<void>;

export class LeanRequests {
  private next = LEAN_ID_BASE;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  /** @param send the connection's send (the call registry sees each outgoing message through it) */
  constructor(private readonly send: Send) {}

  /** Requests in flight. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Sends one request and resolves with its `result` as the server sent it (not validated).
   *
   * @param timeoutMs rejects with `SdkError` `RequestTimeout` after this long (ms; client time left
   *   out: `holder.clock`), and cancels the request downstream
   * @param signal an abort rejects with its reason (an `SdkError` as is, else `RequestTimeout` carrying the reason) and cancels downstream
   * @param holder given the request's clock (the call's entry, which stops it while the client answers the server)
   */
  request(
    method: string,
    params: Record<string, unknown> | undefined,
    timeoutMs: number,
    signal?: AbortSignal,
    check?: (result: unknown) => string | undefined,
    holder?: { clock?: CallClock },
  ): Promise<DownstreamResult> {
    if (signal?.aborted) return Promise.reject(abortError(signal.reason));
    if (this.closed) return Promise.reject(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'));
    const id = this.next++;
    return new Promise<DownstreamResult>((resolve, reject) => {
      const entry: Pending = {
        resolve,
        reject,
        clock: new CallClock(timeoutMs, () => this.cancel(id, new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out', { timeout: timeoutMs }))),
        signal,
        onAbort: undefined,
        check,
      };
      if (signal) {
        entry.onAbort = () => this.cancel(id, abortError(signal.reason));
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.pending.set(id, entry);
      if (holder) holder.clock = entry.clock;
      const message = (params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params }) as JSONRPCMessage;
      this.send(message).catch((error: unknown) => this.settle(id)?.reject(error));
    });
  }

  /**
   * Takes an incoming message if it answers a lean request (an id in the lean range, as a number
   * or as the same number in a string): true when taken, the SDK never sees it. A late answer (its
   * request timed out or was cancelled) is taken and dropped.
   */
  take(message: JSONRPCMessage): boolean {
    if ('method' in message || !('id' in message)) return false;
    const raw = (message as { id: unknown }).id;
    const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(id >= LEAN_ID_BASE)) return false;
    const entry = this.settle(id);
    if (!entry) return true;
    const answer = message as { result?: DownstreamResult; error?: { code: number; message: string; data?: unknown } };
    const problem = answer.error === undefined ? entry.check?.(answer.result) : undefined;
    if (answer.error !== undefined) entry.reject(ProtocolError.fromError(answer.error.code, answer.error.message, answer.error.data));
    else if (problem !== undefined) entry.reject(malformedResult(problem, answer.result));
    else entry.resolve(answer.result as DownstreamResult);
    return true;
  }

  /** The connection closed: every request in flight rejects with `SdkError` `ConnectionClosed`; later ones at once. */
  closeAll(): void {
    this.closed = true;
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'));
  }

  private cancel(id: number, error: unknown): void {
    const entry = this.settle(id);
    if (!entry) return;
    const reason = error instanceof Error ? error.message : String(error);
    this.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } } as JSONRPCMessage).catch(() => undefined); // the connection may be gone: nothing to cancel then
    entry.reject(error);
  }

  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    this.pending.delete(id);
    entry.clock.stop();
    if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort);
    return entry;
  }
}

/** What the SDK rejects an aborted request with. */
function abortError(reason: unknown): SdkError {
  return reason instanceof SdkError ? reason : new SdkError(SdkErrorCode.RequestTimeout, String(reason));
}
