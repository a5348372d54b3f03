/** What the per-call path sends and accepts, without the SDK's validation or a client's private token. */
import { SdkError, SdkErrorCode, type RequestOptions, type StandardSchemaV1 } from '@modelcontextprotocol/client';
import { CallClock, MAX_TIMER_MS } from './call-clock.js';
import type { CallEntry } from './call-registry.js';
import type { Connection } from './connection.js';
import { callToolResultProblem, malformedResult } from './result-shape.js';
import type { CallOptions, DownstreamResult } from './types.js';

const NOOP = (): void => undefined;

/** The SDK validates results against a schema; ours accepts what the downstream sent, untouched. */
export const AS_SENT: StandardSchemaV1<unknown, DownstreamResult> = {
  '~standard': { version: 1, vendor: 'mcplexer', validate: (value) => ({ value: value as DownstreamResult }) },
};

/** The params without `_meta.progressToken`: a client's token must not reach a downstream other clients share. */
export function withoutProgressToken(params: Record<string, unknown>): Record<string, unknown> {
  const { progressToken: _dropped, ...meta } = params._meta as Record<string, unknown>;
  return { ...params, _meta: meta };
}

/**
 * Sends one request on `conn` for the call `entry` (already in its registry): with progress, the
 * registry learns the SDK's token as it is minted; without, a client's own token is stripped.
 * The call's clock (`entry.clock`, call-clock.ts) times it on both paths, so it can stop while the
 * client answers the server; progress restarts it (the registry's `touch`). Never throws: a
 * synchronous SDK failure becomes the rejection.
 */
export function sendRequest(
  conn: Connection,
  entry: CallEntry,
  method: string,
  params: Record<string, unknown> | undefined,
  opts: CallOptions,
  timeoutMs: number,
): Promise<DownstreamResult> {
  const registry = conn.registry;
  let outgoing = params;
  if (!opts.onProgress && (params?._meta as Record<string, unknown> | undefined)?.progressToken !== undefined) {
    outgoing = withoutProgressToken(params!); // a client's token must not reach a downstream shared by other clients
  }
  // Without progress, a stdio request skips the SDK client's per-request machinery (same outcomes).
  if (conn.lean && !opts.onProgress)
    return conn.lean.request(method, outgoing, timeoutMs, opts.signal, method === 'tools/call' ? callToolResultProblem : undefined, entry);
  // The SDK's own timer cannot stop while the client answers: it gets the longest, and the call's
  // clock aborts the request instead, with the reason the SDK's timer would have given.
  const abort = new AbortController();
  const caller = opts.signal;
  const forward = () => abort.abort(caller!.reason);
  if (caller?.aborted) forward();
  else caller?.addEventListener('abort', forward, { once: true });
  const clock = new CallClock(timeoutMs, () => abort.abort(new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out', { timeout: timeoutMs })));
  entry.clock = clock;
  const settled = () => {
    clock.stop();
    caller?.removeEventListener('abort', forward);
  };
  const sdkOptions: RequestOptions = { timeout: MAX_TIMER_MS, signal: abort.signal, maxTotalTimeout: opts.maxTotalTimeoutMs };
  if (opts.onProgress) {
    sdkOptions.onprogress = NOOP; // delivery is the registry's, in wire order; the SDK only mints the token
    registry.beginSend(entry);
  }
  let sent: Promise<DownstreamResult>;
  try {
    sent = conn.client.request({ method, params: outgoing }, AS_SENT, sdkOptions);
  } catch (error) {
    settled();
    return Promise.reject(error);
  } finally {
    registry.beginSend(null);
  }
  return sent.then(
    (result) => {
      settled();
      if (method !== 'tools/call') return result;
      const problem = callToolResultProblem(result);
      if (problem !== undefined) throw malformedResult(problem, result);
      return result;
    },
    (error: unknown) => {
      settled();
      throw error;
    },
  );
}
