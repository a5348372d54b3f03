import type { ToolCallCache } from '../../cache/index.js';
import { BUILTIN_SERVER_ID } from '../../config/index.js';
import type { CallRecord } from '../call-record.js';
import type { RelayHooks } from '../downstream-port.js';

type Result = Record<string, unknown>;

/**
 * Step 4, the cache: right before the invocation, after approval (a cached answer never skips a
 * policy), tools/call only. The key is the decided server and auth scope, the calling client's
 * instance key (capabilities and roots), the tool's downstream name and the forwarded arguments (`record.args`, `_cache_bust` already taken out);
 * `record.cacheBust` skips the lookup and refreshes the entry; a hit sets `record.cacheHit` and
 * answers without a promise. Every downstream result comes back with `_meta.cache`; a successful
 * mutation invalidates its server and scope. Built-in `mcpx` tools are answered by the gateway
 * itself and bypass it (no `_meta.cache`).
 *
 * @param cache the gateway's tool-call cache (none: every call is invoked as it is)
 * @param hooks the call's relay: its `signal` (a call waiting for an identical one stops waiting when the client cancels) and `clientCapabilities`
 * @param invoke the invocation step
 * @throws what `invoke` throws; GatewayError `cancelled` when the client cancels while waiting for an identical call
 */
export function throughCache(
  cache: ToolCallCache | undefined,
  record: CallRecord,
  hooks: Pick<RelayHooks, 'signal' | 'clientCapabilities'>,
  invoke: () => Promise<Result> | Result,
): Promise<Result> | Result {
  const server = record.decision?.server ?? record.server!;
  if (cache === undefined || server.id === BUILTIN_SERVER_ID) return invoke();
  const call = {
    serverId: server.id,
    scopeId: record.decision?.auth_scope_id ?? null,
    client: hooks.clientCapabilities ?? '',
    tool: record.downstreamName!,
    args: record.args,
    readOnly: record.readOnly,
    bust: record.cacheBust,
    signal: hooks.signal,
  };
  return cache.call(call, record, invoke);
}
