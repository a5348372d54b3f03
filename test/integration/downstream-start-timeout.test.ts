// A server that never answers `initialize` goes `failed` after ONE timeout, the setting
// `start_timeout_sec` (default 15 s): the error names the timeout and the setting, and a tools/list
// that waited for the server's first discovery answers when (not before) the server is failed.
// (Before: tools/list gave up after 15 s while health said `starting` until 30 s.)
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, rawBody } from '../helpers/mcp.js';

let t: TestGateway;
let client: Client;
beforeAll(async () => {
  t = await startTestGateway();
  expect((await t.api('GET', '/settings')).body.settings.start_timeout_sec).toBe(15);
  expect((await t.api('PUT', '/settings', { start_timeout_sec: 2 })).status).toBe(200);
  client = await connectHttp(t);
});
afterAll(async () => {
  await client?.close();
  await t?.close();
});

describe('a server that never answers initialize', () => {
  it.each([
    ['a process that never reads stdin', { name: 'Mute', command: process.execPath, args: ['-e', 'setInterval(()=>{},1000)'], namespace: 'mute' }],
    ['a server that reads but never answers initialize', rawBody('noinit', ['--no-init'], { name: 'No Init' })],
  ])('%s: tools/list answers without it once it is failed, after start_timeout_sec, and health says why', async (_name, body) => {
    const server = await addServer(t, body);
    const began = Date.now();
    const { tools } = await client.listTools();
    const waited = Date.now() - began;
    expect(tools.some((tool) => tool.name.startsWith(`${server.namespace}__`))).toBe(false);
    expect(waited).toBeGreaterThanOrEqual(1_900);
    expect(waited).toBeLessThan(7_000);
    const health = (await t.api('GET', `/downstreams/${server.id}/health`)).body;
    expect(health.state).toBe('failed');
    expect(health.last_error).toContain(server.name);
    expect(health.last_error).toMatch(/did not respond within the timeout period \(2 s, setting start_timeout_sec\)/);
    await t.api('DELETE', `/downstreams/${server.id}`);
  });
});
