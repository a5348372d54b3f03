// Every GET endpoint that reads a query string reads it one way (config/query.ts): an unknown or
// misspelt parameter is a 400 naming it and listing the known ones (a misspelt filter used to be
// ignored, so `GET /audit?statuss=error` answered 200 with every record); a parameter given twice
// that takes one value is a 400 saying it may appear once; a value of the wrong form is worded as
// a query parameter (`offset: must be a whole number ≥ 0 (got "x")`), never as a body error. The
// known list in each refusal is the one the OpenAPI document gives for that endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
let openapi: any;
beforeAll(async () => {
  t = await startTestGateway();
  openapi = (await t.api('GET', '/openapi.json')).body;
});
afterAll(() => t?.close());

/** Each endpoint, a query it accepts (to which a mistake is added), and its one-value parameter to repeat. */
const ENDPOINTS = [
  {
    path: '/audit',
    valid: 'status=error',
    once: 'status=error&status=success',
    known: ['session_id', 'workspace_id', 'tool_name', 'status', 'error_code', 'after', 'before', 'limit', 'offset'],
  },
  {
    path: '/audit/stream',
    valid: 'status=error',
    once: 'tool_name=a&tool_name=b',
    known: ['session_id', 'workspace_id', 'tool_name', 'status', 'error_code', 'after', 'before'],
  },
  { path: '/approvals', valid: 'status=pending', once: 'workspace_id=a&workspace_id=b', known: ['status', 'workspace_id', 'limit', 'offset'] },
  { path: '/approvals/stream', valid: '', once: undefined, known: [] },
  { path: '/dashboard', valid: 'range=7d', once: 'range=7d&range=1h', known: ['range'] },
  { path: '/cache/stats', valid: '', once: undefined, known: [] },
  { path: '/events', valid: '', once: 'last_event_id=1&last_event_id=2', known: ['last_event_id'] },
  { path: '/visibility', valid: 'dir=/srv/a', once: 'dir=/srv/a&servers=a&servers=b', known: ['dir', 'servers'] },
  { path: '/mcp-install/cursor/preview', valid: 'action=install', once: 'action=install&action=uninstall', known: ['action'] },
] as const;

const withQuery = (path: string, ...parts: string[]) => `${path}?${parts.filter(Boolean).join('&')}`;

describe.each(ENDPOINTS.map((e) => [e.path, e] as const))('GET %s', (_path, e) => {
  it.each([
    ['foo=bar', 'foo'],
    ['statuss=error', 'statuss'],
    ['status[]=bogus', 'status[]'],
    ['tool_name%5Ba%5D=x', 'tool_name[a]'],
  ])('refuses the unknown parameter in %s with 400, naming it and the known ones', async (mistake, name) => {
    const res = await t.api('GET', withQuery(e.path, e.valid, mistake));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toMatch(/^invalid query parameter: /);
    const detail = res.body.error.details.find((d: { path: string }) => d.path === name);
    expect(detail.message).toBe(
      e.known.length === 0 ? 'unknown parameter; this endpoint takes no query parameters' : `unknown parameter; use ${e.known.join(', ')}`,
    );
  });

  it('lists the same query parameters in the OpenAPI document', () => {
    const op = openapi.paths[e.path.replace('/cursor/', '/{clientId}/')].get;
    const names = (op.parameters ?? []).filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name);
    expect(names).toEqual(e.known);
  });
});

describe.each(ENDPOINTS.filter((e) => e.once !== undefined).map((e) => [e.path, e] as const))('GET %s, a parameter given twice', (_path, e) => {
  it('is refused with 400 saying it may appear once', async () => {
    const res = await t.api('GET', withQuery(e.path, e.once!));
    expect(res.status).toBe(400);
    const name = e.once!.split('&').at(-1)!.split('=')[0];
    expect(res.body.error.details).toEqual([{ path: name, message: 'may appear once (got 2 values); give one value' }]);
  });
});

describe('the audit filters a user mistypes (a new user trial)', () => {
  it('?tool=nope&statuss=error names both mistakes and answers no records', async () => {
    const res = await t.api('GET', '/audit?tool=nope&statuss=error');
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['tool', 'statuss']);
    expect(res.body.error.message).toContain('tool: unknown parameter; use session_id, workspace_id, tool_name,');
  });

  it('the well-spelt query still answers a page', async () => {
    const res = await t.api('GET', '/audit?tool_name=nope&status=error');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ data: [], total: 0, limit: 50, offset: 0 });
  });
});

describe('values of the wrong form, worded as query parameters', () => {
  it.each([
    ['/approvals?offset=x', 'offset', 'must be a whole number ≥ 0 (got "x")'],
    ['/approvals?offset=-1', 'offset', 'must be a whole number ≥ 0 (got "-1")'],
    ['/approvals?limit=1.5', 'limit', 'must be a whole number from 1 to 500 (got "1.5")'],
    ['/approvals?limit=501', 'limit', 'must be a whole number from 1 to 500 (got "501")'],
    ['/approvals?status=bogus', 'status', 'must be one of pending, approved, denied, timeout, cancelled (got "bogus")'],
    ['/audit?offset=x', 'offset', 'must be a whole number ≥ 0 (got "x")'],
    ['/audit?limit=abc', 'limit', 'must be a whole number from 1 to 500 (got "abc")'],
    ['/audit?status=bogus', 'status', 'must be one of success, error, blocked (got "bogus")'],
    ['/mcp-install/cursor/preview?action=remove', 'action', 'must be one of install, uninstall (got "remove")'],
  ])('%s', async (url, path, message) => {
    const res = await t.api('GET', url);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'validation_failed', message: `invalid query parameter: ${path}: ${message}`, details: [{ path, message }] });
  });

  it('status=pending&status=approved (both valid) says status may appear once', async () => {
    const res = await t.api('GET', '/approvals?status=pending&status=approved');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('invalid query parameter: status: may appear once (got 2 values); give one value');
  });

  it('what is accepted still is: audit clamps limit, approvals take their filters', async () => {
    expect((await t.api('GET', '/audit?limit=9999&offset=0')).body).toMatchObject({ limit: 500, offset: 0 });
    expect((await t.api('GET', '/audit?limit=0')).body).toMatchObject({ limit: 1 });
    const approvals = await t.api('GET', '/approvals?status=approved&workspace_id=w&limit=5&offset=0');
    expect(approvals.status).toBe(200);
    expect(approvals.body).toEqual([]);
    expect((await t.api('GET', '/dashboard?range=bogus')).body.range).toBe('1h');
  });
});
