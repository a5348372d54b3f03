import type { CallRecord } from '../call-record.js';

type Result = Record<string, unknown>;

/**
 * Step 4, the cache join point: right before the invocation, after approval (a cached answer
 * never skips a policy). Today nothing is cached and this answers undefined. The cache module
 * (issue 17) plugs in here: one map read keyed by (server, scope, tool, hash of `record.args`);
 * `record.cacheBust` (the client's `_cache_bust: true`, already taken out of the arguments) skips
 * the read and refreshes; a hit sets `record.cacheHit` and adds `_meta.cache` to the result; a
 * successful mutation invalidates its server and scope after the call.
 *
 * @returns the cached result, or undefined to invoke
 */
export function lookupCache(_record: CallRecord): Result | undefined {
  return undefined;
}
