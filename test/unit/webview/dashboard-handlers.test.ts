import { describe, expect, it } from 'vitest';
import { dashboardProtocol, type DashboardProtocol } from '../../../src/shared/webviews/dashboard-protocol.js';
import type { ClientSource, ViewsClient } from '../../../src/shared/webviews/host/client-source.js';
import { dashboardHandlers, IDLE_REFRESH_MS, LIVE_INTERVAL_MS } from '../../../src/shared/webviews/host/dashboard-handlers.js';
import { HostChannel } from '../../../src/shared/webviews/host/host-channel.js';
import type { ThrottleClock } from '../../../src/shared/webviews/host/throttle.js';
import { ApiError } from '../../../src/shared/rest-client.js';
import { sampleSnapshot } from './dashboard-sample.js';

/**
 * The Dashboard's host side against a client double: subscribe opens one audit stream per view
 * and re-aims it on a range change; a burst of records is one snapshot fetch (the throttle) posted
 * as `dashboard/update` through the real HostChannel; the stream's status reaches the view; a
 * failed fetch is said, not thrown; the view closing closes the stream and stops the fetches; the
 * flush says what it removed.
 */
class FakeStream {
  closed = false;
  private events = new Set<(r: unknown) => void>();
  private statuses = new Set<(s: 'open' | 'reconnecting' | 'closed') => void>();
  private errors = new Set<(e: Error) => void>();
  onEvent(l: (r: unknown) => void) {
    this.events.add(l);
    return () => void this.events.delete(l);
  }
  onStatus(l: (s: 'open' | 'reconnecting' | 'closed') => void) {
    this.statuses.add(l);
    return () => void this.statuses.delete(l);
  }
  onError(l: (e: Error) => void) {
    this.errors.add(l);
    return () => void this.errors.delete(l);
  }
  emit(record: unknown = { id: 'a1' }) {
    for (const l of this.events) l(record);
  }
  status(s: 'open' | 'reconnecting' | 'closed') {
    for (const l of this.statuses) l(s);
  }
  error(e: Error) {
    for (const l of this.errors) l(e);
  }
  close() {
    this.closed = true;
    this.status('closed');
  }
}

function manualClock() {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: ThrottleClock = {
    now: () => now,
    setTimeout: (fn, ms) => (timers.set(++seq, { at: now + ms, fn }), seq),
    clearTimeout: (h) => void timers.delete(h as number),
  };
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  const advance = async (ms: number) => {
    const end = now + ms;
    await settle();
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
      await settle();
    }
    now = end;
  };
  return { clock, advance };
}

function setup(overrides: Partial<Record<keyof ViewsClient, unknown>> = {}) {
  const streams: FakeStream[] = [];
  const ranges: string[] = [];
  let total = 0;
  const client = {
    dashboard: async (range: string) => {
      ranges.push(range);
      return { ...sampleSnapshot(), range, stats: { ...sampleSnapshot().stats, total_requests: total } };
    },
    auditStream: () => {
      const stream = new FakeStream();
      streams.push(stream);
      return stream;
    },
    cacheStats: async () => sampleSnapshot().cache_stats,
    flushCache: async () => ({ status: 'flushed' }),
    getDownstream: async (ref: string) => ({ id: ref, name: 'Everything' }),
    ...overrides,
  } as unknown as ViewsClient;
  const source: ClientSource = { client: () => client, folders: () => [] };
  const posted: Array<{ kind: string; method: string; params?: any; result?: any; ok?: boolean; error?: any }> = [];
  const log: string[] = [];
  const disposers: Array<() => void> = [];
  const { clock, advance } = manualClock();
  let channel!: HostChannel<DashboardProtocol>;
  const handlers = dashboardHandlers(
    source,
    { notify: (method, params) => void channel.notify(method, params), onDispose: (fn) => void disposers.push(fn) },
    { clock },
  );
  channel = new HostChannel(dashboardProtocol, handlers, (m) => void posted.push(m as never), {
    warn: (m) => void log.push(m),
    error: (m) => void log.push(m),
  });
  let id = 0;
  const request = async (method: string, params: unknown) => {
    const mine = ++id;
    await channel.receive({ kind: 'request', id: mine, method, params });
    return posted.find((m) => m.kind === 'response' && (m as { id?: number }).id === mine)!;
  };
  const notes = (method: string) => posted.filter((m) => m.kind === 'notify' && m.method === method).map((m) => m.params);
  return { streams, ranges, posted, log, disposers, advance, request, notes, setTotal: (n: number) => (total = n) };
}

describe('Dashboard host handlers', () => {
  it('subscribe answers a first snapshot and opens one audit stream; its status reaches the view', async () => {
    const t = setup();
    const answer = await t.request('dashboard/subscribe', { range: '6h' });
    expect(answer).toMatchObject({ ok: true, result: { range: '6h' } });
    expect(t.streams).toHaveLength(1);
    t.streams[0]!.status('open');
    expect(t.notes('dashboard/live')).toEqual([{ status: 'connecting' }, { status: 'open' }]);
  });

  it('a burst of 200 records is one snapshot fetch, posted as dashboard/update for the subscribed range', async () => {
    const t = setup();
    await t.request('dashboard/subscribe', { range: '24h' });
    t.ranges.length = 0;
    t.setTotal(200);
    for (let i = 0; i < 200; i++) t.streams[0]!.emit();
    await t.advance(499);
    expect(t.ranges).toEqual([]);
    await t.advance(1);
    expect(t.ranges).toEqual(['24h']);
    const updates = t.notes('dashboard/update');
    expect(updates).toHaveLength(1);
    expect(updates[0].snapshot).toMatchObject({ range: '24h', stats: { total_requests: 200 } });
    await t.advance(4000);
    expect(t.notes('dashboard/update')).toHaveLength(1);
    expect(t.log).toEqual([]);
  });

  // Sessions and waiting approvals change without an audit record: "0 sessions" stayed on screen
  // while a client's first call waited for approval (a new user's trial).
  it(`with no record, an open view refetches every ${IDLE_REFRESH_MS} ms; a closed one never`, async () => {
    const t = setup();
    await t.request('dashboard/subscribe', { range: '1h' });
    t.ranges.length = 0;
    await t.advance(IDLE_REFRESH_MS - 1);
    expect(t.ranges).toEqual([]);
    await t.advance(1 + LIVE_INTERVAL_MS);
    expect(t.ranges).toEqual(['1h']);
    await t.advance(IDLE_REFRESH_MS);
    expect(t.ranges).toEqual(['1h', '1h']);
    for (const dispose of t.disposers) dispose();
    await t.advance(3 * IDLE_REFRESH_MS);
    expect(t.ranges).toEqual(['1h', '1h']);
  });

  it('a steady 200 records/s gives at most two fetches a second, and the last record is always followed by one', async () => {
    const t = setup();
    await t.request('dashboard/subscribe', { range: '1h' });
    t.ranges.length = 0;
    // The gateway counts each record's call before the record is streamed.
    let records = 0;
    for (let ms = 0; ms < 3000; ms += 5) {
      t.setTotal(++records);
      t.streams[0]!.emit();
      await t.advance(5);
    }
    const during = t.ranges.length;
    expect(during).toBeLessThanOrEqual(6);
    expect(during).toBeGreaterThanOrEqual(5);
    await t.advance(1000);
    expect(t.notes('dashboard/update').at(-1).snapshot.stats.total_requests).toBe(600);
  });

  it('a second subscribe (another range) closes the first stream and fetches for the new range', async () => {
    const t = setup();
    await t.request('dashboard/subscribe', { range: '1h' });
    await t.request('dashboard/subscribe', { range: '7d' });
    expect(t.streams.map((s) => s.closed)).toEqual([true, false]);
    // A late status of the closed stream does not overwrite the new one's.
    t.streams[1]!.status('open');
    t.streams[0]!.status('reconnecting');
    expect(t.notes('dashboard/live').at(-1)).toEqual({ status: 'open' });
    t.ranges.length = 0;
    t.streams[1]!.emit();
    await t.advance(500);
    expect(t.ranges).toEqual(['7d']);
  });

  it('a reconnected stream catches up with one fetch (records may have passed while it was down)', async () => {
    const t = setup();
    await t.request('dashboard/subscribe', { range: '1h' });
    t.ranges.length = 0;
    t.streams[0]!.status('reconnecting');
    t.streams[0]!.error(new Error('GET /audit/stream answered 503'));
    t.streams[0]!.status('open');
    await t.advance(500);
    expect(t.ranges).toEqual(['1h']);
    expect(t.notes('dashboard/live')).toContainEqual({ status: 'reconnecting', error: 'live updates: GET /audit/stream answered 503' });
    // The error clears with the next good fetch.
    expect(t.notes('dashboard/live').at(-1)).toEqual({ status: 'open' });
  });

  it('a failed live fetch is said in dashboard/live, and the next record tries again', async () => {
    let fail = true;
    const t = setup({
      dashboard: async (range: string) => {
        if (fail) throw new ApiError(0, undefined, 'the MCPlexer gateway at http://127.0.0.1:1 did not answer GET /dashboard', 'unreachable');
        return { ...sampleSnapshot(), range };
      },
    });
    fail = false;
    await t.request('dashboard/subscribe', { range: '1h' });
    t.streams[0]!.status('open');
    fail = true;
    t.streams[0]!.emit();
    await t.advance(500);
    expect(t.notes('dashboard/live').at(-1)).toEqual({
      status: 'open',
      error: 'the dashboard could not be refreshed: the MCPlexer gateway at http://127.0.0.1:1 did not answer GET /dashboard',
    });
    fail = false;
    t.streams[0]!.emit();
    await t.advance(500);
    expect(t.notes('dashboard/update')).toHaveLength(1);
    expect(t.notes('dashboard/live').at(-1)).toEqual({ status: 'open' });
  });

  it('the view closing closes its stream and stops the fetches', async () => {
    const t = setup();
    await t.request('dashboard/subscribe', { range: '1h' });
    t.streams[0]!.emit();
    for (const dispose of t.disposers) dispose();
    t.ranges.length = 0;
    t.streams[0]!.emit();
    await t.advance(5000);
    expect(t.streams[0]!.closed).toBe(true);
    expect(t.ranges).toEqual([]);
  });

  it('a refused subscribe (gateway error) answers the error and opens no stream', async () => {
    const t = setup({
      dashboard: async () => {
        throw new ApiError(401, { error: { code: 'unauthorized', message: 'missing or invalid token' } } as never, 'missing or invalid token');
      },
    });
    const answer = await t.request('dashboard/subscribe', { range: '1h' });
    expect(answer).toMatchObject({ ok: false, error: { status: 401, message: 'missing or invalid token' } });
    expect(t.streams).toEqual([]);
  });

  it('flushCache flushes through the client and says what it removed', async () => {
    const calls: unknown[] = [];
    let stats = {
      tool_call: { ...sampleSnapshot().cache_stats.tool_call, entries: 4, bytes: 2048 },
      route_resolution: sampleSnapshot().cache_stats.route_resolution,
    };
    const t = setup({
      cacheStats: async () => stats,
      flushCache: async (body: unknown) => {
        calls.push(body);
        stats = { ...stats, tool_call: { ...stats.tool_call, entries: 0, bytes: 0 } };
        return { status: 'flushed' };
      },
    });
    const answer = await t.request('dashboard/flushCache', { layer: 'tool_call', server_id: 'everything' });
    expect(calls).toEqual([{ layer: 'tool_call', server_id: 'everything' }]);
    expect(answer).toMatchObject({
      ok: true,
      result: {
        message: 'Flushed the cached tool results of “Everything”: 4 cached tool results (2.0 KB) removed.',
        cache_stats: { tool_call: { entries: 0 } },
      },
    });
  });
});
