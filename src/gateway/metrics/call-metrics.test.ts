import { describe, expect, it } from 'vitest';
import { CallMetrics } from './call-metrics.js';
import { RANGES, type MetricsCall } from './types.js';

const [HOUR, , , WEEK] = RANGES as [(typeof RANGES)[number], unknown, unknown, (typeof RANGES)[number]];
const T0 = Date.UTC(2026, 0, 5, 10, 0, 30);

function call(over: Partial<MetricsCall> & { at?: number } = {}): MetricsCall {
  const { at = T0, ...rest } = over;
  return {
    startedAt: at - 1,
    latencyMs: 1,
    sessionId: 's1',
    name: 'ev__echo',
    server: { id: 'ev', name: 'Everything' },
    decision: undefined,
    status: 'success',
    ...rest,
  };
}

function metrics(clock: { now: number }, maxKeys?: number) {
  return new CallMetrics<MetricsCall>({
    describe: (r) => ({ tool_name: r.name, timestamp: new Date(r.startedAt).toISOString(), latency_ms: r.latencyMs }),
    now: () => clock.now,
    maxKeys,
  });
}

describe('time buckets', () => {
  it('a call leaves the 1h window after an hour and stays in the 7d window; the series stays zero-filled', () => {
    const clock = { now: T0 };
    const m = metrics(clock);
    m.record(call());
    expect(m.figures(HOUR).stats.total_requests).toBe(1);
    clock.now = T0 + 61 * 60_000;
    expect(m.figures(HOUR).stats.total_requests).toBe(0);
    expect(m.figures(HOUR).timeseries).toHaveLength(60);
    expect(m.figures(HOUR).timeseries.every((p) => p.total === 0)).toBe(true);
    expect(m.figures(HOUR).recent_calls).toEqual([]);
    expect(m.figures(WEEK).stats.total_requests).toBe(1);
    expect(m.figures(WEEK).recent_calls).toHaveLength(1);
    clock.now = T0 + 169 * 3_600_000;
    expect(m.figures(WEEK).stats.total_requests).toBe(0);
  });

  it('a reused slot starts from zero (the ring never mixes two buckets)', () => {
    const clock = { now: T0 };
    const m = metrics(clock);
    m.record(call());
    m.record(call({ at: T0 + 60 * 60_000, status: 'error' }));
    clock.now = T0 + 60 * 60_000;
    const stats = m.figures(HOUR).stats;
    expect([stats.total_requests, stats.success_count, stats.error_count]).toEqual([1, 0, 1]);
  });

  it('a call older than what its slot holds counts in the aggregates but not in that range', () => {
    const clock = { now: T0 + 60 * 60_000 };
    const m = metrics(clock);
    m.record(call({ at: T0 + 60 * 60_000 }));
    m.record(call({ at: T0, name: 'late' }));
    expect(m.figures(HOUR).stats.total_requests).toBe(1);
    expect(m.figures(WEEK).stats.total_requests).toBe(2);
    expect(m.figures(WEEK).tool_leaderboard.map((e) => e.tool_name)).toEqual(['ev__echo', 'late']);
  });

  it('counts a session and a server once per bucket, again in the next bucket', () => {
    const clock = { now: T0 + 60_000 };
    const m = metrics(clock);
    m.record(call());
    m.record(call());
    m.record(call({ sessionId: 's2', server: { id: 'mem', name: 'Memory' } }));
    m.record(call({ sessionId: 's2', server: undefined }));
    m.record(call({ at: T0 + 60_000 }));
    const [previous, current] = m.figures(HOUR).timeseries.slice(-2);
    expect([previous!.total, previous!.sessions, previous!.servers]).toEqual([4, 2, 2]);
    expect([current!.total, current!.sessions, current!.servers]).toEqual([1, 1, 1]);
    // Both minutes lie in one hour bucket: each session and server once there.
    expect(m.figures(WEEK).timeseries.at(-1)).toMatchObject({ total: 5, sessions: 2, servers: 2 });
  });
});

describe('bounds', () => {
  it('keeps at most maxKeys tools; the calls of further tools count under (other)', () => {
    const m = metrics({ now: T0 }, 5);
    for (let i = 0; i < 20; i++)
      m.record(call({ name: `t${i}`, server: { id: `s${i}`, name: `S${i}` }, decision: { rule: { id: `r${i}`, path_glob: '**' } } }));
    expect(m.keyCounts()).toEqual({ tools: 6, servers: 6, routes: 6 });
    const board = m.figures(HOUR).tool_leaderboard;
    expect(board[0]).toMatchObject({ tool_name: '(other)', call_count: 15 });
    expect(board.reduce((n, e) => n + e.call_count, 0)).toBe(20);
  });

  it('the saved state stays bounded with thousands of distinct tools', () => {
    const m = metrics({ now: T0 });
    for (let i = 0; i < 5000; i++) m.record(call({ name: `tool_${i}_${'x'.repeat(40)}`, latencyMs: (i % 97) + 0.5 }));
    const state = m.save();
    expect(state.tools).toHaveLength(1001);
    expect(JSON.stringify(state).length).toBeLessThan(2_000_000);
  });
});

describe('save and load', () => {
  it('round-trips every figure', () => {
    const clock = { now: T0 };
    const a = metrics(clock);
    a.record(call({ status: 'error', decision: { rule: { id: 'r1', name: 'one', path_glob: 'src/**' } } }));
    a.record(call({ status: 'blocked', name: 'ev__x', latencyMs: 20 }));
    a.record(call({ sessionId: 's9', latencyMs: 0.3 }));
    const b = metrics(clock);
    b.load(JSON.parse(JSON.stringify(a.save())));
    for (const range of RANGES) expect(b.figures(range)).toEqual(a.figures(range));
  });

  it('a server called before and after a restart within one bucket counts once in each range (a trial: the counts of each run were added)', () => {
    const clock = { now: T0 };
    const before = metrics(clock);
    before.record(call({ server: { id: 'probe', name: 'Probe' } }));
    before.record(call({ server: { id: 'memory', name: 'Memory' } }));
    const after = metrics(clock);
    after.load(JSON.parse(JSON.stringify(before.save())));
    after.record(call({ server: { id: 'probe', name: 'Probe' }, sessionId: 's2' }));
    for (const range of RANGES) expect(after.figures(range).timeseries.at(-1), range.name).toMatchObject({ servers: 2, sessions: 2, total: 3 });
    // A file without the field (written before it) still loads; a malformed one is skipped.
    const old = JSON.parse(JSON.stringify(before.save()));
    old.servers_seen = { probe: ['x'], other: 'no' };
    expect(() => metrics(clock).load(old)).not.toThrow();
  });

  it.each([
    ['not an object', 'garbage'],
    ['another version', { version: 2, tools: [{ key: 'x', calls: 1, success: 1, errors: 0, blocked: 0, latency_sum_ms: 1, histogram: [] }] }],
    [
      'malformed parts',
      {
        version: 1,
        since: 'yesterday',
        buckets: { '1h': [{ epoch: 'x' }, { epoch: 1, counts: [1, 2] }, null], '7d': 'no' },
        tools: [{ key: 5 }, { key: 'y', calls: -1, success: 0, errors: 0, blocked: 0, latency_sum_ms: 0 }, null],
        servers: 'none',
        recent_calls: 'nope',
        recent_errors: [1, 'two', null],
      },
    ],
  ])('skips what is not well formed (%s) and keeps working', (_label, state) => {
    const clock = { now: T0 };
    const m = metrics(clock);
    expect(() => m.load(state)).not.toThrow();
    const empty = m.figures(WEEK);
    expect(empty.stats.total_requests).toBe(0);
    expect([empty.tool_leaderboard, empty.recent_calls, empty.recent_errors]).toEqual([[], [], []]);
    m.record(call());
    expect(m.figures(WEEK).stats.total_requests).toBe(1);
    expect(() => JSON.stringify(m.save())).not.toThrow();
  });
});
