/** Folds the instances of one server into the health entry the REST API and dashboard show. */
import type { Instance } from './instance.js';
import type { InstanceHealth, InstanceState, ServerHealth } from './types.js';

/** When instances disagree, the server shows the most telling state first. */
const PRECEDENCE: InstanceState[] = ['busy', 'ready', 'starting', 'stopping', 'failed', 'idle', 'stopped'];

export function aggregateHealth(serverId: string, instances: Instance[], disabled: boolean): ServerHealth {
  const entries = instances.map((instance) => instance.health());
  const state: InstanceState = disabled ? 'disabled' : (PRECEDENCE.find((candidate) => entries.some((entry) => entry.state === candidate)) ?? 'stopped');
  const latest = latestError(entries);
  const stderrSource = latest === undefined ? instances[0] : instances[entries.indexOf(latest)];
  return {
    server_id: serverId,
    state,
    instances: entries,
    ...(latest ? { last_error: latest.last_error, last_error_at: latest.last_error_at } : {}),
    consecutive_failures: entries.reduce((max, entry) => Math.max(max, entry.consecutive_failures), 0),
    stderr_tail: stderrSource?.stderr.tail() ?? [],
  };
}

function latestError(entries: InstanceHealth[]): InstanceHealth | undefined {
  let latest: InstanceHealth | undefined;
  for (const entry of entries) {
    if (entry.last_error_at && (!latest || entry.last_error_at > latest.last_error_at!)) latest = entry;
  }
  return latest;
}
