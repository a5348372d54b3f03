// An HTTP downstream that ends its own session (HTTP 404 to a request carrying its Mcp-Session-Id):
// the gateway starts a new session and sends the request once more, as MCP 2025-11-25 (Streamable
// HTTP, Session Management) requires; the server never ran the refused request, so the call runs
// exactly once. A server that refuses the new session too fails with a clear message (no loop), and
// what the server may have run (a 5xx after it accepted the body) is never retried. Real HTTP on
// loopback (test/fixtures/http-session-server.ts), through the pool and end to end through /mcp.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DownstreamPool } from '../../src/gateway/downstream/index.js';
import { makeServer } from '../fixtures/downstream-servers.js';
import { startSessionServer, type SessionServer } from '../fixtures/http-session-server.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, rejection, text } from '../helpers/mcp.js';

const pool = new DownstreamPool({ startTimeoutMs: 10_000 });
afterAll(() => pool.stopAll({ drainMs: 0 }));

let http: SessionServer;
beforeEach(async () => {
  http = await startSessionServer();
});
afterEach(() => http.stop());

const record = () => makeServer({ name: 'sessions', transport: 'http', url: http.url });
const echo = (server: ReturnType<typeof makeServer>, message: string) =>
  pool.callTool(server, null, { name: 'echo', arguments: { message } }, { timeoutMs: 10_000 }).then(
    (result) => (result.content as Array<{ text: string }>)[0]!.text,
    (error: { code: string; message: string }) => error,
  );

describe('a downstream that expires its session', () => {
  it('answers the next call after one new initialize, and the call runs once', async () => {
    const server = record();
    expect(await echo(server, 'first')).toBe('Echo: first');
    http.forgetSessions();
    expect(await echo(server, 'second')).toBe('Echo: second');
    expect(http.initializes).toBe(2);
    expect(http.ran).toEqual(['first', 'second']);
    expect(pool.serverHealth(server)).toMatchObject({ state: 'ready', consecutive_failures: 0 });
    expect(pool.serverHealth(server).last_error).toBeUndefined();
  });

  it('renews once for concurrent calls refused together, each running once', async () => {
    const server = record();
    expect(await echo(server, 'warm')).toBe('Echo: warm');
    http.forgetSessions();
    const answers = await Promise.all(['a', 'b', 'c'].map((message) => echo(server, message)));
    expect(answers).toEqual(['Echo: a', 'Echo: b', 'Echo: c']);
    expect(http.initializes).toBe(2);
    expect([...http.ran].sort()).toEqual(['a', 'b', 'c', 'warm']);
  });

  it('renews after a restart that forgot every session (same port)', async () => {
    const server = record();
    expect(await echo(server, 'before')).toBe('Echo: before');
    await http.stop();
    await http.start();
    expect(await echo(server, 'after')).toBe('Echo: after');
    expect(http.initializes).toBe(2);
    expect(http.ran).toEqual(['before', 'after']);
  });

  it('fails with a clear message when the call is refused on the new session too, without looping', async () => {
    const server = record();
    expect(await echo(server, 'warm')).toBe('Echo: warm');
    http.forgetBeforeEachCall = true;
    const error = await echo(server, 'never');
    expect(error).toMatchObject({
      code: 'downstream_unavailable',
      message: `downstream server "sessions" answered HTTP 404 (session not found) again right after MCPlexer re-initialized its session at ${http.url}, so the call was not run; the server is not keeping its sessions: check its session handling, or the load balancer in front of it (sessions need sticky routing)`,
    });
    expect(http.initializes).toBe(2);
    expect(http.ran).toEqual(['warm']);
  });

  it('fails with a clear message when the server refuses the session it just opened (no sticky routing), without falling back to SSE', async () => {
    const server = record();
    http.alwaysForget = true;
    const error = await echo(server, 'never');
    expect(error).toMatchObject({
      code: 'downstream_unavailable',
      message: `downstream server "sessions" answered HTTP 404 (session not found) right after it opened the session at ${http.url}; the server is not keeping its sessions: check its session handling, or the load balancer in front of it (sessions need sticky routing)`,
    });
    expect(http.initializes).toBe(1);
    expect(http.ran).toEqual([]);
  });

  it('does not retry a call the server may have run (500 after it accepted the body), and says the server failed', async () => {
    const server = record();
    expect(await echo(server, 'warm')).toBe('Echo: warm');
    http.failNextWith500 = true;
    const error = await echo(server, 'once');
    expect(error).toMatchObject({
      code: 'downstream_error',
      message: 'downstream server "sessions": the server failed: 500 Internal Server Error internal explosion: the database is down',
    });
    expect(http.ran).toEqual(['warm', 'once']);
    expect(http.initializes).toBe(1);
  });

  it('does not retry a call whose SSE stream dropped mid-call (it ran)', async () => {
    const server = record();
    expect(await echo(server, 'warm')).toBe('Echo: warm');
    http.dropNextStream = true;
    // The SDK does not fail a request whose stream ended without its response: the call waits for its timeout.
    const error = await pool.callTool(server, null, { name: 'echo', arguments: { message: 'dropped' } }, { timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: expect.stringMatching(/^(downstream_unavailable|downstream_error|timeout)$/) });
    expect(http.ran).toEqual(['warm', 'dropped']);
    expect(http.initializes).toBe(1);
  });
});

describe('a downstream that is down, then back', () => {
  it('says it is not running at its url (connection refused), then answers once it is back', async () => {
    const server = record();
    expect(await echo(server, 'up')).toBe('Echo: up');
    await http.stop();
    const error = await echo(server, 'down');
    expect(error).toMatchObject({
      code: 'downstream_unavailable',
      message: `downstream server "sessions" is not running at ${http.url} (connection refused) — start it, or correct the server's url`,
    });
    await http.start();
    expect(await echo(server, 'back')).toBe('Echo: back');
    expect(http.ran).toEqual(['up', 'back']);
  });
});

describe('through the gateway', () => {
  let t: TestGateway | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    await t?.close();
    client = t = undefined;
  });

  it('a client never sees the expired session', async () => {
    t = await startTestGateway();
    await addServer(t, { name: 'Sessions', transport: 'http', url: http.url, namespace: 'sess' });
    client = await connectHttp(t);
    expect(text(await client.callTool({ name: 'sess__echo', arguments: { message: 'one' } }))).toBe('Echo: one');
    const initializes = http.initializes;
    http.forgetSessions();
    expect(text(await client.callTool({ name: 'sess__echo', arguments: { message: 'two' } }))).toBe('Echo: two');
    expect(http.initializes).toBe(initializes + 1);
    expect(http.ran.filter((message) => message === 'two')).toEqual(['two']);
    const health = (await t.api('GET', '/health')).body.downstreams[0];
    expect(health).toMatchObject({ state: 'ready', consecutive_failures: 0 });
  });

  it('a client gets the clear message when the server keeps no session', async () => {
    t = await startTestGateway();
    await addServer(t, { name: 'Forgetful', transport: 'http', url: http.url, namespace: 'fg' });
    client = await connectHttp(t);
    http.forgetBeforeEachCall = true;
    const error = await rejection(client.callTool({ name: 'fg__echo', arguments: { message: 'x' } }));
    expect(error.data).toEqual({ code: 'downstream_unavailable' });
    expect(error.message).toContain(
      'downstream server "Forgetful" answered HTTP 404 (session not found) again right after MCPlexer re-initialized its session',
    );
    expect(http.ran).toEqual([]);
  });
});
