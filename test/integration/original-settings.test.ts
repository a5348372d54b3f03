// ORIGINAL.md "Settings", written from the original's behaviour alone: the GET body
// {settings, builtin_tool_defaults, sources}, PUT merging (the original's whole-object PUT is a
// known flaw not copied), precedence defaults < stored < env, and its boolean parsing; checked on
// the real gateway, including the settings' effect on a real tools/list and tools/call.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorPaths, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addSpecServer, connectClient, rpcError, scratchDir } from '../helpers/original-harness.js';

const ORIGINAL_DEFAULTS = { slim_tools: true, tools_cache_ttl_sec: 15, log_level: 'info', codex_dynamic_tool_compat: true, tool_description_overrides: {} };
const OUR_DEFAULTS = {
  call_timeout_sec: 120,
  default_policy: 'allow',
  approval_timeout_sec: 300,
  approval_require_justification: false,
  approval_via_client: true,
  session_idle_timeout_sec: 1800,
  max_sessions: 1000,
  max_sse_streams: 1000,
  start_timeout_sec: 15,
  max_message_bytes: 33554432,
  tools_list_wait_ms: 2000,
  roots_wait_ms: 2000,
  audit_retention_days: 30,
  audit_max_mb: 500,
  redaction_words: [],
};

let t: TestGateway;
const home = scratchDir();
beforeAll(async () => {
  t = await startTestGateway({ home });
});
afterAll(async () => {
  await t?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('GET and PUT /settings', () => {
  it('GET answers {settings, builtin_tool_defaults, sources} with the defaults, every source "default"', async () => {
    const res = await t.api('GET', '/settings');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['builtin_tool_defaults', 'settings', 'sources']);
    expect(res.body.settings).toEqual({ ...ORIGINAL_DEFAULTS, ...OUR_DEFAULTS });
    expect(Object.values(res.body.sources).every((source) => source === 'default')).toBe(true);
    expect(Object.keys(res.body.sources).sort()).toEqual(Object.keys(res.body.settings).sort());
    for (const name of ['mcpx__search_tools', 'mcpx__load_tools', 'mcpx__unload_tools']) expect(typeof res.body.builtin_tool_defaults[name]).toBe('string');
  });

  it('PUT {"slim_tools": false} alone merges (the original failed on the fields it left out), answers like GET, and persists', async () => {
    const res = await t.api('PUT', '/settings', { slim_tools: false });
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual({ ...ORIGINAL_DEFAULTS, ...OUR_DEFAULTS, slim_tools: false });
    expect(res.body.sources).toMatchObject({ slim_tools: 'stored', log_level: 'default' });
    expect((await t.api('GET', '/settings')).body).toEqual(res.body);
    const second = await t.api('PUT', '/settings', { tools_cache_ttl_sec: 0, tool_description_overrides: { fx__a: 'A' } });
    expect(second.body.settings).toMatchObject({ slim_tools: false, tools_cache_ttl_sec: 0, tool_description_overrides: { fx__a: 'A' }, log_level: 'info' });
    await t.stop();
    t = await startTestGateway({ home });
    expect((await t.api('GET', '/settings')).body).toEqual(second.body);
  });

  it.each([
    ['tools_cache_ttl_sec', 301],
    ['log_level', 'verbose'],
    ['default_policy', 'approve'],
    ['slim_tools', 'false'],
    ['tools_list_wait_ms', -1],
    ['roots_wait_ms', 1.5],
    ['audit_retention_days', 0],
    ['audit_max_mb', 'big'],
  ])('PUT {%s: %j} is a 400 naming the field and changes nothing', async (key, value) => {
    const before = (await t.api('GET', '/settings')).body;
    const res = await t.api('PUT', '/settings', { [key]: value });
    expect(res.status).toBe(400);
    expect(errorPaths(res.body)).toContain(key);
    expect((await t.api('GET', '/settings')).body).toEqual(before);
  });
});

describe('environment overrides', () => {
  it('env wins over stored and default, and its values act on real calls', async () => {
    const env = {
      MCPLEXER_SLIM_TOOLS: ' OFF ',
      MCPLEXER_LOG_LEVEL: 'WARN',
      MCPLEXER_CODEX_DYNAMIC_TOOL_COMPAT: 'yes',
      MCPLEXER_TOOLS_CACHE_TTL_SEC: '42',
      MCPLEXER_DEFAULT_POLICY: 'deny',
      MCPLEXER_CALL_TIMEOUT_SEC: '',
    };
    const g = await startTestGateway({ env });
    try {
      await g.api('PUT', '/settings', { slim_tools: true, tools_cache_ttl_sec: 5 });
      const { settings, sources } = (await g.api('GET', '/settings')).body;
      expect(settings).toMatchObject({
        slim_tools: false,
        log_level: 'warn',
        codex_dynamic_tool_compat: true,
        tools_cache_ttl_sec: 42,
        default_policy: 'deny',
        call_timeout_sec: 120,
      });
      expect(sources).toMatchObject({
        slim_tools: 'env',
        log_level: 'env',
        codex_dynamic_tool_compat: 'env',
        tools_cache_ttl_sec: 'env',
        default_policy: 'env',
        call_timeout_sec: 'default',
      });

      const schema = { type: 'object', title: 'T', properties: { a: { type: 'string', description: 'kept when not slim' } } };
      await addSpecServer(g, scratchDir(), 'fx', [{ name: 'a', inputSchema: schema }]);
      const client = await connectClient(g, { dir: '/orig/env' });
      try {
        // default_policy deny from the env: global denies fx__a, so nothing of fx is listed or callable
        // (the seeded builtin-allow still lets the always-listed built-ins through: the cache flush and the approval tools).
        expect(await client.toolNames()).toEqual(['mcpx__flush_cache', 'mcpx__list_pending_approvals', 'mcpx__approve_tool_call', 'mcpx__deny_tool_call']);
        expect((await rpcError(client.client.callTool({ name: 'fx__a', arguments: {} }))).code).toBe(-32003);
        await g.api('POST', '/routes', { workspace_id: 'global', tool_pattern: 'fx__*' });
        const tool = (await client.client.listTools()).tools.find((candidate) => candidate.name === 'fx__a');
        expect(tool?.inputSchema).toEqual(schema); // slim_tools off from the env: not minified
      } finally {
        await client.close();
      }
    } finally {
      await g.close();
    }
  });

  it.each([
    ['0', false],
    ['false', false],
    ['No', false],
    [' off ', false],
    ['1', true],
    ['true', true],
    ['yes', true],
    ['on', true],
    ['anything', true],
  ])('MCPLEXER_SLIM_TOOLS=%j means %s (only 0, false, no, off are false)', async (value, expected) => {
    const g = await startTestGateway({ env: { MCPLEXER_SLIM_TOOLS: value } });
    try {
      const body = (await g.api('GET', '/settings')).body;
      expect(body.settings.slim_tools).toBe(expected);
      expect(body.sources.slim_tools).toBe('env');
    } finally {
      await g.close();
    }
  });

  it('an empty variable counts as unset', async () => {
    const g = await startTestGateway({ env: { MCPLEXER_SLIM_TOOLS: '', MCPLEXER_LOG_LEVEL: '' } });
    try {
      const body = (await g.api('GET', '/settings')).body;
      expect(body.settings).toMatchObject({ slim_tools: true, log_level: 'info' });
      expect(body.sources).toMatchObject({ slim_tools: 'default', log_level: 'default' });
    } finally {
      await g.close();
    }
  });
});
