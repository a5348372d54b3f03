import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorPaths, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const DEFAULTS = {
  slim_tools: true,
  tools_cache_ttl_sec: 15,
  log_level: 'info',
  codex_dynamic_tool_compat: true,
  tool_description_overrides: {},
  call_timeout_sec: 120,
  default_policy: 'allow',
};

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.close());

describe('settings over REST', () => {
  it('GET answers {settings, builtin_tool_defaults, sources} with the defaults, all from "default"', async () => {
    const res = await t.api('GET', '/settings');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['builtin_tool_defaults', 'settings', 'sources']);
    expect(res.body.settings).toMatchObject(DEFAULTS);
    expect(typeof res.body.builtin_tool_defaults).toBe('object');
    for (const key of Object.keys(DEFAULTS)) expect(res.body.sources[key], key).toBe('default');
    expect(Object.keys(res.body.sources).sort()).toEqual(Object.keys(res.body.settings).sort());
  });

  it('PUT merges one field, answers like GET, and writes only that field to config.json', async () => {
    const res = await t.api('PUT', '/settings', { tools_cache_ttl_sec: 30 });
    expect(res.status).toBe(200);
    expect(res.body.settings).toMatchObject({ ...DEFAULTS, tools_cache_ttl_sec: 30 });
    expect(res.body.sources.tools_cache_ttl_sec).toBe('stored');
    expect(res.body.sources.slim_tools).toBe('default');
    expect(t.readConfig().settings).toEqual({ tools_cache_ttl_sec: 30 });

    const second = await t.api('PUT', '/settings', { slim_tools: false, tool_description_overrides: { mcpx__search_tools: 'Find tools' } });
    expect(second.body.settings).toMatchObject({
      tools_cache_ttl_sec: 30,
      slim_tools: false,
      tool_description_overrides: { mcpx__search_tools: 'Find tools' },
    });
    expect(t.readConfig().settings).toEqual({ tools_cache_ttl_sec: 30, slim_tools: false, tool_description_overrides: { mcpx__search_tools: 'Find tools' } });
    expect((await t.api('GET', '/settings')).body).toEqual(second.body);
  });

  it.each([
    ['tools_cache_ttl_sec', 301],
    ['tools_cache_ttl_sec', -1],
    ['tools_cache_ttl_sec', 1.5],
    ['tools_cache_ttl_sec', '15'],
    ['slim_tools', 'yes'],
    ['log_level', 'verbose'],
    ['call_timeout_sec', 0],
    ['default_policy', 'approve'],
    ['tool_description_overrides', { mcpx__search_tools: 5 }],
    ['no_such_setting', true],
  ])('PUT {%s: %j} is 400 naming the field, and writes nothing', async (key, value) => {
    const before = t.configText();
    const res = await t.api('PUT', '/settings', { [key]: value });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(errorPaths(res.body).some((p) => p === key || p.startsWith(`${key}.`))).toBe(true);
    expect(t.configText()).toBe(before);
  });
});

describe('settings across restarts and with env overrides', () => {
  it('persists across a restart on the same home', async () => {
    const first = await startTestGateway();
    try {
      await first.api('PUT', '/settings', { call_timeout_sec: 45, log_level: 'warn' });
      await first.stop();
      const second = await startTestGateway({ home: first.home });
      try {
        const res = await second.api('GET', '/settings');
        expect(res.body.settings).toMatchObject({ call_timeout_sec: 45, log_level: 'warn', slim_tools: true });
        expect(res.body.sources).toMatchObject({ call_timeout_sec: 'stored', log_level: 'stored', slim_tools: 'default' });
      } finally {
        await second.stop();
      }
    } finally {
      await first.close();
    }
  });

  it('MCPLEXER_SLIM_TOOLS=off wins over the stored value, with source "env"; PUT still stores', async () => {
    const g = await startTestGateway({ env: { MCPLEXER_SLIM_TOOLS: 'off', MCPLEXER_TOOLS_CACHE_TTL_SEC: '42' } });
    try {
      const res = await g.api('GET', '/settings');
      expect(res.body.settings).toMatchObject({ slim_tools: false, tools_cache_ttl_sec: 42 });
      expect(res.body.sources).toMatchObject({ slim_tools: 'env', tools_cache_ttl_sec: 'env', log_level: 'default' });
      const put = await g.api('PUT', '/settings', { slim_tools: true });
      expect(put.status).toBe(200);
      expect(put.body.settings.slim_tools).toBe(false);
      expect(put.body.sources.slim_tools).toBe('env');
      expect(g.readConfig().settings.slim_tools).toBe(true);
    } finally {
      await g.close();
    }
  });

  it.each([
    ['0', false],
    ['false', false],
    ['No', false],
    [' OFF ', false],
    ['1', true],
    ['on', true],
    ['anything', true],
  ])('MCPLEXER_SLIM_TOOLS=%j reads as %s', async (raw, expected) => {
    const g = await startTestGateway({ env: { MCPLEXER_SLIM_TOOLS: raw } });
    try {
      const res = await g.api('GET', '/settings');
      expect(res.body.settings.slim_tools).toBe(expected);
      expect(res.body.sources.slim_tools).toBe('env');
    } finally {
      await g.close();
    }
  });

  it('an empty or invalid env value is ignored (the stored or default value stays)', async () => {
    const g = await startTestGateway({ env: { MCPLEXER_SLIM_TOOLS: '', MCPLEXER_LOG_LEVEL: 'loud', MCPLEXER_TOOLS_CACHE_TTL_SEC: '999' } });
    try {
      const res = await g.api('GET', '/settings');
      expect(res.body.settings).toMatchObject({ slim_tools: true, log_level: 'info', tools_cache_ttl_sec: 15 });
      expect(res.body.sources).toMatchObject({ slim_tools: 'default', log_level: 'default', tools_cache_ttl_sec: 'default' });
    } finally {
      await g.close();
    }
  });
});
