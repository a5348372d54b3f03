// `mcplexer connect`'s wire, both sides: what it writes to its stdout is the text the gateway sent,
// byte for byte, and SSE answers arrive event by event in order; what it POSTs carries the session
// id and the negotiated protocol version after initialize (as the SDK's client transport sends
// them), and the client's own line as the body; the standalone GET stream is opened after
// `notifications/initialized` and re-opened (with `Last-Event-ID`) when the gateway ends it.
// Against the real gateway, except the header and byte-for-byte checks, which need a gateway that
// records requests and answers crafted text: a small node:http server standing in for it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, CLI, rawBody } from '../helpers/mcp.js';

/** A bridge spoken to in raw lines: every line it wrote, in order. */
interface RawBridge {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  send(line: string): void;
  /** The first line (from `from` on) whose parse satisfies `test`; waits up to 15 s. */
  line(test: (message: Record<string, any>) => boolean, from?: number): Promise<string>;
  stderr(): string;
}

const bridges: RawBridge[] = [];

function rawBridge(home: string, cwd: string): RawBridge {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('MCPLEXER_')) env[name] = value;
  const child = spawn(process.execPath, [CLI, 'connect', '--home', home], { cwd, env, stdio: 'pipe' });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    const message = JSON.parse(line) as Record<string, any>;
    // Requests from the gateway (a downstream's roots/list) are answered with no roots.
    if (message.method !== undefined && message.id !== undefined)
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { roots: [] } })}\n`);
  });
  const bridge: RawBridge = {
    child,
    lines,
    send: (line) => void child.stdin.write(`${line}\n`),
    line: async (test, from = 0) => {
      const find = () => lines.slice(from).find((line) => test(JSON.parse(line)));
      const found = await waitFor(find, 15_000);
      if (found === undefined) throw new Error(`no such line; the bridge wrote ${lines.join('\n').slice(-2000)}\n${stderr}`);
      return found;
    },
    stderr: () => stderr,
  };
  bridges.push(bridge);
  return bridge;
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-wire', version: '1' } },
});

afterAll(async () => {
  for (const b of bridges.splice(0)) {
    b.child.stdin.end();
    if (b.child.exitCode === null) await new Promise((resolve) => b.child.once('exit', resolve));
  }
});

describe('the bridge against a recording gateway', () => {
  let home: string;
  let cwd: string;
  let server: http.Server;
  const requests: Array<{ method: string; headers: IncomingHttpHeaders; body: string }> = [];
  // What the stand-in gateway answers: key order and \u escapes that a re-serialisation would change.
  const INIT_ANSWER =
    '{"result":{"serverInfo":{"version":"1","name":"stand-in"},"capabilities":{"tools":{}},"protocolVersion":"2025-06-18","note":"caf\\u00e9 \\u2028 \\ud83d\\ude00"},"id":1,"jsonrpc":"2.0"}';
  const PROGRESS = (n: number) => `{"method":"notifications/progress","jsonrpc":"2.0","params":{"progress":${n},"total":3,"progressToken":"tok"}}`;
  const RESULT = '{"id":2,"jsonrpc":"2.0","result":{"content":[{"text":"\\u00e9t\\u00e9","type":"text"}],"isError":false}}';
  let gets = 0;

  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'mcplexer-wire-home-'));
    cwd = mkdtempSync(path.join(tmpdir(), 'mcplexer-wire-cwd-'));
    server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        // The stand-in proves it holds the token, as the gateway does (the bridge sends the token only then).
        if (req.url === '/api/v1/health') {
          const proof = createHmac('sha256', 'stand-in-token')
            .update(`mcplexer-health-proof-v2\n${(server.address() as AddressInfo).port}\n${String(req.headers['x-mcplexer-challenge'])}`)
            .digest('base64url');
          return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', proof }));
        }
        requests.push({ method: req.method!, headers: req.headers, body });
        if (req.method === 'GET') {
          gets += 1;
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          // The first stream ends after one event with an id (and asks for a quick retry); the second one stays.
          if (gets === 1) return void res.end(`retry: 50\nid: ev-1\ndata: {"jsonrpc":"2.0","method":"notifications/tools/list_changed"}\n\n`);
          return void res.write(`id: ev-2\ndata: {"jsonrpc":"2.0","method":"notifications/resources/list_changed"}\n\n`);
        }
        const message = JSON.parse(body) as { id?: number; method?: string };
        if (message.method === 'initialize')
          return void res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'stand-in-session' }).end(INIT_ANSWER);
        // A gateway that dies having taken the call (alone or in a batch): the connection breaks before any answer.
        if (body.includes('"name":"dies"')) return void req.socket.destroy();
        if (message.id === undefined) return void res.writeHead(202).end();
        if (message.method === 'tools/call') {
          // Three progress events (one split over two data lines, CRLF line ends), then the result, in separate writes.
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const frames = [
            `data: ${PROGRESS(1)}\n\n`,
            `data: ${PROGRESS(2).replace('"params":', '"params":\r\ndata: ')}\r\n\r\n`,
            `: keep-alive\n\ndata: ${PROGRESS(3)}\n\n`,
            `event: message\ndata: ${RESULT}\n\n`,
          ];
          const next = () => (frames.length ? void res.write(frames.shift(), () => setTimeout(next, 20)) : void res.end());
          return next();
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: {} }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    writeFileSync(path.join(home, 'api-token'), 'stand-in-token\n');
    writeFileSync(path.join(home, 'gateway.lock'), JSON.stringify({ pid: process.pid, port, version: 'test', startedAt: new Date().toISOString() }));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    for (const dir of [home, cwd]) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the gateway’s text unchanged, relays SSE events in order, sends the session headers, and re-opens the GET stream', async () => {
    const b = rawBridge(home, cwd);
    b.send(INITIALIZE);
    expect(await b.line((m) => m.id === 1)).toBe(INIT_ANSWER);
    b.send('{"jsonrpc":"2.0","method":"notifications/initialized"}');
    // The client's own line is the body: its key order and spacing reach the gateway as written.
    const call =
      '{"params": {"arguments": {"b": 2, "a": 1}, "name": "t", "_meta": {"progressToken": "tok"}}, "method": "tools/call", "id": 2, "jsonrpc": "2.0"}';
    b.send(call);
    await b.line((m) => m.id === 2);
    const answer = b.lines.slice(b.lines.indexOf(INIT_ANSWER) + 1);
    const relayed = answer.filter((line) => JSON.parse(line).method === 'notifications/progress' || JSON.parse(line).id === 2);
    expect(relayed.map((line) => JSON.parse(line))).toEqual([...[1, 2, 3].map((n) => JSON.parse(PROGRESS(n))), JSON.parse(RESULT)]);
    expect(relayed[0]).toBe(PROGRESS(1));
    expect(relayed[2]).toBe(PROGRESS(3));
    expect(relayed[3]).toBe(RESULT);

    // The GET stream: its first event, then (re-opened after it ended, resuming after ev-1) the second.
    await b.line((m) => m.method === 'notifications/tools/list_changed');
    await b.line((m) => m.method === 'notifications/resources/list_changed');

    const posts = requests.filter((r) => r.method === 'POST');
    const base = {
      authorization: 'Bearer stand-in-token',
      'x-mcplexer-workspace': pathToFileURL(cwd).href,
      'x-mcplexer-client-pid': String(process.pid),
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    expect(posts[0]!.headers).toMatchObject(base);
    expect(posts[0]!.headers['mcp-session-id']).toBeUndefined();
    expect(posts[0]!.headers['mcp-protocol-version']).toBeUndefined();
    for (const post of posts.slice(1))
      expect(post.headers).toMatchObject({ ...base, 'mcp-session-id': 'stand-in-session', 'mcp-protocol-version': '2025-06-18' });
    expect(posts.map((p) => p.body)).toEqual([INITIALIZE, '{"jsonrpc":"2.0","method":"notifications/initialized"}', call]);

    const streams = requests.filter((r) => r.method === 'GET');
    expect(streams).toHaveLength(2);
    for (const get of streams) {
      expect(get.headers).toMatchObject({
        authorization: 'Bearer stand-in-token',
        accept: 'text/event-stream',
        'mcp-session-id': 'stand-in-session',
        'mcp-protocol-version': '2025-06-18',
      });
    }
    expect(streams[0]!.headers['last-event-id']).toBeUndefined();
    expect(streams[1]!.headers['last-event-id']).toBe('ev-1');
  });

  it('never sends again a call the gateway had taken when its connection broke: the call fails saying it may have run (a trial: a tool ran twice)', async () => {
    const b = rawBridge(home, cwd);
    b.send(INITIALIZE);
    await b.line((m) => m.id === 1);
    b.send('{"jsonrpc":"2.0","method":"notifications/initialized"}');
    const dies = () => requests.filter((r) => r.body.includes('"dies"')).length;
    b.send('{"jsonrpc":"2.0","id":31,"method":"tools/call","params":{"name":"dies","arguments":{}}}');
    const failed = JSON.parse(await b.line((m) => m.id === 31)) as { error: { code: number; message: string } };
    expect(failed.error.message).toContain('may have run');
    expect(failed.error.message).toContain('connection lost');
    // The bridge goes on: it reconnects for the next message, which is answered; the call was sent once.
    b.send('{"jsonrpc":"2.0","id":32,"method":"ping"}');
    expect(JSON.parse(await b.line((m) => m.id === 32))).toMatchObject({ result: {} });
    expect(dies()).toBe(1);
    expect(b.stderr()).toContain('lost the MCPlexer gateway');
    // In a batch: every request of it fails the same way, none is sent again.
    b.send('[{"jsonrpc":"2.0","id":33,"method":"tools/call","params":{"name":"dies","arguments":{}}},{"jsonrpc":"2.0","id":34,"method":"ping"}]');
    for (const id of [33, 34]) expect(JSON.parse(await b.line((m) => m.id === id)).error.message).toContain('may have run');
    b.send('{"jsonrpc":"2.0","id":35,"method":"ping"}');
    expect(JSON.parse(await b.line((m) => m.id === 35))).toMatchObject({ result: {} });
    expect(dies()).toBe(2);
  });
});

describe('the bridge against the real gateway', () => {
  let t: TestGateway;
  let cwd: string;

  beforeAll(async () => {
    cwd = mkdtempSync(path.join(tmpdir(), 'mcplexer-wire-real-'));
    t = await startTestGateway({ lock: true });
    await addServer(t, rawBody('raw'));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  async function initialized(): Promise<RawBridge> {
    const b = rawBridge(t.home, cwd);
    b.send(INITIALIZE);
    await b.line((m) => m.id === 1);
    b.send('{"jsonrpc":"2.0","method":"notifications/initialized"}');
    return b;
  }

  it('relays a call’s SSE answer event by event: every progress and log message in order, then the result', async () => {
    const b = await initialized();
    b.send(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'raw__flood', arguments: { count: 20, size: 10 }, _meta: { progressToken: 'p' } },
      }),
    );
    await b.line((m) => m.id === 7);
    const events = b.lines
      .map((line) => JSON.parse(line) as Record<string, any>)
      .filter((m) => m.method === 'notifications/progress' || m.method === 'notifications/message' || m.id === 7)
      .map((m) =>
        m.id === 7 ? m.result.content[0].text : m.method === 'notifications/progress' ? `p${m.params.progress}` : `l${String(m.params.data).split(' ')[0]}`,
      );
    expect(events).toEqual([...Array.from({ length: 20 }, (_, i) => [`p${i + 1}`, `l${i + 1}`]).flat(), 'flooded 20']);
  });

  it('ends its session with DELETE when its input ends: the gateway forgets it at once (a trial: it stayed an active session for 30 min)', async () => {
    const active = async () =>
      (await t.api('GET', '/dashboard')).body.active_session_list.filter((s: { client_type: string }) => s.client_type === 'raw-wire').length;
    const before = await active();
    const b = await initialized();
    expect(await waitFor(async () => (await active()) === before + 1)).toBe(true);
    b.child.stdin.end();
    const code = await new Promise((resolve) => (b.child.exitCode === null ? b.child.once('exit', resolve) : resolve(b.child.exitCode)));
    expect(code).toBe(0);
    expect(await active()).toBe(before);
  });

  it('re-opens the GET stream after the gateway cut it off, and relays what comes after', async () => {
    const cutOffs = () => t.logs.filter((line) => String(line.msg).startsWith('MCP session stream reader fell behind')).length;
    const b = await initialized();
    const big = `fixture://r/${'u'.repeat(32 * 1024)}`;
    for (const [id, uri] of [
      [11, big],
      [12, 'fixture://r/after'],
    ] as const) {
      b.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'resources/subscribe', params: { uri: `mcplexer://raw/${uri}` } }));
      expect(await b.line((m) => m.id === id)).not.toContain('"error"');
    }
    // The bridge stops reading: the gateway's writes to its GET stream back up until it cuts the stream off.
    const before = cutOffs();
    const driver = rawBridge(t.home, cwd);
    driver.send(INITIALIZE);
    await driver.line((m) => m.id === 1);
    driver.send('{"jsonrpc":"2.0","method":"notifications/initialized"}');
    b.child.kill('SIGSTOP');
    try {
      for (let id = 100; id < 1100 && cutOffs() === before; id += 1) {
        const from = driver.lines.length;
        driver.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'raw__touch', arguments: { uri: big } } }));
        await driver.line((m) => m.id === id, from);
      }
    } finally {
      b.child.kill('SIGCONT');
    }
    expect(cutOffs()).toBe(before + 1);
    // Re-opened (after the SDK transport's 1 s back-off): an update of the other URI reaches the bridge's stdout.
    const from = b.lines.length;
    let id = 2000;
    const arrived = await waitFor(async () => {
      driver.send(JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name: 'raw__touch', arguments: { uri: 'fixture://r/after' } } }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      return b.lines.slice(from).some((line) => line.includes('fixture://r/after') && line.includes('notifications/resources/updated'));
    }, 15_000);
    expect(arrived).toBe(true);
    expect(b.stderr()).toContain('SSE stream disconnected');
  }, 120_000);
});
