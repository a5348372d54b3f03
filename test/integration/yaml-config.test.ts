import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/index.js';
import { silentLogger } from '../../src/gateway/log.js';

const running: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((g) => g.stop()));
});

async function start(home: string, configFile: string) {
  const gateway = await startGateway({ dataDir: home, port: 0, lock: false, logger: silentLogger, configFile });
  running.push(gateway);
  const api = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${gateway.url}/api/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
  };
  return { gateway, api };
}

const FIRST = `
workspaces:
  - name: proj
    root_path: /tmp/proj
downstreams:
  - name: Everything
    namespace: everything
    command: node
    args: [server.js]
routes:
  - id: r-allow
    workspace_id: yaml-ws-proj
    server_id: yaml-everything
    tool_match: ["everything__echo"]
    policy: allow
`;

describe('YAML config as code', () => {
  it('seeds items marked source yaml, keeps API items, and prunes yaml items removed from the file', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-yaml-'));
    const file = path.join(home, 'mcplexer.yaml');
    writeFileSync(file, FIRST);
    let { gateway, api } = await start(home, file);
    const servers = (await api('GET', '/downstreams')).body as Array<{ id: string; source: string }>;
    expect(servers.find((s) => s.id === 'yaml-everything')?.source).toBe('yaml');
    expect((await api('GET', '/routes/r-allow')).body).toMatchObject({ source: 'yaml', tool_pattern: 'everything__echo', workspace_id: 'yaml-ws-proj' });
    const made = await api('POST', '/workspaces', { name: 'by-api', root_path: '/tmp/by-api' });
    expect(made.status).toBe(201);
    await gateway.stop();

    writeFileSync(file, 'workspaces: []\n');
    ({ gateway, api } = await start(home, file));
    const ids = ((await api('GET', '/workspaces')).body as Array<{ id: string }>).map((w) => w.id);
    expect(ids).toContain((made.body as { id: string }).id);
    expect(ids).not.toContain('yaml-ws-proj');
    expect((await api('GET', '/downstreams/yaml-everything')).status).toBe(404);
    expect((await api('GET', '/routes/r-allow')).status).toBe(404);
    const onDisk = JSON.parse(readFileSync(path.join(home, 'config.json'), 'utf8'));
    expect(onDisk.workspaces.map((w: { id: string }) => w.id)).not.toContain('yaml-ws-proj');
  });

  it('refuses to start on an invalid file and names the item and field', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-yaml-'));
    const file = path.join(home, 'mcplexer.yaml');
    writeFileSync(file, 'downstreams:\n  - name: bad\n    namespace: "Bad__ns"\n    command: x\n');
    await expect(startGateway({ dataDir: home, port: 0, lock: false, logger: silentLogger, configFile: file })).rejects.toThrow(/downstreams\[0\].*namespace/);
  });

  it.each([
    [
      'an envelope copied from config.json',
      'enc:v1:cV5Fk4r8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      /line 6: downstreams\[0\]: .*env\.GH_TOKEN: is an encrypted value copied from config\.json/,
    ],
    ['the mask an API answer shows', '"********"', /line 6: downstreams\[0\]: .*env\.GH_TOKEN: is the mask \*{8} an API answer shows/],
  ])(
    'refuses a server env value that is %s, naming the line and what to write instead (a trial: the child got the envelope as its token)',
    async (_, value, message) => {
      const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-yaml-'));
      const file = path.join(home, 'mcplexer.yaml');
      writeFileSync(file, `downstreams:\n  - name: gh\n    namespace: gh\n    command: node\n    env:\n      GH_TOKEN: ${value}\n`);
      const refused = startGateway({ dataDir: home, port: 0, lock: false, logger: silentLogger, configFile: file });
      await expect(refused).rejects.toThrow(message);
      await expect(refused).rejects.toThrow(/write the value itself, or \$\{NAME\}/);
    },
  );

  it('applies edits of the YAML file while running', { timeout: 30_000 }, async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-yaml-'));
    const file = path.join(home, 'mcplexer.yaml');
    writeFileSync(file, FIRST);
    const { api } = await start(home, file);
    writeFileSync(file, FIRST.replace('/tmp/proj', '/tmp/proj2'));
    let root = '';
    for (let i = 0; i < 200 && root !== '/tmp/proj2'; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      root = ((await api('GET', '/workspaces/yaml-ws-proj')).body as { root_path: string }).root_path;
    }
    expect(root).toBe('/tmp/proj2');
  });

  it(
    'a bad edit while running degrades health with config_error naming the file, the line and the problem; a good edit clears it',
    { timeout: 30_000 },
    async () => {
      const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-yaml-'));
      const file = path.join(home, 'mcplexer.yaml');
      writeFileSync(file, FIRST);
      const { api } = await start(home, file);
      const healthAfter = async (predicate: (h: { status: string; config_error?: string }) => boolean) => {
        let health = (await api('GET', '/health')).body as { status: string; config_error?: string };
        for (let i = 0; i < 100 && !predicate(health); i += 1) {
          await new Promise((r) => setTimeout(r, 100));
          health = (await api('GET', '/health')).body as { status: string; config_error?: string };
        }
        return health;
      };
      expect(((await api('GET', '/health')).body as { status: string }).status).toBe('ok');

      // Broken YAML syntax (line 4: a nested mapping where a scalar belongs).
      writeFileSync(file, FIRST.replace('    root_path: /tmp/proj', '    root_path: a: b'));
      let health = await healthAfter((h) => h.status !== 'ok');
      expect(health.status).toBe('degraded');
      expect(health.config_error).toContain(file);
      expect(health.config_error).toMatch(/not valid YAML: .*at line 4, column \d+/);
      expect(((await api('GET', '/workspaces/yaml-ws-proj')).body as { root_path: string }).root_path).toBe('/tmp/proj');

      // Valid YAML, invalid item (line 7: the namespace): the same, naming the item and field.
      writeFileSync(file, FIRST.replace('namespace: everything', 'namespace: "Bad__ns"'));
      health = await healthAfter((h) => !!h.config_error && !h.config_error.includes('not valid YAML'));
      expect(health.status).toBe('degraded');
      expect(health.config_error).toContain(`${file}, line 7: downstreams[0]`);
      expect(health.config_error).toContain('namespace');

      writeFileSync(file, FIRST.replace('/tmp/proj', '/tmp/proj3'));
      health = await healthAfter((h) => h.status === 'ok');
      expect(health).not.toHaveProperty('config_error');
      expect(((await api('GET', '/workspaces/yaml-ws-proj')).body as { root_path: string }).root_path).toBe('/tmp/proj3');
    },
  );

  it(
    'an emptied file, an unknown key, an item written twice and a route to nothing are not applied: the items stay, health says where',
    { timeout: 60_000 },
    async () => {
      const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-yaml-'));
      const file = path.join(home, 'mcplexer.yaml');
      writeFileSync(file, FIRST);
      const { api } = await start(home, file);
      const health = async () => (await api('GET', '/health')).body as { status: string; config_error?: string };
      const errorAfter = async (text: string) => {
        for (let i = 0; i < 100; i += 1) {
          const now = await health();
          if (now.config_error?.includes(text)) return now;
          await new Promise((r) => setTimeout(r, 100));
        }
        return health();
      };
      const ids = async () => ({
        routes: ((await api('GET', '/routes')).body as Array<{ id: string }>).map((r) => r.id),
        servers: ((await api('GET', '/downstreams')).body as Array<{ id: string }>).map((s) => s.id),
      });
      const made = await ids();
      expect(made.routes).toContain('r-allow');
      expect(made.servers).toContain('yaml-everything');
      const cases: Array<[string, string, string]> = [
        ['emptied (an editor truncating it)', '', `${file} is empty: nothing applied, the 3 items it made stay`],
        ['only comments left', '# nothing here yet\n', 'is empty'],
        ['routes: misspelt', FIRST.replace('routes:', 'route:'), `${file}, line 10: unknown key "route"`],
        [
          'a route id given twice',
          `${FIRST}  - id: r-allow\n    workspace_id: yaml-ws-proj\n    tool_pattern: "*"\n    policy: deny\n`,
          'routes[1]: id "r-allow" is also routes[0]\'s, line 11',
        ],
        [
          'a namespace used twice',
          FIRST.replace('routes:', '  - name: Twin\n    namespace: everything\n    command: node\nroutes:'),
          'downstreams[1]: id "yaml-everything" is also downstreams[0]\'s',
        ],
        [
          'a route to a server that does not exist',
          FIRST.replace('server_id: yaml-everything', 'server_id: yaml-nosuch'),
          `${file}, line 13: routes[0]: server_id: downstream server "yaml-nosuch" does not exist`,
        ],
      ];
      for (const [label, text, error] of cases) {
        writeFileSync(file, text);
        const now = await errorAfter(error);
        expect(now.status, label).toBe('degraded');
        expect(now.config_error, label).toContain(error);
        expect(await ids(), label).toEqual(made);
      }
      // Fixed: applied again, health clear.
      writeFileSync(file, FIRST);
      for (let i = 0; i < 100 && (await health()).status !== 'ok'; i += 1) await new Promise((r) => setTimeout(r, 100));
      expect(await health()).not.toHaveProperty('config_error');
    },
  );

  it('a route names its workspace, server and auth scope as the REST bodies do: by name, root path or namespace, in the file or made through the API', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-yaml-'));
    const file = path.join(home, 'mcplexer.yaml');
    writeFileSync(file, 'workspaces: []\n');
    const { api } = await start(home, file);
    const byApi = (await api('POST', '/workspaces', { name: 'by-api', root_path: '/tmp/by-api' })).body as { id: string };
    const scope = (await api('POST', '/auth-scopes', { name: 'gh-token', type: 'env', env_vars: { GITHUB_TOKEN: 'x' } })).body as { id: string };
    expect(scope.id).toBeDefined();
    const routes = `
workspaces:
  - name: proj
    root_path: /tmp/proj
downstreams:
  - name: Everything
    namespace: everything
    command: node
    args: [server.js]
routes:
  - id: by-name
    workspace_id: proj
    server_id: Everything
    auth_scope_id: gh-token
    tool_pattern: "everything__echo"
    policy: allow
  - id: by-root-and-namespace
    workspace_id: /tmp/proj/
    server_id: everything
    tool_pattern: "everything__add"
    policy: allow
  - id: api-workspace-by-name
    workspace_id: by-api
    tool_pattern: "*"
    policy: deny
`;
    writeFileSync(file, routes);
    let route: { status: number; body: Record<string, unknown> } = { status: 0, body: {} };
    for (let i = 0; i < 100 && route.status !== 200; i += 1) {
      route = await api('GET', '/routes/api-workspace-by-name');
      if (route.status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect((await api('GET', '/health')).body).not.toHaveProperty('config_error');
    expect((await api('GET', '/routes/by-name')).body).toMatchObject({ workspace_id: 'yaml-ws-proj', server_id: 'yaml-everything', auth_scope_id: scope.id });
    expect((await api('GET', '/routes/by-root-and-namespace')).body).toMatchObject({ workspace_id: 'yaml-ws-proj', server_id: 'yaml-everything' });
    expect(route.body).toMatchObject({ workspace_id: byApi.id });

    // A name that names nothing is refused with the line, and what may name it.
    writeFileSync(file, routes.replace('workspace_id: proj', 'workspace_id: projx'));
    let health: { status?: string; config_error?: string } = {};
    for (let i = 0; i < 100 && !health.config_error; i += 1) {
      health = (await api('GET', '/health')).body as typeof health;
      if (!health.config_error) await new Promise((r) => setTimeout(r, 100));
    }
    expect(health.config_error).toContain(
      `${file}, line 12: routes[0]: workspace_id: workspace "projx" does not exist (in this file or made through the API; give its id, name or root path)`,
    );
    expect((await api('GET', '/routes/by-name')).body).toMatchObject({ workspace_id: 'yaml-ws-proj' });
  });

  it('starts with an empty file when it made nothing yet', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'mcplexer-yaml-'));
    const file = path.join(home, 'mcplexer.yaml');
    writeFileSync(file, '# my MCPlexer config, to fill in\n');
    const { api } = await start(home, file);
    expect(((await api('GET', '/health')).body as { status: string }).status).toBe('ok');
  });
});
