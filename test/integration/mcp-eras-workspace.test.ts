// Both protocol eras on one /mcp at the same time (a v1 SDK client speaking 2025-11-25 and a v2
// client negotiating 2026-07-28), and workspace selection over HTTP with X-MCPlexer-Workspace.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, rejection, text } from '../helpers/mcp.js';

let t: TestGateway;
let root: string;
let workspaceId: string;
let ruleId: string;
const open: Array<{ close(): Promise<void> }> = [];

async function v1Client(headers: Record<string, string> = {}): Promise<V1Client> {
  const client = new V1Client({ name: 'v1-client', version: '1.0.0' });
  await client.connect(new V1Transport(new URL('/mcp', t.url), { requestInit: { headers: { authorization: `Bearer ${t.token}`, ...headers } } }));
  open.push(client);
  return client;
}

async function v2Client(options: Parameters<typeof connectHttp>[1] = {}): Promise<Client> {
  const client = await connectHttp(t, options);
  open.push(client);
  return client;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'mcplexer-ws-'));
  mkdirSync(path.join(root, 'pkg', 'src'), { recursive: true });
  t = await startTestGateway();
  await addServer(t, everythingStdioBody('ev'));
  workspaceId = (await t.api('POST', '/workspaces', { name: 'Locked down', root_path: root })).body.id;
  const rule = await t.api('POST', '/routes', { workspace_id: workspaceId, tool_pattern: 'ev__get-sum', policy: 'deny' });
  expect(rule.status).toBe(201);
  ruleId = rule.body.id;
}, 30_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await t?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('both protocol eras at once', () => {
  it('serves a 2025-era v1 client and a 2026-era v2 client side by side', async () => {
    const legacy = await v1Client();
    const modern = await v2Client({ modern: true, name: 'v2-modern' });
    expect(modern.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect((legacy.transport as V1Transport).protocolVersion).toBe('2025-11-25');
    expect((legacy.transport as V1Transport).sessionId).toBeTruthy();

    const [legacyTools, modernTools] = await Promise.all([legacy.listTools(), modern.listTools()]);
    expect(legacyTools.tools.map((tool) => tool.name)).toContain('ev__echo');
    expect(modernTools.tools.map((tool) => tool.name).sort()).toEqual(legacyTools.tools.map((tool) => tool.name).sort());

    const calls = [];
    for (let i = 0; i < 5; i++) {
      calls.push(legacy.callTool({ name: 'ev__echo', arguments: { message: `legacy ${i}` } }).then(text));
      calls.push(modern.callTool({ name: 'ev__echo', arguments: { message: `modern ${i}` } }).then(text));
    }
    expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4].flatMap((i) => [`Echo: legacy ${i}`, `Echo: modern ${i}`]));
    expect(text(await modern.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 2 } }))).toContain('3');
    expect(text(await legacy.callTool({ name: 'ev__get-sum', arguments: { a: 3, b: 4 } }))).toContain('7');
  });

  it('relays progress to a 2026-era client too', async () => {
    const modern = await v2Client({ modern: true });
    const events: string[] = [];
    const result = await modern.callTool(
      { name: 'ev__trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
      { onprogress: (p) => void events.push(`${p.progress}/${p.total}`) },
    );
    events.push('result');
    expect(text(result)).toContain('Steps: 3');
    expect(events).toEqual(['1/3', '2/3', '3/3', 'result']);
  });

  it('gives a 2026-era client the same clear errors', async () => {
    const modern = await v2Client({ modern: true });
    const error = await rejection(modern.callTool({ name: 'nowhere__tool', arguments: {} }));
    expect(error.code).toBe(-32602);
    expect(error.message).toContain('unknown tool "nowhere__tool"');
  });
});

describe('workspace selection with X-MCPlexer-Workspace', () => {
  const denied = async (client: { callTool(p: { name: string; arguments: Record<string, unknown> }): Promise<unknown> }) => {
    const error = await rejection(client.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 1 } }));
    expect(error.code).toBe(-32003);
    expect(error.message).toContain(`rule ${ruleId}`);
  };
  const names = async (client: Client | V1Client) => (await client.listTools()).tools.map((tool) => tool.name);

  it.each([
    ['the workspace root', () => root],
    ['a directory inside it', () => path.join(root, 'pkg', 'src')],
    ['the workspace id', () => workspaceId],
    ['the workspace name', () => 'Locked down'],
    ['the workspace name in another case', () => 'LOCKED DOWN'],
    ['a file:// URL', () => `file://${root}/pkg`],
  ])('selects the workspace from %s: the denied tool is hidden and refused', async (_label, value) => {
    const client = await v2Client({ headers: { 'X-MCPlexer-Workspace': value() } });
    const listed = await names(client);
    expect(listed).toContain('ev__echo');
    expect(listed).not.toContain('ev__get-sum');
    await denied(client);
    expect(text(await client.callTool({ name: 'ev__echo', arguments: { message: 'allowed' } }))).toBe('Echo: allowed');
  });

  it('allows the tool without the header or from a directory outside the workspace', async () => {
    const headerSets: Array<Record<string, string>> = [{}, { 'X-MCPlexer-Workspace': tmpdir() }, { 'X-MCPlexer-Workspace': '' }];
    for (const headers of headerSets) {
      const client = await v2Client({ headers });
      expect(await names(client)).toContain('ev__get-sum');
      expect(text(await client.callTool({ name: 'ev__get-sum', arguments: { a: 20, b: 22 } }))).toContain('42');
    }
  });

  it('applies the header for a v1 client and for a 2026-era client alike', async () => {
    const legacy = await v1Client({ 'X-MCPlexer-Workspace': root });
    expect(await names(legacy)).not.toContain('ev__get-sum');
    await denied(legacy);
    const modern = await v2Client({ modern: true, headers: { 'X-MCPlexer-Workspace': workspaceId } });
    expect(modern.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(await names(modern)).not.toContain('ev__get-sum');
    await denied(modern);
    const modernElsewhere = await v2Client({ modern: true });
    expect(await names(modernElsewhere)).toContain('ev__get-sum');
  });
});

describe('X-MCPlexer-Workspace values that select no workspace are refused, never widened to global', () => {
  const REFUSED: Array<[label: string, value: string, why: RegExp]> = [
    ['an unknown name', 'no-such-workspace', /names no workspace/],
    ['a relative path', 'pkg/src', /is a relative path/],
    ['a dot-relative path', './pkg', /is a relative path/],
    ['a wrong id', '00000000-0000-4000-8000-000000000000', /names no workspace/],
  ];
  const names = async (client: Client | V1Client) => (await client.listTools()).tools.map((tool) => tool.name);
  const INITIALIZE = {
    jsonrpc: '2.0',
    id: 5,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  };

  function post(body: unknown, headers: Record<string, string>): Promise<Response> {
    return fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify(body),
    });
  }

  async function expectRefusal(res: Response, value: string, why: RegExp, id: number | null): Promise<void> {
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ jsonrpc: '2.0', id, error: { code: -32600, data: { code: 'bad_request', details: [{ path: 'X-MCPlexer-Workspace' }] } } });
    expect(body.error.message).toContain(`X-MCPlexer-Workspace "${value}"`);
    expect(body.error.message).toMatch(why);
    expect(body.error.message).toContain('a workspace id, a workspace name, or an absolute directory path');
    expect(body.error.message).toContain(workspaceId);
    expect(body.error.message).toContain('"Locked down"');
  }

  it.each(REFUSED)('refuses %s on initialize (400, JSON-RPC error naming the header and value), opening no session', async (_label, value, why) => {
    const res = await post(INITIALIZE, { 'X-MCPlexer-Workspace': value });
    expect(res.headers.get('mcp-session-id')).toBeNull();
    await expectRefusal(res, value, why, 5);
  });

  it.each(REFUSED)('refuses %s for real SDK clients of both eras, with the value in the error', async (_label, value) => {
    await expect(v2Client({ headers: { 'X-MCPlexer-Workspace': value } })).rejects.toThrow(`X-MCPlexer-Workspace \\"${value}\\"`);
    await expect(v2Client({ modern: true, headers: { 'X-MCPlexer-Workspace': value } })).rejects.toThrow(/X-MCPlexer-Workspace/);
    await expect(v1Client({ 'X-MCPlexer-Workspace': value })).rejects.toThrow(/X-MCPlexer-Workspace/);
  });

  it.each(REFUSED)(
    'refuses %s on a later request of an established session (lean and SDK paths); the session keeps its workspace',
    async (_label, value, why) => {
      const init = await post(INITIALIZE, { 'X-MCPlexer-Workspace': root });
      const sessionId = init.headers.get('mcp-session-id')!;
      await init.text();
      const session = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
      expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session)).status).toBe(202);
      const call = { jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'ev__get-sum', arguments: { a: 1, b: 2 } } };
      await expectRefusal(await post(call, { ...session, 'X-MCPlexer-Workspace': value }), value, why, 6);
      await expectRefusal(await post({ jsonrpc: '2.0', id: 7, method: 'tools/list' }, { ...session, 'X-MCPlexer-Workspace': value }), value, why, 7);
      // Still in the workspace it was opened in: the deny rule holds.
      const again = await post(call, session);
      expect(await again.text()).toContain(`rule ${ruleId}`);
      expect((await fetch(`${t.url}/mcp`, { method: 'DELETE', headers: { authorization: `Bearer ${t.token}`, ...session } })).status).toBe(200);
    },
  );

  it('refuses a workspace deleted after the session chose it by name', async () => {
    const extra = (await t.api('POST', '/workspaces', { name: 'Short lived', root_path: path.join(root, 'pkg') })).body;
    const client = await v2Client({ headers: { 'X-MCPlexer-Workspace': 'Short lived' } });
    expect(await names(client)).not.toContain('ev__get-sum');
    expect((await t.api('DELETE', `/workspaces/${extra.id}`)).status).toBe(204);
    await expect(client.listTools()).rejects.toThrow(/X-MCPlexer-Workspace \\+"Short lived\\+" names no workspace/);
  });
});
