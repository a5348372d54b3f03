/**
 * Issue 21, bad input on the MCP side: arbitrary messages to `POST /mcp` on an established session
 * and without one (tools/call with odd names and huge or deep arguments, unknown methods,
 * notifications, batches, a wrong `jsonrpc`, ids of every type, bodies that are not JSON or not
 * UTF-8, other content types) always get a JSON-RPC error with a reason, a tool result, or a 4xx
 * whose body is a JSON-RPC error — never a 5xx — and the gateway keeps serving calls with its
 * config unchanged. Then the same through the stdio bridge (`node dist/cli.js connect`, a real
 * child): lines that are not JSON, binary, cut short or huge are answered with JSON-RPC errors
 * (-32700 parse error where the spec says so) and the bridge keeps relaying. The only downstream is
 * the counting echo fixture (it answers any tool name). fast-check prints the seed of a failure.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, CLI } from '../helpers/mcp.js';
import { contentType, deepJsonText, invalidJsonText, invalidUtf8Json, oddString, send, type RawAnswer } from '../helpers/property.js';

const ECHO = fileURLToPath(new URL('../fixtures/counting-echo-server.mjs', import.meta.url));
/** Messages to POST /mcp (≈1.5 s); a third as many framings to the bridge. FUZZ_RUNS=1500 for a longer hunt. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const ACCEPT = 'application/json, text/event-stream';

let t: TestGateway;
let session: string;
let configBefore: string;

function post(body: string | Buffer, headers: Record<string, string> = {}, sessionId: string | undefined = session): Promise<RawAnswer> {
  const h: Record<string, string> = { authorization: `Bearer ${t.token}`, accept: ACCEPT, 'content-type': 'application/json', ...headers };
  if (sessionId) Object.assign(h, { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' });
  return send(t.url, { method: 'POST', path: '/mcp', headers: h, body });
}

const initialize = (id: unknown = 1, params: unknown = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } }) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params });

beforeAll(async () => {
  t = await startTestGateway({ lock: true });
  await addServer(t, { id: 'fx', name: 'Echo', namespace: 'fx', command: process.execPath, args: [ECHO] });
  // Discovered now: a session's first tools/list would store what it finds, a legitimate change of config.json.
  expect((await t.api('POST', '/downstreams/fx/discover')).status).toBe(200);
  const init = await post(initialize(), {}, undefined);
  expect(init.status).toBe(200);
  session = String(init.headers['mcp-session-id']);
  expect((await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }))).status).toBe(202);
  configBefore = t.configText();
}, 30_000);
afterAll(() => t?.close());

/** One well-formed call still works: the gateway is alive and the session usable. */
async function callStillWorks(): Promise<void> {
  const answer = await post(JSON.stringify({ jsonrpc: '2.0', id: 'alive', method: 'tools/call', params: { name: 'fx__lookup', arguments: { q: 1 } } }));
  expect(answer.status).toBe(200);
  const message = [answer.json].flat()[0];
  expect(message.result.isError ?? false).toBe(false);
}

const toolName = fc.oneof(
  fc.constantFrom(
    '',
    '__',
    'fx__',
    '__lookup',
    'fx____lookup',
    'fx__fx__lookup',
    'FX__lookup',
    'fx__lookup\u0000',
    'fx__tool_error',
    'fx__rpc_error',
    'mcplexer__nothing',
  ),
  oddString,
  oddString.map((s) => `fx__${s}`),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => `fx__${'n'.repeat(n)}`),
);
const id = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constantFrom<unknown>(null, true, 1.5, -0, { a: 1 }, [1], '', 1e300));
/** `arguments` as JSON text: any value, deep, or huge (around the 4 MiB limit of an /mcp body). */
const argumentsText = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: deepJsonText },
  { weight: 1, arbitrary: fc.integer({ min: 1_000_000, max: 4_500_000 }).map((n) => `{"q":${JSON.stringify('x'.repeat(n))}}`) },
);
const jsonrpc = fc.oneof(
  { weight: 5, arbitrary: fc.constant<unknown>('2.0') },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('1.0', 2, null, '2.0 ', undefined) },
);
const method = fc.oneof(
  fc.constantFrom(
    'tools/call',
    'tools/list',
    'ping',
    'resources/read',
    'prompts/get',
    'completion/complete',
    'logging/setLevel',
    'initialize',
    'notifications/cancelled',
  ),
  fc.constantFrom('', 'tools/', 'nope', 'rpc.discover', '__proto__', 'notifications/nope'),
  oddString,
);

/** A JSON-RPC message (as text) with faults in any field. */
const message = fc
  .record({
    jsonrpc,
    id: fc.option(id, { nil: undefined }),
    method,
    name: toolName,
    args: argumentsText,
    params: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 })),
  })
  .map(({ jsonrpc: version, id: messageId, method: m, name, args, params }) => {
    const head = JSON.stringify({ jsonrpc: version, ...(messageId === undefined ? {} : { id: messageId }), method: m });
    const body = m === 'tools/call' ? `{"name":${JSON.stringify(name)},"arguments":${args}}` : params === undefined ? undefined : JSON.stringify(params);
    return body === undefined ? head : `${head.slice(0, -1)},"params":${body}}`;
  });

interface Input {
  kind: string;
  body: string | Buffer;
  contentType?: string;
  withSession: boolean;
}
const input: fc.Arbitrary<Input> = fc.oneof(
  { weight: 6, arbitrary: message.map((body) => ({ kind: 'message', body, withSession: true })) },
  {
    weight: 2,
    arbitrary: fc.array(message, { minLength: 0, maxLength: 4 }).map((list) => ({ kind: 'batch', body: `[${list.join(',')}]`, withSession: true })),
  },
  { weight: 1, arbitrary: invalidJsonText.map((body) => ({ kind: 'not JSON', body, withSession: true })) },
  {
    weight: 1,
    arbitrary: invalidUtf8Json('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"fx__', '"}}').map((body) => ({
      kind: 'invalid UTF-8',
      body,
      withSession: true,
    })),
  },
  { weight: 1, arbitrary: fc.tuple(message, contentType).map(([body, ct]) => ({ kind: 'content type', body, contentType: ct, withSession: true })) },
  { weight: 1, arbitrary: message.map((body) => ({ kind: 'no session', body, withSession: false })) },
  {
    weight: 1,
    arbitrary: fc.tuple(id, fc.jsonValue({ maxDepth: 3 })).map(([i, params]) => ({ kind: 'odd initialize', body: initialize(i, params), withSession: false })),
  },
);

/** Every JSON-RPC message in an answer (one, a batch, or an event stream's). */
const messagesOf = (answer: RawAnswer): any[] => [answer.json].flat().filter((m) => m !== undefined);

describe('POST /mcp with bad messages', () => {
  it('answers a JSON-RPC error with a reason, a tool result, or a 4xx with a JSON-RPC error; never a 5xx', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(input, async (x) => {
        const headers: Record<string, string> = x.contentType === undefined ? {} : { 'content-type': x.contentType };
        const answer = await post(x.body, headers, x.withSession ? session : undefined);
        const what = `[${x.kind}] ${String(x.body).slice(0, 200)} → ${answer.status} ${answer.text.slice(0, 300)}`;
        expect(answer.status, what).toBeLessThan(500);
        if (answer.status >= 400) {
          const [error] = messagesOf(answer);
          expect(error?.jsonrpc, what).toBe('2.0');
          expect(error?.error?.message, what).toMatch(/\S/);
        } else if (answer.status === 200) {
          for (const m of messagesOf(answer)) {
            if (m.method !== undefined) continue; // a request or notification from the gateway on the stream
            if (m.error) expect(m.error.message, what).toMatch(/\S/);
            else expect(m.result, what).toBeDefined();
          }
        } else expect([202, 204], what).toContain(answer.status);
        if (++n % 25 === 0) await callStillWorks();
      }),
      { numRuns: RUNS },
    );
    await callStillWorks();
    expect(t.configText()).toBe(configBefore);
    expect(t.logs.filter((line) => line.level === 'error')).toEqual([]);
  }, 60_000);
});

/** The bridge as a child process, speaking raw lines; its answers by id (null for parse errors). */
class RawBridge {
  readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  readonly answers: any[] = [];
  private waiters: Array<() => void> = [];
  exited = false;

  constructor(home: string) {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('MCPLEXER_')) env[name] = value;
    this.child = spawn(process.execPath, [CLI, 'connect', '--home', home], { env });
    this.child.stderr.resume();
    this.child.once('exit', () => (this.exited = true));
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      for (let i = this.buffer.indexOf('\n'); i >= 0; i = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        const parsed = JSON.parse(line); // the bridge writes only JSON lines: a throw here fails the test
        // Requests from the gateway (roots/list) get an empty answer, as a client would give.
        if (parsed.method !== undefined && parsed.id !== undefined) this.write(JSON.stringify({ jsonrpc: '2.0', id: parsed.id, result: { roots: [] } }) + '\n');
        this.answers.push(parsed);
        for (const wake of this.waiters.splice(0)) wake();
      }
    });
  }

  write(bytes: string | Buffer): void {
    this.child.stdin.write(bytes);
  }

  /** Waits for a message that `match` accepts (rejects on exit or after 20 s). */
  async waitFor(match: (m: any) => boolean, label: string): Promise<any> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = this.answers.find(match);
      if (found) return found;
      if (this.exited) throw new Error(`the bridge exited waiting for ${label}`);
      if (Date.now() > deadline) throw new Error(`no answer for ${label}; saw ${JSON.stringify(this.answers.slice(-5)).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
}

describe('the stdio bridge with bad framing', () => {
  let bridge: RawBridge;
  beforeAll(async () => {
    bridge = new RawBridge(t.home);
    bridge.write(initialize('init') + '\n');
    await bridge.waitFor((m) => m.id === 'init', 'initialize');
    bridge.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
  }, 30_000);
  afterAll(() => {
    bridge?.child.stdin.end();
    if (bridge && !bridge.exited) bridge.child.kill();
  });

  /** A line that is not JSON: binary, text, a cut-off message, bytes that are not UTF-8. */
  const junkLine = fc.oneof(
    invalidJsonText.filter((s) => !s.includes('\n') && s.trim() !== ''),
    fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((bytes) => Buffer.from(bytes.filter((b) => b !== 10 && b !== 13)))
      .filter((b) => {
        try {
          JSON.parse(b.toString('utf8'));
          return false;
        } catch {
          return b.toString('utf8').trim() !== '';
        }
      }),
    invalidUtf8Json('{"jsonrpc":"2.0","id":1,"method":"', '"}').map((b) => Buffer.concat([b.subarray(0, b.length - 1)])),
  );

  it('answers every line that is not JSON with -32700 and every request with an answer by its id, and keeps relaying', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          junkLine.map((line) => ({ kind: 'junk' as const, line })),
          fc.tuple(message, fc.boolean()).map(([line, split]) => ({ kind: 'message' as const, line, split })),
        ),
        async (x) => {
          const tag = `p${++n}`;
          const seen = bridge.answers.length;
          if (x.kind === 'junk') {
            bridge.write(Buffer.concat([Buffer.from(x.line), Buffer.from('\n')]));
            const error = await bridge.waitFor(
              (m) => bridge.answers.indexOf(m) >= seen && m.id === null && m.error?.code === -32700,
              `parse error of ${JSON.stringify(String(x.line))}`,
            );
            expect(error.error.message).toMatch(/^Parse error: \S/);
          } else {
            // A message with a known id in place of whatever it had, written in one piece or cut in two writes.
            const parsed = JSON.parse(x.line);
            const request = { ...parsed, id: tag };
            // The id goes in as text, not by writing the whole object again: JSON.stringify recurses,
            // and a generated value thousands of levels deep overflowed this test's own stack (seed
            // 327900480). JSON.parse keeps the last of two equal keys, so the appended id wins.
            const text = x.line.trimEnd();
            const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && text.endsWith('}');
            const open = text.slice(0, -1).trimEnd();
            const line = isObject ? `${open}${open.endsWith('{') ? '' : ','}"id":${JSON.stringify(tag)}}\n` : JSON.stringify(request) + '\n';
            if (x.split && line.length > 2) {
              bridge.write(line.slice(0, line.length >> 1));
              await new Promise((resolve) => setTimeout(resolve, 5));
              bridge.write(line.slice(line.length >> 1));
            } else bridge.write(line);
            if (typeof request.method === 'string' && request.method !== '') {
              const answer = await bridge.waitFor((m) => m.id === tag, `answer to ${line.slice(0, 200)}`);
              if (answer.error) expect(answer.error.message).toMatch(/\S/);
              else expect(answer.result).toBeDefined();
            }
          }
          // The bridge still relays: a ping round trip.
          bridge.write(JSON.stringify({ jsonrpc: '2.0', id: `${tag}-ping`, method: 'ping' }) + '\n');
          expect((await bridge.waitFor((m) => m.id === `${tag}-ping`, 'ping')).result).toEqual({});
        },
      ),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  }, 60_000);

  it('answers a line over the 4 MiB /mcp body limit with an error naming the limit, and keeps relaying', async () => {
    for (const size of [4_200_000, 9_000_000]) {
      bridge.write(
        JSON.stringify({ jsonrpc: '2.0', id: `huge-${size}`, method: 'tools/call', params: { name: 'fx__lookup', arguments: { q: 'x'.repeat(size) } } }) + '\n',
      );
      const answer = await bridge.waitFor((m) => m.id === `huge-${size}`, 'the huge call');
      expect(answer.error.message).toContain('4194304-byte limit');
    }
    bridge.write(JSON.stringify({ jsonrpc: '2.0', id: 'after-huge', method: 'tools/call', params: { name: 'fx__lookup', arguments: { q: 1 } } }) + '\n');
    expect((await bridge.waitFor((m) => m.id === 'after-huge', 'the call after')).result.isError ?? false).toBe(false);
    expect(bridge.exited).toBe(false);
  }, 60_000);
});
