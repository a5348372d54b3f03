import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PENDING_ENDPOINTS } from '../../src/gateway/http/routers/not-implemented.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.close());

describe('health', () => {
  it('reports status, version, uptime, data dir and config file', async () => {
    const res = await t.api('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', data_dir: t.home, config_file: t.configPath, http_addr: `127.0.0.1:${t.gw.port}` });
    expect(res.body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Number.isInteger(res.body.uptime_seconds)).toBe(true);
    expect(res.body).not.toHaveProperty('config_error');
  });
});

describe('endpoints of the reference', () => {
  it.each([
    ['GET', '/mcp-install/status'],
    ['GET', '/oauth-templates'],
    ['GET', '/oauth-providers'],
    ['GET', '/downstreams/some-id/oauth-capabilities'],
  ])('%s %s is built now: it answers, never 501', async (method, path) => {
    const res = await t.api(method, path);
    expect(res.status).not.toBe(501);
    // A 404 here is the entity's (`some-id`), never "no such endpoint" (which points at openapi.json).
    if (res.status === 404) expect(res.body.error.message).not.toContain('openapi.json');
  });

  it('no endpoint of the reference is left pending', () => {
    expect(PENDING_ENDPOINTS).toEqual([]);
  });

  it('an endpoint that is in no reference answers 404 with a pointer to the OpenAPI document', async () => {
    const res = await t.api('GET', '/no-such-endpoint');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('openapi.json');
  });

  it('a method an endpoint does not have is not 2xx and changes nothing', async () => {
    const before = t.configText();
    const res = await t.api('PATCH', '/workspaces/global', { name: 'x' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(t.configText()).toBe(before);
  });
});

describe('GET /api/v1/openapi.json', () => {
  const crud = ['/workspaces', '/downstreams', '/routes', '/auth-scopes'];

  it('lists every CRUD path with its methods, bulk routes, settings and health', async () => {
    const res = await t.api('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of crud) {
      expect(Object.keys(doc.paths[path]).sort(), path).toEqual(['get', 'post']);
      expect(doc.paths[`${path}/{id}`], `${path}/{id}`).toMatchObject({ get: {}, put: {}, delete: {} });
    }
    expect(doc.paths['/routes/bulk']).toHaveProperty('post');
    expect(doc.paths['/settings']).toMatchObject({ get: {}, put: {} });
    expect(doc.paths['/health']).toHaveProperty('get');
  });

  it('describes the bodies with component schemas built from the validators', async () => {
    const doc = (await t.api('GET', '/openapi.json')).body;
    const schemas = doc.components.schemas;
    for (const name of [
      'WorkspaceCreate',
      'WorkspaceUpdate',
      'DownstreamCreate',
      'DownstreamUpdate',
      'RouteCreate',
      'RouteUpdate',
      'AuthScopeCreate',
      'AuthScopeUpdate',
      'SettingsUpdate',
    ]) {
      expect(schemas[name], name).toBeTypeOf('object');
    }
    expect(schemas.WorkspaceCreate.required).toEqual(expect.arrayContaining(['name', 'root_path']));
    expect(schemas.WorkspaceCreate.additionalProperties).toBe(false);
    expect(schemas.DownstreamCreate.properties.namespace.pattern).toBe('^[a-z0-9][a-z0-9_-]*$');
    expect(schemas.RouteCreate.properties.policy.enum).toEqual(['allow', 'deny', 'approve']);
    expect(schemas.SettingsUpdate.properties).toHaveProperty('slim_tools');
    expect(schemas.SettingsUpdate.required ?? []).toEqual([]);
    const refs = JSON.stringify(doc.paths).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const ref of refs) expect(schemas[ref.split('/').pop()!], ref).toBeDefined();
  });
});
