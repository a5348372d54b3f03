// ORIGINAL.md "tools/list, tools/call, namespacing" and the Decisions rows on slim_tools and
// tools/list, written from the original's behaviour alone (with ours where ORIGINAL.md says so): schema minification,
// description overrides, stringified JSON arguments, expose_unprefixed and its clash check, a
// failing downstream skipped with its reason in health, and the cold start from stored tools.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addSpecServer, connectClient, reached, scratchDir, specServerBody, writeSpec, type McpClient } from '../helpers/original-harness.js';

const RICH_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  title: 'Rich',
  description: 'top',
  additionalProperties: false,
  examples: [{}],
  default: {},
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      description: 'the name',
      title: 'Name',
      default: 'x',
      examples: ['a'],
      format: 'email',
      minLength: 1,
      maxLength: 10,
      pattern: '^a',
    },
    count: { type: 'integer', minimum: 0, maximum: 5, description: 'n', deprecated: true },
    mode: { enum: ['a', 'b'], description: 'm' },
    fixed: { const: 1, title: 'F' },
    tags: { type: 'array', description: 't', items: { type: 'string', description: 'tag', enum: ['x'] } },
    nested: { type: 'object', description: 'n', properties: { inner: { type: 'string', description: 'i', title: 'I' } }, required: ['inner'] },
    either: { anyOf: [{ type: 'string' }, { type: 'number' }], description: 'e' },
  },
};
const RICH = {
  name: 'rich',
  description: 'A rich tool',
  title: 'Rich tool',
  annotations: { readOnlyHint: true },
  outputSchema: { type: 'object' },
  inputSchema: RICH_SCHEMA,
};

const TAKE = {
  name: 'take',
  inputSchema: {
    type: 'object',
    properties: { obj: { type: 'object' }, arr: { type: 'array' }, text: { type: 'string' }, any: {}, bad: { type: 'object' }, num: { type: 'number' } },
  },
};

let t: TestGateway;
const specDir = scratchDir();
const opened: McpClient[] = [];
const open = async (name?: string) => {
  const client = await connectClient(t, { dir: '/orig/tools', name });
  opened.push(client);
  return client;
};
const listed = async (client: McpClient, name: string) =>
  (await client.client.listTools()).tools.find((tool) => tool.name === name) as Record<string, any> | undefined;

beforeAll(async () => {
  t = await startTestGateway();
  await addSpecServer(t, specDir, 'fx', [RICH, 'echo', TAKE]);
});
afterAll(async () => {
  for (const client of opened) await client.close().catch(() => undefined);
  await t?.close();
});

describe('slim_tools and tool_description_overrides', () => {
  it('slim_tools (default true) drops annotations only: every constraint, $schema and format stay (ours; the original dropped constraints)', async () => {
    const tool = await listed(await open(), 'fx__rich');
    expect(tool?.description).toBe('A rich tool');
    expect(tool!.inputSchema).toEqual({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', format: 'email', minLength: 1, maxLength: 10, pattern: '^a' },
        count: { type: 'integer', minimum: 0, maximum: 5, deprecated: true },
        mode: { enum: ['a', 'b'] },
        fixed: { const: 1 },
        tags: { type: 'array', items: { type: 'string', enum: ['x'] } },
        nested: { type: 'object', properties: { inner: { type: 'string' } }, required: ['inner'] },
        either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      },
    });
  });

  it('slim_tools: false lists the schema exactly as discovered; other tool fields always pass through', async () => {
    const client = await open();
    expect((await t.api('PUT', '/settings', { slim_tools: false })).status).toBe(200);
    const tool = await listed(client, 'fx__rich');
    expect(tool).toMatchObject({ title: 'Rich tool', annotations: { readOnlyHint: true }, outputSchema: { type: 'object' } });
    expect(tool!.inputSchema).toEqual(RICH_SCHEMA);
    await t.api('PUT', '/settings', { slim_tools: true });
    expect(Object.keys((await listed(client, 'fx__rich'))!.inputSchema)).not.toContain('title');
  });

  it('tool_description_overrides maps a full tool name to its description', async () => {
    const client = await open();
    await t.api('PUT', '/settings', { tool_description_overrides: { fx__rich: 'Overridden', rich: 'not a full name' } });
    const tool = await listed(client, 'fx__rich');
    expect(tool).toMatchObject({ description: 'Overridden', title: 'Rich tool', annotations: { readOnlyHint: true } });
    expect((await listed(client, 'fx__echo'))?.description).toBeUndefined();
    await t.api('PUT', '/settings', { tool_description_overrides: {} });
    expect((await listed(client, 'fx__rich'))?.description).toBe('A rich tool');
  });
});

describe('tools/call arguments', () => {
  it('parses a top-level string holding JSON only where the schema types that property object or array, not string (ours)', async () => {
    const client = await open();
    const args = { obj: '{"a":1,"b":[2]}', arr: ' [1,"x"]', text: '{"kept":"as text"}', any: '[1]', num: '42', bad: '{oops', nested: { inner: '{"no":1}' } };
    expect(reached(await client.client.callTool({ name: 'fx__take', arguments: args })).args).toEqual({
      obj: { a: 1, b: [2] },
      arr: [1, 'x'],
      text: '{"kept":"as text"}',
      any: '[1]',
      num: '42',
      bad: '{oops',
      nested: { inner: '{"no":1}' },
    });
    // A tool whose schema names no such property gets every string as sent (the original parsed them).
    expect(reached(await client.client.callTool({ name: 'fx__echo', arguments: args })).args).toEqual(args);
  });
});

describe('expose_unprefixed', () => {
  it("passes that server's names through unchanged while the others stay namespaced", async () => {
    await addSpecServer(t, specDir, 'main', ['read_file'], { expose_unprefixed: true });
    const client = await open();
    const names = await client.toolNames();
    expect(names).toEqual(expect.arrayContaining(['read_file', 'fx__rich', 'fx__echo']));
    expect(names).not.toContain('main__read_file');
    expect(reached(await client.client.callTool({ name: 'read_file', arguments: { path: 'x' } }))).toMatchObject({ server: 'main', tool: 'read_file' });
  });

  it('refuses a clash at discovery with an error naming both servers', async () => {
    const created = await t.api('POST', '/downstreams', specServerBody(specDir, 'dup', ['read_file'], { expose_unprefixed: true }));
    const res = await t.api('POST', `/downstreams/${created.body.id}/discover`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('"dup"');
    expect(res.body.error.message).toContain('"main"');
    expect(res.body.error.message).toContain('read_file');
    const client = await open();
    expect((await client.toolNames()).filter((name) => name === 'read_file')).toHaveLength(1);
    expect(reached(await client.client.callTool({ name: 'read_file', arguments: {} })).server).toBe('main');
    await t.api('DELETE', `/downstreams/${created.body.id}`);
  });
});

describe("a failing downstream, and health's one state vocabulary", () => {
  const STATES = ['ready', 'busy', 'idle', 'starting', 'stopping', 'stopped', 'disabled', 'failed'];

  it('is skipped in tools/list (the others are listed) and health says why', async () => {
    const broken = await t.api('POST', '/downstreams', { name: 'broken', namespace: 'broken', command: '/nonexistent/mcp-server' });
    const client = await open();
    const names = await client.toolNames();
    expect(names).toEqual(expect.arrayContaining(['fx__rich', 'fx__echo', 'read_file']));
    expect(names.some((name) => name.startsWith('broken__'))).toBe(false);
    const health = (await t.api('GET', '/health')).body;
    const entry = health.downstreams.find((d: { server_id: string }) => d.server_id === broken.body.id);
    expect(entry).toMatchObject({ state: 'failed', name: 'broken' });
    expect(entry.last_error).toContain('failed to start');
    expect(entry.last_error).toContain('/nonexistent/mcp-server');
    await t.api('DELETE', `/downstreams/${broken.body.id}`);
  });

  it('health answers status, version, uptime_seconds, mode (all a token-less probe gets) and, with the token, per-server state from one vocabulary (running is "ready")', async () => {
    await t.api('POST', '/downstreams', { name: 'off', namespace: 'off', command: 'x', disabled: true });
    await t.api('POST', '/downstreams', specServerBody(specDir, 'idle-one', []));
    const probe = await t.api('GET', '/health', undefined, { authorization: null });
    expect(probe.status).toBe(200);
    expect(Object.keys(probe.body).sort()).toEqual(['mode', 'status', 'uptime_seconds', 'version']);
    const res = await t.api('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', mode: expect.any(String), version: expect.any(String), uptime_seconds: expect.any(Number) });
    const states = Object.fromEntries(res.body.downstreams.map((d: { name: string; state: string }) => [d.name, d.state]));
    expect(states).toMatchObject({ fx: 'ready', main: 'ready', off: 'disabled', 'idle-one': 'stopped' });
    for (const state of Object.values(states)) expect(STATES).toContain(state);
  });
});

describe('cold start', () => {
  it('answers tools/list at once from the stored tools, then a background refresh sends tools/list_changed', async () => {
    const home = scratchDir();
    const spec = path.join(specDir, 'cold.json');
    const first = await startTestGateway({ home });
    try {
      await addSpecServer(first, specDir, 'cold', ['one']);
    } finally {
      await first.stop();
    }
    writeSpec(spec, ['one', 'two']); // the downstream changed while the gateway was down
    const second = await startTestGateway({ home });
    let client: McpClient | undefined;
    try {
      client = await connectClient(second, { dir: '/orig/cold' });
      const always = ['mcpx__flush_cache', 'mcpx__list_pending_approvals', 'mcpx__approve_tool_call', 'mcpx__deny_tool_call'];
      expect(await client.toolNames()).toEqual(['cold__one', ...always]);
      // Sent only because this session's list changed (a refresh finding the same tools sends nothing).
      await client.nextToolsChange(0);
      expect(await client.toolNames()).toEqual(['cold__one', 'cold__two', ...always]);
      expect(client.toolsChanged()).toBe(1);
    } finally {
      await client?.close();
      await second.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
