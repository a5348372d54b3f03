import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorPaths, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
let ws: string;
let server: string;
beforeAll(async () => {
  t = await startTestGateway();
  ws = (await t.api('POST', '/workspaces', { name: 'Routes WS', root_path: '/srv/routes' })).body.id;
  server = (await t.api('POST', '/downstreams', { name: 'GitHub', command: 'gh-mcp', namespace: 'github' })).body.id;
});
afterAll(() => t?.close());

const storedRoutes = () => t.readConfig().routes;
const stored = (id: string) => storedRoutes().find((r) => r.id === id);

describe('route rules over REST', () => {
  it('seeds builtin-allow: global, mcpx__*, allow, priority 100', async () => {
    const res = await t.api('GET', '/routes/builtin-allow');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      workspace_id: 'global',
      server_id: 'mcpx-builtin',
      tool_pattern: 'mcpx__*',
      path_glob: '**',
      policy: 'allow',
      priority: 100,
      source: 'default',
    });
    expect((await t.api('GET', '/routes')).body[0].id).toBe('builtin-allow');
  });

  it('creates with 201, defaults (path_glob "**", priority 100) and writes config.json', async () => {
    const res = await t.api('POST', '/routes', { workspace_id: ws, server_id: server, tool_pattern: 'github__*', policy: 'allow' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      workspace_id: ws,
      server_id: server,
      tool_pattern: 'github__*',
      path_glob: '**',
      policy: 'allow',
      priority: 100,
      approval_mode: 'none',
      source: 'api',
    });
    expect(stored(res.body.id)).toEqual(res.body);
    expect((await t.api('GET', `/routes/${res.body.id}`)).body).toEqual(res.body);
  });

  it('accepts the aliases tool_match (string or array), downstream_server_id and approval_timeout', async () => {
    const one = await t.api('POST', '/routes', {
      workspace_id: ws,
      downstream_server_id: server,
      tool_match: 'github__get_*',
      approval_timeout: 60,
      policy: 'approve',
    });
    expect(one.status).toBe(201);
    expect(one.body).toMatchObject({ server_id: server, tool_pattern: 'github__get_*', approval_timeout_sec: 60, approval_mode: 'all' });
    for (const alias of ['tool_match', 'downstream_server_id', 'approval_timeout']) expect(one.body).not.toHaveProperty(alias);
    expect(stored(one.body.id)).toMatchObject({ server_id: server, tool_pattern: 'github__get_*', approval_timeout_sec: 60 });

    const many = await t.api('POST', '/routes', { workspace_id: ws, tool_match: ['github__a', 'github__b'] });
    expect(many.status).toBe(201);
    expect(many.body.tool_pattern).toEqual(['github__a', 'github__b']);
    const single = await t.api('POST', '/routes', { workspace_id: ws, tool_match: ['github__only'] });
    expect(single.body.tool_pattern).toBe('github__only');
    expect(stored(many.body.id)?.tool_pattern).toEqual(['github__a', 'github__b']);
  });

  it.each([
    [{ tool_pattern: 'a', tool_match: 'b' }, 'tool_match'],
    [{ server_id: 'x', downstream_server_id: 'x' }, 'downstream_server_id'],
    [{ approval_timeout_sec: 1, approval_timeout: 1 }, 'approval_timeout'],
  ])('refuses a name sent with its alias: %j → 400 naming %s', async (extra, field) => {
    const before = t.configText();
    const res = await t.api('POST', '/routes', { workspace_id: ws, ...extra });
    expect(res.status).toBe(400);
    expect(errorPaths(res.body)).toContain(field);
    expect(t.configText()).toBe(before);
  });

  it('refuses references to a workspace, server or auth scope that does not exist', async () => {
    const before = t.configText();
    for (const [body, field] of [
      [{ workspace_id: 'no-ws' }, 'workspace_id'],
      [{ workspace_id: ws, server_id: 'no-server' }, 'server_id'],
      [{ workspace_id: ws, auth_scope_id: 'no-scope' }, 'auth_scope_id'],
      [{ tool_pattern: 'x' }, 'workspace_id'],
      [{ workspace_id: ws, path_glob: 'src/[abc' }, 'path_glob'],
      [{ workspace_id: ws, tool_pattern: '' }, 'tool_pattern'],
      [{ workspace_id: ws, policy: 'maybe' }, 'policy'],
    ] as const) {
      const res = await t.api('POST', '/routes', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorPaths(res.body), JSON.stringify(body)).toContain(field);
    }
    expect(t.configText()).toBe(before);
  });

  it('a taken client-chosen id is 409', async () => {
    const created = await t.api('POST', '/routes', { id: 'rule-chosen', workspace_id: ws });
    expect(created.status).toBe(201);
    expect(created.body.id).toBe('rule-chosen');
    const before = t.configText();
    expect((await t.api('POST', '/routes', { id: 'rule-chosen', workspace_id: ws })).status).toBe(409);
    expect(t.configText()).toBe(before);
  });

  it('PUT merges (aliases too), 404 on unknown ids, DELETE 204', async () => {
    const rule = (await t.api('POST', '/routes', { workspace_id: ws, tool_pattern: 'github__x', priority: 5, description: 'keep me' })).body;
    const res = await t.api('PUT', `/routes/${rule.id}`, { tool_match: ['github__x', 'github__y'], policy: 'deny' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: rule.id, priority: 5, description: 'keep me', policy: 'deny', tool_pattern: ['github__x', 'github__y'] });
    expect(stored(rule.id)).toEqual(res.body);
    const unset = await t.api('PUT', `/routes/${rule.id}`, { server_id: server });
    expect(unset.body.server_id).toBe(server);
    expect(stored(rule.id)?.server_id).toBe(server);

    for (const method of ['GET', 'PUT', 'DELETE']) {
      const missing = await t.api(method, '/routes/no-such-rule', method === 'PUT' ? { priority: 1 } : undefined);
      expect(missing.status, method).toBe(404);
    }
    const deleted = await t.api('DELETE', `/routes/${rule.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(stored(rule.id)).toBeUndefined();
  });
});

describe('POST /routes/bulk', () => {
  const rule = (pattern: string) => ({ workspace_id: ws, server_id: server, tool_pattern: pattern, policy: 'allow' });

  it('creates every rule of {rules:[…]} with 201, in order, written to config.json', async () => {
    const res = await t.api('POST', '/routes/bulk', { rules: [rule('github__b1'), rule('github__b2'), rule('github__b3')] });
    expect(res.status).toBe(201);
    expect(res.body.map((r: { tool_pattern: string }) => r.tool_pattern)).toEqual(['github__b1', 'github__b2', 'github__b3']);
    const ids = storedRoutes().map((r) => r.id);
    expect(ids.slice(-3)).toEqual(res.body.map((r: { id: string }) => r.id));
  });

  it('accepts a bare JSON array, with aliases inside', async () => {
    const res = await t.api('POST', '/routes/bulk', [
      { workspace_id: ws, tool_match: ['github__c1', 'github__c2'] },
      { workspace_id: ws, downstream_server_id: server },
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toHaveLength(2);
    expect(res.body[0].tool_pattern).toEqual(['github__c1', 'github__c2']);
    expect(res.body[1].server_id).toBe(server);
    expect(stored(res.body[1].id)?.server_id).toBe(server);
  });

  it('accepts exactly 50 rules, refuses 0 and 51', async () => {
    const fifty = await t.api(
      'POST',
      '/routes/bulk',
      Array.from({ length: 50 }, (_, i) => rule(`github__fifty_${i}`)),
    );
    expect(fifty.status).toBe(201);
    expect(storedRoutes().filter((r) => String(r.tool_pattern).startsWith('github__fifty_'))).toHaveLength(50);
    const before = t.configText();
    for (const body of [[], { rules: [] }, Array.from({ length: 51 }, (_, i) => rule(`github__many_${i}`))]) {
      const res = await t.api('POST', '/routes/bulk', body);
      expect(res.status).toBe(400);
      expect(errorPaths(res.body)).toContain('rules');
    }
    expect(t.configText()).toBe(before);
  });

  it.each([
    ['a bad field value', 'rules.1.policy', { policy: 'sometimes' }],
    ['an unknown field', 'rules.1.colour', { colour: 'red' }],
    ['a name with its alias', 'rules.1.tool_match', { tool_match: 'x' }],
    ['an empty tool pattern', 'rules.1.tool_pattern', { tool_pattern: '' }],
    ['a missing workspace', 'rules.1.workspace_id', { workspace_id: 'no-such-ws' }],
    ['a missing server', 'rules.1.server_id', { server_id: 'no-such-server' }],
  ])('is all-or-nothing: %s in the 2nd rule creates none and names %s', async (_label, path, bad) => {
    const before = t.configText();
    const listBefore = (await t.api('GET', '/routes')).body;
    const res = await t.api('POST', '/routes/bulk', { rules: [rule('github__ok1'), { ...rule('github__bad'), ...bad }, rule('github__ok2')] });
    expect(res.status).toBe(400);
    expect(errorPaths(res.body)).toContain(path);
    expect(t.configText()).toBe(before);
    expect((await t.api('GET', '/routes')).body).toEqual(listBefore);
  });

  it('is all-or-nothing on a taken id, too (409, nothing created)', async () => {
    const before = t.configText();
    const res = await t.api('POST', '/routes/bulk', { rules: [rule('github__first'), { ...rule('github__dup'), id: 'builtin-allow' }] });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual([{ path: 'rules.1.id', message: 'already taken' }]);
    // Two rules of the same batch with one id: the second is named.
    const twice = await t.api('POST', '/routes/bulk', {
      rules: [rule('github__x'), { ...rule('github__y'), id: 'same' }, { ...rule('github__z'), id: 'same' }],
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.details).toEqual([{ path: 'rules.2.id', message: 'already taken' }]);
    expect(t.configText()).toBe(before);
  });

  it('refuses a body that is neither {rules:[…]} nor an array, or has other fields', async () => {
    const before = t.configText();
    for (const [body, field] of [
      [{ rule: [] }, 'rules'],
      [{ rules: 'x' }, 'rules'],
      [{ rules: [rule('github__z')], dry: true }, 'dry'],
      ['"text"', 'rules'],
    ] as const) {
      const res = await t.api('POST', '/routes/bulk', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorPaths(res.body)).toContain(field);
    }
    expect(t.configText()).toBe(before);
  });
});
