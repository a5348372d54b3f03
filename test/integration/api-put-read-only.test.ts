// A PUT may send back what GET (or the last PUT) returned: the fields the gateway sets (`id`,
// `source`, `created_at`, `updated_at`, a server's discovered lists, a scope's `has_secrets`, a
// workspace's `warnings`) are accepted and ignored when they equal what GET answers, on every
// CRUD resource (a new user's trial: GET /workspaces/w1 then PUT of the same body was refused
// with "id: unknown field; source: unknown field; …"). A read-only field with another value is a
// 400 naming it; an `id` that is not the path's item is a 400 saying so; an unknown field is still
// refused. config.json is unchanged by every refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
const ids: Record<string, string> = {};
beforeAll(async () => {
  t = await startTestGateway();
  ids.workspaces = (await t.api('POST', '/workspaces', { id: 'w1', name: 'Trial', root_path: '/srv/does-not-exist' })).body.id;
  ids.downstreams = (await t.api('POST', '/downstreams', { name: 'Target', command: 'node', namespace: 'target' })).body.id;
  ids.routes = (await t.api('POST', '/routes', { workspace_id: ids.workspaces, tool_pattern: 'target__*', name: 'r1' })).body.id;
  ids['auth-scopes'] = (await t.api('POST', '/auth-scopes', { name: 'scope', env_vars: { TOKEN: 'secret' } })).body.id;
});
afterAll(() => t?.close());

const RESOURCES = [
  { kind: 'workspaces', change: { name: 'Trial renamed' }, readOnly: ['id', 'source', 'created_at', 'updated_at'] },
  { kind: 'downstreams', change: { idle_timeout_sec: 120 }, readOnly: ['id', 'source', 'created_at', 'updated_at', 'tools', 'discovered_at'] },
  { kind: 'routes', change: { priority: 7 }, readOnly: ['id', 'source', 'created_at', 'updated_at'] },
  { kind: 'auth-scopes', change: { redaction_hints: ['pin'] }, readOnly: ['id', 'source', 'created_at', 'updated_at', 'has_secrets'] },
] as const;

describe.each(RESOURCES.map((r) => [r.kind, r] as const))('PUT /%s/{id}', (kind, r) => {
  const path = () => `/${kind}/${ids[kind]}`;

  it('accepts the body GET returned, unchanged, and changes nothing but updated_at', async () => {
    const before = (await t.api('GET', path())).body;
    for (const field of r.readOnly) expect(before).toHaveProperty(field);
    const res = await t.api('PUT', path(), before);
    expect(res.status).toBe(200);
    const { updated_at: _u, ...rest } = res.body;
    const { updated_at: _b, ...was } = before;
    expect(rest).toMatchObject(was);
  });

  it("accepts GET's body with a writable field changed, and applies it", async () => {
    const before = (await t.api('GET', path())).body;
    const res = await t.api('PUT', path(), { ...before, ...r.change });
    expect(res.status).toBe(200);
    expect((await t.api('GET', path())).body).toMatchObject(r.change);
  });

  it('accepts the body the last PUT returned', async () => {
    const answer = (await t.api('PUT', path(), r.change)).body;
    expect((await t.api('PUT', path(), answer)).status).toBe(200);
  });

  it.each(r.readOnly.filter((f) => f !== 'id'))('refuses %s with another value, naming it read-only', async (field) => {
    const config = t.configText();
    const before = (await t.api('GET', path())).body;
    const other =
      field === 'tools' ? [{ name: 'forged' }] : field === 'has_secrets' ? !before.has_secrets : field.endsWith('_at') ? '2001-01-01T00:00:00.000Z' : 'yaml';
    const res = await t.api('PUT', path(), { ...before, [field]: other });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: field, message: 'read-only (it is set by the gateway; leave it out or send the value GET returned)' }]);
    expect(t.configText()).toBe(config);
  });

  it('refuses an id that is not the id in the path, saying so', async () => {
    const config = t.configText();
    const res = await t.api('PUT', path(), { id: 'someone-else', ...r.change });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      {
        path: 'id',
        message: `"someone-else" is not the id of the item in the path ("${ids[kind]}"); leave id out, or send the item's own id (ids never change)`,
      },
    ]);
    expect(t.configText()).toBe(config);
  });

  it('still refuses a field GET never returns', async () => {
    const before = (await t.api('GET', path())).body;
    const res = await t.api('PUT', path(), { ...before, colour: 'blue' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'colour', message: 'unknown field' }]);
  });
});

it('the workspace answer with warnings (a root_path that does not exist) can be sent back', async () => {
  const answer = (await t.api('PUT', `/workspaces/${ids.workspaces}`, { name: 'Trial again' })).body;
  expect(answer.warnings?.[0]?.path).toBe('root_path');
  expect((await t.api('PUT', `/workspaces/${ids.workspaces}`, answer)).status).toBe(200);
});
