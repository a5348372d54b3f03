// A route or auth scope body names a workspace, a server or an auth scope as the REST paths do
// (a trial: after creating a server named "ev", `"server_id": "ev"` answered 'downstream server
// "ev" does not exist', while GET /downstreams/ev found it). What is stored is the id. Real
// gateway over HTTP, real config.json.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
let serverId: string;
let scopeId: string;
let workspaceId: string;
const root = mkdtempSync(path.join(tmpdir(), 'mcplexer-refs-'));

beforeAll(async () => {
  t = await startTestGateway();
  serverId = (await t.api('POST', '/downstreams', { name: 'GitHub Tools', namespace: 'gh', command: process.execPath })).body.id;
  workspaceId = (await t.api('POST', '/workspaces', { name: 'proj', root_path: root })).body.id;
  const scope = await t.api('POST', '/auth-scopes', { name: 'gh-token', server_id: 'GitHub Tools', env_vars: { GH_TOKEN: 'x' } });
  expect(scope.status).toBe(201);
  scopeId = scope.body.id;
});
afterAll(async () => {
  await t?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('references in a body, by name as in a path', () => {
  it('an auth scope’s server_id by the server’s name is stored as its id', () => {
    expect(t.readConfig().auth_scopes.find((s) => s.id === scopeId)?.server_id).toBe(serverId);
  });

  it('a rule by workspace name, server namespace and scope name is stored with their ids', async () => {
    const res = await t.api('POST', '/routes', { workspace_id: 'proj', server_id: 'gh', auth_scope_id: 'gh-token', tool_pattern: 'gh__*', policy: 'allow' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ workspace_id: workspaceId, server_id: serverId, auth_scope_id: scopeId });
    expect(t.readConfig().routes.find((r) => r.id === res.body.id)).toMatchObject({ workspace_id: workspaceId, server_id: serverId });
  });

  it('a workspace by its root path, in a bulk create and an update', async () => {
    const bulk = await t.api('POST', '/routes/bulk', { rules: [{ workspace_id: root, tool_pattern: 'a', policy: 'deny' }] });
    expect(bulk.status).toBe(201);
    expect(bulk.body[0].workspace_id).toBe(workspaceId);
    const moved = await t.api('PUT', `/routes/${bulk.body[0].id}`, { workspace_id: 'global', server_id: 'GitHub Tools' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ workspace_id: 'global', server_id: serverId });
  });

  it('a reference to nothing is a 400 naming the field and what it may be', async () => {
    const res = await t.api('POST', '/routes/bulk', {
      rules: [
        { workspace_id: 'proj', tool_pattern: 'a', policy: 'deny' },
        { workspace_id: 'proj', server_id: 'nope', tool_pattern: 'b', policy: 'deny' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'rules.1.server_id', message: 'downstream server "nope" does not exist (give its id, name or namespace)' },
    ]);
    const scope = await t.api('POST', '/auth-scopes', { name: 'other', server_id: 'nope', env_vars: {} });
    expect(scope.status).toBe(400);
    expect(scope.body.error.details[0]).toEqual({ path: 'server_id', message: 'downstream server "nope" does not exist (give its id, name or namespace)' });
    expect(scope.body.error.message).not.toMatch(/auth scope [0-9a-f-]{36}/);
  });

  it('a name two servers answer to is a 400 listing their ids', async () => {
    const other = (await t.api('POST', '/downstreams', { name: 'gh2', namespace: 'tools', command: process.execPath })).body;
    await t.api('PUT', `/downstreams/${other.id}`, { name: 'gh' });
    const res = await t.api('POST', '/routes', { workspace_id: 'proj', server_id: 'gh', tool_pattern: 'x', policy: 'deny' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('server_id');
    expect(res.body.error.details[0].message).toContain(serverId);
    expect(res.body.error.details[0].message).toContain(other.id);
  });

  it('a name that is another entity’s id (or an id that is another’s name) is refused, so a reference cannot land on the wrong one', async () => {
    // A trial: a workspace named "global" got 201, and a rule for "global" landed on the built-in Global workspace.
    const global = await t.api('POST', '/workspaces', { name: 'global', root_path: path.join(root, 'g') });
    expect(global.status).toBe(409);
    expect(global.body.error.details).toEqual([{ path: 'name', message: 'is the id of workspace global' }]);
    const alpha = await t.api('POST', '/downstreams', { id: 'alpha', name: 'one', namespace: 'one', command: process.execPath });
    expect(alpha.status).toBe(201);
    const named = await t.api('POST', '/downstreams', { name: 'alpha', namespace: 'two', command: process.execPath });
    expect(named.status).toBe(409);
    expect(named.body.error.message).toContain('name "alpha" is the id of another downstream server');
    const renamed = await t.api('PUT', `/downstreams/${serverId}`, { namespace: 'alpha' });
    expect(renamed.status).toBe(409);
    const id = await t.api('POST', '/auth-scopes', { id: 'gh-token', name: 'other-token', env_vars: {} });
    expect(id.status).toBe(409);
    expect(id.body.error.details).toEqual([{ path: 'id', message: `is the name of auth scope ${scopeId}` }]);
    expect((await t.api('PUT', `/workspaces/${workspaceId}`, { name: 'proj' })).status).toBe(200);
  });
});
