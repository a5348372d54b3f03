// Issue 14, "What a new user stumbled on": names are accepted wherever an id is (an id always
// wins; a name that several entities share is a 409 saying so), and a workspace whose root_path
// does not exist on this machine is stored with a warning in the answer, not silently.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
let realDir: string;
beforeAll(async () => {
  t = await startTestGateway();
  realDir = mkdtempSync(path.join(tmpdir(), 'mcplexer-root-'));
});
afterAll(() => t?.close());

const enc = encodeURIComponent;

describe('root_path that does not exist: accepted, with a warning', () => {
  it('create: 201 with warnings naming root_path; the stored entity has no warnings field', async () => {
    for (const root of ['/nowhere/at/all', path.join(realDir, 'not-yet')]) {
      const res = await t.api('POST', '/workspaces', { name: `missing ${root}`, root_path: root });
      expect(res.status).toBe(201);
      expect(res.body.warnings).toEqual([
        { path: 'root_path', message: `"${root}" does not exist on this machine; calls from inside it will not match until it does` },
      ]);
      const stored = t.readConfig().workspaces.find((w) => w.id === res.body.id)!;
      expect(stored).not.toHaveProperty('warnings');
      const { warnings: _w, ...entity } = res.body;
      expect(stored).toEqual(entity);
      expect((await t.api('GET', `/workspaces/${res.body.id}`)).body).toEqual(entity);
    }
  });

  it('create with an existing directory has no warnings; update to a missing one or to a file warns', async () => {
    const res = await t.api('POST', '/workspaces', { name: 'real', root_path: realDir });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('warnings');
    const moved = await t.api('PUT', `/workspaces/${res.body.id}`, { root_path: '/gone/away' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ root_path: '/gone/away', warnings: [{ path: 'root_path' }] });
    expect(moved.body.warnings[0].message).toContain('does not exist on this machine');
    const file = path.join(realDir, 'a-file');
    writeFileSync(file, 'x');
    const toFile = await t.api('PUT', `/workspaces/${res.body.id}`, { root_path: file });
    expect(toFile.body.warnings).toEqual([{ path: 'root_path', message: `"${file}" is not a directory; calls are matched by the directory a client runs in` }]);
    const back = await t.api('PUT', `/workspaces/${res.body.id}`, { root_path: realDir });
    expect(back.body).not.toHaveProperty('warnings');
  });
});

describe('names wherever ids', () => {
  it('workspaces: GET, PUT and DELETE by name or root path, and dry-run by name or root path', async () => {
    const ws = (await t.api('POST', '/workspaces', { name: 'proj', root_path: '/names/proj', default_policy: 'deny' })).body;
    expect((await t.api('GET', '/workspaces/proj')).body.id).toBe(ws.id);
    expect((await t.api('GET', `/workspaces/${enc('/names/proj')}`)).body.id).toBe(ws.id);
    expect((await t.api('PUT', '/workspaces/proj', { tags: { team: 'a' } })).body).toMatchObject({ id: ws.id, tags: { team: 'a' } });
    for (const ref of ['proj', '/names/proj', ws.id]) {
      const dry = await t.api('POST', '/dry-run', { workspace_id: ref, tool_name: 'github__x' });
      expect(dry.status, ref).toBe(200);
      expect(dry.body).toMatchObject({ matched: false, policy: 'deny', workspace: { id: ws.id } });
    }
    const unknown = await t.api('POST', '/dry-run', { workspace_id: 'no-such-ws', tool_name: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('no-such-ws');
    expect((await t.api('DELETE', '/workspaces/proj')).status).toBe(204);
    expect((await t.api('GET', `/workspaces/${ws.id}`)).status).toBe(404);
  });

  it("a name cannot be another entity's id (a reference would find the id's owner); a name reaches its own entity", async () => {
    const a = (await t.api('POST', '/workspaces', { id: 'alpha', name: 'first', root_path: '/names/a' })).body;
    const b = await t.api('POST', '/workspaces', { name: 'alpha', root_path: '/names/b' });
    expect(b.status).toBe(409);
    expect(b.body.error.details).toEqual([{ path: 'name', message: 'is the id of workspace alpha' }]);
    expect((await t.api('GET', '/workspaces/alpha')).body.id).toBe(a.id);
    expect((await t.api('GET', '/workspaces/first')).body.id).toBe(a.id);
    expect((await t.api('POST', '/dry-run', { workspace_id: 'alpha', tool_name: 'x' })).body.workspace.id).toBe('alpha');
  });

  it('downstreams by name or namespace; route rules and auth scopes by name (secrets too)', async () => {
    const gh = (await t.api('POST', '/downstreams', { name: 'GitHub', namespace: 'github', command: 'gh' })).body;
    expect((await t.api('GET', '/downstreams/GitHub')).body.id).toBe(gh.id);
    expect((await t.api('GET', '/downstreams/github')).body.id).toBe(gh.id);
    expect((await t.api('PUT', '/downstreams/github', { idle_timeout_sec: 60 })).body).toMatchObject({ id: gh.id, idle_timeout_sec: 60 });
    expect((await t.api('GET', '/downstreams/github/health')).body.server_id).toBe(gh.id);

    const r = (await t.api('POST', '/routes', { workspace_id: 'global', name: 'block-writes', tool_pattern: 'github__write*', policy: 'deny' })).body;
    expect((await t.api('GET', '/routes/block-writes')).body.id).toBe(r.id);
    expect((await t.api('PUT', '/routes/block-writes', { priority: 3 })).body).toMatchObject({ id: r.id, priority: 3 });

    const scope = (await t.api('POST', '/auth-scopes', { name: 'gh-token', env_vars: { GH: 'v' } })).body;
    expect((await t.api('GET', '/auth-scopes/gh-token')).body.id).toBe(scope.id);
    expect((await t.api('PUT', '/auth-scopes/gh-token/secrets', { key: 'OTHER', value: 'w' })).status).toBe(200);
    expect((await t.api('GET', '/auth-scopes/gh-token/secrets')).body.keys).toEqual(['GH', 'OTHER']);
    expect((await t.api('DELETE', '/auth-scopes/gh-token/secrets/OTHER')).status).toBe(204);

    expect((await t.api('DELETE', '/routes/block-writes')).status).toBe(204);
    expect((await t.api('DELETE', '/auth-scopes/gh-token')).status).toBe(204);
    expect((await t.api('DELETE', '/downstreams/github')).status).toBe(204);
    expect((await t.api('GET', `/downstreams/${gh.id}`)).status).toBe(404);
  });

  it('a name several rules share is a 409 that lists their ids, and changes nothing; each id still works', async () => {
    const one = (await t.api('POST', '/routes', { workspace_id: 'global', name: 'twice', tool_pattern: 'a__x' })).body;
    const two = (await t.api('POST', '/routes', { workspace_id: 'global', name: 'twice', tool_pattern: 'b__x' })).body;
    const before = t.configText();
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { priority: 1 }],
      ['DELETE', undefined],
    ] as const) {
      const res = await t.api(method, '/routes/twice', body);
      expect(res.status, method).toBe(409);
      expect(res.body.error.code).toBe('conflict');
      expect(res.body.error.message).toContain('ambiguous');
      expect(res.body.error.message).toContain(one.id);
      expect(res.body.error.message).toContain(two.id);
    }
    expect(t.configText()).toBe(before);
    expect((await t.api('GET', `/routes/${two.id}`)).body.tool_pattern).toBe('b__x');
  });

  it("a downstream's name that is another's namespace is ambiguous (409), and each id still works", async () => {
    const a = (await t.api('POST', '/downstreams', { name: 'shared', namespace: 'first-ns', command: 'a' })).body;
    const b = (await t.api('POST', '/downstreams', { name: 'Second', namespace: 'shared', command: 'b' })).body;
    const res = await t.api('GET', '/downstreams/shared');
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(a.id);
    expect(res.body.error.message).toContain(b.id);
    expect((await t.api('GET', '/downstreams/first-ns')).body.id).toBe(a.id);
  });
});
