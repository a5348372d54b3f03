import { describe, expect, it } from 'vitest';
import { NOW, sampleSnapshot } from './dashboard-sample.js';
import { buildDashboardModel, chartSeries, chartSummary } from '../../../src/webview/dashboard/model.js';

describe('Dashboard model', () => {
  it('charts one point per bucket as the gateway bucketed them (x in seconds), with the window sums', () => {
    const chart = chartSeries(sampleSnapshot().timeseries);
    expect(chart.x).toEqual([0, 1, 2].map((m) => Date.parse('2026-03-01T11:58:00Z') / 1000 + 60 * m));
    expect(chart.total).toEqual([0, 4, 3]);
    expect(chart.errors).toEqual([0, 1, 0]);
    expect(chart.avgLatencyMs).toEqual([0, 2.5, 4.25]);
    expect(chart).toMatchObject({ sumTotal: 7, sumErrors: 1, bucketSeconds: 60 });
    expect(chartSummary(chart, '1h')).toBe('Last hour: 7 calls, 1 error, in 3 buckets of 1 min.');
  });

  it('an hour-wide bucket is said in hours; an empty window has no bucket width', () => {
    const hours = chartSeries([
      { ...sampleSnapshot().timeseries[0]!, bucket: '2026-03-01T10:00:00Z' },
      { ...sampleSnapshot().timeseries[0]!, bucket: '2026-03-01T11:00:00Z' },
    ]);
    expect(chartSummary(hours, '7d')).toBe('Last 7 days: 0 calls, 0 errors, in 2 buckets of 1 h.');
    expect(chartSeries([]).bucketSeconds).toBe(0);
  });

  it('headline figures come from stats and active_sessions, errors and blocked toned', () => {
    const model = buildDashboardModel(sampleSnapshot(), NOW);
    expect(model.figures.map((f) => [f.id, f.value, f.tone])).toEqual([
      ['total', '7', undefined],
      ['errors', '1', 'error'],
      ['blocked', '1', 'blocked'],
      ['avg', '3.3 ms', undefined],
      ['p95', '13 ms', undefined],
      ['sessions', '1', undefined],
    ]);
  });

  it('one table per section, rows in the gateway order, keyed for the DOM', () => {
    const model = buildDashboardModel(sampleSnapshot(), NOW);
    const table = (id: string) => model.tables.find((t) => t.id === id)!;
    expect(model.tables.map((t) => t.id)).toEqual(['tools', 'servers', 'errors', 'routes', 'approvals', 'caches', 'sessions', 'downstreams']);
    expect(table('tools').rows).toEqual([
      { key: 'everything__echo', cells: ['everything__echo', 'Everything', '5', '0', '0 %', '1.5 ms', '2.0 ms'] },
      { key: 'everything__add', cells: ['everything__add', 'Everything', '2', '1', '50 %', '7.8 ms', '13 ms'], tone: 'error' },
    ]);
    expect(table('servers').rows[0]).toEqual({ key: 'everything', cells: ['Everything', '7', '1', '14 %', '3.3 ms', '13 ms'], tone: 'error' });
    expect(table('errors').rows.map((r) => [r.key, r.cells, r.tone])).toEqual([
      ['everything__add|error', ['everything__add', 'Everything', 'error', '1'], 'error'],
      ['memory__read_graph|blocked', ['memory__read_graph', '—', 'blocked', '1'], 'blocked'],
    ]);
    expect(table('routes').rows[0]).toMatchObject({ key: 'r1', cells: ['allow all (allow *)', '**', '6', '1'] });
    // An unnamed rule by what it does (its id is a UUID); a rule deleted since by its id.
    const unnamed = (summary: string, name = '') => {
      const snapshot = sampleSnapshot();
      snapshot.route_hit_map = [{ ...snapshot.route_hit_map[0]!, rule_name: name, rule_summary: summary }];
      return buildDashboardModel(snapshot, NOW).tables.find((t) => t.id === 'routes')!.rows[0]!.cells[0];
    };
    expect(unnamed('deny ev__*')).toBe('deny ev__*');
    expect(unnamed('')).toBe('r1');
    expect(unnamed('', 'kept name')).toBe('kept name');
    expect(table('approvals')).toMatchObject({ badge: '2 pending', rows: [{ cells: ['2', '3', '1', '0', '1.5 s'] }] });
    expect(table('caches').rows).toEqual([
      { key: 'tool_call', cells: ['Tool results', '3', '1', '3', '25 %', '0', '2.0 KB'] },
      { key: 'route_resolution', cells: ['Routes', '2', '5', '2', '71 %', '0', '0 B'] },
    ]);
    expect(table('sessions').rows).toEqual([{ key: '9f1c2d3e-aaaa-bbbb-cccc-000000000001', cells: ['e2e-client', 'global', '6 min ago', '9f1c2d3e'] }]);
    expect(table('downstreams').rows.map((r) => [r.key, r.cells[1], r.tone])).toEqual([
      ['everything', 'ready', undefined],
      ['broken', 'failed', 'error'],
    ]);
  });

  it('empty sections say so instead of showing an empty table', () => {
    const empty = { ...sampleSnapshot(), tool_leaderboard: [], error_breakdown: [], active_session_list: [], active_sessions: 0 };
    const model = buildDashboardModel(empty, NOW);
    expect(model.tables.find((t) => t.id === 'tools')).toMatchObject({ rows: [], empty: 'No calls yet.' });
    expect(model.tables.find((t) => t.id === 'errors')).toMatchObject({ rows: [], empty: 'No errors.' });
    expect(model.tables.find((t) => t.id === 'sessions')).toMatchObject({ rows: [], badge: '0' });
  });
});
