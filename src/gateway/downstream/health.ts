/** Folds the instances of one server into the health entry the REST API and dashboard show. */
import type { Instance } from './instance.js';
import type { InstanceHealth, InstanceState, ServerHealth } from './types.js';

/** When instances disagree, the server shows the most telling state first. */
const PRECEDENCE: InstanceState[] = ['busy', 'ready', 'starting', 'stopping', 'failed', 'idle', 'stopped'];

export function aggregateHealth(serverId: string, instances: Instance[], disabled: boolean): ServerHealth {
  const entries = instances.map((instance) => instance.health());
  const state: InstanceState = disabled ? 'disabled' : (PRECEDENCE.find((candidate) => entries.some((entry) => entry.state === candidate)) ?? 'stopped');
  const latest = latestError(entries);
  const stderrSource = latest === undefined ? instances[liveliest(entries)] : instances[entries.indexOf(latest)];
  const noise = stderrSource?.stdoutNoise.report();
  return {
    server_id: serverId,
    state,
    instances: entries,
    ...(latest ? { last_error: latest.last_error, last_error_at: latest.last_error_at } : {}),
    consecutive_failures: entries.reduce((max, entry) => Math.max(max, entry.consecutive_failures), 0),
    stderr_tail: stderrSource?.stderr.tail() ?? [],
    ...(noise ? { stdout_not_jsonrpc: noise } : {}),
  };
}

function latestError(entries: InstanceHealth[]): InstanceHealth | undefined {
  let latest: InstanceHealth | undefined;
  for (const entry of entries) {
    if (entry.last_error_at && (!latest || entry.last_error_at > latest.last_error_at!)) latest = entry;
  }
  return latest;
}

/**
 * Without an error, the tail shown is that of the instance a user is most likely looking at (a
 * server has one instance per scope and client capability set): one with calls in flight, else
 * the most recently started.
 */
function liveliest(entries: InstanceHealth[]): number {
  const busy = entries.findIndex((entry) => entry.in_flight > 0);
  if (busy >= 0) return busy;
  let best = 0;
  for (let i = 1; i < entries.length; i++) if ((entries[i]!.started_at ?? '') > (entries[best]!.started_at ?? '')) best = i;
  return best;
}
