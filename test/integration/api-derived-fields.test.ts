// A field whose meaning depends on another is re-derived when that other one changes and the
// same write did not send it (issue 14, "What a new user stumbled on"): approval_mode follows
// policy, approval_timeout_sec goes with approval, auth_scope_id goes with a server it does not
// belong to, a server that changes transport keeps nothing of the old one, and an auth scope
// that stops being oauth2 keeps no OAuth fields. Each is checked on the REST API, config.json
// and, for routes, the dry-run decision a real call would get.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorPaths, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
let ws: string;
let gh: string;
let lin: string;
beforeAll(async () => {
  t = await startTestGateway();
  ws = (await t.api('POST', '/workspaces', { name: 'derived', root_path: '/derived/ws' })).body.id;
  gh = (await t.api('POST', '/downstreams', { name: 'GitHub', namespace: 'github', command: 'gh-mcp' })).body.id;
  lin = (await t.api('POST', '/downstreams', { name: 'Linear', namespace: 'linear', command: 'lin-mcp' })).body.id;
});
afterAll(() => t?.close());

const storedRoute = (id: string) => t.readConfig().routes.find((r) => r.id === id)!;
async function rule(body: Record<string, unknown>) {
  const res = await t.api('POST', '/routes', { workspace_id: ws, ...body });
  expect(res.status, res.text).toBe(201);
  return res.body;
}
const put = (path: string, body: unknown) => t.api('PUT', path, body);
const dryRun = async (tool: string) => (await t.api('POST', '/dry-run', { workspace_id: ws, tool_name: tool })).body;

describe('approval_mode follows policy unless sent', () => {
  it('approve → allow resets approval_mode all to none, and the call no longer waits for approval', async () => {
    const r = await rule({ server_id: gh, tool_pattern: 'github__a', policy: 'approve' });
    expect(r.approval_mode).toBe('all');
    expect((await dryRun('github__a')).approval_required).toBe(true);
    const res = await put(`/routes/${r.id}`, { policy: 'allow' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ policy: 'allow', approval_mode: 'none' });
    expect(storedRoute(r.id).approval_mode).toBe('none');
    expect(await dryRun('github__a')).toMatchObject({ policy: 'allow', approval_required: false });
  });

  it('approve (write) → deny resets to none and drops the approval timeout; allow (write) → approve becomes all', async () => {
    const r = await rule({ server_id: gh, tool_pattern: 'github__b', policy: 'approve', approval_mode: 'write', approval_timeout_sec: 45 });
    expect(r).toMatchObject({ approval_mode: 'write', approval_timeout_sec: 45 });
    const denied = await put(`/routes/${r.id}`, { policy: 'deny' });
    expect(denied.body).toMatchObject({ policy: 'deny', approval_mode: 'none' });
    expect(denied.body).not.toHaveProperty('approval_timeout_sec');
    expect(storedRoute(r.id)).not.toHaveProperty('approval_timeout_sec');

    const w = await rule({ server_id: gh, tool_pattern: 'github__c', policy: 'allow', approval_mode: 'write' });
    expect((await put(`/routes/${w.id}`, { policy: 'approve' })).body.approval_mode).toBe('all');
  });

  it('keeps what the same write sends, and keeps approval_mode when policy does not change', async () => {
    const r = await rule({ server_id: gh, tool_pattern: 'github__d', policy: 'approve' });
    expect((await put(`/routes/${r.id}`, { policy: 'allow', approval_mode: 'write' })).body.approval_mode).toBe('write');
    expect((await put(`/routes/${r.id}`, { priority: 7 })).body).toMatchObject({ approval_mode: 'write', priority: 7 });
    expect((await put(`/routes/${r.id}`, { policy: 'allow' })).body.approval_mode).toBe('write');
  });

  it('refuses a sent approval_mode that contradicts the policy, on create and update, naming approval_mode', async () => {
    const r = await rule({ server_id: gh, tool_pattern: 'github__e', policy: 'approve' });
    const before = t.configText();
    for (const [method, path, body] of [
      ['PUT', `/routes/${r.id}`, { approval_mode: 'none' }],
      ['PUT', `/routes/${r.id}`, { policy: 'deny', approval_mode: 'all' }],
      ['POST', '/routes', { workspace_id: ws, policy: 'approve', approval_mode: 'none' }],
      ['POST', '/routes', { workspace_id: ws, policy: 'deny', approval_mode: 'write' }],
    ] as const) {
      const res = await t.api(method, path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorPaths(res.body)).toContain('approval_mode');
    }
    expect(t.configText()).toBe(before);
  });
});

describe('auth_scope_id belongs to the rule server', () => {
  it('drops a scope bound to the old server when server_id changes, keeps a scope bound to no server', async () => {
    const ghScope = (await t.api('POST', '/auth-scopes', { name: 'gh-token', server_id: gh, env_vars: { GH_TOKEN: 'x' } })).body;
    const shared = (await t.api('POST', '/auth-scopes', { name: 'shared', env_vars: { A: 'x' } })).body;
    const bound = await rule({ server_id: gh, tool_pattern: '*', auth_scope_id: ghScope.id });
    const moved = await put(`/routes/${bound.id}`, { server_id: lin });
    expect(moved.status).toBe(200);
    expect(moved.body.server_id).toBe(lin);
    expect(moved.body).not.toHaveProperty('auth_scope_id');
    expect(storedRoute(bound.id)).not.toHaveProperty('auth_scope_id');

    const free = await rule({ server_id: gh, tool_pattern: '*', auth_scope_id: shared.id });
    expect((await put(`/routes/${free.id}`, { server_id: lin })).body.auth_scope_id).toBe(shared.id);
  });

  it("refuses a scope bound to another server than the rule's, on create and update, and a scope moved under its rules", async () => {
    const linScope = (await t.api('POST', '/auth-scopes', { name: 'lin-token', server_id: lin, env_vars: { LIN: 'x' } })).body;
    const created = await t.api('POST', '/routes', { workspace_id: ws, server_id: gh, auth_scope_id: linScope.id });
    expect(created.status).toBe(400);
    expect(errorPaths(created.body)).toContain('auth_scope_id');
    const r = await rule({ server_id: lin, tool_pattern: 'linear__*', auth_scope_id: linScope.id });
    const moved = await put(`/routes/${r.id}`, { server_id: gh, auth_scope_id: linScope.id });
    expect(moved.status).toBe(400);
    expect(moved.body.error.message).toContain('lin-token');
    const scopeMoved = await put(`/auth-scopes/${linScope.id}`, { server_id: gh });
    expect(scopeMoved.status).toBe(409);
    expect(scopeMoved.body.error.message).toContain(r.id);
  });
});

describe('a downstream server that changes transport keeps nothing of the old one', () => {
  it('stdio → http (by sending a url): command, args, env and cwd go', async () => {
    const s = (await t.api('POST', '/downstreams', { name: 'Move', namespace: 'move', command: 'm', args: ['-x'], env: { A: '1' }, cwd: '/tmp' })).body;
    const res = await put(`/downstreams/${s.id}`, { url: 'http://127.0.0.1:9/mcp' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ transport: 'http', url: 'http://127.0.0.1:9/mcp', args: [], env: {} });
    expect(res.body).not.toHaveProperty('command');
    expect(res.body).not.toHaveProperty('cwd');
  });

  it('http → stdio: url and headers go; what the write sends stays', async () => {
    const s = (await t.api('POST', '/downstreams', { name: 'Back', namespace: 'back', url: 'http://127.0.0.1:9/mcp', headers: { X: 'y' } })).body;
    expect(s.transport).toBe('http');
    const res = await put(`/downstreams/${s.id}`, { transport: 'stdio', command: 'back-mcp', env: { B: '2' } });
    expect(res.body).toMatchObject({ transport: 'stdio', command: 'back-mcp', env: { B: '2' }, headers: {} });
    expect(res.body).not.toHaveProperty('url');
    const still = await put(`/downstreams/${s.id}`, { name: 'Back again' });
    expect(still.body).toMatchObject({ transport: 'stdio', command: 'back-mcp' });
  });
});

describe('an auth scope that stops being oauth2 keeps no OAuth fields', () => {
  it('oauth2 → env drops oauth_provider_id and token_env_var; env → header keeps its values', async () => {
    const s = (await t.api('POST', '/auth-scopes', { name: 'was-oauth', type: 'oauth2', oauth_provider_id: 'p1', token_env_var: 'TOKEN' })).body;
    const res = await put(`/auth-scopes/${s.id}`, { type: 'env', env_vars: { K: 'v' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'env', has_secrets: true });
    expect(res.body).not.toHaveProperty('oauth_provider_id');
    expect(res.body).not.toHaveProperty('token_env_var');
    expect((await put(`/auth-scopes/${s.id}`, { type: 'header' })).body).toMatchObject({ type: 'header', env_vars: { K: '********' } });
  });
});
