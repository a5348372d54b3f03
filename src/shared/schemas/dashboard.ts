/**
 * The dashboard snapshot and the cache endpoints on the wire (issue 17, the REST reference's
 * Dashboard and Cache sections). Fields are added, never renamed; objects are not strict, so a
 * newer gateway's extra fields pass.
 */
import { z } from 'zod';

export const DASHBOARD_RANGES = ['1h', '6h', '24h', '7d'] as const;
export type DashboardRange = (typeof DASHBOARD_RANGES)[number];

const count = z.number();

export const cacheLayerStatsSchema = z.object({
  hits: count,
  misses: count,
  evictions: count,
  entries: count,
  /** 0–1 (0 without lookups). */
  hit_rate: z.number(),
  bytes: count,
});
export const cacheStatsSchema = z.object({ tool_call: cacheLayerStatsSchema, route_resolution: cacheLayerStatsSchema });
export type CacheStatsAnswer = z.infer<typeof cacheStatsSchema>;

export const CACHE_LAYERS = ['tool_call', 'route', 'all'] as const;
/** `POST /cache/flush`'s body (optional; the gateway's router validates it): `layer` default `all`; `server_id` narrows `tool_call`. */
export interface CacheFlushInput {
  layer?: (typeof CACHE_LAYERS)[number];
  server_id?: string;
}
export const cacheFlushResultSchema = z.object({ status: z.literal('flushed') });

const keyFigures = {
  call_count: count,
  error_count: count,
  /** Percent, 0–100 (the original's unit). */
  error_rate: z.number(),
  avg_latency_ms: z.number(),
  p95_latency_ms: z.number(),
  blocked_count: count,
};

/** A recent call: the audit vocabulary's fields (`tool_name`, `status`, `timestamp`, …). */
const recentCallSchema = z.looseObject({ tool_name: z.string(), status: z.string(), timestamp: z.string() });

export const dashboardSnapshotSchema = z.object({
  active_sessions: count,
  active_session_list: z.array(
    z.object({
      id: z.string(),
      client_type: z.string().nullable(),
      client_pid: z.number().nullable(),
      connected_at: z.string(),
      workspace_id: z.string().nullable(),
      model_hint: z.string().nullable(),
    }),
  ),
  active_downstreams: z.array(z.object({ server_id: z.string(), server_name: z.string(), instance_count: count, state: z.string(), disabled: z.boolean() })),
  recent_errors: z.array(recentCallSchema),
  recent_calls: z.array(recentCallSchema),
  stats: z.object({
    total_requests: count,
    success_count: count,
    error_count: count,
    blocked_count: count,
    avg_latency_ms: z.number(),
    p95_latency_ms: z.number(),
  }),
  timeseries: z.array(
    z.object({
      /** RFC 3339, the bucket's start. */
      bucket: z.string(),
      sessions: count,
      servers: count,
      total: count,
      errors: count,
      avg_latency_ms: z.number(),
      success: count,
      blocked: count,
    }),
  ),
  tool_leaderboard: z.array(z.object({ tool_name: z.string(), server_name: z.string(), ...keyFigures })),
  server_health: z.array(z.object({ server_id: z.string(), server_name: z.string(), ...keyFigures })),
  error_breakdown: z.array(z.object({ group_key: z.string(), server_name: z.string(), error_type: z.enum(['error', 'blocked']), count })),
  route_hit_map: z.array(
    z.object({
      route_rule_id: z.string(),
      rule_name: z.string(),
      path_glob: z.string(),
      /** What the rule does: `<policy> <tool patterns>` (`deny ev__*`); '' for a rule deleted since (ours). */
      rule_summary: z.string(),
      hit_count: count,
      error_count: count,
      blocked_count: count,
    }),
  ),
  approval_metrics: z.object({ pending_count: count, approved_count: count, denied_count: count, timed_out_count: count, avg_wait_ms: z.number() }),
  cache_stats: cacheStatsSchema,
  range: z.enum(DASHBOARD_RANGES),
  /** Since when the leaderboard, server health, error breakdown and route hit map count (RFC 3339). */
  aggregates_since: z.string(),
});
export type DashboardSnapshotAnswer = z.infer<typeof dashboardSnapshotSchema>;
