// Bad input on the MCP side, against real downstreams: each case is a clear JSON-RPC error that
// names the server (or the tool), and the gateway serves the next call as if nothing happened.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, rawBody, rejection, text } from '../helpers/mcp.js';

let t: TestGateway;
let client: Client;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestGateway();
  ids.ev = (await addServer(t, everythingStdioBody('ev', { name: 'Everything' }))).id;
  ids.off = (await addServer(t, rawBody('off', [], { name: 'Soon Disabled' }))).id;
  ids.slow = (await addServer(t, rawBody('slow', [], { name: 'Slow Raw', call_timeout_sec: 1 }))).id;
  ids.mute = (await addServer(t, rawBody('mute', ['--no-init'], { name: 'Mute Raw', call_timeout_sec: 1 }))).id;
  ids.junk = (await addServer(t, rawBody('junk', ['--garbage'], { name: 'Junk Raw' }))).id;
  ids.noise = (
    await addServer(t, {
      name: 'Only Noise',
      namespace: 'noise',
      call_timeout_sec: 1,
      command: process.execPath,
      args: ['-e', "setInterval(() => console.log('garbage, not JSON-RPC'), 20); process.stdin.resume()"],
    })
  ).id;
  client = await connectHttp(t);
}, 60_000);
afterAll(async () => {
  await client?.close();
  await t?.close();
});

/** The gateway still serves: a tools/call round trip on the healthy server. */
afterEach(async () => {
  expect(text(await client.callTool({ name: 'ev__echo', arguments: { message: 'unharmed' } }))).toBe('Echo: unharmed');
});

describe('bad tool calls', () => {
  it('refuses an unknown tool with -32602 naming it', async () => {
    const error = await rejection(client.callTool({ name: 'nowhere__tool', arguments: {} }));
    expect(error.code).toBe(-32602);
    expect(error.message).toContain('unknown tool "nowhere__tool"');
    expect(error.data).toEqual({ code: 'unknown_tool' });
  });

  it('relays the downstream’s verdict on a tool its server does not have (an error result)', async () => {
    const result = await client.callTool({ name: 'ev__no-such-tool', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/Tool no-such-tool not found/);
  });

  it('refuses a tool of a disabled server and hides its tools', async () => {
    expect(text(await client.callTool({ name: 'off__echo', arguments: { message: 'on' } }))).toBe('Echo: on');
    expect((await t.api('PUT', `/downstreams/${ids.off}`, { enabled: false })).status).toBe(200);
    const error = await rejection(client.callTool({ name: 'off__echo', arguments: { message: 'off' } }));
    expect(error.message).toBe('downstream server "Soon Disabled" is disabled');
    expect(error.data).toEqual({ code: 'server_disabled' });
    expect(error.code).toBe(-32004);
    const { tools } = await client.listTools();
    expect(tools.some((tool) => tool.name.startsWith('off__'))).toBe(false);
    expect(tools.some((tool) => tool.name === 'ev__echo')).toBe(true);
  });

  it('returns the downstream’s error for malformed arguments', async () => {
    const outcome = await client.callTool({ name: 'ev__echo', arguments: { message: 42 } }).then(
      (result) => ({ isError: result.isError, message: text(result) }),
      (error: Error & { code: number }) => ({ isError: true, message: error.message, code: error.code }),
    );
    expect(outcome.isError).toBe(true);
    expect(outcome.message).toMatch(/message/);
    expect(outcome.message).toMatch(/expected string/i);
  });
});

describe('downstreams that misbehave', () => {
  it('times out a tool that never answers with -32001 naming the server', async () => {
    expect(text(await client.callTool({ name: 'slow__echo', arguments: { message: 'fast' } }))).toBe('Echo: fast');
    const error = await rejection(client.callTool({ name: 'slow__hang', arguments: {} }));
    expect(error.code).toBe(-32001);
    expect(error.message).toBe('"Slow Raw" did not respond within 1 s');
    expect(error.data).toEqual({ code: 'timeout' });
    expect(text(await client.callTool({ name: 'slow__echo', arguments: { message: 'again' } }))).toBe('Echo: again');
  });

  it('times out a server that never answers initialize', async () => {
    const error = await rejection(client.callTool({ name: 'mute__echo', arguments: { message: 'hello?' } }));
    expect(error.code).toBe(-32001);
    expect(error.message).toContain('"Mute Raw" did not respond within 1 s');
    expect(error.data).toEqual({ code: 'timeout' });
  });

  it('skips junk lines between a server’s messages', async () => {
    expect(text(await client.callTool({ name: 'junk__echo', arguments: { message: 'through the noise' } }))).toBe('Echo: through the noise');
  });

  it('times out a server that prints only garbage, naming it', async () => {
    const error = await rejection(client.callTool({ name: 'noise__anything', arguments: {} }));
    expect(error.code).toBe(-32001);
    expect(error.message).toContain('"Only Noise"');
    const health = (await t.api('GET', '/health')).body.downstreams.find((d: { server_id: string }) => d.server_id === ids.noise);
    expect(health.state).not.toBe('ready');
  });
});

describe('malformed JSON-RPC', () => {
  const post = (body: string, extra: Record<string, string> = {}) =>
    rawRequest(
      t.url,
      'POST',
      '/mcp',
      {
        host: new URL(t.url).host,
        authorization: `Bearer ${t.token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...extra,
      },
      body,
    );

  it('answers a body that is not JSON with a -32700 parse error', async () => {
    const res = await post('{"jsonrpc": "2.0", "method": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    expect(res.body.error.message).toMatch(/^Parse error/);
  });

  it('answers the same inside a live session, and the session survives', async () => {
    const sessionId = (client.transport as { sessionId?: string }).sessionId!;
    expect(sessionId).toBeTruthy();
    const res = await post('not json at all', { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(-32700);
  });
});
