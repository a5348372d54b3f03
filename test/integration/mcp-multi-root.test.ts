// A multi-root window on /mcp: `X-MCPlexer-Workspace: ["/a","/b"]` lists a tool, and allows a call,
// only where every folder's chain allows it (deny beats approval beats allow), on both protocol
// eras; `X-MCPlexer-Servers` limits a session's tools and calls to those servers. Real gateway,
// server-everything and server-memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitForPending } from '../helpers/approvals.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, memoryBody, rejection, text } from '../helpers/mcp.js';

let t: TestGateway;
let a: string;
let b: string;
let memoryCleanup: () => void;
let denySum: string;
const open: Client[] = [];

async function client(headers: Record<string, string>, modern = false): Promise<Client> {
  const connected = await connectHttp(t, { headers, modern });
  open.push(connected);
  return connected;
}
const names = async (c: Client) => (await c.listTools()).tools.map((tool) => tool.name);
/** The servers' tools of a list: the built-in `mcpx` tools (the cache flush and the approval tools are always listed) stay whatever the tool set. */
const served = (list: string[]) => list.filter((name) => !name.startsWith('mcpx__'));

beforeAll(async () => {
  a = mkdtempSync(path.join(tmpdir(), 'mcplexer-root-a-'));
  b = mkdtempSync(path.join(tmpdir(), 'mcplexer-root-b-'));
  t = await startTestGateway();
  await addServer(t, everythingStdioBody('ev'));
  const memory = memoryBody('mem');
  memoryCleanup = memory.cleanup;
  await addServer(t, memory.body);
  const wa = (await t.api('POST', '/workspaces', { name: 'A', root_path: a })).body.id;
  const wb = (await t.api('POST', '/workspaces', { name: 'B', root_path: b, default_policy: 'deny' })).body.id;
  denySum = (await t.api('POST', '/routes', { workspace_id: wa, tool_pattern: 'ev__get-sum', policy: 'deny', name: 'a-no-sum' })).body.id;
  await t.api('POST', '/routes', { workspace_id: wb, tool_pattern: 'ev__*', policy: 'allow' });
  await t.api('POST', '/routes', { workspace_id: wb, tool_pattern: 'ev__echo', policy: 'approve', priority: 200 });
}, 60_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await t?.close();
  memoryCleanup?.();
  rmSync(a, { recursive: true, force: true });
  rmSync(b, { recursive: true, force: true });
});

describe.each([
  ['2025 era', false],
  ['2026 era', true],
])('multi-root X-MCPlexer-Workspace (%s)', (_era, modern) => {
  it('each folder alone decides as before', async () => {
    const onlyA = await names(await client({ 'X-MCPlexer-Workspace': a }, modern));
    expect(onlyA).toContain('mem__read_graph');
    expect(onlyA).not.toContain('ev__get-sum');
    const onlyB = await names(await client({ 'X-MCPlexer-Workspace': b }, modern));
    expect(onlyB).toContain('ev__get-sum');
    expect(onlyB).not.toContain('mem__read_graph');
  });

  it('lists and allows only what every folder allows: a deny in one folder, a default deny in the other', async () => {
    const both = await client({ 'X-MCPlexer-Workspace': JSON.stringify([a, b]) }, modern);
    const listed = await names(both);
    expect(listed).not.toContain('ev__get-sum'); // denied by A's rule
    expect(listed).not.toContain('mem__read_graph'); // B's default deny
    expect(listed).toContain('ev__echo'); // approval-gated tools are listed
    expect(listed).toContain('ev__get-env');
    const denied = await rejection(both.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 2 } }));
    expect(denied.message).toMatch(new RegExp(`rule ${denySum}.*"a-no-sum"`));
    const defaultDenied = await rejection(both.callTool({ name: 'mem__read_graph', arguments: {} }));
    expect(defaultDenied.message).toMatch(/no route for "mem__read_graph".*default policy of workspace "B"/);
    // Approval (in B) beats allow (in A): the call waits for a person, asked in B's name.
    const call = both.callTool({ name: 'ev__echo', arguments: { message: 'hi' } });
    const pending = await waitForPending(t, 'ev__echo');
    expect(pending.workspace_name).toBe('B');
    await t.api('POST', `/approvals/${pending.id}/resolve`, { approved: false, resolution: 'not from here' });
    const refused = await call;
    expect(refused.isError).toBe(true);
    expect(text(refused)).toBe('Tool call denied by the dashboard. Reason: not from here');
    expect(text(await both.callTool({ name: 'ev__get-env', arguments: {} }))).toBeTruthy();
  });

  it('takes workspace names and ids in the array, and refuses a bad array naming the header', async () => {
    const byName = await names(await client({ 'X-MCPlexer-Workspace': JSON.stringify(['A', b]) }, modern));
    expect(byName).not.toContain('ev__get-sum');
    expect(byName).not.toContain('mem__read_graph');
    for (const bad of ['["/a", 3]', '[', '[]', JSON.stringify([a, 'relative/dir'])]) {
      const error = await rejection(client({ 'X-MCPlexer-Workspace': bad }, modern));
      expect(error.message, bad).toMatch(/X-MCPlexer-Workspace/);
    }
  });
});

describe.each([
  ['2025 era', false],
  ['2026 era', true],
])('X-MCPlexer-Servers (%s)', (_era, modern) => {
  it("lists only the chosen servers' tools and refuses calls to the others, naming the header", async () => {
    const onlyMemory = await client({ 'X-MCPlexer-Servers': 'mem' }, modern);
    const listed = await names(onlyMemory);
    expect(served(listed).length).toBeGreaterThan(0);
    expect(served(listed).every((name) => name.startsWith('mem__'))).toBe(true);
    const refused = await rejection(onlyMemory.callTool({ name: 'ev__echo', arguments: { message: 'x' } }));
    expect(refused.message).toMatch(/belongs to server "Everything ev", which this session's X-MCPlexer-Servers header leaves out/);
    expect(refused.data?.code).toBe('denied');
  });

  it('combines with the folders (both limits apply) and refuses an unknown server', async () => {
    const both = await names(await client({ 'X-MCPlexer-Servers': 'ev,mem', 'X-MCPlexer-Workspace': b }, modern));
    expect(both.some((name) => name.startsWith('ev__'))).toBe(true);
    expect(both.some((name) => name.startsWith('mem__'))).toBe(false);
    const error = await rejection(client({ 'X-MCPlexer-Servers': 'ev,nope' }, modern));
    expect(error.message).toMatch(/X-MCPlexer-Servers names no server as .*nope/);
  });
});

describe('headers that change within a 2025-era session', () => {
  async function post(sessionId: string | undefined, body: object, headers: Record<string, string> = {}) {
    const res = await fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${t.token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
    });
    const raw = await res.text();
    const json = raw.startsWith('{')
      ? raw
      : (raw
          .split('\n')
          .find((line) => line.startsWith('data: '))
          ?.slice(6) ?? 'null');
    return { status: res.status, sessionId: res.headers.get('mcp-session-id') ?? sessionId, body: JSON.parse(json) };
  }

  it('takes a new X-MCPlexer-Servers or folder list when it changes, and keeps it while the header is left out', async () => {
    const init = await post(
      undefined,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      },
      { 'X-MCPlexer-Servers': 'mem' },
    );
    const id = init.sessionId!;
    await post(id, { jsonrpc: '2.0', method: 'notifications/initialized' });
    const list = async (headers: Record<string, string> = {}) =>
      ((await post(id, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, headers)).body.result.tools as Array<{ name: string }>).map((tool) => tool.name);
    expect(served(await list()).every((name) => name.startsWith('mem__'))).toBe(true);
    const ev = await list({ 'X-MCPlexer-Servers': 'ev' });
    expect(served(ev).length).toBeGreaterThan(0);
    expect(served(ev).every((name) => name.startsWith('ev__'))).toBe(true);
    expect(await list()).toEqual(ev);
    const narrowed = await list({ 'X-MCPlexer-Workspace': JSON.stringify([a, b]) });
    expect(narrowed).not.toContain('ev__get-sum');
    expect(narrowed).toContain('ev__echo');
    const call = await post(id, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'ev__get-sum', arguments: { a: 1, b: 2 } } });
    expect(call.body.error.message).toMatch(/a-no-sum/);
    const refused = await post(id, { jsonrpc: '2.0', id: 4, method: 'tools/list' }, { 'X-MCPlexer-Servers': 'ev,ghost' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/X-MCPlexer-Servers names no server as "ghost"/);
  });
});
