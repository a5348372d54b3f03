/**
 * metrics: the dashboard's figures, kept as calls settle (a call record sink: counters, time
 * buckets per range, log-scale latency histograms, per-tool/server/rule aggregates, recent
 * calls and errors), persisted in `<data dir>/metrics.json`, and the snapshot of
 * `GET /dashboard` assembled from them and the live providers (sessions, downstreams,
 * approvals, caches). Never scans the audit trail; a snapshot changes nothing. README.md.
 */
export { openMetrics, DEFAULT_SAVE_INTERVAL_MS, type MetricsService, type MetricsServiceOptions } from './metrics-service.js';
export { DEFAULT_MAX_KEYS, type CallFigures } from './call-metrics.js';
export { METRICS_FILE } from './metrics-file.js';
export { OVERFLOW_KEY } from './aggregates.js';
export { RANGES, rangeOf, type MetricsCall, type RangeName, type RangeSpec } from './types.js';
export {
  createDashboard,
  dashboardSnapshot,
  ZERO_APPROVAL_METRICS,
  ZERO_CACHE_STATS,
  type ApprovalMetrics,
  type CacheLayerStats,
  type CacheStats,
  type DashboardProviders,
  type DashboardSources,
  type DashboardSnapshot,
  type DownstreamEntry,
  type SessionEntry,
} from './dashboard.js';
export { downstreamEntries, type PoolHealthEntry } from './downstream-status.js';
export { binOf, binUpperMs, quantileMs, BINS } from './histogram.js';
