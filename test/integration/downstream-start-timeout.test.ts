// A server that never answers `initialize` goes `failed` after ONE timeout, the setting
// `start_timeout_sec` (default 15 s): the error names the timeout and the setting. A tools/list
// does not wait for that: it answers after `tools_list_wait_ms` without the server (issue 15,
// fault 3; mcp-first-list.test.ts), and health says `failed` once the start timeout passed.
// (Before: tools/list gave up after 15 s while health said `starting` until 30 s.)
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, rawBody } from '../helpers/mcp.js';

let t: TestGateway;
let client: Client;
beforeAll(async () => {
  t = await startTestGateway();
  expect((await t.api('GET', '/settings')).body.settings.start_timeout_sec).toBe(15);
  expect((await t.api('PUT', '/settings', { start_timeout_sec: 2, tools_list_wait_ms: 500 })).status).toBe(200);
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
  ])('%s: tools/list answers without it after tools_list_wait_ms; after start_timeout_sec it is failed and health says why', async (_name, body) => {
    const server = await addServer(t, body);
    const began = Date.now();
    const { tools } = await client.listTools();
    const waited = Date.now() - began;
    expect(tools.some((tool) => tool.name.startsWith(`${server.namespace}__`))).toBe(false);
    expect(waited).toBeGreaterThanOrEqual(450);
    expect(waited).toBeLessThan(1_900);
    const failedAfter = await waitFor(
      async () => (await t.api('GET', `/downstreams/${server.id}/health`)).body.state === 'failed' && Date.now() - began,
      10_000,
      100,
    );
    expect(failedAfter).toBeGreaterThanOrEqual(1_900);
    expect(failedAfter).toBeLessThan(7_000);
    const health = (await t.api('GET', `/downstreams/${server.id}/health`)).body;
    expect(health.last_error).toContain(server.name);
    expect(health.last_error).toMatch(/did not respond within the timeout period \(2 s, setting start_timeout_sec\)/);
    await t.api('DELETE', `/downstreams/${server.id}`);
  });
});
