// ORIGINAL.md "Decisions" (request bodies, responses) and "Conventions", written from the
// original's behaviour alone: its aliases, status codes, bodies and orderings, on the real REST API.
// Not here, on purpose: the `reason` alias (approvals) and `authorize_url` (OAuth) come with the
// issues that build those endpoints.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorPaths, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { scratchDir } from '../helpers/original-harness.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
let t: TestGateway;
let ws: string;
let gh: string;

beforeAll(async () => {
  const yamlFile = path.join(scratchDir(), 'mcplexer.yaml');
  writeFileSync(yamlFile, 'workspaces:\n  - name: from-yaml\n    root_path: /orig/yaml\n');
  t = await startTestGateway({ env: { MCPLEXER_CONFIG: yamlFile } });
  ws = (await t.api('POST', '/workspaces', { name: 'orig', root_path: '/orig/ws' })).body.id;
  gh = (await t.api('POST', '/downstreams', { name: 'GitHub', namespace: 'github', command: 'gh-mcp' })).body.id;
});
afterAll(() => t?.close());

const post = (apiPath: string, body: unknown) => t.api('POST', apiPath, body);
/** The stored entity of a create/update answer: `warnings` (a missing root_path here) is not stored. */
const entity = ({ warnings: _warnings, ...stored }: Record<string, unknown>) => stored;

describe('input aliases', () => {
  it('tool_match: a string answers a string, two patterns an array, one-element array a string', async () => {
    const one = await post('/routes', { workspace_id: ws, tool_match: 'github__get_*' });
    expect(one.status).toBe(201);
    expect(one.body.tool_pattern).toBe('github__get_*');
    expect(one.body).not.toHaveProperty('tool_match');
    const two = await post('/routes', { workspace_id: ws, tool_match: ['github__a', 'github__b'] });
    expect(two.body.tool_pattern).toEqual(['github__a', 'github__b']);
    const single = await post('/routes', { workspace_id: ws, tool_match: ['github__c'] });
    expect(single.body.tool_pattern).toBe('github__c');
    expect((await t.api('GET', `/routes/${two.body.id}`)).body.tool_pattern).toEqual(['github__a', 'github__b']);
  });

  it('downstream_server_id → server_id and approval_timeout → approval_timeout_sec', async () => {
    const res = await post('/routes', { workspace_id: ws, downstream_server_id: gh, approval_timeout: 45, tool_pattern: 'github__*' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ server_id: gh, approval_timeout_sec: 45 });
    expect(res.body).not.toHaveProperty('downstream_server_id');
    expect(res.body).not.toHaveProperty('approval_timeout');
  });

  it('tool_namespace → namespace and disabled → the negation of enabled, on create and on PUT', async () => {
    const res = await post('/downstreams', { name: 'Linear', tool_namespace: 'linear', command: 'linear-mcp', disabled: true });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ namespace: 'linear', enabled: false });
    expect(res.body).not.toHaveProperty('tool_namespace');
    expect(res.body).not.toHaveProperty('disabled');
    const put = await t.api('PUT', `/downstreams/${res.body.id}`, { disabled: false, tool_namespace: 'linear2' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ namespace: 'linear2', enabled: true, command: 'linear-mcp' });
  });

  it.each([
    ['/routes', { tool_pattern: 'a', tool_match: 'b' }, 'tool_match'],
    ['/routes', { server_id: 'x', downstream_server_id: 'x' }, 'downstream_server_id'],
    ['/routes', { approval_timeout_sec: 5, approval_timeout: 5 }, 'approval_timeout'],
    ['/downstreams', { namespace: 'n1', tool_namespace: 'n1' }, 'tool_namespace'],
    ['/downstreams', { enabled: true, disabled: false }, 'disabled'],
  ])('a name and its alias together on POST %s is a 400 naming the alias (%j)', async (apiPath, extra, alias) => {
    const base = apiPath === '/routes' ? { workspace_id: ws } : { name: `clash-${alias}`, command: 'x', namespace: 'clash' };
    const res = await post(apiPath, { ...base, ...extra });
    expect(res.status).toBe(400);
    expect(errorPaths(res.body)).toContain(alias);
  });

  it.each([
    ['/workspaces', { name: 'u', root_path: '/orig/u' }],
    ['/downstreams', { name: 'u', command: 'x', namespace: 'u' }],
    ['/routes', { workspace_id: 'global' }],
    ['/auth-scopes', { name: 'u' }],
  ])('any other unknown field on POST %s is a 400 naming it', async (apiPath, body) => {
    const res = await post(apiPath, { ...body, frobnicate: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed' });
    expect(errorPaths(res.body)).toEqual(['frobnicate']);
  });
});

describe('POST /routes/bulk', () => {
  it('takes a bare array and answers 201 with the created rules in order; {"rules": [...]} too', async () => {
    const bare = await post('/routes/bulk', [
      { workspace_id: ws, tool_match: 'github__1' },
      { workspace_id: ws, tool_match: 'github__2', priority: 7 },
    ]);
    expect(bare.status).toBe(201);
    expect(bare.body.map((r: { tool_pattern: string }) => r.tool_pattern)).toEqual(['github__1', 'github__2']);
    expect(bare.body[1]).toMatchObject({ priority: 7, source: 'api' });
    const wrapped = await post('/routes/bulk', { rules: [{ workspace_id: ws, tool_pattern: 'github__3' }] });
    expect(wrapped.status).toBe(201);
    expect(wrapped.body).toHaveLength(1);
  });

  it('is all-or-nothing, 1 to 50 rules ("empty rules array", "too many rules (max 50)")', async () => {
    const before = (await t.api('GET', '/routes')).body.length;
    const bad = await post('/routes/bulk', [{ workspace_id: ws, tool_pattern: 'github__ok' }, { workspace_id: 'nope' }]);
    expect(bad.status).toBe(400);
    const empty = await post('/routes/bulk', []);
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('empty rules array');
    const many = await post(
      '/routes/bulk',
      Array.from({ length: 51 }, () => ({ workspace_id: ws })),
    );
    expect(many.status).toBe(400);
    expect(many.body.error.message).toContain('too many rules (max 50)');
    expect((await t.api('GET', '/routes')).body.length).toBe(before);
    expect(
      (
        await post(
          '/routes/bulk',
          Array.from({ length: 50 }, () => ({ workspace_id: ws })),
        )
      ).status,
    ).toBe(201);
  });
});

describe('responses', () => {
  it.each([
    ['/workspaces', { name: 'made', root_path: '/orig/made' }],
    ['/downstreams', { name: 'Made', namespace: 'made', command: 'made-mcp' }],
    ['/routes', () => ({ workspace_id: ws, tool_pattern: 'github__made' })],
    ['/auth-scopes', { name: 'made-scope', env_vars: { TOKEN: 'secret' } }],
  ])('create on %s is 201 with the stored object; DELETE is 204 with no body; then 404', async (apiPath, body) => {
    const created = await post(apiPath, typeof body === 'function' ? body() : body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ source: 'api' });
    expect(created.body.created_at).toMatch(RFC3339);
    expect(created.body.updated_at).toMatch(RFC3339);
    expect((await t.api('GET', `${apiPath}/${created.body.id}`)).body).toEqual(entity(created.body));
    const removed = await t.api('DELETE', `${apiPath}/${created.body.id}`);
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expect((await t.api('GET', `${apiPath}/${created.body.id}`)).status).toBe(404);
  });

  it('create fills the defaults: priority 100, path_glob "**", policy allow, default_policy allow, discovery static', async () => {
    const rule = await post('/routes', { workspace_id: ws });
    expect(rule.body).toMatchObject({ tool_pattern: '*', path_glob: '**', policy: 'allow', priority: 100, approval_mode: 'none' });
    const workspace = await post('/workspaces', { name: 'defaults', root_path: '/orig/defaults' });
    expect(workspace.body).toMatchObject({ default_policy: 'allow', tags: {} });
    // tags: an object or the original's array, answered as stored.
    expect((await post('/workspaces', { name: 'tagged', root_path: '/orig/tagged', tags: ['a', 'b'] })).body.tags).toEqual(['a', 'b']);
    const server = await post('/downstreams', { name: 'Defaults', namespace: 'defaults', command: 'd' });
    expect(server.body).toMatchObject({ discovery: 'static', enabled: true, idle_timeout_sec: 300, expose_unprefixed: false });
  });

  it('lists are bare arrays in creation order, never null, with source on every entity', async () => {
    const t2 = await startTestGateway();
    try {
      expect((await t2.api('GET', '/auth-scopes')).body).toEqual([]);
      for (const name of ['zulu', 'alpha', 'mike']) await t2.api('POST', '/workspaces', { name, root_path: `/orig/${name}` });
      const workspaces = (await t2.api('GET', '/workspaces')).body;
      expect(workspaces.map((w: { name: string }) => w.name)).toEqual(['Global', 'zulu', 'alpha', 'mike']);
      expect(workspaces.map((w: { source: string }) => w.source)).toEqual(['default', 'api', 'api', 'api']);
      for (const id of ['r-z', 'r-a', 'r-m']) await t2.api('POST', '/routes', { id, workspace_id: 'global', priority: id === 'r-m' ? 1 : 100 });
      expect((await t2.api('GET', '/routes')).body.map((r: { id: string }) => r.id)).toEqual(['builtin-allow', 'r-z', 'r-a', 'r-m']);
      for (const name of ['s-z', 's-a']) await t2.api('POST', '/downstreams', { name, namespace: name, command: 'x' });
      expect((await t2.api('GET', '/downstreams')).body.map((s: { id: string; name: string }) => s.name)).toEqual(['MCPlexer Built-in Tools', 's-z', 's-a']);
    } finally {
      await t2.close();
    }
  });

  it('source is "default" for the seeds, "yaml" for the YAML file\'s items and "api" for the rest', async () => {
    const workspaces = (await t.api('GET', '/workspaces')).body as Array<{ id: string; name: string; source: string }>;
    expect(workspaces.find((w) => w.id === 'global')?.source).toBe('default');
    expect(workspaces.find((w) => w.name === 'from-yaml')?.source).toBe('yaml');
    expect(workspaces.find((w) => w.id === ws)?.source).toBe('api');
    expect((await t.api('GET', '/downstreams/mcpx-builtin')).body.source).toBe('default');
    expect((await t.api('GET', '/routes/builtin-allow')).body.source).toBe('default');
    for (const list of ['/workspaces', '/downstreams', '/routes', '/auth-scopes']) {
      for (const item of (await t.api('GET', list)).body) expect(['api', 'yaml', 'default'], `${list} ${item.id}`).toContain(item.source);
    }
  });
});

describe('partial PUT and client-chosen ids', () => {
  it.each([
    ['/workspaces', { id: 'pw', name: 'pw', root_path: '/orig/pw', tags: { team: 'a' } }, { default_policy: 'deny' }, { name: 'pw-2', root_path: '/orig/pw2' }],
    [
      '/downstreams',
      { id: 'pd', name: 'pd', namespace: 'pd', command: 'pd-mcp', args: ['--x'], env: { A: '1' } },
      { idle_timeout_sec: 60 },
      { name: 'pd-2', namespace: 'pd2', command: 'x' },
    ],
    [
      '/routes',
      { id: 'pr', workspace_id: 'global', tool_pattern: ['a__x', 'a__y'], path_glob: 'src/**', priority: 9 },
      { policy: 'deny' },
      { workspace_id: 'global' },
    ],
    ['/auth-scopes', { id: 'ps', name: 'ps', env_vars: { TOKEN: 't', OTHER: 'o' }, redaction_hints: ['tok'] }, { name: 'ps2' }, { name: 'ps-3' }],
  ])("PUT %s/{id} merges over the stored record; the id was the client's; a taken id is 409", async (apiPath, body, patch, other) => {
    const created = await post(apiPath, body);
    expect(created.status).toBe(201);
    expect(created.body.id).toBe(body.id);
    const updated = await t.api('PUT', `${apiPath}/${body.id}`, patch);
    expect(updated.status).toBe(200);
    const { updated_at: _a, ...before } = created.body;
    const { updated_at: _b, ...after } = updated.body;
    expect(after).toEqual({ ...before, ...patch });
    expect((await t.api('GET', `${apiPath}/${body.id}`)).body).toEqual(entity(updated.body));
    const again = await post(apiPath, { id: body.id, ...other });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  it('without an id the gateway makes one; an unknown id in a path is a 404', async () => {
    const res = await post('/workspaces', { name: 'gen', root_path: '/orig/gen' });
    expect(typeof res.body.id).toBe('string');
    expect(res.body.id.length).toBeGreaterThan(0);
    for (const list of ['/workspaces', '/downstreams', '/routes', '/auth-scopes']) {
      expect((await t.api('GET', `${list}/no-such-id`)).status).toBe(404);
      expect((await t.api('PUT', `${list}/no-such-id`, {})).status).toBe(404);
      expect((await t.api('DELETE', `${list}/no-such-id`)).status).toBe(404);
    }
  });
});
