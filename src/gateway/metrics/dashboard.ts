import type { DownstreamServer, RouteRule } from '../config/index.js';
import type { CallFigures } from './call-metrics.js';
import { downstreamEntries, type DownstreamEntry, type PoolHealthEntry } from './downstream-status.js';
import { rangeOf, type MetricsNames, type RangeName, type RangeSpec } from './types.js';

export type { DownstreamEntry };

/** One live MCP session (`active_session_list`, the original's fields). */
export interface SessionEntry {
  id: string;
  /** The client's `clientInfo.name`. */
  client_type: string | null;
  /** `X-MCPlexer-Client-Pid` (the stdio bridge sends its parent's pid); null when the client does not say. */
  client_pid: number | null;
  /** RFC 3339. */
  connected_at: string;
  /** The most specific workspace of the session's directory (`global` without one). */
  workspace_id: string | null;
  /** The model the client named, when it names one (MCP clients do not: null). */
  model_hint: string | null;
}

/** `approval_metrics` (from approvals/). */
export interface ApprovalMetrics {
  pending_count: number;
  approved_count: number;
  denied_count: number;
  timed_out_count: number;
  avg_wait_ms: number;
}

/** One cache layer's counters (from cache/): `hit_rate` is a fraction 0–1. */
export interface CacheLayerStats {
  hits: number;
  misses: number;
  evictions: number;
  entries: number;
  hit_rate: number;
  bytes: number;
}

export interface CacheStats {
  tool_call: CacheLayerStats;
  route_resolution: CacheLayerStats;
}

/** The live parts of the snapshot; the composition root hands them in as functions. */
export interface DashboardProviders {
  sessions: () => SessionEntry[];
  downstreams: () => DownstreamEntry[];
  approvalMetrics: () => Promise<ApprovalMetrics> | ApprovalMetrics;
  cacheStats: () => CacheStats;
}

const ZERO_LAYER: CacheLayerStats = Object.freeze({ hits: 0, misses: 0, evictions: 0, entries: 0, hit_rate: 0, bytes: 0 });

/** Until approvals/ provides its own: every count 0. */
export const ZERO_APPROVAL_METRICS = (): ApprovalMetrics => ({ pending_count: 0, approved_count: 0, denied_count: 0, timed_out_count: 0, avg_wait_ms: 0 });

/** Until cache/ provides its own: both layers empty. */
export const ZERO_CACHE_STATS = (): CacheStats => ({ tool_call: { ...ZERO_LAYER }, route_resolution: { ...ZERO_LAYER } });

/** GET /dashboard's body: the original's fields in its order, plus `range` and `aggregates_since`. */
export type DashboardSnapshot = {
  active_sessions: number;
  active_session_list: SessionEntry[];
  active_downstreams: DownstreamEntry[];
  recent_errors: CallFigures['recent_errors'];
  recent_calls: CallFigures['recent_calls'];
  stats: CallFigures['stats'];
  timeseries: CallFigures['timeseries'];
  tool_leaderboard: CallFigures['tool_leaderboard'];
  server_health: CallFigures['server_health'];
  error_breakdown: CallFigures['error_breakdown'];
  route_hit_map: CallFigures['route_hit_map'];
  approval_metrics: ApprovalMetrics;
  cache_stats: CacheStats;
  /** Ours: the range the snapshot is for (`1h` when the query named none or an unknown one). */
  range: RangeName;
  aggregates_since: string;
};

/**
 * Assembles the dashboard snapshot from the kept call figures and the live providers. No scan,
 * no side effect: two snapshots in a row differ only by what happened in between.
 * @param range the `?range=` value as given; anything but `1h|6h|24h|7d` means `1h` (the original's rule)
 */
export async function dashboardSnapshot(figures: (range: RangeSpec) => CallFigures, providers: DashboardProviders, range: unknown): Promise<DashboardSnapshot> {
  const spec = rangeOf(range);
  const calls = figures(spec);
  const sessions = providers.sessions();
  return {
    active_sessions: sessions.length,
    active_session_list: sessions,
    active_downstreams: providers.downstreams(),
    recent_errors: calls.recent_errors,
    recent_calls: calls.recent_calls,
    stats: calls.stats,
    timeseries: calls.timeseries,
    tool_leaderboard: calls.tool_leaderboard,
    server_health: calls.server_health,
    error_breakdown: calls.error_breakdown,
    route_hit_map: calls.route_hit_map,
    approval_metrics: await providers.approvalMetrics(),
    cache_stats: providers.cacheStats(),
    range: spec.name,
    aggregates_since: calls.aggregates_since,
  };
}

/** What the composition root wires the dashboard from (approvals and caches optional: zero until given). */
export interface DashboardSources {
  figures: (range: RangeSpec, names?: MetricsNames) => CallFigures;
  sessions: () => SessionEntry[];
  /** The config now: its servers are shown (the built-in `mcpx` left out), its servers' and rules' names name the figures. */
  config: () => { readonly downstreams: readonly DownstreamServer[]; readonly routes: readonly RouteRule[] };
  /** The pool's health of these servers, one entry each, in order. */
  poolHealth: (servers: DownstreamServer[]) => PoolHealthEntry[];
  approvalMetrics?: DashboardProviders['approvalMetrics'];
  cacheStats?: DashboardProviders['cacheStats'];
  /** A text with its secrets masked: what a client declared of itself (name, model) is shown through it. */
  maskText?: (text: string) => string;
}

/** GET /dashboard's service: the snapshot for a `?range=` value as given. */
export function createDashboard(sources: DashboardSources): (range: unknown) => Promise<DashboardSnapshot> {
  const mask = sources.maskText ?? ((text: string) => text);
  const masked = (text: string | null) => (text === null ? null : mask(text));
  const providers: DashboardProviders = {
    sessions: () => sources.sessions().map((s) => ({ ...s, client_type: masked(s.client_type), model_hint: masked(s.model_hint) })),
    downstreams: () => {
      const servers = sources.config().downstreams.filter((server) => server.transport !== 'internal');
      return downstreamEntries(servers, sources.poolHealth(servers));
    },
    approvalMetrics: sources.approvalMetrics ?? ZERO_APPROVAL_METRICS,
    cacheStats: sources.cacheStats ?? ZERO_CACHE_STATS,
  };
  // Looked up per snapshot: a rename shows at once, as in the audit trail (audit/config-lookups.ts).
  const names: MetricsNames = {
    server: (id) => sources.config().downstreams.find((server) => server.id === id)?.name,
    rule: (id) => sources.config().routes.find((rule) => rule.id === id),
  };
  return (range) => dashboardSnapshot((spec) => sources.figures(spec, names), providers, range);
}
