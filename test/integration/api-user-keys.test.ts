import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectHttp } from '../helpers/mcp.js';

/**
 * Issue 14, fault 10: user keys in plain objects. `PUT …/secrets {"key":"__proto__"}` answered ok
 * and stored nothing; `DELETE …/secrets/constructor` answered 204 for a key never set. Now the key
 * "__proto__" is refused with a 400 wherever a user key is stored (it cannot survive a copy into
 * a plain object), and "constructor", "prototype", "toString" … are ordinary keys everywhere.
 * Bodies holding "__proto__" are sent as raw JSON text: a JS object literal would eat the key.
 */
const OVERSIZED = fileURLToPath(new URL('../fixtures/oversized-lists-server.mjs', import.meta.url));
const INHERITED = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'prototype'];

let t: TestGateway | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('auth scope secrets', () => {
  it('refuses "__proto__" as a key with a 400 naming the field, and stores nothing', async () => {
    t = await startTestGateway();
    await t.api('POST', '/auth-scopes', { id: 's', name: 's' });
    const put = await t.api('PUT', '/auth-scopes/s/secrets', { key: '__proto__', value: 'x' });
    expect(put.status).toBe(400);
    expect(put.body.error.details).toEqual([{ path: 'key', message: expect.stringContaining('"__proto__" cannot be stored') }]);
    const created = await t.api('POST', '/auth-scopes', '{"name":"s2","env_vars":{"A":"1","__proto__":"x"}}');
    expect(created.status).toBe(400);
    expect(created.body.error.details[0].path).toBe('env_vars.__proto__');
    const updated = await t.api('PUT', '/auth-scopes/s', '{"env_vars":{"__proto__":"x"}}');
    expect(updated.status).toBe(400);
    expect((await t.api('POST', '/auth-scopes', { name: 's3', token_env_var: '__proto__' })).status).toBe(400);
    expect((await t.api('GET', '/auth-scopes/s/secrets')).body).toEqual({ keys: [] });
  });

  it('answers 404 when deleting a key never set, whatever Object.prototype holds', async () => {
    t = await startTestGateway();
    await t.api('POST', '/auth-scopes', { id: 's', name: 's', env_vars: { A: '1' } });
    for (const key of INHERITED) {
      const res = await t.api('DELETE', `/auth-scopes/s/secrets/${key}`);
      expect(res.status, key).toBe(404);
      expect(res.body.error.message).toContain(`secret "${key}" not found`);
    }
  });

  it('stores "constructor" and "prototype" as ordinary keys: listed, masked, deleted once, then 404', async () => {
    t = await startTestGateway();
    await t.api('POST', '/auth-scopes', { id: 's', name: 's' });
    for (const key of ['constructor', 'prototype']) expect((await t.api('PUT', '/auth-scopes/s/secrets', { key, value: `v-${key}` })).status).toBe(200);
    expect((await t.api('GET', '/auth-scopes/s/secrets')).body).toEqual({ keys: ['constructor', 'prototype'] });
    expect((await t.api('GET', '/auth-scopes/s')).body.env_vars).toEqual({ constructor: '********', prototype: '********' });
    // Writing the mask back keeps the stored value (also for a key Object.prototype has).
    expect((await t.api('PUT', '/auth-scopes/s', { env_vars: { constructor: '********', toString: '********' } })).status).toBe(200);
    expect(t.gw.store.state.auth_scopes[0]!.env_vars.constructor).toMatch(/^enc:v1:/);
    expect(Object.hasOwn(t.gw.store.state.auth_scopes[0]!.env_vars, 'toString')).toBe(true);
    expect((await t.api('DELETE', '/auth-scopes/s/secrets/constructor')).status).toBe(204);
    expect((await t.api('DELETE', '/auth-scopes/s/secrets/constructor')).status).toBe(404);
    expect((await t.api('GET', '/auth-scopes/s/secrets')).body).toEqual({ keys: ['prototype', 'toString'] });
  });
});

describe('every other map of user keys', () => {
  it('refuses "__proto__" in env, headers, tags (at any depth), tool_description_overrides and bulk rules', async () => {
    t = await startTestGateway();
    const cases: Array<[string, string, string, string]> = [
      ['POST', '/downstreams', '{"name":"d","namespace":"d","command":"node","env":{"__proto__":"x"}}', 'env.__proto__'],
      ['POST', '/downstreams', '{"name":"d","namespace":"d","url":"http://localhost:1/mcp","headers":{"__proto__":"x"}}', 'headers.__proto__'],
      ['POST', '/workspaces', '{"name":"w","root_path":"/srv/w","tags":{"__proto__":{"polluted":true}}}', 'tags.__proto__'],
      ['POST', '/workspaces', '{"name":"w","root_path":"/srv/w","tags":[{"a":{"__proto__":1}}]}', 'tags.0.a.__proto__'],
      ['PUT', '/workspaces/global', '{"tags":{"__proto__":[]}}', 'tags.__proto__'],
      ['PUT', '/settings', '{"tool_description_overrides":{"__proto__":"x"}}', 'tool_description_overrides.__proto__'],
      ['POST', '/routes/bulk', '{"rules":[{"workspace_id":"global","__proto__":{}}]}', 'rules.0.__proto__'],
      ['POST', '/workspaces', '{"__proto__":{"name":"w"},"root_path":"/srv/w"}', '__proto__'],
    ];
    const before = t.configText();
    for (const [method, path, body, field] of cases) {
      const res = await t.api(method, path, body);
      expect(res.status, body).toBe(400);
      expect(res.body.error.details[0].path, body).toBe(field);
      expect(res.body.error.message).toContain('cannot be stored');
    }
    expect(t.configText()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps "constructor", "toString" and "prototype" as ordinary keys in env, headers, tags and overrides', async () => {
    t = await startTestGateway();
    const server = await t.api('POST', '/downstreams', {
      name: 'd',
      namespace: 'd',
      command: 'node',
      env: { constructor: 'c', toString: 't' },
      headers: { prototype: 'p' },
    });
    expect(server.status).toBe(201);
    expect(server.body.env).toEqual({ constructor: 'c', toString: 't' });
    const ws = await t.api('POST', '/workspaces', { name: 'w', root_path: '/srv/w', tags: { constructor: { prototype: 1 } } });
    expect(ws.body.tags).toEqual({ constructor: { prototype: 1 } });
    const settings = await t.api('PUT', '/settings', { tool_description_overrides: { constructor: 'mine' } });
    expect(settings.body.settings.tool_description_overrides).toEqual({ constructor: 'mine' });
    const home = t.home;
    await t.stop();
    t = await startTestGateway({ home });
    expect((await t.api('GET', `/downstreams/${server.body.id}`)).body.headers).toEqual({ prototype: 'p' });
    expect((await t.api('GET', `/workspaces/${ws.body.id}`)).body.tags).toEqual({ constructor: { prototype: 1 } });
  });

  it('lists a tool named like an Object.prototype member with its own description when no override names it', async () => {
    t = await startTestGateway();
    for (const name of ['constructor', 'toString']) {
      await t.api('POST', '/downstreams', {
        name,
        namespace: name.toLowerCase(),
        command: process.execPath,
        args: [OVERSIZED, `--tool-named=${name}`],
        expose_unprefixed: name === 'constructor',
      });
    }
    await t.api('PUT', '/settings', { tool_description_overrides: { tostring__echo: 'overridden' } });
    const client = await connectHttp(t);
    try {
      const { tools } = await client.listTools();
      const byName = new Map(tools.map((tool) => [tool.name, tool.description]));
      expect(byName.get('constructor')).toBe('a tool named constructor');
      expect(byName.get('tostring__toString')).toBe('a tool named toString');
      expect(byName.get('tostring__echo')).toBe('overridden');
    } finally {
      await client.close();
    }
  });
});
