// Issue 14: items a loaded YAML config file manages (`source: yaml`) are not silently reverted at
// the next reload after a REST edit: PUT and DELETE answer 409 naming the file, and change
// nothing. A cascade that would delete or alter such an item is refused the same way. Items made
// through the API stay editable. Checked on a real gateway started with a real YAML file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/index.js';
import { silentLogger } from '../../src/gateway/log.js';
import { waitFor } from '../helpers/gateway.js';

let gateway: RunningGateway;
let file: string;
let home: string;
const YAML = `
workspaces:
  - name: proj
    root_path: /yaml-managed/proj
downstreams:
  - name: Everything
    namespace: everything
    command: node
    args: [server.js]
routes:
  - id: r-allow
    name: allow-echo
    workspace_id: yaml-ws-proj
    server_id: yaml-everything
    tool_match: ["everything__echo"]
  - id: r-global
    workspace_id: global
    tool_match: ["everything__add"]
    policy: deny
`;

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'mcplexer-yaml-managed-'));
  file = path.join(home, 'mcplexer.yaml');
  writeFileSync(file, YAML);
  gateway = await startGateway({ dataDir: home, port: 0, lock: false, logger: silentLogger, configFile: file });
});
afterAll(() => gateway?.stop());

async function api(method: string, route: string, body?: unknown) {
  const response = await fetch(`${gateway.url}/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('REST edits of YAML-managed items', () => {
  it.each([
    ['PUT', '/workspaces/yaml-ws-proj', { default_policy: 'deny' }, 'workspace "proj" (id yaml-ws-proj)'],
    ['DELETE', '/workspaces/proj?cascade=true', undefined, 'workspace "proj" (id yaml-ws-proj)'],
    ['PUT', '/downstreams/everything', { enabled: false }, 'downstream server "Everything" (id yaml-everything)'],
    ['DELETE', '/downstreams/yaml-everything?cascade=true', undefined, 'downstream server "Everything"'],
    ['PUT', '/routes/allow-echo', { policy: 'deny' }, 'route rule "allow-echo" (id r-allow)'],
    ['DELETE', '/routes/r-global', undefined, 'route rule "r-global"'],
  ])('%s %s answers 409 naming the file and changes nothing', async (method, route, body, label) => {
    const before = gateway.store.state;
    const res = await api(method, route, body);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(res.body.error.message).toContain(label);
    expect(res.body.error.message).toContain(` is managed by ${file}; edit that file (or remove the item from it) instead`);
    expect(gateway.store.state).toBe(before);
  });

  it('leaves API items editable, even inside a YAML workspace', async () => {
    const scope = await api('POST', '/auth-scopes', { name: 'api-scope', env_vars: { K: 'v' } });
    expect(scope.status).toBe(201);
    // An API-made rule in the YAML workspace is the user's: editable and deletable.
    const mine = await api('POST', '/routes', { workspace_id: 'yaml-ws-proj', tool_pattern: 'x__*', auth_scope_id: scope.body.id });
    expect(mine.status).toBe(201);
    expect((await api('PUT', `/routes/${mine.body.id}`, { priority: 5 })).status).toBe(200);
    const ws = await api('POST', '/workspaces', { name: 'api-ws', root_path: '/yaml-managed/api' });
    expect((await api('PUT', '/workspaces/api-ws', { default_policy: 'deny' })).status).toBe(200);
    expect((await api('DELETE', `/routes/${mine.body.id}`)).status).toBe(204);
    expect((await api('DELETE', `/workspaces/${ws.body.id}`)).status).toBe(204);
  });

  it('refuses a cascade from an API item that would change a YAML route', { timeout: 20_000 }, async () => {
    const scope = await api('POST', '/auth-scopes', { id: 'api-token', name: 'api-token', env_vars: { K: 'v' } });
    expect(scope.status).toBe(201);
    writeFileSync(file, `${YAML}  - id: r-scoped\n    workspace_id: global\n    tool_match: ["everything__*"]\n    auth_scope_id: api-token\n`);
    await waitFor(() => gateway.store.state.routes.some((r) => r.id === 'r-scoped'));
    const before = gateway.store.state;
    const res = await api('DELETE', '/auth-scopes/api-token?cascade=true');
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(`route rule "r-scoped" is managed by ${file}`);
    expect(gateway.store.state).toBe(before);
  });
});
