/** What the per-call path sends and accepts, without the SDK's validation or a client's private token. */
import type { RequestOptions, StandardSchemaV1 } from '@modelcontextprotocol/client';
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
 * Never throws: a synchronous SDK failure becomes the rejection.
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
  const sdkOptions: RequestOptions = { timeout: timeoutMs, signal: opts.signal, maxTotalTimeout: opts.maxTotalTimeoutMs };
  let outgoing = params;
  if (opts.onProgress) {
    sdkOptions.onprogress = NOOP; // delivery is the registry's, in wire order; the SDK only mints the token
    sdkOptions.resetTimeoutOnProgress = true;
    registry.beginSend(entry);
  } else if ((params?._meta as Record<string, unknown> | undefined)?.progressToken !== undefined) {
    outgoing = withoutProgressToken(params!); // a client's token must not reach a downstream shared by other clients
  }
  // Without progress, a stdio request skips the SDK client's per-request machinery (same outcomes).
  if (conn.lean && !opts.onProgress)
    return conn.lean.request(method, outgoing, timeoutMs, opts.signal, method === 'tools/call' ? callToolResultProblem : undefined);
  try {
    const sent = conn.client.request({ method, params: outgoing }, AS_SENT, sdkOptions);
    if (method !== 'tools/call') return sent;
    return sent.then((result) => {
      const problem = callToolResultProblem(result);
      if (problem !== undefined) throw malformedResult(problem, result);
      return result;
    });
  } catch (error) {
    return Promise.reject(error);
  } finally {
    registry.beginSend(null);
  }
}
