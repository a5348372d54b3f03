/**
 * JSON-RPC batches by negotiated protocol version, against the real gateway over loopback with
 * server-everything behind it. MCP 2025-06-18 removed batching ("Remove support for JSON-RPC
 * batching"): a session that negotiated 2025-06-18 or later gets HTTP 400 with InvalidRequest for
 * a batch, whatever it holds (a tools/call and a tools/list, which alone take the lean paths; a
 * notification; a ping for the SDK's transport), and the session goes on; 2024-11-05 and
 * 2025-03-26 sessions keep batches. `mcplexer connect` hands the client the same answer.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonRpcCode } from '../../src/gateway/index.js';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, CLI, everythingStdioBody, killStrayGateway } from '../helpers/mcp.js';

let t: TestGateway;
let cwd: string;

beforeAll(async () => {
  cwd = mkdtempSync(path.join(tmpdir(), 'mcplexer-batch-'));
  t = await startTestGateway({ lock: true });
  await addServer(t, everythingStdioBody('ev'));
}, 60_000);
afterAll(async () => {
  for (const bridge of bridges) bridge.close();
  if (t) killStrayGateway(t.home);
  await t?.close();
  rmSync(cwd, { recursive: true, force: true });
});

const rpc = (id: number, method: string, params?: Record<string, unknown>) => ({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
const echo = (id: number, message: string) => rpc(id, 'tools/call', { name: 'ev__echo', arguments: { message } });
const initialize = (version: string) => rpc(1, 'initialize', { protocolVersion: version, capabilities: {}, clientInfo: { name: 'batch', version: '1' } });
const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };

/** One POST to /mcp: the status and every JSON-RPC message of its answer (JSON, or each SSE event's data). */
async function post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; messages: any[]; sessionId: string | null }> {
  const res = await fetch(`${t.url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const datas = res.headers.get('content-type')?.includes('text/event-stream')
    ? text.split('\n').flatMap((line) => (line.startsWith('data: ') ? [line.slice(6)] : []))
    : text
      ? [text]
      : [];
  return { status: res.status, messages: datas.map((data) => JSON.parse(data)).flat(), sessionId: res.headers.get('mcp-session-id') };
}

/** A session of `version`, initialized: the headers its requests carry. */
async function session(version: string): Promise<Record<string, string>> {
  const init = await post(initialize(version));
  expect(init.messages[0].result.protocolVersion).toBe(version);
  const headers = { 'mcp-session-id': init.sessionId!, 'mcp-protocol-version': version };
  expect((await post(INITIALIZED, headers)).status).toBe(202);
  return headers;
}

const BATCHES: Array<[string, unknown[]]> = [
  ['a tools/call (the lean call path alone)', [echo(10, 'in a batch')]],
  ['a tools/list and a ping', [rpc(11, 'tools/list'), rpc(12, 'ping')]],
  ['a notification', [{ jsonrpc: '2.0', method: 'notifications/roots/list_changed' }]],
  ['a tools/call and a notification', [echo(13, 'mixed'), { jsonrpc: '2.0', method: 'notifications/roots/list_changed' }]],
];

function expectRefused(message: any, version: string): void {
  expect(message).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: JsonRpcCode.InvalidRequest } });
  expect(message.error.message).toContain(`JSON-RPC batches are not supported in MCP protocol version ${version}`);
  expect(message.error.message).toContain('send one message per request');
}

describe.each(['2025-06-18', '2025-11-25'])('a session on %s', (version) => {
  let headers: Record<string, string>;
  beforeAll(async () => {
    headers = await session(version);
  });

  it.each(BATCHES)('a batch of %s: HTTP 400, InvalidRequest saying to send one message per request', async (_label, batch) => {
    const answer = await post(batch, headers);
    expect(answer.status).toBe(400);
    expect(answer.messages).toHaveLength(1);
    expectRefused(answer.messages[0], version);
  });

  it('the session goes on: the same messages one per request are answered', async () => {
    const call = await post(echo(20, 'alone'), headers);
    expect(call.status).toBe(200);
    expect(call.messages[0]).toMatchObject({ id: 20, result: { content: [{ type: 'text', text: 'Echo: alone' }] } });
    const list = await post(rpc(21, 'tools/list'), headers);
    expect(list.messages[0].result.tools.map((tool: { name: string }) => tool.name)).toContain('ev__echo');
  });
});

describe.each(['2024-11-05', '2025-03-26'])('a session on %s keeps batches', (version) => {
  it('a batch of a tools/call, a tools/list and a ping is answered member by member; one of a notification is accepted', async () => {
    const headers = await session(version);
    const answer = await post([echo(30, `batched on ${version}`), rpc(31, 'tools/list'), rpc(32, 'ping')], headers);
    expect(answer.status).toBe(200);
    const byId = new Map(answer.messages.map((message) => [message.id, message]));
    expect(byId.get(30)).toMatchObject({ result: { content: [{ type: 'text', text: `Echo: batched on ${version}` }] } });
    expect(byId.get(31).result.tools.length).toBeGreaterThan(0);
    expect(byId.get(32)).toMatchObject({ result: {} });
    expect((await post([{ jsonrpc: '2.0', method: 'notifications/roots/list_changed' }], headers)).status).toBe(202);
  });
});

/** `mcplexer connect` spoken to in raw lines; gateway requests (roots/list) are answered with no roots. */
interface RawBridge {
  send(message: unknown): void;
  line(test: (message: any) => boolean): Promise<any>;
  close(): void;
}
const bridges: RawBridge[] = [];

function rawBridge(): RawBridge {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('MCPLEXER_')) env[name] = value;
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [CLI, 'connect', '--home', t.home], { cwd, env, stdio: 'pipe' });
  const seen: any[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line);
    seen.push(message);
    if (message.method !== undefined && message.id !== undefined)
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { roots: [] } })}\n`);
  });
  const bridge: RawBridge = {
    send: (message) => void child.stdin.write(`${JSON.stringify(message)}\n`),
    line: async (test) => {
      const found = await waitFor(() => seen.find((message) => message.method === undefined && test(message)), 15_000);
      if (found === undefined) throw new Error(`no such line; the bridge wrote ${JSON.stringify(seen).slice(-2000)}`);
      return found;
    },
    close: () => void child.stdin.end(),
  };
  bridges.push(bridge);
  return bridge;
}

async function bridgeSession(version: string): Promise<RawBridge> {
  const bridge = rawBridge();
  bridge.send(initialize(version));
  expect((await bridge.line((m) => m.id === 1)).result.protocolVersion).toBe(version);
  bridge.send(INITIALIZED);
  return bridge;
}

describe('through the stdio bridge (mcplexer connect)', () => {
  it('on 2025-06-18: the batch is answered with the gateway’s InvalidRequest (id null); the next message goes through', async () => {
    const bridge = await bridgeSession('2025-06-18');
    bridge.send([echo(40, 'bridged batch'), rpc(41, 'ping')]);
    expectRefused(await bridge.line((m) => m.id === null), '2025-06-18');
    bridge.send(echo(42, 'bridged alone'));
    expect(await bridge.line((m) => m.id === 42)).toMatchObject({ result: { content: [{ type: 'text', text: 'Echo: bridged alone' }] } });
  });

  it('on 2025-03-26: the batch is answered member by member', async () => {
    const bridge = await bridgeSession('2025-03-26');
    bridge.send([echo(50, 'bridged on 2025-03-26'), rpc(51, 'ping')]);
    expect(await bridge.line((m) => m.id === 50)).toMatchObject({ result: { content: [{ type: 'text', text: 'Echo: bridged on 2025-03-26' }] } });
    expect(await bridge.line((m) => m.id === 51)).toMatchObject({ result: {} });
  });
});
