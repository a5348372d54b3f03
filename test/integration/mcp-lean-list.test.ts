// tools/list on an established 2025-era session is answered by the lean path (mcp/fast-list.ts)
// from lists shared by the sessions that see the same tools (mcp/tool-lists.ts): one JSON body
// with the request's id, the same result as the SDK path gives for the same view (a session still
// waiting for its roots is left to it), and never another view's list: a workspace's
// deny rule, the X-MCPlexer-Servers tool set and a config write each change what the next list
// holds. Real gateway, server-everything and server-memory over stdio, raw POSTs and SDK clients.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, everythingStdioBody, memoryBody, postMcpRaw } from '../helpers/mcp.js';

let t: TestGateway;
let root: string;
const memory = memoryBody('mem');
const open: Client[] = [];

/** A 2025-era session opened by the SDK client; its id and protocol version, for raw POSTs on it. */
async function session(headers: Record<string, string> = {}): Promise<{ id: string; version: string }> {
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', t.url), { requestInit: { headers: { authorization: `Bearer ${t.token}`, ...headers } } });
  const client = new Client({ name: 'lean-list-it', version: '1.0.0' });
  await client.connect(transport);
  open.push(client);
  return { id: transport.sessionId!, version: transport.protocolVersion! };
}

/** One raw tools/list POST on `s`: the response's status, headers, byte length and parsed body. */
function list(s: { id: string; version: string }, id: string | number, headers: Record<string, string> = {}) {
  return post(s, JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list', params: {} }), headers);
}

/** One raw POST of `body` (the client's bytes) on `s`; `body` is the parsed answer. */
async function post(s: { id: string; version: string }, body: string, headers: Record<string, string> = {}) {
  const answer = await postMcpRaw(t, body, { 'mcp-session-id': s.id, 'mcp-protocol-version': s.version, ...headers });
  return { ...answer, body: answer.message };
}

/** A 2025-era session opened with raw POSTs (initialize, initialized) declaring `capabilities`; it answers nothing the gateway asks. */
async function rawSession(capabilities: Record<string, unknown>): Promise<{ id: string; version: string }> {
  const version = '2025-11-25';
  const post = (body: unknown, sessionId?: string) =>
    fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${t.token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': version } : {}),
      },
      body: JSON.stringify(body),
    });
  const init = await post({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: version, capabilities, clientInfo: { name: 'raw-it', version: '1.0.0' } },
  });
  await init.text();
  const id = init.headers.get('mcp-session-id')!;
  expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, id)).status).toBe(202);
  return { id, version };
}

const names = (body: { result: { tools: Array<{ name: string }> } }) => body.result.tools.map((tool) => tool.name);

beforeAll(async () => {
  t = await startTestGateway();
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'mcplexer-lean-list-')));
  await addServer(t, everythingStdioBody('ev'));
  await addServer(t, memory.body);
  for (const id of ['ev', 'mem']) {
    const servers = (await t.api('GET', '/downstreams')).body as Array<{ id: string; namespace: string }>;
    const server = servers.find((s) => s.namespace === id)!;
    expect((await t.api('POST', `/downstreams/${server.id}/discover`)).status).toBe(200);
  }
  const workspace = (await t.api('POST', '/workspaces', { name: 'Lean list', root_path: root })).body;
  expect((await t.api('POST', '/routes', { workspace_id: workspace.id, tool_pattern: 'ev__get-sum', policy: 'deny' })).status).toBe(201);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(open.map((client) => client.close()));
  await t?.close();
  memory.cleanup();
  rmSync(root, { recursive: true, force: true });
});

describe('tools/list on an established session (the lean path)', () => {
  it('is one JSON body with the request id and the result the SDK path gives for the same view', async () => {
    const s = await session();
    const answer = await list(s, 'list-1');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('mcp-session-id')).toBe(s.id);
    expect(Number(answer.headers.get('content-length'))).toBe(answer.bytes);
    expect(answer.body).toMatchObject({ jsonrpc: '2.0', id: 'list-1' });
    expect(names(answer.body)).toEqual(expect.arrayContaining(['ev__echo', 'ev__get-sum', 'mem__read_graph']));
    expect((await list(s, 7)).body.id).toBe(7);
    // The reference: the SDK path's answer for the same view. A session whose client declared roots
    // and has not answered them is left to the SDK path (its list asks for them on its own stream:
    // SSE); with roots_wait_ms 0 it answers at once, in global as the lean session is.
    expect((await t.api('PUT', '/settings', { roots_wait_ms: 0 })).status).toBe(200);
    const waiting = await rawSession({ roots: { listChanged: true } });
    const sdk = await list(waiting, 'sdk-path');
    expect(sdk.headers.get('content-type')).toBe('text/event-stream');
    expect(sdk.body).toMatchObject({ jsonrpc: '2.0', id: 'sdk-path' });
    expect(answer.body.result).toEqual(sdk.body.result);
    // And the SDK client on the lean session accepts it (its schema checks every tool).
    expect((await open[0]!.listTools()).tools.map((tool) => tool.name)).toEqual(names(answer.body));
  });

  it('keeps views apart: a workspace’s deny rule and a tool set each list their own tools, in any order of asking', async () => {
    const everywhere = await session();
    const inWorkspace = await session({ 'X-MCPlexer-Workspace': root });
    const onlyMemory = await session({ 'X-MCPlexer-Servers': 'mem' });
    for (let round = 0; round < 2; round++) {
      const all = names((await list(everywhere, round)).body);
      const denied = names((await list(inWorkspace, round)).body);
      const mem = names((await list(onlyMemory, round)).body);
      expect(all).toContain('ev__get-sum');
      expect(denied).not.toContain('ev__get-sum');
      expect(denied).toContain('ev__echo');
      expect(mem.filter((name) => !name.startsWith('mcpx__'))).toEqual(all.filter((name) => name.startsWith('mem__')));
    }
    // The same session asks with another tool set on the next request: its list follows.
    const narrowed = names((await list(everywhere, 'narrowed', { 'X-MCPlexer-Servers': 'ev' })).body);
    expect(narrowed.some((name) => name.startsWith('mem__'))).toBe(false);
    expect(narrowed).toContain('ev__echo');
  });

  it('after a config write the next list is the new config’s', async () => {
    const s = await session();
    expect(names((await list(s, 'before')).body)).toContain('ev__echo');
    const rule = (await t.api('POST', '/routes', { workspace_id: 'global', tool_pattern: 'ev__echo', policy: 'deny' })).body;
    expect(names((await list(s, 'after')).body)).not.toContain('ev__echo');
    expect((await t.api('DELETE', `/routes/${rule.id}`)).status).toBeLessThan(300);
    expect(names((await list(s, 'again')).body)).toContain('ev__echo');
  });

  it('checks the message as the SDK path does: bad params get -32602 naming the field, an id past a double gets 400, and nothing runs', async () => {
    const s = await session();
    for (const params of [{ cursor: 5 }, { _meta: 'x' }]) {
      const answer = await post(s, JSON.stringify({ jsonrpc: '2.0', id: 'bad', method: 'tools/list', params }));
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id: 'bad', error: { code: -32602 } });
      expect(answer.body.error.message).toContain(`params.${Object.keys(params)[0]}`);
    }
    const calls = async () => ((await t.api('GET', '/audit?tool_name=ev__echo')).body as { total: number }).total;
    const before = await calls();
    for (const method of ['tools/list', 'tools/call']) {
      const answer = await post(s, `{"jsonrpc":"2.0","id":1e400,"method":"${method}","params":{"name":"ev__echo","arguments":{"message":"never"}}}`);
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toBe('id: expected a string or an integer, received a number too large to be exact (it overflows a double)');
      // A fraction: refused as an invalid request naming it, not "Parse error" of valid JSON (a protocol trial).
      const fraction = await post(s, `{"jsonrpc":"2.0","id":1.5,"method":"${method}","params":{"name":"ev__echo","arguments":{"message":"never"}}}`);
      expect(fraction.status).toBe(400);
      expect(fraction.body.error).toMatchObject({ code: -32600, message: 'id: expected a string or an integer, received the fraction 1.5' });
    }
    const ping = await post(s, '{"jsonrpc":"2.0","id":2.25,"method":"ping"}');
    expect(ping.body.error).toMatchObject({ code: -32600, message: 'id: expected a string or an integer, received the fraction 2.25' });
    expect(await calls()).toBe(before);
  });
});
