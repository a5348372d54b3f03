/** A dashboard snapshot with a row in every section, shaped as GET /api/v1/dashboard answers. */
import type { DashboardSnapshot } from '../../../src/shared/webviews/dashboard-protocol.js';

export const NOW = Date.parse('2026-03-01T12:00:30Z');
const layer = (entries: number, hits: number, misses: number, bytes: number) => ({
  hits,
  misses,
  evictions: 0,
  entries,
  hit_rate: hits + misses === 0 ? 0 : hits / (hits + misses),
  bytes,
});
const figures = (calls: number, errors: number, avg: number, p95: number, blocked = 0) => ({
  call_count: calls,
  error_count: errors,
  error_rate: calls === 0 ? 0 : (100 * errors) / calls,
  avg_latency_ms: avg,
  p95_latency_ms: p95,
  blocked_count: blocked,
});
const point = (minute: number, total: number, errors: number, avg: number) => ({
  bucket: new Date(Date.parse('2026-03-01T11:58:00Z') + minute * 60_000).toISOString(),
  sessions: total > 0 ? 1 : 0,
  servers: total > 0 ? 1 : 0,
  total,
  errors,
  avg_latency_ms: avg,
  success: total - errors,
  blocked: 0,
});

export function sampleSnapshot(): DashboardSnapshot {
  return {
    active_sessions: 1,
    active_session_list: [
      {
        id: '9f1c2d3e-aaaa-bbbb-cccc-000000000001',
        client_type: 'e2e-client',
        client_pid: null,
        connected_at: '2026-03-01T11:55:00Z',
        workspace_id: 'global',
        model_hint: null,
      },
    ],
    active_downstreams: [
      { server_id: 'everything', server_name: 'Everything', instance_count: 1, state: 'ready', disabled: false },
      { server_id: 'broken', server_name: 'Broken', instance_count: 0, state: 'failed', disabled: false },
    ],
    recent_errors: [],
    recent_calls: [],
    stats: { total_requests: 7, success_count: 5, error_count: 1, blocked_count: 1, avg_latency_ms: 3.25, p95_latency_ms: 12.5 },
    timeseries: [point(0, 0, 0, 0), point(1, 4, 1, 2.5), point(2, 3, 0, 4.25)],
    tool_leaderboard: [
      { tool_name: 'everything__echo', server_name: 'Everything', ...figures(5, 0, 1.5, 2) },
      { tool_name: 'everything__add', server_name: 'Everything', ...figures(2, 1, 7.75, 12.5) },
    ],
    server_health: [{ server_id: 'everything', server_name: 'Everything', ...figures(7, 1, 3.25, 12.5) }],
    error_breakdown: [
      { group_key: 'everything__add', server_name: 'Everything', error_type: 'error', count: 1 },
      { group_key: 'memory__read_graph', server_name: '', error_type: 'blocked', count: 1 },
    ],
    route_hit_map: [{ route_rule_id: 'r1', rule_name: 'allow all', path_glob: '**', rule_summary: 'allow *', hit_count: 6, error_count: 1, blocked_count: 0 }],
    approval_metrics: { pending_count: 2, approved_count: 3, denied_count: 1, timed_out_count: 0, avg_wait_ms: 1500 },
    cache_stats: { tool_call: layer(3, 1, 3, 2048), route_resolution: layer(2, 5, 2, 0) },
    range: '1h',
    aggregates_since: '2026-03-01T00:00:00Z',
  } as DashboardSnapshot;
}
