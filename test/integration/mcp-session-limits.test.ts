// MCP sessions are bounded: a session idle for `session_idle_timeout_sec` is closed as a DELETE
// would close it (later requests on it get 404 "Session not found"), a session with a call in
// flight or a stream open never expires, and `max_sessions` refuses one more `initialize` with a
// 503 and a JSON-RPC error that names the limit, the setting and the idle timeout.
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, text } from '../helpers/mcp.js';

const ACCEPT = 'application/json, text/event-stream';

function post(t: TestGateway, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t.url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: ACCEPT, ...headers },
    body: JSON.stringify(body),
  });
}

const sessionHeaders = (id: string) => ({ 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' });

/** A raw 2025-era session: initialize, then notifications/initialized; its id. */
async function open(t: TestGateway, id = 1): Promise<string> {
  const init = await post(t, {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'limits', version: '1' } },
  });
  expect(init.status).toBe(200);
  const sessionId = init.headers.get('mcp-session-id')!;
  await init.text();
  expect((await post(t, { jsonrpc: '2.0', method: 'notifications/initialized' }, sessionHeaders(sessionId))).status).toBe(202);
  return sessionId;
}

async function ping(t: TestGateway, sessionId: string): Promise<{ status: number; text: string }> {
  const res = await post(t, { jsonrpc: '2.0', id: 99, method: 'ping' }, sessionHeaders(sessionId));
  return { status: res.status, text: await res.text() };
}

const expiredIds = (t: TestGateway) => t.logs.filter((line) => line.msg === 'MCP session expired').map((line) => line.session);

describe('idle expiry (session_idle_timeout_sec = 2)', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ env: { MCPLEXER_SESSION_IDLE_TIMEOUT_SEC: '2' } });
    await addServer(t, everythingStdioBody('ev'));
  }, 30_000);
  afterAll(async () => t?.close());

  it('closes idle sessions as DELETE would: later requests get 404 "Session not found"', async () => {
    const quiet = await open(t);
    const used = await open(t);
    const lastSeen = Date.now();
    const call = await post(
      t,
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ev__echo', arguments: { message: 'once' } } },
      sessionHeaders(used),
    );
    expect(await call.text()).toContain('Echo: once');
    expect(await waitFor(() => expiredIds(t).includes(quiet) && expiredIds(t).includes(used), 15_000)).toBe(true);
    expect(Date.now() - lastSeen).toBeGreaterThanOrEqual(1_900);
    for (const id of [quiet, used]) {
      const after = await ping(t, id);
      expect(after.status).toBe(404);
      expect(after.text).toContain('Session not found');
      const fast = await post(
        t,
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'ev__echo', arguments: { message: 'late' } } },
        sessionHeaders(id),
      );
      expect(fast.status).toBe(404);
      await fast.text();
    }
    expect((await fetch(`${t.url}/mcp`, { method: 'DELETE', headers: { authorization: `Bearer ${t.token}`, ...sessionHeaders(quiet) } })).status).toBe(404);
  });

  it('keeps a session that is used, a session with a call in flight, and one with a stream open', async () => {
    const busy = await open(t);
    const streaming = await open(t);
    const used = await open(t);
    const control = await open(t);
    // A 5 s call on the lean path, and a GET stream (the SDK path) held open for 4 s.
    const longCall = post(
      t,
      { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'ev__trigger-long-running-operation', arguments: { duration: 5, steps: 5 } } },
      sessionHeaders(busy),
    );
    const stream = new AbortController();
    const get = await fetch(`${t.url}/mcp`, {
      headers: { authorization: `Bearer ${t.token}`, accept: 'text/event-stream', ...sessionHeaders(streaming) },
      signal: stream.signal,
    });
    expect(get.status).toBe(200);
    const started = Date.now();
    while (Date.now() - started < 4_000) {
      expect((await ping(t, used)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // The sweeper ran meanwhile: the untouched control session is gone.
    expect(expiredIds(t)).toContain(control);
    stream.abort();
    const result = await longCall;
    expect(result.status).toBe(200);
    expect(await result.text()).toContain('Long running operation completed');
    for (const id of [busy, streaming, used]) {
      expect(expiredIds(t)).not.toContain(id);
      expect((await ping(t, id)).status).toBe(200);
    }
    // Once quiet, they expire like any other.
    expect(await waitFor(() => [busy, streaming, used].every((id) => expiredIds(t).includes(id)), 15_000)).toBe(true);
    expect((await ping(t, busy)).status).toBe(404);
  }, 30_000);
});

describe('the session cap (max_sessions = 2, set through PUT /settings)', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
    expect((await t.api('PUT', '/settings', { max_sessions: 2 })).status).toBe(200);
  });
  afterAll(async () => t?.close());

  it('refuses the third initialize with 503 and a JSON-RPC error naming the limit and the setting, and accepts again after a DELETE', async () => {
    const first = await open(t);
    await open(t);
    const refused = await post(t, {
      jsonrpc: '2.0',
      id: 5,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'third', version: '1' } },
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('mcp-session-id')).toBeNull();
    const body = (await refused.json()) as any;
    expect(body).toMatchObject({ jsonrpc: '2.0', id: 5, error: { code: -32006, data: { code: 'capacity_exceeded' } } });
    expect(body.error.message).toContain('already holds 2');
    expect(body.error.message).toContain('max_sessions');
    expect(body.error.message).toContain('idle for 30 minutes (session_idle_timeout_sec) expire');

    // A real client is told the same.
    await expect(connectHttp(t)).rejects.toThrow(/max_sessions/);
    // 2026-era requests hold no session and are not counted.
    const modern = await connectHttp(t, { modern: true });
    expect(text(await modern.callTool({ name: 'mcpx__search_tools', arguments: { query: 'x' } }))).toBeDefined();
    await modern.close();

    expect((await fetch(`${t.url}/mcp`, { method: 'DELETE', headers: { authorization: `Bearer ${t.token}`, ...sessionHeaders(first) } })).status).toBe(200);
    const client = await connectHttp(t);
    expect(await client.ping()).toEqual({});
    await expect(open(t)).rejects.toThrow();
    await (client.transport as StreamableHTTPClientTransport).terminateSession();
    await client.close();
  });

  it('follows a changed max_sessions without a restart', async () => {
    expect((await t.api('PUT', '/settings', { max_sessions: 4 })).status).toBe(200);
    // One session is left from the test before: three more fill the new cap.
    for (let i = 0; i < 3; i++) await open(t);
    const refused = await post(t, {
      jsonrpc: '2.0',
      id: 6,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as any).error.message).toContain('already holds 4');
  });

  it('a lowered session_idle_timeout_sec applies to the next request at once, not at the next sweep (up to a minute away)', async () => {
    expect((await t.api('PUT', '/settings', { max_sessions: 100 })).status).toBe(200);
    const idle = await open(t, 7);
    expect((await ping(t, idle)).status).toBe(200);
    expect((await t.api('PUT', '/settings', { session_idle_timeout_sec: 1 })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const late = await ping(t, idle);
    expect(late.status).toBe(404);
    expect(late.text).toContain('Session not found');
    expect(expiredIds(t)).toContain(idle);
    expect((await t.api('PUT', '/settings', { session_idle_timeout_sec: 1800 })).status).toBe(200);
  });

  it('refuses out-of-range values for both settings with 400 naming the field', async () => {
    for (const [field, value] of [
      ['max_sessions', 0],
      ['session_idle_timeout_sec', 0],
      ['session_idle_timeout_sec', 1.5],
    ] as const) {
      const res = await t.api('PUT', '/settings', { [field]: value });
      expect(res.status, `${field}=${value}`).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
  });
});
