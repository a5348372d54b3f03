/**
 * Every POST, PUT and DELETE endpoint that takes no body refuses one (400 naming each field), so
 * a body is never silently ignored: a trial's `{"dry_run": true}` to mcp-install's install
 * performed a real write, and `{"bogus": 1}` to drain stopped the gateway. The list is the OpenAPI
 * document's operations without a `requestBody`, so a new endpoint is covered (and the document
 * kept true: one that reads a body must declare it). An empty body or `{}` still passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
let bodiless: Array<[string, string]>;
let doc: { paths: Record<string, Record<string, { requestBody?: unknown; responses?: Record<string, unknown> }>> };

beforeAll(async () => {
  t = await startTestGateway();
  doc = (await t.api('GET', '/openapi.json')).body as typeof doc;
  bodiless = [];
  for (const [path, operations] of Object.entries(doc.paths))
    for (const [method, operation] of Object.entries(operations))
      if (['post', 'put', 'delete'].includes(method) && operation.requestBody === undefined)
        bodiless.push([method.toUpperCase(), path.replace(/\{[^}]+\}/g, 'no-such-id')]);
});
afterAll(() => t?.close());

describe('endpoints that take no body', () => {
  it('are the ones the trial found, among others', () => {
    const listed = bodiless.map(([method, path]) => `${method} ${path}`);
    for (const expected of ['POST /mcp-install/no-such-id/install', 'POST /mcp-install/no-such-id/uninstall', 'POST /drain', 'POST /shutdown'])
      expect(listed).toContain(expected);
    // The document says what a body gets.
    expect(doc.paths['/mcp-install/{clientId}/install']!.post!.responses!['400']).toBeDefined();
  });

  it('each answers {"bogus": 1} with 400 naming bogus, and does nothing (the gateway still answers)', async () => {
    const wrong: string[] = [];
    for (const [method, path] of bodiless) {
      const res = await t.api(method, path, { bogus: 1 });
      const details = (res.body as { error?: { details?: Array<{ path: string; message: string }> } })?.error?.details ?? [];
      if (res.status !== 400 || !details.some((d) => d.path === 'bogus' && d.message === 'unknown field; this endpoint takes no body'))
        wrong.push(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(wrong).toEqual([]);
    expect((await t.api('GET', '/health')).status).toBe(200);
  });

  it('install: {"dry_run": true} is refused naming dry_run; a body that is not an object is refused; none or {} passes the check', async () => {
    const path = '/api/v1/mcp-install/cursor/install';
    const headers = { host: new URL(t.url).host, authorization: `Bearer ${t.token}`, 'content-type': 'application/json' };
    const dry = await rawRequest(t.url, 'POST', path, headers, '{"dry_run":true}');
    expect(dry.status).toBe(400);
    expect(dry.body.error.message).toBe('invalid request body: dry_run: unknown field; this endpoint takes no body');
    for (const body of ['[]', '"x"', 'null', '1']) {
      const res = await rawRequest(t.url, 'POST', path, headers, body);
      expect(res.status, body).toBe(400);
      expect(res.body.error.message, body).toContain('this endpoint takes no body');
    }
    // Past the check: cursor is not detected in this gateway's empty environment (409), not a 400.
    for (const body of [undefined, '{}']) expect((await rawRequest(t.url, 'POST', path, headers, body)).status).toBe(409);
  });
});
