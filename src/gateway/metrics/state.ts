import type { KeyedAggregates, StoredAggregate } from './aggregates.js';
import type { RangeBuckets, StoredBucket } from './buckets.js';
import type { RecentEntry, RecentRing } from './recent.js';
import type { RangeName } from './types.js';

/** The format of metrics.json; a file of another version is ignored (and replaced at the next save). */
export const STATE_VERSION = 1;

/** What metrics.json holds. */
export interface MetricsState {
  version: typeof STATE_VERSION;
  /** RFC 3339: since when the per-key aggregates count. */
  since: string;
  saved_at: string;
  buckets: Partial<Record<RangeName, StoredBucket[]>>;
  tools: StoredAggregate[];
  servers: StoredAggregate[];
  routes: StoredAggregate[];
  recent_calls: RecentEntry[];
  recent_errors: RecentEntry[];
  /**
   * Per server id: the bucket epoch, per range, it was last counted in (the buckets' distinct
   * `servers`), so a server called before and after a restart in one bucket counts once.
   * Optional: a file written before it had none.
   */
  servers_seen?: Record<string, number[]>;
}

/** What saving and loading use of a recent ring (whatever records it holds). */
type RecentStore = Pick<RecentRing<unknown>, 'list' | 'load'>;

export interface StateParts {
  buckets: readonly RangeBuckets[];
  tools: KeyedAggregates;
  servers: KeyedAggregates;
  routes: KeyedAggregates;
  recentCalls: RecentStore;
  recentErrors: RecentStore;
  /** Server id → the bucket epoch per range it was last counted in. */
  serversSeen: Map<string, Float64Array>;
}

export function saveState(parts: StateParts & { since: number }): MetricsState {
  return {
    version: STATE_VERSION,
    since: new Date(parts.since).toISOString(),
    saved_at: new Date().toISOString(),
    buckets: Object.fromEntries(parts.buckets.map((b) => [b.spec.name, b.save()])),
    tools: parts.tools.save(),
    servers: parts.servers.save(),
    routes: parts.routes.save(),
    recent_calls: parts.recentCalls.list(),
    recent_errors: parts.recentErrors.list(),
    servers_seen: Object.fromEntries([...parts.serversSeen].map(([id, epochs]) => [id, [...epochs]])),
  };
}

/**
 * Adds a parsed metrics.json into the parts. Anything not in the expected shape is skipped, part
 * by part and entry by entry, so a damaged file loses only what is damaged.
 * @returns the file's `since` (ms since the epoch), if it has a valid one
 */
export function loadState(state: unknown, parts: StateParts): number | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const s = state as Partial<Record<keyof MetricsState, unknown>>;
  if (s.version !== STATE_VERSION) return undefined;
  const stored = (typeof s.buckets === 'object' && s.buckets !== null ? s.buckets : {}) as Record<string, unknown>;
  for (const buckets of parts.buckets) buckets.load(stored[buckets.spec.name]);
  parts.tools.load(s.tools);
  parts.servers.load(s.servers);
  parts.routes.load(s.routes);
  parts.recentCalls.load(s.recent_calls, settledAt);
  parts.recentErrors.load(s.recent_errors, settledAt);
  loadSeen(s.servers_seen, parts.serversSeen, parts.buckets.length);
  const since = typeof s.since === 'string' ? Date.parse(s.since) : NaN;
  return Number.isFinite(since) ? since : undefined;
}

/** Adds stored last-counted epochs into `seen` (the later of the two per range); malformed entries are skipped. */
function loadSeen(stored: unknown, seen: Map<string, Float64Array>, ranges: number): void {
  if (typeof stored !== 'object' || stored === null) return;
  for (const [id, epochs] of Object.entries(stored)) {
    if (!Array.isArray(epochs) || epochs.length !== ranges || !epochs.every((e) => typeof e === 'number' && Number.isFinite(e))) continue;
    const into = seen.get(id) ?? new Float64Array(ranges).fill(-1);
    for (let i = 0; i < ranges; i++) into[i] = Math.max(into[i]!, epochs[i] as number);
    seen.set(id, into);
  }
}

/** When a stored recent entry settled: its start plus its latency. */
function settledAt(stored: RecentEntry): number {
  const entry = stored as { timestamp?: unknown; latency_ms?: unknown };
  const start = typeof entry.timestamp === 'string' ? Date.parse(entry.timestamp) : NaN;
  const latency = typeof entry.latency_ms === 'number' ? entry.latency_ms : 0;
  return Number.isFinite(start) ? start + latency : 0;
}
