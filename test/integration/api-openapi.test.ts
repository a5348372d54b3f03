/**
 * openapi.json tells the truth about what is built: every path the 501 router serves is listed
 * as not implemented (only a 501 response, `x-status: not-implemented`), and every path listed so
 * really answers 501. The router's own routes are read, so a 501 route added later without its
 * description fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notImplementedRouter } from '../../src/gateway/http/routers/not-implemented.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.close());

interface Operation {
  summary?: string;
  description?: string;
  'x-status'?: string;
  responses: Record<string, unknown>;
}

/** [METHOD, express path] of every route the 501 router serves, read from the router itself. */
function pendingRoutes(): Array<[string, string]> {
  const stack = (notImplementedRouter() as unknown as { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> }).stack;
  return stack.flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((method) => [method.toUpperCase(), layer.route!.path] as [string, string]) : [],
  );
}

const toOpenApi = (route: string) => route.replace(/:([A-Za-z_]+)/g, '{$1}');
const concrete = (route: string) => route.replace(/[:{]([A-Za-z_]+)\}?/g, 'some-$1');

describe('openapi.json and the 501 endpoints', () => {
  it('lists every 501 route as not implemented, with only a 501 response', async () => {
    const doc = (await t.api('GET', '/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    // None is left now (every endpoint of the reference is built; api-surface.test.ts pins that): a 501 route added later is checked here.
    const routes = pendingRoutes();
    for (const [method, route] of routes) {
      const operation = doc.paths[toOpenApi(route)]?.[method.toLowerCase()];
      expect(operation, `${method} ${route} is missing from openapi.json`).toBeDefined();
      expect(operation!['x-status'], `${method} ${route}`).toBe('not-implemented');
      expect(Object.keys(operation!.responses), `${method} ${route}`).toEqual(['501']);
      expect(operation!.summary).toMatch(/^Not implemented yet/);
      const res = await t.api(method, concrete(route), method === 'POST' ? {} : undefined);
      expect(res.status, `${method} ${route}`).toBe(501);
      expect(res.body.error.code).toBe('not_implemented');
    }
  });

  it('every operation described as not implemented answers 501, and the others do not say so', async () => {
    const doc = (await t.api('GET', '/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const described: string[] = [];
    for (const [route, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'parameters') continue;
        if (operation['x-status'] !== 'not-implemented') {
          expect(Object.keys(operation.responses ?? {}), `${method} ${route}`).not.toContain('501');
          continue;
        }
        described.push(`${method.toUpperCase()} ${route}`);
        const res = await t.api(method.toUpperCase(), concrete(route), method === 'post' ? {} : undefined);
        expect(res.status, `${method} ${route}`).toBe(501);
      }
    }
    expect(described.sort()).toEqual(
      pendingRoutes()
        .map(([m, r]) => `${m} ${toOpenApi(r)}`)
        .sort(),
    );
  });

  it('describes the daemon endpoints for editor windows with their schemas', async () => {
    const doc = (await t.api('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, any> };
    };
    expect(Object.keys(doc.paths['/windows'] ?? {})).toEqual(['get', 'post']);
    expect(doc.paths['/windows/{id}/lease']?.put?.responses).toHaveProperty('404');
    expect(doc.paths['/drain']?.post?.responses).toHaveProperty('202');
    expect(doc.paths['/events']?.get).toBeDefined();
    expect(doc.paths['/visibility']?.get?.responses).toHaveProperty('200');
    expect(doc.paths['/downstreams/{id}/restart']?.post?.responses).toHaveProperty('202');
    expect(doc.components.schemas.WindowRegistration.required).toEqual(['window_id', 'folders', 'client', 'version']);
    expect(doc.components.schemas.VisibilityReport.properties.servers.items.properties.reason.enum).toContain('hidden_by_rule');
  });

  it('describes POST /shutdown (mcplexer stop)', async () => {
    const doc = (await t.api('GET', '/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    expect(doc.paths['/shutdown']?.post?.responses).toHaveProperty('202');
  });
});
