// A list answered whole to a query it did not understand reads as filtered: `GET /routes?workspace_id=proj`
// answered every rule, the global built-in one too, and any unknown parameter was ignored on the
// CRUD lists (a trial: a script "deleting proj's rules" that way would delete them all). /routes now
// filters by workspace_id; every other parameter, on every CRUD GET, is a 400 naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  expect((await t.api('POST', '/workspaces', { id: 'proj', name: 'proj', root_path: '/tmp/list-query-proj' })).status).toBe(201);
  expect((await t.api('POST', '/routes', { id: 'proj-deny', workspace_id: 'proj', tool_pattern: 'a__*', policy: 'deny' })).status).toBe(201);
});
afterAll(async () => t?.close());

describe('query parameters on the CRUD lists', () => {
  it('GET /routes?workspace_id= answers that workspace’s rules only; without it, all', async () => {
    const proj = await t.api('GET', '/routes?workspace_id=proj');
    expect(proj.status).toBe(200);
    expect(proj.body.map((r: { id: string }) => r.id)).toEqual(['proj-deny']);
    expect((await t.api('GET', '/routes?workspace_id=nosuch')).body).toEqual([]);
    // The workspace named as anywhere else: by its name or its root path too (a trial got [] by name).
    const ws = (await t.api('POST', '/workspaces', { name: 'named one', root_path: '/tmp/list-query-named' })).body;
    expect((await t.api('POST', '/routes', { workspace_id: ws.id, tool_pattern: 'b__*', policy: 'deny' })).status).toBe(201);
    const byId = (await t.api('GET', `/routes?workspace_id=${encodeURIComponent(ws.id)}`)).body;
    expect(byId.length).toBeGreaterThan(0);
    expect((await t.api('GET', `/routes?workspace_id=${encodeURIComponent(ws.name)}`)).body).toEqual(byId);
    expect((await t.api('GET', `/routes?workspace_id=${encodeURIComponent(ws.root_path)}`)).body).toEqual(byId);
    const all = (await t.api('GET', '/routes')).body.map((r: { id: string }) => r.id);
    expect(all).toEqual(expect.arrayContaining(['proj-deny', 'builtin-allow']));
    // The shared client sends the same query.
    expect((await t.client.listRoutes({ workspace_id: 'proj' })).map((r) => r.id)).toEqual(['proj-deny']);
  });

  it.each([
    ['/routes?bogus=1', 'bogus', 'use workspace_id'],
    ['/workspaces?workspace_id=proj', 'workspace_id', 'takes no query parameters'],
    ['/downstreams?enabled=true', 'enabled', 'takes no query parameters'],
    ['/auth-scopes?x=1', 'x', 'takes no query parameters'],
    ['/routes/proj-deny?verbose=1', 'verbose', 'takes no query parameters'],
  ])('GET %s is a 400 naming %s', async (url, name, says) => {
    const res = await t.api('GET', url);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(name);
    expect(res.body.error.message).toContain(says);
  });
});
