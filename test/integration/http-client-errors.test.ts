// Requests Node's HTTP parser refuses before any handler runs (issue 21, "Bad input": always a 4xx
// with a reason) get the gateway's JSON error body, not Node's bare status line: headers over the
// 16 KiB limit a 431 `headers_too_large` that names the limit and what to do, a request that is
// not HTTP a 400 `bad_request`; the gateway keeps serving. Raw sockets, since an HTTP client would
// not send such requests.
import { connect } from 'node:net';
import { maxHeaderSize } from 'node:http';
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
