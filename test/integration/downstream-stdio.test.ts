// The pool against the real server-everything over stdio.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DownstreamPool, type PoolEvents, type ProgressUpdate } from '../../src/gateway/downstream/index.js';
import { everythingStdio, makeServer, waitFor } from '../fixtures/downstream-servers.js';

const notifications: PoolEvents['notification'][0][] = [];
const pool = new DownstreamPool({
  env: { ...process.env, GREETING: 'hello', MCPLEXER_API_TOKEN: 'must-not-leak' },
  resolveScope: (scopeId) => ({ env: { API_TOKEN: `token-of-${scopeId}` }, headers: {} }),
});
pool.on('notification', (event) => notifications.push(event));
const server = everythingStdio({ env: { FROM_SERVER: '${GREETING} world' } });
afterAll(() => pool.stopAll({ drainMs: 0 }));

const text = (result: Record<string, unknown>) => (result.content as { text: string }[])[0]!.text;

describe('pool over stdio (server-everything)', () => {
  it('round-trips tools/call echo', async () => {
    const result = await pool.callTool(server, null, { name: 'echo', arguments: { message: 'hi there' } }, { timeoutMs: 10_000 });
    expect(result).toEqual({ content: [{ type: 'text', text: 'Echo: hi there' }] });
    expect(pool.serverHealth(server)).toMatchObject({ server_id: server.id, state: 'ready', consecutive_failures: 0 });
  });

  it('discovers every list the server declares', async () => {
    const found = await pool.discover(server, null);
    expect(found.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'trigger-long-running-operation', 'trigger-sampling-request']));
    expect(found.resources.length).toBeGreaterThan(0);
    expect(found.resource_templates.length).toBeGreaterThan(0);
    expect(found.prompts.length).toBeGreaterThan(0);
  });

  it('relays every progress notification before the result', async () => {
    const events: (ProgressUpdate | 'result')[] = [];
    const result = await pool.callTool(
      server,
      null,
      { name: 'trigger-long-running-operation', arguments: { duration: 0.5, steps: 5 } },
      { timeoutMs: 10_000, onProgress: (progress) => events.push(progress) },
    );
    events.push('result');
    expect(text(result)).toMatch(/Long running operation completed/);
    expect(events).toEqual([1, 2, 3, 4, 5].map((progress) => ({ progress, total: 5 })).concat('result' as never));
  });

  it('routes a sampling request to the call in flight and relays the answer', async () => {
    const seen: string[] = [];
    const result = await pool.callTool(
      server,
      null,
      { name: 'trigger-sampling-request', arguments: { prompt: 'say hi', maxTokens: 5 } },
      {
        timeoutMs: 10_000,
        owner: 'session-1',
        clientCapabilities: 'sampling',
        onServerRequest: async (request) => {
          seen.push(request.method);
          return { model: 'test-model', role: 'assistant', content: { type: 'text', text: 'hi from the client' } };
        },
      },
    );
    expect(seen).toEqual(['sampling/createMessage']);
    expect(text(result)).toContain('hi from the client');
  });

  it('answers roots/list itself when no call is in flight, and emits the logging that follows as a pool event', async () => {
    await waitFor(() => notifications.some((event) => String(JSON.stringify(event.notification.params)).includes('Roots updated: 0 root(s)')), 5000);
    expect(notifications.find((event) => event.notification.method === 'notifications/message')).toMatchObject({ server_id: server.id, scope_id: null });
  });

  it('passes generic requests through (resources/read, prompts/get)', async () => {
    const { resources } = await pool.discover(server, null);
    const read = await pool.request(server, null, 'resources/read', { uri: resources[0]!.uri }, { timeoutMs: 10_000 });
    expect(Array.isArray(read.contents)).toBe(true);
    const prompt = await pool.request(server, null, 'prompts/get', { name: 'simple-prompt' }, { timeoutMs: 10_000 });
    expect(Array.isArray(prompt.messages)).toBe(true);
  });

  it('builds the child env: server env expanded, scope values injected, PATH extended, gateway secrets withheld', async () => {
    const result = await pool.callTool(server, 'scope-a', { name: 'get-env', arguments: {} }, { timeoutMs: 10_000 });
    const env = JSON.parse(text(result)) as Record<string, string>;
    expect(env.FROM_SERVER).toBe('hello world');
    expect(env.API_TOKEN).toBe('token-of-scope-a');
    expect(env.PATH!.split(':')).toEqual(expect.arrayContaining(['/usr/local/bin', '/snap/bin']));
    expect(env.MCPLEXER_API_TOKEN).toBeUndefined();
    // A second scope is a second process (as is each client capability set).
    const health = pool.serverHealth(server);
    expect([...new Set(health.instances.map((instance) => instance.scope_id))].sort()).toEqual([null, 'scope-a'].sort());
    expect(new Set(health.instances.map((instance) => instance.pid)).size).toBe(health.instances.length);
  });

  it('fails a disabled server without starting it', async () => {
    const disabled = everythingStdio({ enabled: false, name: 'off' });
    await expect(pool.callTool(disabled, null, { name: 'echo' }, { timeoutMs: 1000 })).rejects.toMatchObject({
      code: 'server_disabled',
      message: 'downstream server "off" is disabled',
    });
    expect(pool.serverHealth(disabled).state).toBe('disabled');
  });

  it('reads only the lists the server declared (server-memory has no prompts)', async () => {
    const memory = makeServer({
      name: 'memory',
      command: process.execPath,
      args: [fileURLToPath(new URL('../../node_modules/@modelcontextprotocol/server-memory/dist/index.js', import.meta.url))],
      env: { MEMORY_FILE_PATH: join(mkdtempSync(join(tmpdir(), 'mcplexer-memory-')), 'memory.jsonl') },
    });
    const found = await pool.discover(memory, null);
    expect(found.tools.map((tool) => tool.name)).toContain('create_entities');
    expect(found.resources.map((resource) => resource.uri)).toEqual(['memory://knowledge-graph']);
    expect(found.prompts).toEqual([]);
  });
});
