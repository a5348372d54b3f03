// Requests Node's HTTP parser refuses before any handler runs (issue 21, "Bad input": always a 4xx
// with a reason) get the gateway's JSON error body, not Node's bare status line: headers over the
// 16 KiB limit a 431 `headers_too_large` that names the limit and what to do, a request that is
// not HTTP a 400 `bad_request`; the gateway keeps serving. Raw sockets, since an HTTP client would
// not send such requests.
import { connect } from 'node:net';
import { createServer, maxHeaderSize } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientErrors } from '../../src/gateway/http/client-error.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t?.stop();
});

/** Writes `text` on a new connection and reads until the gateway closes it. */
function raw(text: string): Promise<string> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

/**
 * A client that keeps its side open (allowHalfOpen) and goes on sending `drip` every 100 ms after
 * `first`, as a slow client would: whether the server closed the connection within 5 s, and what it answered.
 */
async function slowClient(port: number, host: string, first: string, drip: string): Promise<{ outcome: 'closed' | 'open'; answer: string }> {
  const socket = connect({ port, host, allowHalfOpen: true });
  let answer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (answer += chunk));
  socket.on('error', () => undefined); // a write after the server's close is refused (EPIPE, ECONNRESET)
  const closed = new Promise<'closed'>((resolve) => socket.on('close', () => resolve('closed')));
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(first);
  const timer = setInterval(() => socket.writable && socket.write(drip), 100);
  try {
    const outcome = await Promise.race([closed, new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 5_000))]);
    return { outcome, answer };
  } finally {
    clearInterval(timer);
    socket.destroy();
  }
}

function parse(answer: string): { status: number; type: string | undefined; body: any } {
  const [head, body] = answer.split('\r\n\r\n', 2);
  const lines = head!.split('\r\n');
  const type = lines
    .find((l) => /^content-type:/i.test(l))
    ?.split(':')[1]
    ?.trim();
  return { status: Number(lines[0]!.split(' ')[1]), type, body: JSON.parse(body!) };
}

describe('requests the HTTP parser refuses', () => {
  it.each([
    ['one header over the limit', `GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: ${'a'.repeat(maxHeaderSize + 1)}\r\n\r\n`],
    [
      'many headers over the limit together',
      `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n${Array.from({ length: 400 }, (_, i) => `X-H${i}: ${'b'.repeat(60)}\r\n`).join('')}\r\n`,
    ],
    ['a request line over the limit', `GET /${'p'.repeat(maxHeaderSize + 10)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`],
  ])('%s: 431 headers_too_large naming the limit, as JSON', async (_name, request) => {
    const answer = parse(await raw(request));
    expect(answer.status).toBe(431);
    expect(answer.type).toMatch(/^application\/json/);
    expect(answer.body.error.code).toBe('headers_too_large');
    expect(answer.body.error.message).toContain(`${maxHeaderSize}-byte limit`);
    expect(answer.body.error.message).toContain('request body');
  });

  it.each([
    ['not HTTP at all', 'hello there\r\n\r\n'],
    ['a bad header line', 'GET /api/v1/health HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n'],
  ])('%s: 400 bad_request, as JSON', async (_name, request) => {
    const answer = parse(await raw(request));
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('bad_request');
    expect(answer.body.error.message).toMatch(/^malformed HTTP request \(HPE_/);
  });

  it('keeps serving afterwards', async () => {
    await raw(`GET / HTTP/1.1\r\nX-Long: ${'a'.repeat(maxHeaderSize + 1)}\r\n\r\n`);
    const health = await fetch(`${t.url}/api/v1/health`);
    expect(health.status).toBe(200);
  });
});

describe('after the answer', () => {
  it('the gateway closes the connection itself, even for a client that keeps its side open and goes on sending (a slow-headers trial: sockets stayed open)', async () => {
    const { hostname, port } = new URL(t.url);
    const { outcome, answer } = await slowClient(Number(port), hostname, 'NOT-HTTP\r\n\r\n', 'X-More: 1\r\n');
    expect(outcome).toBe('closed');
    expect(parse(answer)).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
  });

  it('a request whose headers never finish gets 408 request_timeout, and its socket closes however the client goes on (the clientError handler on a server with a 0.5 s headersTimeout)', async () => {
    const server = createServer({ headersTimeout: 500, requestTimeout: 1000, connectionsCheckingInterval: 100 }, (_req, res) => res.end());
    answerClientErrors(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { outcome, answer } = await slowClient(
        (server.address() as AddressInfo).port,
        '127.0.0.1',
        'POST /api/v1/workspaces HTTP/1.1\r\nHost: 127.0.0.1\r\n',
        'X-Slow: 1\r\n',
      );
      expect(outcome).toBe('closed');
      expect(parse(answer)).toMatchObject({ status: 408, body: { error: { code: 'request_timeout' } } });
      expect(answer.startsWith('HTTP/1.1 408 Request Timeout')).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
