/**
 * The Dashboard view model, from `GET /api/v1/dashboard`'s snapshot only: the headline figures, the
 * chart series (one point per time bucket, as the gateway bucketed them) and one table per section.
 * The view shows what the gateway counted; it never recounts. Pure, so it is tested without a DOM.
 */
import type { DashboardRange, DashboardSnapshot } from '../../shared/webviews/dashboard-protocol.js';
import { formatAgo, formatBytes, formatCount, formatFraction, formatMs, formatPercent } from './format.js';

export const RANGE_LABELS: Record<DashboardRange, string> = {
  '1h': 'Last hour',
  '6h': 'Last 6 hours',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
};

export interface Figure {
  id: string;
  label: string;
  value: string;
  tone?: 'error' | 'blocked' | 'muted';
}

/** The charts' data, column-wise as uPlot takes it: x in seconds since the epoch (bucket starts). */
export interface ChartSeries {
  x: number[];
  total: number[];
  errors: number[];
  avgLatencyMs: number[];
  /** Sums over the window, for the chart's accessible summary (and the e2e check). */
  sumTotal: number;
  sumErrors: number;
  /** The bucket width in seconds (0 with fewer than two points). */
  bucketSeconds: number;
}

export type SectionId = 'tools' | 'servers' | 'errors' | 'routes' | 'approvals' | 'caches' | 'sessions' | 'downstreams';

export interface Column {
  label: string;
  /** Numbers line up at the end. */
  numeric?: boolean;
}

export interface Row {
  /** Stable per row (tool name, server id, …): `data-key` in the DOM. */
  key: string;
  cells: string[];
  tone?: 'error' | 'blocked' | 'muted';
}

export interface TableModel {
  id: SectionId;
  title: string;
  /** A count or a short fact beside the title. */
  badge?: string;
  columns: Column[];
  rows: Row[];
  /** What the table says when it has no row. */
  empty: string;
}

export interface DashboardModel {
  range: DashboardRange;
  figures: Figure[];
  chart: ChartSeries;
  tables: TableModel[];
}

export function chartSeries(timeseries: DashboardSnapshot['timeseries']): ChartSeries {
  const x = timeseries.map((p) => Math.round(Date.parse(p.bucket) / 1000));
  const total = timeseries.map((p) => p.total);
  const errors = timeseries.map((p) => p.errors);
  return {
    x,
    total,
    errors,
    avgLatencyMs: timeseries.map((p) => p.avg_latency_ms),
    sumTotal: total.reduce((a, b) => a + b, 0),
    sumErrors: errors.reduce((a, b) => a + b, 0),
    bucketSeconds: x.length > 1 ? x[1]! - x[0]! : 0,
  };
}

function figures(snapshot: DashboardSnapshot): Figure[] {
  const { stats } = snapshot;
  return [
    { id: 'total', label: 'Calls', value: formatCount(stats.total_requests) },
    { id: 'errors', label: 'Errors', value: formatCount(stats.error_count), ...(stats.error_count > 0 ? { tone: 'error' as const } : {}) },
    { id: 'blocked', label: 'Blocked', value: formatCount(stats.blocked_count), ...(stats.blocked_count > 0 ? { tone: 'blocked' as const } : {}) },
    { id: 'avg', label: 'Avg latency', value: formatMs(stats.avg_latency_ms) },
    { id: 'p95', label: 'p95 latency', value: formatMs(stats.p95_latency_ms) },
    { id: 'sessions', label: 'Sessions', value: formatCount(snapshot.active_sessions) },
  ];
}

const tone = (errors: number, blocked = 0): Row['tone'] => (errors > 0 ? 'error' : blocked > 0 ? 'blocked' : undefined);
const withTone = (row: Row): Row => (row.tone ? row : { key: row.key, cells: row.cells });

function tables(snapshot: DashboardSnapshot, now: number): TableModel[] {
  const { approval_metrics: approvals, cache_stats: caches } = snapshot;
  const latencyColumns: Column[] = [
    { label: 'Calls', numeric: true },
    { label: 'Errors', numeric: true },
    { label: 'Error rate', numeric: true },
    { label: 'Avg', numeric: true },
    { label: 'p95', numeric: true },
  ];
  const latencyCells = (f: { call_count: number; error_count: number; error_rate: number; avg_latency_ms: number; p95_latency_ms: number }) => [
    formatCount(f.call_count),
    formatCount(f.error_count),
    formatPercent(f.error_rate),
    formatMs(f.avg_latency_ms),
    formatMs(f.p95_latency_ms),
  ];
  const layer = (key: string, label: string, s: DashboardSnapshot['cache_stats']['tool_call']): Row => ({
    key,
    cells: [
      label,
      formatCount(s.entries),
      formatCount(s.hits),
      formatCount(s.misses),
      formatFraction(s.hit_rate),
      formatCount(s.evictions),
      formatBytes(s.bytes),
    ],
  });
  return [
    {
      id: 'tools',
      title: 'Tool leaderboard',
      columns: [{ label: 'Tool' }, { label: 'Server' }, ...latencyColumns],
      rows: snapshot.tool_leaderboard.map((t) =>
        withTone({ key: t.tool_name, cells: [t.tool_name, t.server_name || '—', ...latencyCells(t)], tone: tone(t.error_count) }),
      ),
      empty: 'No calls yet.',
    },
    {
      id: 'servers',
      title: 'Server health',
      columns: [{ label: 'Server' }, ...latencyColumns],
      rows: snapshot.server_health.map((s) =>
        withTone({ key: s.server_id ?? s.server_name, cells: [s.server_name || s.server_id || '—', ...latencyCells(s)], tone: tone(s.error_count) }),
      ),
      empty: 'No server has answered a call yet.',
    },
    {
      id: 'errors',
      title: 'Errors',
      columns: [{ label: 'Tool' }, { label: 'Server' }, { label: 'Kind' }, { label: 'Count', numeric: true }],
      rows: snapshot.error_breakdown.map((e) => ({
        key: `${e.group_key}|${e.error_type}`,
        cells: [e.group_key, e.server_name || '—', e.error_type, formatCount(e.count)],
        tone: e.error_type === 'error' ? ('error' as const) : ('blocked' as const),
      })),
      empty: 'No errors.',
    },
    {
      id: 'routes',
      title: 'Route hits',
      columns: [{ label: 'Rule' }, { label: 'Path' }, { label: 'Hits', numeric: true }, { label: 'Errors', numeric: true }],
      rows: snapshot.route_hit_map.map((r) =>
        withTone({
          key: r.route_rule_id,
          cells: [ruleLabel(r), r.path_glob, formatCount(r.hit_count), formatCount(r.error_count)],
          tone: tone(r.error_count),
        }),
      ),
      empty: 'No rule has decided a call yet.',
    },
    {
      id: 'approvals',
      title: 'Approvals',
      ...(approvals.pending_count > 0 ? { badge: `${approvals.pending_count} pending` } : {}),
      columns: [
        { label: 'Pending', numeric: true },
        { label: 'Approved', numeric: true },
        { label: 'Denied', numeric: true },
        { label: 'Timed out', numeric: true },
        { label: 'Avg wait', numeric: true },
      ],
      rows: [
        {
          key: 'approvals',
          cells: [
            formatCount(approvals.pending_count),
            formatCount(approvals.approved_count),
            formatCount(approvals.denied_count),
            formatCount(approvals.timed_out_count),
            formatMs(approvals.avg_wait_ms),
          ],
        },
      ],
      empty: '',
    },
    {
      id: 'caches',
      title: 'Caches',
      columns: [
        { label: 'Layer' },
        { label: 'Entries', numeric: true },
        { label: 'Hits', numeric: true },
        { label: 'Misses', numeric: true },
        { label: 'Hit rate', numeric: true },
        { label: 'Evicted', numeric: true },
        { label: 'Size', numeric: true },
      ],
      rows: [layer('tool_call', 'Tool results', caches.tool_call), layer('route_resolution', 'Routes', caches.route_resolution)],
      empty: '',
    },
    {
      id: 'sessions',
      title: 'Active sessions',
      badge: formatCount(snapshot.active_sessions),
      columns: [{ label: 'Client' }, { label: 'Workspace' }, { label: 'Connected' }, { label: 'Session' }],
      rows: snapshot.active_session_list.map((s) => ({
        key: s.id,
        cells: [s.client_type ?? 'unknown client', s.workspace_id ?? '—', formatAgo(s.connected_at, now), s.id.slice(0, 8)],
      })),
      empty: 'No MCP session is open.',
    },
    {
      id: 'downstreams',
      title: 'Downstream servers',
      columns: [{ label: 'Server' }, { label: 'State' }, { label: 'Instances', numeric: true }],
      rows: snapshot.active_downstreams.map((d) =>
        withTone({
          key: d.server_id,
          cells: [d.server_name, d.state, formatCount(d.instance_count)],
          tone: d.state === 'failed' ? 'error' : d.disabled || d.state === 'stopped' ? 'muted' : undefined,
        }),
      ),
      empty: 'No downstream server is configured.',
    },
  ];
}

/**
 * The whole view model of one snapshot.
 * @param now ms since the epoch, for "connected 5 min ago"
 */
export function buildDashboardModel(snapshot: DashboardSnapshot, now: number): DashboardModel {
  return { range: snapshot.range, figures: figures(snapshot), chart: chartSeries(snapshot.timeseries), tables: tables(snapshot, now) };
}

/** The chart's accessible summary: what a screen reader says instead of the canvas. */
export function chartSummary(chart: ChartSeries, range: DashboardRange): string {
  const bucket = chart.bucketSeconds >= 3600 ? `${chart.bucketSeconds / 3600} h` : `${Math.round(chart.bucketSeconds / 60)} min`;
  const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  return `${RANGE_LABELS[range]}: ${count(chart.sumTotal, 'call')}, ${count(chart.sumErrors, 'error')}, in ${count(chart.x.length, 'bucket')} of ${bucket}.`;
}

/** A rule as the Route hits table names it: its name and what it does, else what it does, else (deleted) its id. */
function ruleLabel(r: DashboardSnapshot['route_hit_map'][number]): string {
  if (r.rule_name && r.rule_summary) return `${r.rule_name} (${r.rule_summary})`;
  return r.rule_name || r.rule_summary || r.route_rule_id;
}
