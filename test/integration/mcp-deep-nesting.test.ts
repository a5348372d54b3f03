// A client message nested deeper than the depth limit (64 levels of objects and arrays, the REST
// body's limit; the message object is level 1) is refused with -32602 naming the limit and the
// path where it was passed, before anything recursive touches it: on the lean tools/call path of
// an established session, on /mcp without a session (in front of the SDK), in the 2026-07-28
// era, and through the stdio bridge. No call record is made and nothing reaches the downstream
// (it used to overflow the gateway's stack and come back as -32004 "downstream_error").
// Each method that takes free-form params is covered, with 100,000 levels (~200 KB) and with
// one level past the limit; a message exactly at the limit still goes through.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingSink } from '../helpers/call-records.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { CLI, addServer, everythingStdioBody, killStrayGateway, postMcpRaw } from '../helpers/mcp.js';

/** JSON text of `levels` arrays nested in each other (JSON.stringify of such a value would itself overflow). */
const arrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
/** JSON text of `levels` objects nested under the key "k", holding 1. */
const objects = (levels: number) => `${'{"k":'.repeat(levels)}1${'}'.repeat(levels)}`;

/** The path named for a value nested under `prefix` (itself at level `prefix.length + 1`), for arrays or objects. */
function expectedPath(prefix: string[], kind: 'arrays' | 'objects'): string {
  const rest = 64 - prefix.length;
  return prefix.join('.') + (kind === 'arrays' ? '[0]'.repeat(rest) : '.k'.repeat(rest));
}

interface Case {
  label: string;
  id: number;
  method: string;
  /** The params' JSON text, with `DEEP` where the deep value goes. */
  params: string;
  /** The keys from the message down to the deep value. */
  prefix: string[];
}

const CASES: Case[] = [
  {
    label: 'tools/call arguments',
    id: 1,
    method: 'tools/call',
    params: '{"name":"ev__echo","arguments":{"message":"hi","deep":DEEP}}',
    prefix: ['params', 'arguments', 'deep'],
  },
  {
    label: 'tools/call _meta',
    id: 2,
    method: 'tools/call',
    params: '{"name":"ev__echo","arguments":{"message":"hi"},"_meta":{"x":DEEP}}',
    prefix: ['params', '_meta', 'x'],
  },
  {
    label: 'resources/read params',
    id: 3,
    method: 'resources/read',
    params: '{"uri":"demo://resource/static/document/architecture.md","extra":DEEP}',
    prefix: ['params', 'extra'],
  },
  {
    label: 'prompts/get arguments',
    id: 4,
    method: 'prompts/get',
    params: '{"name":"ev__simple-prompt","arguments":{"a":DEEP}}',
    prefix: ['params', 'arguments', 'a'],
  },
  {
    label: 'completion/complete context',
    id: 5,
    method: 'completion/complete',
    params: '{"ref":{"type":"ref/prompt","name":"ev__completable-prompt"},"argument":{"name":"department","value":"S"},"context":{"arguments":DEEP}}',
    prefix: ['params', 'context', 'arguments'],
  },
];

const SIZES = [
  ['100,000 arrays deep', 'arrays', 100_000],
  ['one object level past the limit', 'objects', 64],
] as const;

/** Every (case, size) pair as one message's text and what its answer must name. */
const MESSAGES = CASES.flatMap((c) =>
  SIZES.map(([size, kind, levels]) => {
    // The deep value starts at level prefix.length + 1; the smaller size reaches exactly level 65.
    const deep = kind === 'arrays' ? arrays(levels) : objects(levels + 1 - c.prefix.length);
    return {
      name: `${c.label}, ${size}`,
      id: c.id,
      text: `{"jsonrpc":"2.0","id":${c.id},"method":"${c.method}","params":${c.params.replace('DEEP', deep)}}`,
      path: expectedPath(c.prefix, kind),
    };
  }),
);

const sink = new RecordingSink();
let t: TestGateway;
let sessionId: string;
let cwd: string;
const headers = () => ({ authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' });

const post = (body: string, headers: Record<string, string>) => postMcpRaw(t, body, headers);

/** `node dist/cli.js connect` spoken to in raw lines: a line in, the next response out. */
class RawBridge {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<(message: any) => void> = [];
  constructor(home: string, dir: string) {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('MCPLEXER_')) env[name] = value;
    this.child = spawn(process.execPath, [CLI, 'connect', '--home', home], { cwd: dir, env, stdio: 'pipe' });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const message = JSON.parse(line);
      if (message.method !== undefined) return;
      this.waiting.shift()?.(message);
    });
  }
  exchange(line: string): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer through the bridge to ${line.slice(0, 200)}`)), 15_000);
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

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'deep', version: '1' } },
});

beforeAll(async () => {
  cwd = mkdtempSync(path.join(tmpdir(), 'mcplexer-deep-'));
  t = await startTestGateway({ lock: true, callRecords: sink });
  await addServer(t, everythingStdioBody('ev'));
  const init = await fetch(`${t.url}/mcp`, { method: 'POST', headers: headers(), body: INIT });
  sessionId = init.headers.get('mcp-session-id')!;
  await init.text();
  await post('{"jsonrpc":"2.0","method":"notifications/initialized"}', { 'mcp-session-id': sessionId });
  bridge = new RawBridge(t.home, cwd);
  expect((await bridge.exchange(INIT)).result.protocolVersion).toBe('2025-11-25');
}, 60_000);
afterAll(async () => {
  await bridge?.close();
  if (t) killStrayGateway(t.home);
  await t?.close();
  rmSync(cwd, { recursive: true, force: true });
});

function expectRefused(message: any, m: (typeof MESSAGES)[number]): void {
  expect(message).toMatchObject({ jsonrpc: '2.0', id: m.id, error: { code: -32602 } });
  expect(message.error.message).toContain('nests deeper than 64 levels of objects and arrays');
  expect(message.error.message.startsWith(`${m.path}: `)).toBe(true);
  expect(message.error.data.details[0].path).toBe(m.path);
}

const ENVELOPE =
  '"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"deep","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}},';

describe.each([
  ['an established session (the lean tools/call path)', 'session'],
  ['no session (in front of the SDK)', 'no-session'],
  ['the 2026-07-28 era', '2026'],
] as const)('over HTTP, %s', (_label, where) => {
  it.each(MESSAGES.map((m) => [m.name, m] as const))('%s', async (_name, m) => {
    const before = sink.records.length;
    const text = where === '2026' ? m.text.replace('"params":{', `"params":{${ENVELOPE}`) : m.text;
    const extra: Record<string, string> =
      where === 'session'
        ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' }
        : where === '2026'
          ? { 'mcp-protocol-version': '2026-07-28', 'mcp-method': JSON.parse(m.text.replace(/"params":.*$/, '"x":1}')).method }
          : {};
    const res = await post(text, extra);
    expect(res.status).toBe(200);
    expectRefused(res.message, m);
    expect(sink.records.length).toBe(before);
  });
});

describe('through the stdio bridge', () => {
  it.each(MESSAGES.map((m) => [m.name, m] as const))('%s', async (_name, m) => {
    const before = sink.records.length;
    expectRefused(await bridge.exchange(m.text), m);
    expect(sink.records.length).toBe(before);
  });
});

describe('what is not refused, and what is refused at the HTTP level', () => {
  it('a tools/call whose message nests exactly 64 levels is served on the lean path', async () => {
    // message 1, params 2, arguments 3, deep 4..64: 61 arrays.
    const text = `{"jsonrpc":"2.0","id":60,"method":"tools/call","params":{"name":"ev__echo","arguments":{"message":"at the limit","deep":${arrays(61)}}}}`;
    const res = await post(text, { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' });
    expect(res.message).toMatchObject({ id: 60, result: { content: [{ type: 'text', text: 'Echo: at the limit' }] } });
  });

  it('a notification or a client response nested past the limit is refused with 400, naming the path', async () => {
    const session = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    const notification = await post(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1,"x":${arrays(100_000)}}}`, session);
    expect(notification.status).toBe(400);
    expect(notification.message.error).toMatchObject({ code: -32602, data: { details: [{ path: `params.x${'[0]'.repeat(62)}` }] } });
    const response = await post(`{"jsonrpc":"2.0","id":"s1","result":{"content":${objects(100_000)}}}`, session);
    expect(response.status).toBe(400);
    expect(response.message.error.data.details[0].path).toBe(`result.content${'.k'.repeat(62)}`);
  });

  it('the session still serves a call afterwards', async () => {
    const res = await post('{"jsonrpc":"2.0","id":70,"method":"tools/call","params":{"name":"ev__echo","arguments":{"message":"unharmed"}}}', {
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-11-25',
    });
    expect(res.message).toMatchObject({ id: 70, result: { content: [{ text: 'Echo: unharmed' }] } });
  });
});
