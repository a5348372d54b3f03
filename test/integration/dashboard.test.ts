// GET /api/v1/dashboard on a real gateway with real downstreams (server-everything and
// server-memory over stdio) and real SDK clients: after a known mix of calls (success, a tool
// error, a deny rule, a default deny, an unknown tool) the stats, leaderboard, server health,
// error breakdown, route hit map and recent lists are exact; every range has its bucket size
// and zero-filled length; an unknown range means 1h; the live session shows with its client and
// workspace; the figures survive a restart on the same data dir, from metrics.json (mode 0600)
// (the caches' counters do not: they are the caches' own);
// and reading the snapshot changes nothing.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingSink } from '../helpers/call-records.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, memoryBody } from '../helpers/mcp.js';

let t: TestGateway;
const sink = new RecordingSink();
const clients: Client[] = [];
const dirs: string[] = [];
let memory: ReturnType<typeof memoryBody>;
const ids: Record<string, string> = {};
const ws: Record<string, string> = {};
const rules: Record<string, string> = {};
let open: Client;
let closed: Client;

const sessionOf = (c: Client) => (c.transport as unknown as { sessionId: string }).sessionId;
const dashboard = async (query = '') => {
  const res = await t.api('GET', `/dashboard${query}`);
  expect(res.status).toBe(200);
  return res.body;
};
/** The call figures of a snapshot (what metrics keeps), without the live parts (sessions, servers, the caches' counters). */
const callFigures = (body: any) => {
  const { active_sessions, active_session_list, active_downstreams, cache_stats, ...rest } = body;
  return rest;
};

beforeAll(async () => {
  t = await startTestGateway({ callRecords: sink });
  memory = memoryBody('mem');
  ids.ev = (await addServer(t, everythingStdioBody('ev'))).id;
  ids.mem = (await addServer(t, memory.body)).id;
  ids.off = (await addServer(t, everythingStdioBody('off', { enabled: false }))).id;
  for (const [name, policy] of [
    ['open', 'allow'],
    ['closed', 'deny'],
  ] as const) {
    const dir = mkdtempSync(path.join(tmpdir(), `mcplexer-dash-${name}-`));
    dirs.push(dir);
    ws[name] = (await t.api('POST', '/workspaces', { name: `Dash ${name}`, root_path: dir, default_policy: policy })).body.id;
  }
  for (const [name, body] of [
    ['echo', { workspace_id: ws.open, name: 'echo rule', tool_pattern: 'ev__echo', policy: 'allow', path_glob: '**' }],
    ['sum', { workspace_id: ws.open, name: 'no sums', tool_pattern: 'ev__get-sum', policy: 'deny', path_glob: 'src/**' }],
  ] as const) {
    const res = await t.api('POST', '/routes', body);
    expect(res.status).toBe(201);
    rules[name] = res.body.id;
  }
  open = await connectHttp(t, { name: 'dash-client', headers: { 'X-MCPlexer-Workspace': ws.open! } });
  closed = await connectHttp(t, { name: 'other-client', headers: { 'X-MCPlexer-Workspace': ws.closed! } });
  clients.push(open, closed);
  const inSrc = await connectHttp(t, { name: 'dash-client', headers: { 'X-MCPlexer-Workspace': path.join(dirs[0]!, 'src') } });
  clients.push(inSrc);

  // The known mix, in this order.
  for (const message of ['a', 'b', 'c']) await open.callTool({ name: 'ev__echo', arguments: { message } });
  await open.callTool({ name: 'ev__echo', arguments: { message: 42 } }); // tool error (isError)
  for (let i = 0; i < 2; i++) await open.callTool({ name: 'mem__read_graph', arguments: {} });
  await inSrc.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 2 } }).catch(() => undefined); // deny rule
  await closed.callTool({ name: 'ev__get-env', arguments: {} }).catch(() => undefined); // default deny: no_route
  await open.callTool({ name: 'nobody__x', arguments: {} }).catch(() => undefined); // unknown tool
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await t?.close();
  if (t) rmSync(t.home, { recursive: true, force: true });
  memory?.cleanup();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('GET /dashboard after a known mix of calls', () => {
  it('the sink saw exactly the mix', () => {
    expect(sink.since(0).map((r) => [r.tool_name, r.status, r.error_code])).toEqual([
      ['ev__echo', 'success', null],
      ['ev__echo', 'success', null],
      ['ev__echo', 'success', null],
      ['ev__echo', 'error', 'tool_error'],
      ['mem__read_graph', 'success', null],
      ['mem__read_graph', 'success', null],
      ['ev__get-sum', 'blocked', 'denied'],
      ['ev__get-env', 'blocked', 'no_route'],
      ['nobody__x', 'error', 'unknown_tool'],
    ]);
  });

  it('stats: counts by status, the exact average latency and a p95 within one histogram bin of the true one', async () => {
    const body = await dashboard('?range=1h');
    expect(body.stats).toMatchObject({ total_requests: 9, success_count: 5, error_count: 2, blocked_count: 2 });
    const latencies = sink.records.map((r) => r.latencyMs);
    expect(body.stats.avg_latency_ms).toBeCloseTo(latencies.reduce((a, b) => a + b, 0) / latencies.length, 2);
    const truth = [...latencies].sort((a, b) => a - b)[Math.ceil(0.95 * latencies.length) - 1]!;
    expect(body.stats.p95_latency_ms).toBeGreaterThanOrEqual(truth - 0.001);
    expect(body.stats.p95_latency_ms).toBeLessThanOrEqual(truth * 2 ** 0.25 + 0.001);
  });

  it('tool_leaderboard: by call count, each with its server, errors and rates', async () => {
    const board = (await dashboard()).tool_leaderboard;
    expect(board.map((e: any) => [e.tool_name, e.server_name, e.call_count, e.error_count, e.error_rate, e.blocked_count])).toEqual([
      ['ev__echo', 'Everything ev', 4, 1, 25, 0],
      ['mem__read_graph', 'Memory mem', 2, 0, 0, 0],
      ['ev__get-env', 'Everything ev', 1, 0, 0, 1],
      ['ev__get-sum', 'Everything ev', 1, 0, 0, 1],
      ['nobody__x', '', 1, 1, 100, 0],
    ]);
    for (const entry of board) {
      expect(entry.avg_latency_ms).toBeGreaterThan(0);
      expect(entry.p95_latency_ms).toBeGreaterThanOrEqual(entry.avg_latency_ms / 2 ** 0.25);
    }
  });

  it('server_health: per server, blocked calls counted apart from errors; a call with no server in none', async () => {
    const health = (await dashboard()).server_health;
    expect(health.map((e: any) => [e.server_id, e.server_name, e.call_count, e.error_count, e.blocked_count])).toEqual([
      [ids.ev, 'Everything ev', 6, 1, 2],
      [ids.mem, 'Memory mem', 2, 0, 0],
    ]);
    const echo = sink.records.filter((r) => r.server?.id === ids.ev).map((r) => r.latencyMs);
    expect(health[0].avg_latency_ms).toBeCloseTo(echo.reduce((a, b) => a + b, 0) / echo.length, 2);
  });

  it('error_breakdown: errors and blocked calls by tool, with their type', async () => {
    expect((await dashboard()).error_breakdown).toEqual([
      { group_key: 'ev__echo', server_name: 'Everything ev', error_type: 'error', count: 1 },
      { group_key: 'ev__get-env', server_name: 'Everything ev', error_type: 'blocked', count: 1 },
      { group_key: 'ev__get-sum', server_name: 'Everything ev', error_type: 'blocked', count: 1 },
      { group_key: 'nobody__x', server_name: '', error_type: 'error', count: 1 },
    ]);
  });

  it('route_hit_map: the rules that decided, with name, path glob, hits and errors', async () => {
    expect((await dashboard()).route_hit_map).toEqual([
      { route_rule_id: rules.echo, rule_name: 'echo rule', path_glob: '**', rule_summary: 'allow ev__echo', hit_count: 4, error_count: 1, blocked_count: 0 },
      { route_rule_id: rules.sum, rule_name: 'no sums', path_glob: 'src/**', rule_summary: 'deny ev__get-sum', hit_count: 1, error_count: 0, blocked_count: 1 },
    ]);
  });

  it('recent_calls newest first; recent_errors holds errors and blocked calls, newest first', async () => {
    const body = await dashboard();
    const expected = sink.since(0).reverse();
    expect(body.recent_calls.map((r: any) => [r.tool_name, r.status, r.session_id])).toEqual(expected.map((r) => [r.tool_name, r.status, r.session_id]));
    expect(body.recent_errors.map((r: any) => [r.tool_name, r.status, r.error_code])).toEqual(
      expected.filter((r) => r.status !== 'success').map((r) => [r.tool_name, r.status, r.error_code]),
    );
    // The dashboard keeps no arguments (only the audit trail does, redacted).
    const shown = (r: object | undefined) => {
      const { args: _args, ...rest } = (r ?? {}) as Record<string, unknown>;
      return rest;
    };
    expect(body.recent_calls[0]).toMatchObject({ ...shown(expected[0]), downstream_server_name: '', route_rule_summary: '' });
    expect(body.recent_calls.at(-1)).toMatchObject({ ...shown(expected.at(-1)), downstream_server_name: 'Everything ev', route_rule_summary: '**' });
    for (const call of body.recent_calls) expect(call).not.toHaveProperty('args');
  });

  it('the live sessions, with client_type and workspace; every configured server with its state', async () => {
    const body = await dashboard();
    expect(body.active_sessions).toBe(body.active_session_list.length);
    expect(body.active_session_list).toContainEqual({
      id: sessionOf(open),
      client_type: 'dash-client',
      client_pid: null,
      connected_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      workspace_id: ws.open,
      model_hint: null,
    });
    expect(body.active_session_list).toContainEqual(expect.objectContaining({ id: sessionOf(closed), client_type: 'other-client', workspace_id: ws.closed }));
    const servers = Object.fromEntries(body.active_downstreams.map((d: any) => [d.server_id, d]));
    expect(Object.keys(servers).sort()).toEqual([ids.ev, ids.mem, ids.off].sort());
    expect(servers[ids.off]).toEqual({ server_id: ids.off, server_name: 'Everything off', instance_count: 0, state: 'disabled', disabled: true });
    for (const id of [ids.ev, ids.mem]) {
      expect(servers[id].disabled).toBe(false);
      expect(servers[id].instance_count).toBeGreaterThanOrEqual(1);
      expect(['ready', 'busy', 'idle']).toContain(servers[id].state);
    }
  });

  it("approval_metrics (no rule asks for approval here) and cache_stats, the caches' own counters", async () => {
    const body = await dashboard();
    expect(body.approval_metrics).toEqual({ pending_count: 0, approved_count: 0, denied_count: 0, timed_out_count: 0, avg_wait_ms: 0 });
    // mem__read_graph (read_*: cacheable) twice: one miss, then one hit; ev__echo and the refused calls are not cached.
    expect(body.cache_stats.tool_call).toEqual({ hits: 1, misses: 1, evictions: 0, entries: 1, hit_rate: 0.5, bytes: expect.any(Number) });
    expect(body.cache_stats.tool_call.bytes).toBeGreaterThan(0);
    expect(body.cache_stats).toEqual((await t.api('GET', '/cache/stats')).body);
  });
});

describe('ranges', () => {
  it.each([
    ['1h', 60, 60],
    ['6h', 300, 72],
    ['24h', 900, 96],
    ['7d', 3600, 168],
  ] as const)('%s: %i s buckets × %i, zero-filled, ending with the current bucket', async (range, bucketSec, points) => {
    const before = Date.now();
    const body = await dashboard(`?range=${range}`);
    expect(body.range).toBe(range);
    const series = body.timeseries as Array<Record<string, any>>;
    expect(series).toHaveLength(points);
    const starts = series.map((p) => Date.parse(p.bucket));
    for (let i = 1; i < points; i++) expect(starts[i]! - starts[i - 1]!).toBe(bucketSec * 1000);
    expect(starts.at(-1)! % (bucketSec * 1000)).toBe(0);
    expect(starts.at(-1)!).toBeLessThanOrEqual(before);
    expect(starts.at(-1)! + bucketSec * 1000).toBeGreaterThan(before);
    for (const point of series)
      expect(Object.keys(point).sort()).toEqual(['avg_latency_ms', 'blocked', 'bucket', 'errors', 'servers', 'sessions', 'success', 'total']);
    const sum = (key: string) => series.reduce((n, p) => n + p[key], 0);
    expect([sum('total'), sum('success'), sum('errors'), sum('blocked')]).toEqual([9, 5, 2, 2]);
    expect(series.filter((p) => p.total === 0).every((p) => p.sessions === 0 && p.servers === 0 && p.avg_latency_ms === 0)).toBe(true);
    // Three sessions and two servers made the calls; a bucket counts each once.
    expect(Math.max(...series.map((p) => p.sessions))).toBeLessThanOrEqual(3);
    expect(sum('sessions')).toBeGreaterThanOrEqual(3);
    expect(Math.max(...series.map((p) => p.servers))).toBeLessThanOrEqual(2);
    expect(sum('servers')).toBeGreaterThanOrEqual(2);
    expect(body.stats).toMatchObject({ total_requests: 9, success_count: 5, error_count: 2, blocked_count: 2 });
  });

  it.each(['?range=2h', '?range=', '', '?range=7D', '?range=%00'])('an unknown range (%s) means 1h', async (query) => {
    const body = await dashboard(query);
    expect(body.range).toBe('1h');
    expect(body.timeseries).toHaveLength(60);
  });

  it('recent lists: 1h shows 20 calls and 10 errors, the other ranges 50 and 20', async () => {
    for (let i = 0; i < 12; i++) await open.callTool({ name: `nobody__x${i}`, arguments: {} }).catch(() => undefined);
    const hour = await dashboard('?range=1h');
    expect([hour.recent_calls.length, hour.recent_errors.length]).toEqual([20, 10]);
    expect(hour.recent_calls[0].tool_name).toBe('nobody__x11');
    for (const range of ['6h', '24h', '7d']) {
      const body = await dashboard(`?range=${range}`);
      expect([body.recent_calls.length, body.recent_errors.length], range).toEqual([21, 16]);
    }
  });
});

describe('no side effect, restart-proof', () => {
  it('two snapshots in a row are the same', async () => {
    const first = callFigures(await dashboard('?range=7d'));
    expect(callFigures(await dashboard('?range=7d'))).toEqual(first);
  });

  it('stop and start on the same data dir: the same figures, from metrics.json (mode 0600)', async () => {
    const before = callFigures(await dashboard('?range=7d'));
    await Promise.allSettled(clients.map((c) => c.close()));
    clients.length = 0;
    await t.stop();
    const file = path.join(t.home, 'metrics.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
    t = await startTestGateway({ home: t.home });
    const after = callFigures(await dashboard('?range=7d'));
    expect(after).toEqual(before);
    expect(after.stats.total_requests).toBe(21);
    const body = await dashboard();
    // The caches live in memory: a new gateway starts them empty.
    expect(body.cache_stats.tool_call).toMatchObject({ hits: 0, misses: 0, entries: 0 });
    expect(body.active_sessions).toBe(0);
    expect(body.active_session_list).toEqual([]);
  });

  it('keeps no call arguments: a secret sent to a tool is neither in the snapshot nor in metrics.json', async () => {
    const client = await connectHttp(t, { name: 'dash-client', headers: { 'X-MCPlexer-Workspace': ws.open! } });
    clients.push(client);
    const secret = 'sk-live-' + 'q'.repeat(30);
    await client.callTool({ name: 'ev__echo', arguments: { message: secret } });
    const text = JSON.stringify(await dashboard());
    expect(text).toContain('ev__echo');
    expect(text).not.toContain(secret);
    await t.stop();
    expect(readFileSync(path.join(t.home, 'metrics.json'), 'utf8')).not.toContain(secret);
    t = await startTestGateway({ home: t.home });
  });
});

describe('names as they are now', () => {
  it('a server or rule renamed since its calls is named anew in the leaderboard, server health, error breakdown, route hit map and recent calls, as in /audit (a trial: the old names stayed)', async () => {
    expect((await t.api('PUT', `/downstreams/${ids.ev}`, { name: 'Everything renamed' })).status).toBe(200);
    expect((await t.api('PUT', `/routes/${rules.echo}`, { name: 'echo renamed', path_glob: 'lib/**' })).status).toBe(200);
    try {
      const body = await dashboard('?range=7d');
      expect(body.tool_leaderboard.find((t: any) => t.tool_name === 'ev__echo').server_name).toBe('Everything renamed');
      expect(body.server_health.find((s: any) => s.server_id === ids.ev).server_name).toBe('Everything renamed');
      expect(body.error_breakdown.find((e: any) => e.group_key === 'ev__get-sum').server_name).toBe('Everything renamed');
      expect(body.route_hit_map.find((r: any) => r.route_rule_id === rules.echo)).toMatchObject({ rule_name: 'echo renamed', path_glob: 'lib/**' });
      const echo = body.recent_calls.find((c: any) => c.tool_name === 'ev__echo');
      expect(echo).toMatchObject({ downstream_server_name: 'Everything renamed', route_rule_summary: 'lib/**' });
      const audited = (await t.api('GET', '/audit?tool_name=ev__echo&limit=1')).body.data[0];
      expect(audited).toMatchObject({ downstream_server_name: echo.downstream_server_name, route_rule_summary: echo.route_rule_summary });
    } finally {
      await t.api('PUT', `/downstreams/${ids.ev}`, { name: 'Everything ev' });
      await t.api('PUT', `/routes/${rules.echo}`, { name: 'echo rule', path_glob: '**' });
    }
  });

  it('a server called before and after a restart in one bucket counts once in the series', async () => {
    const client = await connectHttp(t, { name: 'dash-client', headers: { 'X-MCPlexer-Workspace': ws.open! } });
    await client.callTool({ name: 'mem__read_graph', arguments: {} });
    await client.close();
    const before = (await dashboard()).timeseries.at(-1);
    await t.stop();
    t = await startTestGateway({ home: t.home });
    const again = await connectHttp(t, { name: 'dash-client', headers: { 'X-MCPlexer-Workspace': ws.open! } });
    clients.push(again);
    await again.callTool({ name: 'mem__read_graph', arguments: {} });
    const after = (await dashboard()).timeseries.at(-1);
    // Unless the minute turned meanwhile: then the new bucket has the one server.
    if (after.bucket === before.bucket) expect(after.servers).toBe(before.servers);
    else expect(after.servers).toBe(1);
  });
});
