// Who served a call and who made it, on a real gateway (server-everything over stdio, real SDK
// clients over HTTP, `mcplexer connect` spawned over stdio): the audit record's
// `downstream_instance_id` (the pool instance, as GET /health names it; null where no instance
// served), `model` (`X-MCPlexer-Model`, overridden per call by `_meta["mcplexer/model"]`; null when
// the client declares none), and the dashboard's `client_pid` / `model_hint` (the stdio bridge sends
// its parent's pid and `MCPLEXER_MODEL`). Bad values are refused naming the header or the field.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectBridge, connectHttp, everythingStdioBody, killStrayGateway, rejection, type Bridge } from '../helpers/mcp.js';

const COUNTING = fileURLToPath(new URL('../fixtures/counting-echo-server.mjs', import.meta.url));
const logDir = mkdtempSync(path.join(tmpdir(), 'mcplexer-identity-'));

let t: TestGateway;
let evId: string;
const clients: Client[] = [];
const bridges: Bridge[] = [];

const sessionOf = (c: Client) => (c.transport as unknown as { sessionId: string }).sessionId;
async function records(query: string): Promise<Array<Record<string, any>>> {
  const res = await t.api('GET', `/audit${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body.data;
}
/** The newest record of a tool in a session. */
const last = async (session: string, tool: string) => (await records(`?session_id=${session}&tool_name=${encodeURIComponent(tool)}&limit=1`))[0]!;
async function instanceIds(): Promise<string[]> {
  const health = await t.api('GET', `/downstreams/${evId}/health`);
  expect(health.status, health.text).toBe(200);
  return (health.body.instances as Array<{ instance_id: string }>).map((i) => i.instance_id);
}
async function sessionEntries(): Promise<Array<Record<string, any>>> {
  const res = await t.api('GET', '/dashboard');
  expect(res.status, res.text).toBe(200);
  return res.body.active_session_list;
}
async function client(options: Parameters<typeof connectHttp>[1] = {}): Promise<Client> {
  const c = await connectHttp(t, options);
  clients.push(c);
  return c;
}
async function initialize(headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    }),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

beforeAll(async () => {
  t = await startTestGateway({ lock: true });
  evId = (await addServer(t, everythingStdioBody('ev'))).id;
  // A counting echo whose `lookup` is cacheable (server-everything's tools are not).
  const ce = await addServer(t, {
    name: 'Counting ce',
    namespace: 'ce',
    command: process.execPath,
    args: [COUNTING, `--log=${path.join(logDir, 'calls.log')}`],
  });
  expect((await t.api('POST', `/downstreams/${ce.id}/discover`)).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([...clients.map((c) => c.close()), ...bridges.map((b) => b.client.close())]);
  killStrayGateway(t.home);
  await t?.close();
  rmSync(logDir, { recursive: true, force: true });
});

describe('downstream_instance_id: the pool instance that served the call', () => {
  it('names the instance GET /health lists, one per client capability set; null for a cache hit, a refusal and a built-in', async () => {
    const plain = await client();
    const sampling = await client({ sampling: 'sampled' });
    await plain.callTool({ name: 'ev__echo', arguments: { message: 'from plain' } });
    await sampling.callTool({ name: 'ev__echo', arguments: { message: 'from sampling' } });
    const a = await last(sessionOf(plain), 'ev__echo');
    const b = await last(sessionOf(sampling), 'ev__echo');
    expect(a).toMatchObject({ status: 'success', cache_hit: false, downstream_server_id: evId });
    expect(a.downstream_instance_id).toEqual(expect.any(String));
    expect(b.downstream_instance_id).toEqual(expect.any(String));
    // A client that declares sampling is served by an instance that declares it downstream: another one.
    expect(b.downstream_instance_id).not.toBe(a.downstream_instance_id);
    const live = await instanceIds();
    expect(live).toContain(a.downstream_instance_id);
    expect(live).toContain(b.downstream_instance_id);
    // The same instance serves the same session's next call.
    await plain.callTool({ name: 'ev__get-sum', arguments: { a: 2, b: 3 } });
    expect((await last(sessionOf(plain), 'ev__get-sum')).downstream_instance_id).toBe(a.downstream_instance_id);

    // Served by the cache: no instance (the miss before it names one).
    await plain.callTool({ name: 'ce__lookup', arguments: { s: 1 } });
    expect((await last(sessionOf(plain), 'ce__lookup')).downstream_instance_id).toEqual(expect.any(String));
    await plain.callTool({ name: 'ce__lookup', arguments: { s: 1 } });
    expect(await last(sessionOf(plain), 'ce__lookup')).toMatchObject({ cache_hit: true, downstream_instance_id: null });
    // A built-in answers in the gateway: no instance.
    await plain.callTool({ name: 'mcpx__flush_cache', arguments: {} });
    expect(await last(sessionOf(plain), 'mcpx__flush_cache')).toMatchObject({ status: 'success', downstream_instance_id: null });
    // Refused before the downstream: no instance.
    // (A session without a directory is in the global workspace.)
    const rule = (await t.api('POST', '/routes', { workspace_id: 'global', tool_pattern: 'ev__get-tiny-image', policy: 'deny' })).body;
    expect(rule.id, JSON.stringify(rule)).toEqual(expect.any(String));
    try {
      await plain.callTool({ name: 'ev__get-tiny-image', arguments: {} }).catch(() => undefined);
      expect(await last(sessionOf(plain), 'ev__get-tiny-image')).toMatchObject({ status: 'blocked', error_code: 'denied', downstream_instance_id: null });
    } finally {
      await t.api('DELETE', `/routes/${rule.id}`);
    }
  });
});

describe('model: what the client declares', () => {
  it('X-MCPlexer-Model fills the record and the session list; _meta["mcplexer/model"] overrides it for one call', async () => {
    const declared = await client({ headers: { 'X-MCPlexer-Model': 'claude-test-4' }, name: 'model-it' });
    await declared.callTool({ name: 'ev__echo', arguments: { message: 'model from header' } });
    expect(await last(sessionOf(declared), 'ev__echo')).toMatchObject({ status: 'success', model: 'claude-test-4' });
    await declared.callTool({ name: 'ev__echo', arguments: { message: 'model from meta' }, _meta: { 'mcplexer/model': 'gpt-test-5' } });
    expect(await last(sessionOf(declared), 'ev__echo')).toMatchObject({ status: 'success', model: 'gpt-test-5' });
    // The override is for that call only.
    await declared.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 1 } });
    expect(await last(sessionOf(declared), 'ev__get-sum')).toMatchObject({ model: 'claude-test-4' });
    expect((await sessionEntries()).find((s) => s.id === sessionOf(declared))).toMatchObject({ client_type: 'model-it', model_hint: 'claude-test-4' });

    // A client that declares nothing: null, since MCP carries no model.
    const silent = await client({ name: 'silent-it' });
    await silent.callTool({ name: 'ev__echo', arguments: { message: 'no model' } });
    expect(await last(sessionOf(silent), 'ev__echo')).toMatchObject({ status: 'success', model: null });
    await silent.callTool({ name: 'ev__echo', arguments: { message: 'model only in meta' }, _meta: { 'mcplexer/model': 'meta-only-1' } });
    expect(await last(sessionOf(silent), 'ev__echo')).toMatchObject({ model: 'meta-only-1' });
    expect((await sessionEntries()).find((s) => s.id === sessionOf(silent))).toMatchObject({ client_pid: null, model_hint: null });
  });

  it('a bad _meta["mcplexer/model"] is refused naming it, and recorded as invalid_params', async () => {
    const c = await client();
    for (const [bad, reason] of [
      [42, /must be a string/],
      ['x'.repeat(201), /at most 200 characters/],
      ['line\nbreak', /control characters/],
    ] as const) {
      const error = await rejection(c.callTool({ name: 'ev__echo', arguments: { message: 'bad model' }, _meta: { 'mcplexer/model': bad } }));
      expect(error.message).toMatch(/_meta\["mcplexer\/model"\]/);
      expect(error.message).toMatch(reason);
      expect(await last(sessionOf(c), 'ev__echo')).toMatchObject({ status: 'error', error_code: 'invalid_params', model: null });
    }
  });

  it('a bad X-MCPlexer-Model or X-MCPlexer-Client-Pid is a 400 naming the header', async () => {
    for (const [headers, named] of [
      [{ 'X-MCPlexer-Model': ' ' }, /X-MCPlexer-Model must not be empty/],
      [{ 'X-MCPlexer-Model': 'm'.repeat(300) }, /X-MCPlexer-Model must be at most 200 characters/],
      [{ 'X-MCPlexer-Client-Pid': 'abc' }, /X-MCPlexer-Client-Pid must be the client's process id/],
      [{ 'X-MCPlexer-Client-Pid': '0' }, /X-MCPlexer-Client-Pid must be the client's process id/],
      [{ 'X-MCPlexer-Client-Pid': '-5' }, /X-MCPlexer-Client-Pid must be the client's process id/],
    ] as const) {
      const res = await initialize(headers);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(named);
    }
    // A good pid header from any HTTP client is taken as it is.
    const res = await initialize({ 'X-MCPlexer-Client-Pid': '4242', 'X-MCPlexer-Model': 'raw-model' });
    expect(res.status).toBe(200);
    // (Its client_type comes with notifications/initialized, which this raw client never sends.)
    expect(await sessionEntries()).toContainEqual(expect.objectContaining({ client_pid: 4242, model_hint: 'raw-model' }));
  });
});

describe('client_pid: the stdio bridge names its client process', () => {
  it('the bridge sends its parent pid (the process that spawned it) and MCPLEXER_MODEL', async () => {
    const bridge = await connectBridge(t.home, { env: { MCPLEXER_MODEL: 'bridge-model-1' } });
    bridges.push(bridge);
    await bridge.client.callTool({ name: 'ev__echo', arguments: { message: 'through the bridge' } });
    const entry = await waitFor(async () => (await sessionEntries()).find((s) => s.client_type === 'bridge-it'));
    // This test process spawned `mcplexer connect`: its pid is the client's.
    expect(entry).toMatchObject({ client_pid: process.pid, model_hint: 'bridge-model-1' });
    expect(await last(entry!.id, 'ev__echo')).toMatchObject({ status: 'success', model: 'bridge-model-1', client_type: 'bridge-it' });
    expect((await last(entry!.id, 'ev__echo')).downstream_instance_id).toEqual(expect.any(String));

    // A bad MCPLEXER_MODEL is left out (reported), so the bridge still works.
    const other = await connectBridge(t.home, { env: { MCPLEXER_MODEL: 'x'.repeat(500) }, client: undefined });
    bridges.push(other);
    await other.client.callTool({ name: 'ev__echo', arguments: { message: 'bad env model' } });
    const entries = (await sessionEntries()).filter((s) => s.client_type === 'bridge-it');
    expect(entries).toHaveLength(2);
    const second = entries.find((s) => s.id !== entry!.id)!;
    expect(second).toMatchObject({ client_pid: process.pid, model_hint: null });
    expect(other.stderr()).toMatch(/MCPLEXER_MODEL is ignored: X-MCPlexer-Model must be at most 200 characters/);
  }, 30_000);
});
