// The SDK baselines, each run as its own process so its CPU time can be read from /proc:
//   --mode bare   a v2 NodeStreamableHTTPServerTransport (stateful sessions) on plain node:http,
//                 answering `echo` itself: the SDK's bare HTTP leg
//   --mode proxy  the same server forwarding every tools/list and tools/call to server-everything
//                 over stdio with one shared v2 Client: the SDK's thinnest proxy
//   --mode floor  no SDK at all: just enough Streamable HTTP (JSON responses, a session id) on
//                 node:http to answer `echo`: the floor of the HTTP leg on this machine
//   --mode relay  the floor, relaying every request but initialize to server-everything over stdio
//                 as raw newline-delimited JSON-RPC (the writes of a turn coalesced, the answer's
//                 id swapped in its text, never parsed; no validation, no SDK): the floor of a
//                 gateway with a stdio downstream, the HTTP leg plus one process hop each way
//   --json        JSON responses (enableJsonResponse) instead of SSE (bare and proxy)
// Prints `listening <port>` on stdout; exits on SIGTERM or when stdin closes (the parent then kills
// its process group, which holds server-everything in proxy mode).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Server } from '@modelcontextprotocol/server';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const args = process.argv.slice(2);
const mode = args[args.indexOf('--mode') + 1];
const json = args.includes('--json');
const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');

const ECHO_TOOL = {
  name: 'echo',
  description: 'Echoes back the input',
  inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
};
const echo = (params) => ({ content: [{ type: 'text', text: `Echo: ${params?.arguments?.message}` }] });

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(chunks.length ? Buffer.concat(chunks).toString('utf8') : ''));
    req.on('error', reject);
  });
}

let downstream; // proxy mode: one v2 Client to server-everything, shared by all sessions
if (mode === 'proxy') {
  downstream = new Client({ name: 'bench-proxy', version: '1.0.0' });
  await downstream.connect(new StdioClientTransport({ command: process.execPath, args: [everything, 'stdio'], stderr: 'ignore' }));
}

function sessionServer() {
  const server = new Server({ name: `bench-${mode}`, version: '1.0.0' }, { capabilities: { tools: {} } });
  if (mode === 'proxy') {
    server.setRequestHandler('tools/list', (request) => downstream.listTools(request.params));
    server.setRequestHandler('tools/call', (request) => downstream.callTool(request.params));
  } else {
    server.setRequestHandler('tools/list', () => ({ tools: [ECHO_TOOL] }));
    server.setRequestHandler('tools/call', (request) => echo(request.params));
  }
  return server;
}

const transports = new Map();

async function sdkHandler(req, res) {
  const text = req.method === 'POST' ? await readBody(req) : '';
  const body = text ? JSON.parse(text) : undefined;
  const sessionId = req.headers['mcp-session-id'];
  if (sessionId) {
    const transport = transports.get(sessionId);
    if (!transport) return void res.writeHead(404).end();
    return transport.handleRequest(req, res, body);
  }
  if (body?.method !== 'initialize') return void res.writeHead(400).end();
  const transport = new NodeStreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    enableJsonResponse: json,
    onsessioninitialized: (id) => transports.set(id, transport),
    onsessionclosed: (id) => transports.delete(id),
  });
  await sessionServer().connect(transport);
  await transport.handleRequest(req, res, body);
}

// The relay's downstream: server-everything over stdio, initialized once, shared by all sessions.
// As lean as a relay gets: the writes of one turn coalesced into one (cork until the next tick),
// and the answer never parsed: its line ends with the relay's id (`…,"id":N}`, as the SDK writes
// it), which is read from the tail and swapped for the client's; anything else is parsed.
let relay;
if (mode === 'relay') {
  const child = spawn(process.execPath, [everything, 'stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const pending = new Map();
  let nextId = 0;
  let buffered = '';
  const TAIL = /"id":(\d+)}$/;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      const tail = TAIL.exec(line);
      const id = tail ? Number(tail[1]) : line ? JSON.parse(line).id : undefined;
      const waiter = id === undefined ? undefined : pending.get(id);
      if (!waiter) continue; // the server's own notifications
      pending.delete(id);
      waiter(tail ? line.slice(0, tail.index) : line, !tail);
    }
  });
  let corked = false;
  const send = (method, params, answer) => {
    const id = ++nextId;
    pending.set(id, answer);
    if (!corked) {
      corked = true;
      child.stdin.cork();
      process.nextTick(() => ((corked = false), child.stdin.uncork()));
    }
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  };
  const init = await new Promise((resolve) =>
    send('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench-relay', version: '1.0.0' } }, (head, whole) =>
      resolve(whole ? head : `${head}"id":0}`),
    ),
  );
  if (!JSON.parse(init).result) throw new Error(`server-everything refused initialize: ${init}`);
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  relay = { child, send };
}

// The floor: a hand-written responder, no SDK, no validation.
const floorSessions = new Set();
async function floorHandler(req, res) {
  if (req.method === 'GET') return void res.writeHead(405, { allow: 'POST, DELETE' }).end();
  if (req.method === 'DELETE') {
    floorSessions.delete(req.headers['mcp-session-id']);
    return void res.writeHead(200).end();
  }
  const message = JSON.parse(await readBody(req));
  const reply = (result, headers = {}) => {
    const payload = JSON.stringify({ jsonrpc: '2.0', id: message.id, result });
    res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(payload);
  };
  if (message.method === 'initialize') {
    const id = randomUUID();
    floorSessions.add(id);
    return reply(
      { protocolVersion: message.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'bench-floor', version: '1.0.0' } },
      { 'mcp-session-id': id },
    );
  }
  if (!floorSessions.has(req.headers['mcp-session-id'])) return void res.writeHead(404).end();
  if (message.id === undefined) return void res.writeHead(202).end();
  if (relay) {
    return void relay.send(message.method, message.params, (head, whole) => {
      const payload = whole ? JSON.stringify({ ...JSON.parse(head), id: message.id }) : `${head}"id":${JSON.stringify(message.id)}}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(payload);
    });
  }
  if (message.method === 'tools/list') return reply({ tools: [ECHO_TOOL] });
  if (message.method === 'tools/call') return reply(echo(message.params));
  res
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } }));
}

const handler = mode === 'floor' || mode === 'relay' ? floorHandler : sdkHandler;
const http = createServer((req, res) => {
  handler(req, res).catch((error) => {
    process.stderr.write(`bench server error: ${error?.stack ?? error}\n`);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
http.keepAliveTimeout = 60_000;
http.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${http.address().port}\n`));

const shutdown = async () => {
  http.close();
  await Promise.allSettled([...transports.values()].map((t) => t.close()));
  await downstream?.close().catch(() => undefined);
  relay?.child.kill();
  process.exit(0);
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
// The bench holds our stdin open; if it dies (even by SIGKILL), stdin ends and we go too.
process.stdin.on('end', shutdown);
process.stdin.resume();
