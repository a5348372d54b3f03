import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorPaths, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.close());

const stored = (id: string) => t.readConfig().downstreams.find((s) => s.id === id);
const stdio = (namespace: string, extra: Record<string, unknown> = {}) => ({
  name: `Server ${namespace}`,
  command: 'node',
  args: ['server.js'],
  namespace,
  ...extra,
});

describe('downstream servers over REST', () => {
  it('seeds the built-in mcpx server', async () => {
    const list = await t.api('GET', '/downstreams');
    expect(list.status).toBe(200);
    expect(list.body[0]).toMatchObject({ id: 'mcpx-builtin', namespace: 'mcpx', transport: 'internal', source: 'default' });
    expect(stored('mcpx-builtin')).toMatchObject({ namespace: 'mcpx' });
  });

  it('creates a stdio server with 201, defaults and no discovered tools, and writes it to config.json', async () => {
    const res = await t.api('POST', '/downstreams', stdio('alpha', { env: { LEVEL: 'debug' }, cwd: '/tmp' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Server alpha',
      transport: 'stdio',
      command: 'node',
      args: ['server.js'],
      env: { LEVEL: 'debug' },
      cwd: '/tmp',
      namespace: 'alpha',
      enabled: true,
      idle_timeout_sec: 300,
      discovery: 'static',
      tools: [],
      discovered_at: null,
      source: 'api',
    });
    expect(res.body.created_at).toBe(res.body.updated_at);
    // config.json holds the env value sealed (downstream-secrets-at-rest.test.ts), the rest as answered.
    expect(stored(res.body.id)).toEqual({ ...res.body, env: { LEVEL: expect.stringMatching(/^enc:v1:/) } });
    expect((await t.api('GET', `/downstreams/${res.body.id}`)).body).toEqual(res.body);
  });

  it('infers http transport from url, and requires url for http and command for stdio', async () => {
    const http = await t.api('POST', '/downstreams', { name: 'Remote', url: 'https://example.com/mcp', namespace: 'remote', headers: { 'X-Team': 'a' } });
    expect(http.status).toBe(201);
    expect(http.body).toMatchObject({ transport: 'http', url: 'https://example.com/mcp', headers: { 'X-Team': 'a' } });
    const before = t.configText();
    const noUrl = await t.api('POST', '/downstreams', { name: 'No url', transport: 'http', namespace: 'nourl' });
    expect(noUrl.status).toBe(400);
    expect(errorPaths(noUrl.body)).toContain('url');
    const noCommand = await t.api('POST', '/downstreams', { name: 'No command', namespace: 'nocmd' });
    expect(noCommand.status).toBe(400);
    expect(errorPaths(noCommand.body)).toContain('command');
    expect(t.configText()).toBe(before);
  });

  it('accepts the aliases tool_namespace and disabled, and refuses a name with its alias (400)', async () => {
    const res = await t.api('POST', '/downstreams', { name: 'Aliased', command: 'node', tool_namespace: 'aliased', disabled: true });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ namespace: 'aliased', enabled: false });
    expect(res.body).not.toHaveProperty('tool_namespace');
    expect(res.body).not.toHaveProperty('disabled');
    expect(stored(res.body.id)).toMatchObject({ namespace: 'aliased', enabled: false });
    const enabled = await t.api('PUT', `/downstreams/${res.body.id}`, { disabled: false });
    expect(enabled.body.enabled).toBe(true);
    const before = t.configText();
    const both = await t.api('POST', '/downstreams', { name: 'Both', command: 'node', namespace: 'both', tool_namespace: 'both' });
    expect(both.status).toBe(400);
    expect(errorPaths(both.body)).toContain('tool_namespace');
    const both2 = await t.api('PUT', `/downstreams/${res.body.id}`, { enabled: true, disabled: false });
    expect(both2.status).toBe(400);
    expect(errorPaths(both2.body)).toContain('disabled');
    expect(t.configText()).toBe(before);
  });

  it.each([
    ['Upper', 'uppercase'],
    ['-dash', 'leading dash'],
    ['_under', 'leading underscore'],
    ['a__b', 'double underscore'],
    ['has space', 'space'],
    ['dots.x', 'dot'],
    ['', 'empty'],
  ])('refuses namespace %j (%s) with 400 naming namespace', async (namespace) => {
    const before = t.configText();
    const res = await t.api('POST', '/downstreams', stdio(namespace));
    expect(res.status).toBe(400);
    expect(errorPaths(res.body)).toContain('namespace');
    expect(t.configText()).toBe(before);
  });

  it('accepts namespaces with digits, "_" and "-" inside', async () => {
    for (const namespace of ['0day', 'my-server', 'my_server', 'a_b-c']) {
      const res = await t.api('POST', '/downstreams', stdio(namespace));
      expect(res.status, namespace).toBe(201);
      expect(stored(res.body.id)?.namespace).toBe(namespace);
    }
  });

  it('a taken namespace, name or id is 409 and writes nothing', async () => {
    const created = await t.api('POST', '/downstreams', stdio('taken', { id: 'srv-chosen' }));
    expect(created.status).toBe(201);
    expect(created.body.id).toBe('srv-chosen');
    const before = t.configText();
    for (const body of [
      stdio('taken', { name: 'Another' }),
      stdio('fresh1', { name: 'Server taken' }),
      stdio('fresh2', { id: 'srv-chosen', name: 'Another 2' }),
    ]) {
      const res = await t.api('POST', '/downstreams', body);
      expect(res.status, JSON.stringify(body)).toBe(409);
    }
    expect((await t.api('PUT', '/downstreams/srv-chosen', { namespace: 'alpha' })).status).toBe(409);
    expect(t.configText()).toBe(before);
  });

  it('PUT merges one field and keeps the rest', async () => {
    const created = (await t.api('POST', '/downstreams', stdio('partial', { env: { A: '1' } }))).body;
    const res = await t.api('PUT', `/downstreams/${created.id}`, { args: ['--verbose'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      name: created.name,
      command: 'node',
      env: { A: '1' },
      namespace: 'partial',
      args: ['--verbose'],
      created_at: created.created_at,
    });
    expect(stored(created.id)).toEqual({ ...res.body, env: { A: expect.stringMatching(/^enc:v1:/) } });
    const bad = await t.api('PUT', `/downstreams/${created.id}`, { namespace: 'Bad__Ns' });
    expect(bad.status).toBe(400);
    expect(errorPaths(bad.body)).toContain('namespace');
    expect(stored(created.id)?.namespace).toBe('partial');
  });

  it('answers 404 for an unknown id on GET, PUT and DELETE', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await t.api(method, '/downstreams/no-such-server', method === 'PUT' ? { args: [] } : undefined);
      expect(res.status, method).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('keeps the built-in server: DELETE and PUT are 409', async () => {
    const before = t.configText();
    expect((await t.api('DELETE', '/downstreams/mcpx-builtin')).status).toBe(409);
    expect((await t.api('DELETE', '/downstreams/mcpx-builtin?cascade=true')).status).toBe(409);
    expect((await t.api('PUT', '/downstreams/mcpx-builtin', { enabled: false })).status).toBe(409);
    expect(t.configText()).toBe(before);
  });

  it('DELETE answers 204 and removes the server from config.json', async () => {
    const created = (await t.api('POST', '/downstreams', stdio('doomed'))).body;
    const res = await t.api('DELETE', `/downstreams/${created.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(stored(created.id)).toBeUndefined();
  });

  it('DELETE with routes and auth scopes is 409 naming them; ?cascade=true removes them and unsets the scope elsewhere', async () => {
    const server = (await t.api('POST', '/downstreams', stdio('used'))).body;
    await t.api('POST', '/downstreams', stdio('other'));
    const scope = (await t.api('POST', '/auth-scopes', { name: 'used-scope', server_id: server.id, env_vars: { TOKEN: 'v' } })).body;
    const route = (await t.api('POST', '/routes', { workspace_id: 'global', server_id: server.id, tool_pattern: 'used__*' })).body;
    // A rule without a server may use the scope (a rule of another server may not: its credentials would go there).
    const otherRoute = (await t.api('POST', '/routes', { workspace_id: 'global', tool_pattern: 'other__*', auth_scope_id: scope.id })).body;
    const before = t.configText();
    const refused = await t.api('DELETE', `/downstreams/${server.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(route.id);
    expect(refused.body.error.message).toContain(scope.id);
    expect(t.configText()).toBe(before);

    expect((await t.api('DELETE', `/downstreams/${server.id}?cascade=true`)).status).toBe(204);
    const config = t.readConfig();
    expect(config.downstreams.some((s) => s.id === server.id)).toBe(false);
    expect(config.routes.some((r) => r.id === route.id)).toBe(false);
    expect(config.auth_scopes.some((a) => a.id === scope.id)).toBe(false);
    const kept = config.routes.find((r) => r.id === otherRoute.id);
    expect(kept).toBeDefined();
    expect(kept).not.toHaveProperty('auth_scope_id');
  });
});
