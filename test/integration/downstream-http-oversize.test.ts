// `max_message_bytes` holds for HTTP downstreams as it does for stdio (issue 21, "Bad input": tool
// result size capped): a real SDK server on loopback answers past the limit in each of its HTTP
// forms — Streamable HTTP with a JSON body, with an SSE stream per call, and the legacy HTTP+SSE
// transport — with the setting lowered to 64 KiB through the REST API. The call fails with -32004
// naming the server, the limit and the setting; the next small call to the same server works, and
// so does another server's. An SSE call stream of many small messages summing far past the limit
// is not cut: the limit is per message.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigHttpServer, type BigHttpServer, type BigServerMode } from '../fixtures/big-http-server.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, rejection, text } from '../helpers/mcp.js';

const LIMIT = 64 * 1024;
const MODES: BigServerMode[] = ['json', 'sse', 'legacy'];

let t: TestGateway;
let client: Client;
const servers: BigHttpServer[] = [];
beforeAll(async () => {
  t = await startTestGateway();
  expect((await t.api('PUT', '/settings', { max_message_bytes: LIMIT })).status).toBe(200);
  for (const mode of MODES) {
    const server = await startBigHttpServer(mode);
    servers.push(server);
    await addServer(t, { name: `Remote ${mode}`, transport: 'http', url: server.url, namespace: mode });
  }
  client = await connectHttp(t);
}, 60_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
  await Promise.all(servers.map((server) => server.stop()));
});

describe.each(MODES)('a result over max_message_bytes from an HTTP downstream (%s)', (mode) => {
  it.each([
    ['just over the limit', LIMIT + 1],
    ['far over the limit (4 MiB)', 4 * 1024 * 1024],
  ])('%s: the call fails with -32004 naming the server, the limit and the setting; the next calls work', async (_name, bytes) => {
    expect(text(await client.callTool({ name: `${mode}__echo`, arguments: { message: 'before' } }))).toBe('Echo: before');
    const error = await rejection(client.callTool({ name: `${mode}__big`, arguments: { bytes } }, { timeout: 30_000 }));
    expect(error.code).toBe(-32004);
    expect(error.message).toContain(`Remote ${mode}`);
    expect(error.message).toContain(`more than ${LIMIT} bytes`);
    expect(error.message).toContain('max_message_bytes');
    expect(text(await client.callTool({ name: `${mode}__echo`, arguments: { message: 'after' } }))).toBe('Echo: after');
    const other = MODES.find((m) => m !== mode)!;
    expect(text(await client.callTool({ name: `${other}__echo`, arguments: { message: 'other' } }))).toBe('Echo: other');
  });

  it('delivers a result under the limit whole', async () => {
    const result = await client.callTool({ name: `${mode}__big`, arguments: { bytes: LIMIT - 1024 } });
    expect(text(result)).toBe('x'.repeat(LIMIT - 1024));
  });
});

describe('an SSE call stream of many small messages', () => {
  it('is not cut when their sum is far past the limit', async () => {
    // 200 log messages of 2 KiB: 400 KiB on one stream, each message 1/32 of the limit.
    const result = await client.callTool({ name: 'sse__chatter', arguments: { count: 200, size: 2048 } }, { timeout: 30_000 });
    expect(text(result)).toBe('chatted 200');
  });
});
