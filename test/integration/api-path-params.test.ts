import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * Issue 14, fault 9: `/api/v1/downstreams/%FF` answered 500 with a stack trace. Any path
 * parameter that is not valid percent-encoded UTF-8, on any route, is a 400 naming the
 * parameter, handled once in the error map (the router throws while matching, before a handler).
 */
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  await t.api('POST', '/auth-scopes', { id: 'scope', name: 'scope' });
});
afterAll(() => t?.close());

const BAD = ['%FF', '%E0%A4', '%C0%80', '%', '%ZZ', 'ok%ED%A0%80', '%F4%90%80%80'];
const ROUTES: Array<[method: string, path: (bad: string) => string, param: string]> = [
  ['GET', (bad) => `/workspaces/${bad}`, 'id'],
  ['PUT', (bad) => `/workspaces/${bad}`, 'id'],
  ['DELETE', (bad) => `/workspaces/${bad}`, 'id'],
  ['GET', (bad) => `/downstreams/${bad}`, 'id'],
  ['PUT', (bad) => `/downstreams/${bad}`, 'id'],
  ['DELETE', (bad) => `/downstreams/${bad}?cascade=true`, 'id'],
  ['POST', (bad) => `/downstreams/${bad}/discover`, 'id'],
  ['GET', (bad) => `/downstreams/${bad}/health`, 'id'],
  ['GET', (bad) => `/routes/${bad}`, 'id'],
  ['DELETE', (bad) => `/routes/${bad}`, 'id'],
  ['GET', (bad) => `/auth-scopes/${bad}`, 'id'],
  ['GET', (bad) => `/auth-scopes/${bad}/secrets`, 'id'],
  ['PUT', (bad) => `/auth-scopes/${bad}/secrets`, 'id'],
  ['DELETE', (bad) => `/auth-scopes/scope/secrets/${bad}`, 'key'],
  ['GET', (bad) => `/approvals/${bad}`, 'id'],
  ['POST', (bad) => `/mcp-install/${bad}/install`, 'clientId'],
];

describe('path parameters that are not valid percent-encoding', () => {
  it('answer 400 naming the parameter on every route, and nothing is logged as a failure', async () => {
    for (const [method, path, param] of ROUTES) {
      for (const bad of BAD) {
        const res = await t.api(method, path(bad), method === 'PUT' ? {} : undefined);
        expect(res.status, `${method} ${path(bad)}`).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
        expect(res.body.error.details).toEqual([{ path: param, message: 'invalid percent-encoding' }]);
        expect(res.body.error.message).toContain(`path parameter "${param}"`);
      }
    }
    expect(t.logs.filter((line) => line.level === 'error')).toEqual([]);
  });

  // "/" alone would name the global workspace by its root path (names and root paths work wherever ids do).
  it('still decode valid escapes (an id with a space, "/" or non-ASCII) and answer 404 for unknown ones', async () => {
    expect((await t.api('POST', '/workspaces', { id: 'a.b', name: 'Ωmega', root_path: '/srv/omega' })).status).toBe(201);
    expect((await t.api('GET', '/workspaces/a%2Eb')).body.name).toBe('Ωmega');
    for (const id of ['%20', '%2Fno%2Fsuch%2Fdir', '%CE%A9', '%00']) expect((await t.api('GET', `/workspaces/${id}`)).status).toBe(404);
  });
});
