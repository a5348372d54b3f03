// A request body over the /mcp limit (4 MiB) gets the same answer on every path: HTTP 413 with a
// JSON-RPC error body, read by the client in full (no connection reset), whether the body comes
// with a Content-Length or chunked, on a new session, an established one (the lean path that
// serves tool calls and the SDK path behind it read the same body) or a 2026-era request. The
// session and the connection's peers keep working afterwards.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const LIMIT = 4 * 1024 * 1024;
let t: TestGateway;
let sessionId: string;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/**
 * POSTs `size` bytes of one JSON-RPC request (a tools/call whose argument is a long string) in
 * 64 KiB writes, with a Content-Length or chunked; resolves with the answer, rejects on a reset.
 */
function postLarge(size: number, framing: 'content-length' | 'chunked', headers: Record<string, string>): Promise<Answer> {
  const head = '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"mcpx__search_tools","arguments":{"query":"';
  const tail = '"}}}';
  const body = Buffer.alloc(size, 'a');
  body.write(head, 0);
  body.write(tail, size - tail.length);
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        method: 'POST',
        path: '/mcp',
        headers: {
          authorization: `Bearer ${t.token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(framing === 'content-length' ? { 'content-length': String(size) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    let offset = 0;
    const pump = () => {
      while (offset < size) {
        const chunk = body.subarray(offset, Math.min(size, offset + 64 * 1024));
        offset += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

function expect413(answer: Answer): void {
  expect(answer.status).toBe(413);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.body).toEqual({
    jsonrpc: '2.0',
    id: null,
    error: {
      code: -32600,
      message: `request body is larger than the ${LIMIT}-byte limit`,
      data: { code: 'payload_too_large', details: [{ path: '', message: 'body too large' }] },
    },
  });
}

async function ping(): Promise<number> {
  const res = await fetch(`${t.url}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${t.token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
  await res.text();
  return res.status;
}

beforeAll(async () => {
  t = await startTestGateway();
  const init = await fetch(`${t.url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'big-bodies', version: '1' } },
    }),
  });
  sessionId = init.headers.get('mcp-session-id')!;
  await init.text();
  const initialized = await fetch(`${t.url}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${t.token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  expect(initialized.status).toBe(202);
});
afterAll(async () => t?.close());

describe.each(['content-length', 'chunked'] as const)('a body over the limit, framed with %s', (framing) => {
  it('on an established session: 413 with the JSON-RPC error, and the session still serves', async () => {
    expect413(await postLarge(LIMIT + 1, framing, { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' }));
    expect413(await postLarge(3 * LIMIT, framing, { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' }));
    expect(await ping()).toBe(200);
  });

  it('on a new session (no session id): the same 413', async () => {
    expect413(await postLarge(LIMIT + 1, framing, {}));
    expect413(await postLarge(3 * LIMIT, framing, {}));
    expect(await ping()).toBe(200);
  });

  it('on a 2026-era request: the same 413', async () => {
    expect413(await postLarge(LIMIT + 1024, framing, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'mcpx__search_tools' }));
  });

  it('a body just under the limit is served', async () => {
    const answer = await postLarge(LIMIT - 1024, framing, { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' });
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(9);
  });
});
