import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorPaths, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.close());

const stored = (id: string) => t.readConfig().workspaces.find((w) => w.id === id);
/** The stored entity of a create/update answer: `warnings` (these roots do not exist here) is not stored. */
const entity = ({ warnings: _warnings, ...rest }: Record<string, unknown>) => rest;

describe('workspaces over REST', () => {
  it('seeds the global workspace (root "/", allow, source default)', async () => {
    const list = await t.api('GET', '/workspaces');
    expect(list.status).toBe(200);
    expect(list.body[0]).toMatchObject({ id: 'global', name: 'Global', root_path: '/', default_policy: 'allow', source: 'default' });
    expect((await t.api('GET', '/workspaces/global')).body.id).toBe('global');
    expect(stored('global')).toMatchObject({ id: 'global', root_path: '/' });
  });

  it('creates with 201 and the stored object, with defaults, normalised root and timestamps, written to config.json', async () => {
    const res = await t.api('POST', '/workspaces', { name: 'Project A', root_path: '/srv/a/b/' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Project A', root_path: '/srv/a/b', default_policy: 'allow', tags: {}, source: 'api' });
    expect(typeof res.body.id).toBe('string');
    expect(res.body.id.length).toBeGreaterThan(0);
    expect(new Date(res.body.created_at).toISOString()).toBe(res.body.created_at);
    expect(res.body.updated_at).toBe(res.body.created_at);
    expect(stored(res.body.id)).toEqual(entity(res.body));
    expect((await t.api('GET', `/workspaces/${res.body.id}`)).body).toEqual(entity(res.body));
  });

  it('normalises "." and ".." in root_path and keeps tags as given', async () => {
    const res = await t.api('POST', '/workspaces', { name: 'Dots', root_path: '/srv/./x/../y', tags: ['a', 'b'], default_policy: 'deny' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ root_path: '/srv/y', tags: ['a', 'b'], default_policy: 'deny' });
    expect(stored(res.body.id)).toMatchObject({ root_path: '/srv/y', tags: ['a', 'b'] });
  });

  it('refuses a relative root_path with 400 naming root_path, and writes nothing', async () => {
    const before = t.configText();
    const res = await t.api('POST', '/workspaces', { name: 'Relative', root_path: 'projects/rel' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(errorPaths(res.body)).toContain('root_path');
    expect(t.configText()).toBe(before);
  });

  it.each([
    ['a NUL', '/tmp/x\u0000y', 'control characters'],
    ['a newline', '/tmp/one\ntwo', 'control characters'],
    ['a tab', '/tmp/one\ttwo', 'control characters'],
    ['100,000 characters', `/${'a'.repeat(99_999)}`, 'at most 4096 characters'],
  ])('refuses a root_path with %s (no client folder can be in it) on POST and PUT, naming root_path, writing nothing', async (_label, root, says) => {
    const before = t.configText();
    const created = await t.api('POST', '/workspaces', { name: 'Odd root', root_path: root });
    expect(created.status).toBe(400);
    expect(created.body.error.details).toEqual([expect.objectContaining({ path: 'root_path', message: expect.stringContaining(says) })]);
    expect((await t.api('POST', '/workspaces', { id: 'ws-odd', name: 'Odd', root_path: '/tmp/odd-root' })).status).toBe(201);
    const updated = await t.api('PUT', '/workspaces/ws-odd', { root_path: root });
    expect(updated.status).toBe(400);
    expect(errorPaths(updated.body)).toContain('root_path');
    expect((await t.api('DELETE', '/workspaces/ws-odd')).status).toBe(204);
    expect(t.configText()).toBe(before);
  });

  it('round-trips a client-chosen id; a taken id, name or root_path is 409 and writes nothing', async () => {
    const created = await t.api('POST', '/workspaces', { id: 'ws-chosen', name: 'Chosen', root_path: '/srv/chosen' });
    expect(created.status).toBe(201);
    expect(created.body.id).toBe('ws-chosen');
    expect(stored('ws-chosen')?.name).toBe('Chosen');
    const before = t.configText();
    const clashes = [
      { id: 'ws-chosen', name: 'Other name', root_path: '/srv/other1' },
      { name: 'Chosen', root_path: '/srv/other2' },
      { name: 'Same root', root_path: '/srv/chosen/' },
    ];
    for (const body of clashes) {
      const res = await t.api('POST', '/workspaces', body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body.error.code).toBe('conflict');
    }
    expect(t.configText()).toBe(before);
  });

  it('PUT merges one field over the stored record and bumps updated_at', async () => {
    const created = (await t.api('POST', '/workspaces', { name: 'Partial', root_path: '/srv/partial', tags: { team: 'x' } })).body;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await t.api('PUT', `/workspaces/${created.id}`, { default_policy: 'deny' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      name: 'Partial',
      root_path: '/srv/partial',
      tags: { team: 'x' },
      default_policy: 'deny',
      created_at: created.created_at,
    });
    expect(res.body.updated_at > created.updated_at).toBe(true);
    expect(stored(created.id)).toEqual(entity(res.body));
    const renamed = await t.api('PUT', `/workspaces/${created.id}`, { root_path: '/srv/partial2/' });
    expect(renamed.body).toMatchObject({ root_path: '/srv/partial2', default_policy: 'deny' });
    expect(stored(created.id)?.root_path).toBe('/srv/partial2');
  });

  it('PUT to a name or root that another workspace has is 409', async () => {
    const a = (await t.api('POST', '/workspaces', { name: 'Clash A', root_path: '/srv/clash-a' })).body;
    await t.api('POST', '/workspaces', { name: 'Clash B', root_path: '/srv/clash-b' });
    const before = t.configText();
    expect((await t.api('PUT', `/workspaces/${a.id}`, { name: 'Clash B' })).status).toBe(409);
    expect((await t.api('PUT', `/workspaces/${a.id}`, { root_path: '/srv/clash-b' })).status).toBe(409);
    expect(t.configText()).toBe(before);
  });

  it('answers 404 for an unknown id on GET, PUT and DELETE', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await t.api(method, '/workspaces/no-such-ws', method === 'PUT' ? { name: 'x' } : undefined);
      expect(res.status, method).toBe(404);
      expect(res.body.error.code).toBe('not_found');
      expect(res.body.error.message).toContain('no-such-ws');
    }
  });

  it('DELETE answers 204 with no body and removes it from config.json', async () => {
    const created = (await t.api('POST', '/workspaces', { name: 'Doomed', root_path: '/srv/doomed' })).body;
    const res = await t.api('DELETE', `/workspaces/${created.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(stored(created.id)).toBeUndefined();
    expect((await t.api('GET', `/workspaces/${created.id}`)).status).toBe(404);
  });

  it('DELETE with route rules is 409 naming them; ?cascade=true deletes the workspace and its rules', async () => {
    const ws = (await t.api('POST', '/workspaces', { name: 'With rules', root_path: '/srv/with-rules' })).body;
    const rule = (await t.api('POST', '/routes', { workspace_id: ws.id, tool_pattern: 'x__*' })).body;
    const before = t.configText();
    const refused = await t.api('DELETE', `/workspaces/${ws.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(rule.id);
    expect(refused.body.error.message).toContain('cascade=true');
    expect(t.configText()).toBe(before);
    const unclear = await t.api('DELETE', `/workspaces/${ws.id}?cascade=maybe`);
    expect(unclear.status).toBe(400);
    expect(errorPaths(unclear.body)).toContain('cascade');
    expect((await t.api('DELETE', `/workspaces/${ws.id}?cascade=false`)).status).toBe(409);
    expect(t.configText()).toBe(before);
    const cascaded = await t.api('DELETE', `/workspaces/${ws.id}?cascade=true`);
    expect(cascaded.status).toBe(204);
    const config = t.readConfig();
    expect(config.workspaces.some((w) => w.id === ws.id)).toBe(false);
    expect(config.routes.some((r) => r.id === rule.id)).toBe(false);
  });

  it('keeps global: DELETE (even with cascade) and a root_path change are 409', async () => {
    const before = t.configText();
    expect((await t.api('DELETE', '/workspaces/global')).status).toBe(409);
    expect((await t.api('DELETE', '/workspaces/global?cascade=true')).status).toBe(409);
    expect((await t.api('PUT', '/workspaces/global', { root_path: '/srv' })).status).toBe(409);
    expect(t.configText()).toBe(before);
    expect(stored('global')).toBeDefined();
  });

  it("global's default_policy is the default_policy setting", async () => {
    const res = await t.api('PUT', '/workspaces/global', { default_policy: 'deny' });
    expect(res.status).toBe(200);
    expect(res.body.default_policy).toBe('deny');
    expect(t.readConfig().settings.default_policy).toBe('deny');
    expect((await t.api('GET', '/settings')).body.settings.default_policy).toBe('deny');
    await t.api('PUT', '/settings', { default_policy: 'allow' });
    expect((await t.api('GET', '/workspaces/global')).body.default_policy).toBe('allow');
  });

  it('lists in creation order, matching config.json', async () => {
    const first = (await t.api('POST', '/workspaces', { name: 'Order 1', root_path: '/srv/order1' })).body;
    const second = (await t.api('POST', '/workspaces', { name: 'Order 2', root_path: '/srv/order2' })).body;
    const ids = (await t.api('GET', '/workspaces')).body.map((w: { id: string }) => w.id);
    expect(ids.indexOf(first.id)).toBe(ids.length - 2);
    expect(ids.indexOf(second.id)).toBe(ids.length - 1);
    expect(t.readConfig().workspaces.map((w) => w.id)).toEqual(ids);
  });
});
