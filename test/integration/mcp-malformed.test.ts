// Malformed MCP requests get a JSON-RPC error that names what is wrong (-32600 invalid request,
// -32602 invalid params with the field, -32601 naming an unknown method), keeping the request's id
// where it has a usable one, on every path: an established 2025 session (the lean listener path,
// in front of the SDK transport), /mcp without a session (Express, in front of the SDK), the
// 2026-07-28 era (per-request envelope), and the stdio bridge (raw lines through
// `node dist/cli.js connect`). One table, replayed through each path; never a message borrowed
// from another case (the SDK's transport used to call all of these a "Parse error").
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { CLI, addServer, everythingStdioBody, killStrayGateway, postMcpRaw } from '../helpers/mcp.js';

type Path = 'session' | 'no-session' | '2026' | 'bridge';
interface Case {
  label: string;
  message: unknown;
  code: number;
  /** The field the message names (also `error.data.details[0].path` when the gateway's check found it). */
  field: string;
  id: string | number | null;
  /** Answered as the request's own JSON-RPC response (HTTP 200) rather than refused (HTTP 400). */
  inBand: boolean;
  /** Paths where the case applies (default: all). */
  only?: Path[];
}

const rpc = (id: unknown, method: unknown, params?: unknown) => ({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });

const CASES: Case[] = [
  { label: 'missing jsonrpc', message: { id: 1, method: 'tools/list' }, code: -32600, field: 'jsonrpc', id: 1, inBand: false },
  { label: 'wrong jsonrpc version', message: { jsonrpc: '1.0', id: 2, method: 'tools/list' }, code: -32600, field: 'jsonrpc', id: 2, inBand: false },
  { label: 'id of wrong type (object)', message: rpc({ n: 3 }, 'tools/list'), code: -32600, field: 'id', id: null, inBand: false },
  { label: 'id null', message: rpc(null, 'tools/list'), code: -32600, field: 'id', id: null, inBand: false },
  { label: 'missing method', message: { jsonrpc: '2.0', id: 4 }, code: -32600, field: 'method', id: 4, inBand: false },
  { label: 'method not a string', message: rpc(5, 7), code: -32600, field: 'method', id: 5, inBand: false },
  { label: 'params a string', message: rpc(6, 'tools/list', 'all'), code: -32602, field: 'params', id: 6, inBand: true },
  { label: 'params an array', message: rpc('seven', 'tools/call', ['ev__echo']), code: -32602, field: 'params', id: 'seven', inBand: true },
  { label: 'tools/call without name', message: rpc(8, 'tools/call', { arguments: {} }), code: -32602, field: 'params.name', id: 8, inBand: true },
  { label: 'tools/call name not a string', message: rpc(9, 'tools/call', { name: 42 }), code: -32602, field: 'params.name', id: 9, inBand: true },
  {
    label: 'tools/call arguments an array',
    message: rpc(10, 'tools/call', { name: 'ev__echo', arguments: ['hi'] }),
    code: -32602,
    field: 'params.arguments',
    id: 10,
    inBand: true,
  },
  { label: 'resources/read without uri', message: rpc(11, 'resources/read', {}), code: -32602, field: 'params.uri', id: 11, inBand: true },
  { label: 'prompts/get name not a string', message: rpc(12, 'prompts/get', { name: false }), code: -32602, field: 'params.name', id: 12, inBand: true },
  {
    label: 'a batch with a bad member',
    message: [rpc(20, 'tools/list'), rpc(21, 'tools/call', {})],
    code: -32602,
    field: '[1].params.name',
    id: null,
    inBand: false,
  },
  { label: 'an empty batch', message: [], code: -32600, field: 'message', id: null, inBand: false },
  { label: 'not an object', message: 42, code: -32600, field: 'message', id: null, inBand: false },
  { label: 'a notification with an id', message: rpc(31, 'notifications/initialized'), code: -32600, field: 'id', id: 31, inBand: true },
  // A well-formed request for a method nobody serves: the MCP server answers it (no session, no answer but "start one").
  {
    label: 'an unknown method',
    message: rpc(30, 'tools/frobnicate', {}),
    code: -32601,
    field: 'tools/frobnicate',
    id: 30,
    inBand: true,
    only: ['session', '2026', 'bridge'],
  },
];

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'malformed', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** The same message as a 2026-era client sends it: the per-request envelope in params._meta where params is an object. */
function modern(message: unknown): unknown {
  if (Array.isArray(message)) return message.map(modern);
  if (typeof message !== 'object' || message === null) return message;
  const { params } = message as { params?: unknown };
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) return message;
  return { ...message, params: { ...((params as object | undefined) ?? {}), _meta: ENVELOPE } };
}

let t: TestGateway;
let sessionId: string;
let cwd: string;

const baseHeaders = () => ({ authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' });

const post = (body: string, headers: Record<string, string>) => postMcpRaw(t, body, headers);

function httpHeaders(where: Path, message: unknown): Record<string, string> {
  if (where === 'session') return { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
  if (where === '2026') {
    const method = (message as { method?: unknown } | null)?.method;
    return { 'mcp-protocol-version': '2026-07-28', ...(typeof method === 'string' ? { 'mcp-method': method } : {}) };
  }
  return {};
}

/** `node dist/cli.js connect` driven as raw lines: one message in, the next answer (not a server request or notification) out. */
class RawBridge {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<(message: any) => void> = [];

  constructor(home: string, dir: string) {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('MCPLEXER_')) env[name] = value;
    this.child = spawn(process.execPath, [CLI, 'connect', '--home', home], { cwd: dir, env, stdio: 'pipe' });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const message = JSON.parse(line);
      if (message.method !== undefined) return; // the gateway's own requests and notifications
      this.waiting.shift()?.(message);
    });
  }

  exchange(line: string): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer through the bridge to ${line}`)), 15_000);
      this.waiting.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
      this.child.stdin.write(`${line}\n`);
    });
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
  }
}

let bridge: RawBridge;

beforeAll(async () => {
  cwd = mkdtempSync(path.join(tmpdir(), 'mcplexer-malformed-'));
  t = await startTestGateway({ lock: true });
  await addServer(t, everythingStdioBody('ev'));
  const init = await fetch(`${t.url}/mcp`, {
    method: 'POST',
    headers: baseHeaders(),
    body: JSON.stringify(rpc(0, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } })),
  });
  sessionId = init.headers.get('mcp-session-id')!;
  await init.text();
  await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), httpHeaders('session', undefined));
  bridge = new RawBridge(t.home, cwd);
  const answer = await bridge.exchange(
    JSON.stringify(rpc(0, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } })),
  );
  expect(answer.result.protocolVersion).toBe('2025-11-25');
  await bridge.exchange(JSON.stringify(rpc('ping-0', 'ping'))); // the bridge's session is live
}, 60_000);
afterAll(async () => {
  await bridge?.close();
  if (t) killStrayGateway(t.home);
  await t?.close();
  rmSync(cwd, { recursive: true, force: true });
});

function expectNamed(message: any, c: Case): void {
  expect(message.jsonrpc).toBe('2.0');
  expect(message.id).toEqual(c.id);
  expect(message.error.code).toBe(c.code);
  expect(message.error.message).toContain(c.field);
  expect(message.error.message).not.toMatch(/parse error/i);
  if (c.code !== -32601) expect(message.error.data.details[0].path).toBe(c.field);
}

describe.each(['session', 'no-session', '2026'] as const)('over HTTP, %s', (where) => {
  it.each(CASES.filter((c) => !c.only || c.only.includes(where)).map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const message = where === '2026' ? modern(c.message) : c.message;
    const res = await post(JSON.stringify(message), httpHeaders(where, message));
    expectNamed(res.message, c);
    if (c.code !== -32601) expect(res.status).toBe(c.inBand ? 200 : 400);
  });
});

describe('through the stdio bridge', () => {
  it.each(CASES.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    expectNamed(await bridge.exchange(JSON.stringify(c.message)), c);
  });

  it('answers a line that is not JSON with a parse error, and the connection stays', async () => {
    const answer = await bridge.exchange('{"jsonrpc": "2.0", "id": 40, "method": ');
    expect(answer).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    expect(answer.error.message).toMatch(/^Parse error/);
    const echo = await bridge.exchange(JSON.stringify(rpc(41, 'tools/call', { name: 'ev__echo', arguments: { message: 'still here' } })));
    expect(echo).toMatchObject({ id: 41, result: { content: [{ type: 'text', text: 'Echo: still here' }] } });
  });
});

describe('after the malformed requests', () => {
  it('the session still serves a call on the lean path', async () => {
    const res = await post(JSON.stringify(rpc(50, 'tools/call', { name: 'ev__echo', arguments: { message: 'unharmed' } })), httpHeaders('session', undefined));
    expect(res.message).toMatchObject({ id: 50, result: { content: [{ text: 'Echo: unharmed' }] } });
  });
});
