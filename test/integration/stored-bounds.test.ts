import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { connectHttp } from '../helpers/mcp.js';

/**
 * Issue 14, fault 1: nested JSON that bricked every config write. A stored value nests at most
 * 64 levels (STORED_VALUE_LIMITS in config/bounds.ts): a REST body beyond it is a 400 naming the
 * field and the limit, a discovered item beyond it is dropped and named in the server's health,
 * a config.json beyond it is repaired at start, and in every case the next ordinary write works.
 */
const OVERSIZED = fileURLToPath(new URL('../fixtures/oversized-lists-server.mjs', import.meta.url));

let t: TestGateway | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** `{"a":{"a":…1…}}` nested `depth` levels, as JSON text (JSON.stringify overflows on deep values). */
const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const nestedArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

async function ordinaryWritesWork(gateway: TestGateway): Promise<void> {
  const created = await gateway.api('POST', '/workspaces', { name: `ok-${Date.now()}-${Math.random()}`, root_path: `/srv/ok-${Math.random()}` });
  expect(created.status).toBe(201);
  expect((await gateway.api('PUT', `/workspaces/${created.body.id}`, { tags: { team: 'a' } })).status).toBe(200);
  expect((await gateway.api('DELETE', `/workspaces/${created.body.id}`)).status).toBe(204);
  expect((await gateway.api('PUT', '/settings', { tools_cache_ttl_sec: 20 })).status).toBe(200);
}

describe('REST bodies beyond the stored-value bounds', () => {
  it('refuses workspace tags nested 3,000 and 100,000 levels with a 400 naming the field and the limit; later writes succeed', async () => {
    t = await startTestGateway();
    for (const depth of [3_000, 100_000]) {
      const body = `{"name":"deep-${depth}","root_path":"/srv/deep-${depth}","tags":${nestedObject(depth)}}`;
      const res = await t.api('POST', '/workspaces', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details[0].path).toMatch(/^tags(\.a)+$/);
      expect(res.body.error.details[0].message).toContain('deeper than 64 levels');
    }
    await ordinaryWritesWork(t);
  });

  it('refuses the same kind on every stored resource: downstreams, routes, bulk routes, auth scopes, settings', async () => {
    t = await startTestGateway();
    const deep = nestedObject(5_000);
    const cases: Array<[string, string, string, RegExp]> = [
      ['POST', '/downstreams', `{"name":"d","namespace":"d","command":"node","env":${deep}}`, /^env(\.a)+$/],
      [
        'POST',
        '/downstreams',
        `{"name":"d","namespace":"d","command":"node","cache_config":{"cacheable_patterns":${nestedArray(200)}}}`,
        /^cache_config\.cacheable_patterns(\.0)+$/,
      ],
      ['POST', '/routes', `{"workspace_id":"global","tool_pattern":${nestedArray(1_000)}}`, /^tool_pattern(\.0)+$/],
      ['POST', '/routes/bulk', `{"rules":[{"workspace_id":"global","description":${deep}}]}`, /^rules\.0\.description(\.a)+$/],
      ['POST', '/auth-scopes', `{"name":"s","env_vars":${deep}}`, /^env_vars(\.a)+$/],
      ['PUT', '/auth-scopes/x/secrets', `{"key":"K","value":${deep}}`, /^value(\.a)+$/],
      ['PUT', '/settings', `{"tool_description_overrides":{"t":${deep}}}`, /^tool_description_overrides\.t(\.a)+$/],
      ['POST', '/dry-run', `{"workspace_id":"global","tool_name":"x","subpath":${deep}}`, /^subpath(\.a)+$/],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await t.api(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.error.details[0].path, `${method} ${path}`).toMatch(field);
      expect(res.body.error.message).toContain('64 levels');
    }
    await ordinaryWritesWork(t);
  });

  it('accepts tags within the bounds and keeps them across a restart, with later writes working', async () => {
    t = await startTestGateway();
    const res = await t.api('POST', '/workspaces', `{"name":"within","root_path":"/srv/within","tags":${nestedObject(60)}}`);
    expect(res.status).toBe(201);
    const home = t.home;
    await t.stop();
    t = await startTestGateway({ home });
    expect((await t.api('GET', `/workspaces/${res.body.id}`)).body.tags).toEqual(JSON.parse(nestedObject(60)));
    await ordinaryWritesWork(t);
  });
});

describe('a config.json that already holds values beyond the bounds', () => {
  it('is repaired at start (deep tags reset, deep discovered tool dropped, original kept) and writes succeed', async () => {
    t = await startTestGateway();
    await t.api('POST', '/workspaces', { id: 'ws', name: 'ws', root_path: '/srv/ws' });
    await t.api('POST', '/downstreams', { id: 'srv', name: 'srv', namespace: 'srv', command: 'node' });
    const home = t.home;
    await t.stop();
    // What an older gateway (or a hand edit) left: tags 3,000 levels deep, a tool 100,000 deep.
    const config = t.readConfig() as any;
    config.workspaces.find((w: { id: string }) => w.id === 'ws').tags = 'DEEP_TAGS';
    config.downstreams.find((s: { id: string }) => s.id === 'srv').tools = [{ name: 'ok', inputSchema: { type: 'object' } }, 'DEEP_TOOL'];
    const text = JSON.stringify(config)
      .replace('"DEEP_TAGS"', nestedObject(3_000))
      .replace('"DEEP_TOOL"', `{"name":"deep","inputSchema":${nestedObject(100_000)}}`);
    writeFileSync(t.configPath, text);
    t = await startTestGateway({ home });
    const health = await t.api('GET', '/health');
    expect(health.body.status).toBe('degraded');
    expect(health.body.config_error).toMatch(/workspaces\.\d+\.tags .*reset to \{\}/);
    expect(health.body.config_error).toMatch(/downstreams\.\d+\.tools: dropped "deep": .*deeper than 64 levels/);
    expect(readdirSync(home).some((name) => name.startsWith('config.json.') && name.endsWith('.bak'))).toBe(true);
    expect((await t.api('GET', '/workspaces/ws')).body.tags).toEqual({});
    expect((await t.api('GET', '/downstreams/srv')).body.tools.map((tool: { name: string }) => tool.name)).toEqual(['ok']);
    await ordinaryWritesWork(t);
  });

  it('refuses a hand edit beyond the bounds while running (config_error, last good config kept), and writes still succeed', async () => {
    t = await startTestGateway();
    await t.api('POST', '/workspaces', { id: 'ws', name: 'ws', root_path: '/srv/ws', tags: { mark: 1 } });
    writeFileSync(t.configPath, t.configText().replace('"mark": 1', `"x": ${nestedArray(3_000)}`));
    const health = await waitFor(async () => {
      const res = await t!.api('GET', '/health');
      return res.body.config_error ? res : undefined;
    });
    expect(health!.body.config_error).toMatch(/^workspaces\.\d+\.tags\.x(\.0)+: nests deeper than 64 levels/);
    await ordinaryWritesWork(t);
    expect(t.readConfig().workspaces.find((w) => w.id === 'ws')!.tags).toEqual({ mark: 1 });
  });
});

describe('discovered lists beyond the stored-value bounds', () => {
  const register = (gateway: TestGateway, flags: string[]) =>
    gateway.api('POST', '/downstreams', { id: 'big', name: 'big', namespace: 'big', command: process.execPath, args: [OVERSIZED, ...flags] });

  it('drops a tool whose inputSchema nests 3,000 levels, says so in health, and later writes succeed', async () => {
    t = await startTestGateway();
    expect((await register(t, ['--deep-tool=3000'])).status).toBe(201);
    const discovered = await t.api('POST', '/downstreams/big/discover');
    expect(discovered.status).toBe(200);
    expect(discovered.body.tools.map((tool: { name: string }) => tool.name)).toEqual(['echo']);
    const health = await t.api('GET', '/downstreams/big/health');
    expect(health.body.discovery_dropped).toEqual([
      { list: 'tools', name: 'deep', reason: expect.stringMatching(/^inputSchema(\.properties(\.x)?)+: nests deeper than 64 levels/) },
    ]);
    const all = await t.api('GET', '/health');
    expect(all.body.downstreams.find((d: { server_id: string }) => d.server_id === 'big').discovery_dropped[0].name).toBe('deep');
    await ordinaryWritesWork(t);
  });

  it('drops, with their reasons, a tool over the byte limit, a "__proto__" key, a deep prompt and a deep resource', async () => {
    t = await startTestGateway();
    await register(t, ['--big-tool=300000', '--proto-tool', '--deep-prompt=500', '--deep-resource=100']);
    const discovered = await t.api('POST', '/downstreams/big/discover');
    expect(discovered.status).toBe(200);
    expect(discovered.body.tools.map((tool: { name: string }) => tool.name)).toEqual(['echo']);
    expect(discovered.body.prompts.map((prompt: { name: string }) => prompt.name)).toEqual(['hello']);
    expect(discovered.body.resources.map((resource: { uri: string }) => resource.uri)).toEqual(['plain://r']);
    const dropped = (await t.api('GET', '/downstreams/big/health')).body.discovery_dropped;
    expect(dropped).toEqual([
      { list: 'tools', name: 'big', reason: expect.stringMatching(/over the 262144-byte limit/) },
      { list: 'tools', name: 'proto', reason: expect.stringMatching(/"__proto__" cannot be stored/) },
      { list: 'resources', name: 'deep://r', reason: expect.stringMatching(/deeper than 64 levels/) },
      { list: 'prompts', name: 'deep_prompt', reason: expect.stringMatching(/deeper than 64 levels/) },
    ]);
    await ordinaryWritesWork(t);
  });

  it('does the same when discovery is started by an MCP tools/list, without any REST call', async () => {
    t = await startTestGateway();
    await register(t, ['--deep-tool=3000']);
    const client = await connectHttp(t);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('big__echo');
      expect(tools.map((tool) => tool.name)).not.toContain('big__deep');
    } finally {
      await client.close();
    }
    expect((await t.api('GET', '/downstreams/big/health')).body.discovery_dropped[0].name).toBe('deep');
    await ordinaryWritesWork(t);
  });
});
