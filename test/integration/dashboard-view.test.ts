// The Dashboard view's host side (src/shared/webviews/host/dashboard-handlers.ts) against a real
// gateway: the real HostChannel and handlers, a RestClient with the token and the real audit SSE
// stream; a counting echo server behind the gateway and real SDK clients making the calls. Proves:
// subscribe answers what GET /api/v1/dashboard answers; calls made afterwards reach the view as
// throttled `dashboard/update`s whose figures are the gateway's own (leaderboard, errors, timeseries);
// a burst of 60 concurrent calls is a handful of updates, not 60; the view closing closes its stream
// (no more updates); the flush answers what it removed and the stats after it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardProtocol, type DashboardProtocol, type DashboardSnapshot } from '../../src/shared/webviews/dashboard-protocol.js';
import { dashboardHandlers } from '../../src/shared/webviews/host/dashboard-handlers.js';
import { HostChannel } from '../../src/shared/webviews/host/host-channel.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp } from '../helpers/mcp.js';

const COUNTING = fileURLToPath(new URL('../fixtures/counting-echo-server.mjs', import.meta.url));

let t: TestGateway;
let client: Client;
const scratch = mkdtempSync(path.join(tmpdir(), 'mcplexer-dashview-'));

type Posted = { kind: string; method: string; id?: number; ok?: boolean; params?: any; result?: any; error?: any };

/** One view instance's host side, wired as the extension's ViewHost wires it. */
function openView() {
  const posted: Posted[] = [];
  const log: string[] = [];
  const disposers: Array<() => void> = [];
  let channel!: HostChannel<DashboardProtocol>;
  const source = { client: () => t.client, folders: () => [] };
  const handlers = dashboardHandlers(source, { notify: (m, p) => void channel.notify(m, p), onDispose: (fn) => void disposers.push(fn) });
  channel = new HostChannel(dashboardProtocol, handlers, (m) => void posted.push(JSON.parse(JSON.stringify(m))), {
    warn: (m) => void log.push(m),
    error: (m) => void log.push(m),
  });
  let id = 0;
  return {
    posted,
    log,
    request: async (method: string, params: unknown) => {
      const mine = ++id;
      await channel.receive({ kind: 'request', id: mine, method, params });
      return posted.find((m) => m.kind === 'response' && m.id === mine)!;
    },
    updates: () => posted.filter((m) => m.method === 'dashboard/update').map((m) => m.params.snapshot as DashboardSnapshot),
    live: () => posted.filter((m) => m.method === 'dashboard/live').map((m) => m.params),
    close: () => disposers.splice(0).forEach((dispose) => dispose()),
  };
}

async function until<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const dashboard = async (range = '1h') => (await t.api('GET', `/dashboard?range=${range}`)).body as DashboardSnapshot;
const callFigures = ({ active_session_list, active_sessions, active_downstreams, cache_stats, recent_calls, recent_errors, ...rest }: DashboardSnapshot) =>
  rest;
/**
 * Two snapshots' call figures, equal: the timeseries compared on the buckets both hold, since a
 * snapshot's window moves with the clock (one taken just after a minute's edge has a newer bucket
 * and lacks the oldest).
 */
function expectSameFigures(a: DashboardSnapshot, b: DashboardSnapshot): void {
  const { timeseries: ta, ...fa } = callFigures(a);
  const { timeseries: tb, ...fb } = callFigures(b);
  expect(fa).toEqual(fb);
  const common = new Set(ta.map((p) => p.bucket).filter((bucket) => tb.some((p) => p.bucket === bucket)));
  expect(common.size).toBeGreaterThan(0);
  expect(ta.filter((p) => common.has(p.bucket))).toEqual(tb.filter((p) => common.has(p.bucket)));
}

beforeAll(async () => {
  t = await startTestGateway();
  const log = path.join(scratch, 'calls.jsonl');
  writeFileSync(log, '');
  const { id } = await addServer(t, { name: 'Counting', namespace: 'ce', command: process.execPath, args: [COUNTING, `--log=${log}`] });
  expect((await t.api('POST', `/downstreams/${id}/discover`)).status).toBe(200);
  client = await connectHttp(t, { name: 'dashview-it' });
}, 60_000);

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await t?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('Dashboard host handlers on a real gateway', () => {
  it('subscribe answers GET /dashboard; calls made afterwards arrive as updates with the gateway’s figures', async () => {
    const view = openView();
    const first = await view.request('dashboard/subscribe', { range: '1h' });
    expect(first.ok).toBe(true);
    expectSameFigures(first.result, await dashboard('1h'));
    await until('the live stream open', () => view.live().find((l) => l.status === 'open'));

    const before = first.result.stats.total_requests as number;
    for (let i = 0; i < 4; i++) await client.callTool({ name: 'ce__compute', arguments: { i } });
    await client.callTool({ name: 'ce__get_tool_error', arguments: {} });
    const shown = await until('an update counting the 5 calls', () => view.updates().find((s) => s.stats.total_requests === before + 5));
    const real = await dashboard('1h');
    expectSameFigures(shown, real);
    expect(shown.tool_leaderboard.find((row) => row.tool_name === 'ce__compute')).toMatchObject({ call_count: 4, error_count: 0 });
    expect(shown.error_breakdown).toContainEqual(expect.objectContaining({ group_key: 'ce__get_tool_error', error_type: 'error', count: 1 }));
    expect(shown.timeseries.reduce((sum, p) => sum + p.total, 0)).toBe(before + 5);
    expect(view.log).toEqual([]);
    view.close();
  });

  it('a burst of 60 concurrent calls is a few throttled updates, and the last one counts every call', async () => {
    const view = openView();
    const first = await view.request('dashboard/subscribe', { range: '6h' });
    await until('the live stream open', () => view.live().find((l) => l.status === 'open'));
    const before = first.result.stats.total_requests as number;
    const started = Date.now();
    await Promise.all(Array.from({ length: 60 }, (_, i) => client.callTool({ name: 'ce__compute', arguments: { burst: i } })));
    const last = await until('an update counting the burst', () => view.updates().find((s) => s.stats.total_requests === before + 60));
    const elapsed = Date.now() - started;
    const updates = view.updates();
    expect(last.range).toBe('6h');
    // At most one per 500 ms while it lasted, plus the trailing one: never one per call.
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(elapsed / 500) + 1);
    expect(updates.length).toBeLessThan(60);
    view.close();
  });

  it('the view closing closes its stream: calls after it bring no update', async () => {
    const view = openView();
    await view.request('dashboard/subscribe', { range: '1h' });
    await until('the live stream open', () => view.live().find((l) => l.status === 'open'));
    view.close();
    await until('the stream closed', () => view.live().find((l) => l.status === 'closed'));
    const count = view.updates().length;
    for (let i = 0; i < 3; i++) await client.callTool({ name: 'ce__compute', arguments: { after: i } });
    await new Promise((r) => setTimeout(r, 1200));
    expect(view.updates().length).toBe(count);
  });

  it('flushCache flushes the named layer and says what it removed', async () => {
    const view = openView();
    await client.callTool({ name: 'ce__get_item', arguments: { id: 'one' } });
    await client.callTool({ name: 'ce__get_item', arguments: { id: 'two' } });
    const stats = (await t.api('GET', '/cache/stats')).body;
    expect(stats.tool_call.entries).toBe(2);
    const answer = await view.request('dashboard/flushCache', { layer: 'tool_call', server_id: 'ce' });
    expect(answer.ok).toBe(true);
    expect(answer.result.message).toMatch(/^Flushed the cached tool results of “Counting”: 2 cached tool results \(\d+(\.\d)? (B|KB)\) removed\.$/);
    expect(answer.result.cache_stats.tool_call.entries).toBe(0);
    expect((await t.api('GET', '/cache/stats')).body.tool_call.entries).toBe(0);
    const unknown = await view.request('dashboard/flushCache', { layer: 'tool_call', server_id: 'nobody' });
    expect(unknown).toMatchObject({ ok: false, error: { status: 404 } });
    view.close();
  });
});
